"""Attached files: ten phone photos at once, a grant's files opened, a backup of a database that
holds large files (time against a plain copy of the file, and its peak memory).

KSM_BENCH_ATTACHMENTS_MB sets how many megabytes of files the backed-up database holds
(default 200; 2048 for the issue's 2 GB case).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from benchmarks.common import Result, median_ms, median_trials_ms, timed_ms
from ksm_desktop.db.models_attachments import Attachment, AttachmentContent
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput
from tests.unit.attachment_files import phone_photo

PHOTO_PX = (2400, 1800)  # a noisy JPEG of this size is about 5 MB, like a phone's photo
FILE_MB = 20  # each file of the backup benchmark
TOOL_TIMEOUT_S = 3600


def _grant(path: Path | str) -> Services:
    """A new database (a SQLite file, or an empty server database's URL) whose one draft grant
    (id 1) the files are attached to."""
    database = open_database(path) if isinstance(path, str) else open_database(path=path)
    services = Services(database, Actor("admin", "admin"))
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Bench")).id
    items = [GrantItemInput("Machine à coudre", Decimal(3), Decimal(5200))]
    services.grants.create(GrantInput("Atelier de couture", organisation_id=org, items=items))
    return services


def ten_photos() -> list[Result]:
    """Ten 5 MB photo files dropped on a grant at once: type check, full decode, date taken, GPS
    and camera removed, thumbnail, SHA-256, all stored in one transaction."""
    with tempfile.TemporaryDirectory() as tmp:
        photos = [Path(tmp) / f"IMG_{n}.jpg" for n in range(10)]
        for photo in photos:
            photo.write_bytes(phone_photo(*PHOTO_PX, noise=True))
        size_mb = sum(p.stat().st_size for p in photos) / 10 / 1048576

        def trial() -> float:
            services = _grant(Path(tmp) / "p.sqlite3")
            ms = timed_ms(lambda: services.attachments.add_many("grant", 1, photos, "photo"))
            services.db.dispose()
            for leftover in Path(tmp).glob("p.sqlite3*"):
                leftover.unlink()
            return ms

        ms = median_trials_ms(trial)
    return [Result(f"attach ten {size_mb:.1f} MB photos with thumbnails", ms, "< 2000 ms", ms < 2000)]


def grant_with_twenty() -> list[Result]:
    """What opening a grant's files shows: the list of its 20 files and their thumbnails."""
    with tempfile.TemporaryDirectory() as tmp:
        services = _grant(Path(tmp) / "g.sqlite3")
        for n in range(20):
            services.attachments.add(
                "grant", 1, phone_photo(1600, 1200, noise=True), "photo", filename=f"{n}.jpg"
            )

        def open_list() -> None:
            services.attachments.list("grant", 1)
            services.attachments.thumbnails("grant", 1)

        ms = median_ms(open_list)
        services.db.dispose()
    return [Result("a grant's 20 attachments listed with thumbnails", ms, "< 200 ms", ms < 200)]


def _fill(path: Path | str, megabytes: int) -> None:
    """Files of FILE_MB each, written straight into the tables (the service would spend minutes
    decoding them): the backup only sees pages."""
    services = _grant(path)
    now = dt.datetime.now()
    with services.db.transaction() as session:
        for n in range(max(1, megabytes // FILE_MB)):
            data = os.urandom(FILE_MB * 1048576)
            sha = f"{n:064x}"
            session.execute(
                insert(AttachmentContent),
                [
                    {
                        "sha256": sha,
                        "size": len(data),
                        "media_type": "application/pdf",
                        "data": data,
                        "stored_at": now,
                    }
                ],
            )
            session.execute(
                insert(Attachment),
                [
                    {
                        "sha256": sha, "grant_id": 1, "kind": "invoice", "filename": f"{n}.pdf",
                        "dated_on": now.date(), "added_by": "admin", "added_at": now,
                    }
                ],
            )  # fmt: skip
            del data
    services.db.dispose()


# The child reports its own high-water mark (VmHWM): it starts afresh at exec, unlike ru_maxrss,
# which keeps the resident size the parent had when it forked.
_BACKUP = """
import sys
from pathlib import Path
from ksm_desktop.db.backup import backup_file
from ksm_desktop.db.server_backup import backup_server
if sys.argv[1].startswith("postgresql"):
    backup_server(sys.argv[1], Path(sys.argv[2]))
else:
    backup_file(Path(sys.argv[1]), Path(sys.argv[2]))
status = Path("/proc/self/status").read_text()
print(next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")))
"""


def _child_peak_mb(source: Path | str, destination: Path) -> float:
    """Run the verified backup in its own process (Linux); its peak resident memory in MB."""
    done = subprocess.run(
        [sys.executable, "-c", _BACKUP, str(source), str(destination)],
        check=True,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_S,
    )
    return int(done.stdout.strip()) / 1024  # kB


def _durable_copy(source: Path, target: Path) -> None:
    """What a backup must at least do: copy the bytes and have them on the disk (fsync)."""
    shutil.copyfile(source, target)
    with target.open("rb+") as fh:
        os.fsync(fh.fileno())


def backup_of_large_files() -> list[Result]:
    """backup_file (a consistent copy, fsync, full integrity check and SHA-256 of the copy) of a
    database holding KSM_BENCH_ATTACHMENTS_MB of files, against a plain copy of the same file
    flushed to disk."""
    from ksm_desktop.db.backup import backup_file

    megabytes = int(os.environ.get("KSM_BENCH_ATTACHMENTS_MB", "200"))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "large.sqlite3"
        _fill(source, megabytes)
        size_mb = source.stat().st_size / 1048576
        target = Path(tmp) / "copy.sqlite3"

        def once(copy: Callable[[], object]) -> float:
            ms = timed_ms(copy)
            for leftover in Path(tmp).glob("copy.sqlite3*"):
                leftover.unlink()
            return ms

        copy_ms = median_trials_ms(lambda: once(lambda: _durable_copy(source, target)))
        backup_ms = median_trials_ms(lambda: once(lambda: backup_file(source, target)))
        peak_mb = _child_peak_mb(source, Path(tmp) / "child.sqlite3")
    return [
        Result(
            f"verified backup of a database holding {size_mb:,.0f} MB of files",
            backup_ms,
            "<= 2x plain copy",
            backup_ms <= 2 * copy_ms,
            "plain copy of the same file, flushed to disk",
            copy_ms,
        ),
        Result(
            f"peak memory of that backup ({size_mb:,.0f} MB database)",
            peak_mb,
            "< 200 MB",
            peak_mb < 200,
            unit=" MB",
        ),
    ]


def server_backup_of_large_files() -> list[Result]:
    """The server's dump (pg_dump, then every table summed for its manifest, in the same snapshot)
    of a database holding KSM_BENCH_ATTACHMENTS_MB of files: its peak memory in the program, which
    depends on the largest file (a 20 MB file arrives as 40 MB of hex, in libpq's buffer), not on
    how many there are. Runs when KSM_TEST_PG_URL names a PostgreSQL server it may create a
    database on."""
    base = os.environ.get("KSM_TEST_PG_URL")
    if not base:
        return []
    megabytes = int(os.environ.get("KSM_BENCH_ATTACHMENTS_MB", "200"))
    name = f"ksm_bench_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        _fill(url, megabytes)
        with tempfile.TemporaryDirectory() as tmp:
            peak_mb = _child_peak_mb(url, Path(tmp) / "server.pgdump")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return [
        Result(
            f"peak memory of a server dump ({megabytes} MB of files)",
            peak_mb,
            "< 256 MB, whatever the size",
            peak_mb < 256,
            unit=" MB",
        )
    ]


BENCHMARKS = [ten_photos, grant_with_twenty, backup_of_large_files, server_backup_of_large_files]
