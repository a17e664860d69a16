"""Backups of the office's PostgreSQL database: pg_dump's custom format with a manifest beside it.

The dump and the figures in its manifest (row count and SHA-256 of every table, as db/transfer.py
sums them, and the file's own SHA-256) come from one snapshot of the server, so they describe the
same moment even while the office keeps saving. A dump counts only once `pg_restore --list` reads
it; before a restore the file must match its manifest's SHA-256 and be readable the same way, and
after it the restored tables must match the manifest. The database being replaced is dumped
first, like the file backups keep the replaced file aside.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from ksm_desktop.db import revisions
from ksm_desktop.db.backup import timestamped_name
from ksm_desktop.db.engine import make_engine
from ksm_desktop.db.transfer import TableSum, database_sums, not_opened
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

SUFFIX = ".pgdump"
TOOL_TIMEOUT_S = 3 * 3600  # a dump of a large office database over a slow network
TOOL_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "C:/Program Files/PostgreSQL/*/bin")


@dataclass(frozen=True)
class Manifest:
    """What a dump holds, written next to it as `<dump>.json`."""

    made_at: str
    database: str  # the URL without its password
    revision: str | None
    sha256: str
    size: int
    tables: dict[str, TableSum]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


def manifest_path(dump: Path) -> Path:
    return dump.with_name(f"{dump.name}.json")


def _version(directory: str) -> tuple[int, ...]:
    digits = "".join(c if c.isdigit() else " " for c in directory)
    return tuple(int(n) for n in digits.split())


def find_tool(name: str) -> Path:
    """pg_dump or pg_restore: on the PATH, else the newest PostgreSQL installed in the usual places."""
    found = shutil.which(name)
    if found:
        return Path(found)
    exe = f"{name}.exe" if os.name == "nt" else name
    candidates = [Path(d) / exe for pattern in TOOL_DIRS for d in glob.glob(pattern)]
    candidates = sorted((c for c in candidates if c.is_file()), key=lambda c: _version(str(c.parent)))
    if candidates:
        return candidates[-1]
    raise DatabaseError(
        _(
            "{tool} was not found. Install the PostgreSQL client tools (Debian or Ubuntu: "
            "sudo apt install postgresql-client; Windows: “Command Line Tools” in the PostgreSQL "
            "installer), or put {tool} on the PATH."
        ).format(tool=name)
    )


def server_url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(
            _("Backups of a server database are made on the server (for PostgreSQL: pg_dump).")
        )
    return parsed


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The connection string pg_dump understands, and its environment: the password goes through
    PGPASSWORD, never on a command line that other users of the machine can read."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(tool: str, args: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(
            [str(find_tool(tool)), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=TOOL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DatabaseError(_("{tool} did not finish in time.").format(tool=tool)) from None
    if done.returncode != 0:
        raise DatabaseError(
            _("{tool} failed: {reason}").format(tool=tool, reason=" ".join(done.stderr.split()))
        )
    return done.stdout


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_listing(dump: Path) -> None:
    """pg_restore reads the whole table of contents, and it is a KSM database."""
    listing = _run("pg_restore", ["--list", str(dump)], dict(os.environ))
    if "ksm_schema_info" not in listing:
        raise DatabaseError(_("The file {name} is not a KSM Desktop database.").format(name=dump.name))


def _write_json(path: Path, data: dict[str, object]) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def backup_server(url: str, destination: Path) -> Manifest:
    """Dump the database at `url` to `destination` (.pgdump), verified, with its manifest."""
    parsed = server_url(url)
    uri, env = _libpq(parsed)
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f".{destination.name}.partial")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            snapshot = connection.execution_options(isolation_level="REPEATABLE READ")
            with snapshot.begin():
                revision = _revision(snapshot)
                if revision is None:
                    raise DatabaseError(
                        _("The database {url} is not a KSM Desktop database; it was left untouched.").format(
                            url=parsed.render_as_string(hide_password=True)
                        )
                    )
                exported = snapshot.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                _run("pg_dump", ["--format=custom", f"--snapshot={exported}", f"--file={tmp}", uri], env)
                sums = database_sums(snapshot)
        _check_listing(tmp)
        manifest = Manifest(
            made_at=dt.datetime.now().isoformat(timespec="seconds"),
            database=parsed.render_as_string(hide_password=True),
            revision=revision,
            sha256=_sha256(tmp),
            size=tmp.stat().st_size,
            tables=sums,
        )
        _write_json(manifest_path(destination), dataclasses.asdict(manifest))
        os.replace(tmp, destination)
    except SQLAlchemyError as exc:
        raise not_opened(parsed.render_as_string(hide_password=True), exc) from exc
    finally:
        engine.dispose()
        tmp.unlink(missing_ok=True)
    return manifest


def read_manifest(dump: Path) -> Manifest:
    try:
        data = json.loads(manifest_path(dump).read_text("utf-8"))
        data["tables"] = {name: TableSum(**table) for name, table in data["tables"].items()}
        return Manifest(**data)
    except FileNotFoundError:
        raise DatabaseError(
            _(
                "The dump {name} has no manifest ({manifest}); it cannot be checked, so it is not restored."
            ).format(name=dump.name, manifest=manifest_path(dump).name)
        ) from None
    except (ValueError, TypeError, KeyError, AttributeError):
        raise DatabaseError(
            _("The manifest of {name} is damaged; the dump is not restored.").format(name=dump.name)
        ) from None


def verify_dump(dump: Path) -> Manifest:
    """Raise DatabaseError unless `dump` is the file its manifest describes, readable by pg_restore,
    and made by a KSM Desktop that this version knows."""
    manifest = read_manifest(dump)
    if dump.stat().st_size != manifest.size or _sha256(dump) != manifest.sha256:
        raise DatabaseError(
            _("The dump {name} does not match its manifest (damaged or changed); it is not restored.").format(
                name=dump.name
            )
        )
    _check_listing(dump)
    if manifest.revision not in revisions.known_revisions():
        raise DatabaseError(
            _(
                "The backup {name} was made by a newer version of KSM Desktop (schema {revision}); "
                "install the latest version to restore it."
            ).format(name=dump.name, revision=manifest.revision)
        )
    return manifest


def _restored_matches(url: str, manifest: Manifest) -> list[str]:
    """Tables whose restored content differs from the manifest (checksums when the schema is
    this version's, else row counts)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if manifest.revision == revisions.head_revision():
                restored = database_sums(connection)
                return [name for name, table in manifest.tables.items() if restored.get(name) != table]
            return [
                name
                for name, table in manifest.tables.items()
                if connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() != table.rows
            ]
    finally:
        engine.dispose()


def dump_name(url: URL, reason: str) -> str:
    """A dump's file name, after the server database it holds (see backup.timestamped_name)."""
    return timestamped_name(url.database or "ksm", reason, suffix=SUFFIX)


def restore_server(url: str, dump: Path, aside_dir: Path) -> Path | None:
    """Replace the database at `url` by the verified `dump`, in one transaction; the database it
    replaces is dumped into `aside_dir` first (returned; None when it held no KSM data)."""
    parsed = server_url(url)
    manifest = verify_dump(dump)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
    except SQLAlchemyError as exc:
        raise not_opened(parsed.render_as_string(hide_password=True), exc) from exc
    finally:
        engine.dispose()
    if tables and "ksm_schema_info" not in tables:
        raise DatabaseError(
            _("The database {url} is not a KSM Desktop database; it was left untouched.").format(
                url=parsed.render_as_string(hide_password=True)
            )
        )
    aside = None
    if tables:
        aside = aside_dir / dump_name(parsed, "before-restore")
        backup_server(url, aside)
    uri, env = _libpq(parsed)
    args = [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]
    _run("pg_restore", [*args, f"--dbname={uri}", str(dump)], env)
    differing = _restored_matches(url, manifest)
    if differing:
        raise DatabaseError(
            _("The restored database differs from the backup in {tables}.").format(
                tables=", ".join(differing)
            )
        )
    return aside
