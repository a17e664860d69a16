"""Bad input, fuzzed: validators either return a normalised value or raise ValidationError
(never another exception), and random command lines end with 0, 1 or 2, never a traceback,
and change nothing when rejected."""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.typed import parse_amount
from ksm_desktop.domain.values import normalize_cin, normalize_phone, to_money, to_rate
from ksm_desktop.i18n.formatting import format_amount
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.services.person_rows import validate_person

texty = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[A-Za-z]{0,3}[ \-]?[0-9]{0,8}", fullmatch=True),
    st.from_regex(r"(\+|00)?[0-9 .\-()]{0,20}", fullmatch=True),
    st.from_regex(r"-?[0-9 ,.\u202f\xa0]{0,20}(e-?[0-9]{1,6})?", fullmatch=True),
)


@given(texty)
def test_cin_is_normalised_or_refused(raw: str) -> None:
    try:
        cin = normalize_cin(raw)
    except ValidationError as exc:
        assert exc.field == "cin"
        return
    assert cin is None or re.fullmatch(r"[A-Z]{1,2}[0-9]{1,6}", cin)
    assert cin is None or normalize_cin(cin) == cin  # idempotent


@given(texty)
def test_phone_is_normalised_or_refused(raw: str) -> None:
    try:
        phone = normalize_phone(raw)
    except ValidationError as exc:
        assert exc.field == "phone"
        return
    assert phone is None or re.fullmatch(r"\+[0-9]{8,15}", phone)
    assert phone is None or normalize_phone(phone) == phone


@given(texty)
def test_money_and_rate_are_exact_or_refused(raw: str) -> None:
    for convert, places in ((to_money, 2), (to_rate, 4)):
        try:
            value = convert(raw)
        except ValidationError:
            continue
        assert isinstance(value, Decimal) and value.is_finite()
        assert value.as_tuple().exponent == -places


@given(texty, st.sampled_from(["fr", "ar", "en"]))
def test_parse_amount_reads_or_refuses(raw: str, lang: str) -> None:
    try:
        value = parse_amount(raw, lang)
    except ValidationError:
        return
    assert value.is_finite()


@given(
    st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2),
    st.sampled_from(["fr", "ar", "en"]),
)
def test_formatted_amounts_read_back_the_same(value: Decimal, lang: str) -> None:
    assert parse_amount(format_amount(value, lang), lang) == value


@given(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6)),
)
def test_birth_dates_and_years_are_checked(birth: dt.date, year: int | None) -> None:
    today = dt.date(2026, 11, 25)
    try:
        row = validate_person(PersonInput("Fatima", "Alaoui", "F", birth_date=birth, birth_year=year), today)
    except ValidationError as exc:
        assert exc.field in {"birth_date", "birth_year"}
        return
    assert dt.date(1900, 1, 1) <= birth <= today and 1900 <= row["birth_year"] <= today.year


COMMANDS = [
    "orgs", "members", "grants", "check", "backup", "restore", "backups", "user-list", "audit",
    "person-export", "person-anonymise",
]  # fmt: skip
WORDS = [
    *COMMANDS, "--json", "--org", "--programme", "--since", "--entity", "--out", "--yes", "--role", "--lang",
    "-h", "x", "-1", "9999", "ar", "🙂", "", "2026-13-01",
]  # fmt: skip


@functools.cache
def _demo_database(folder: Path) -> Path:
    """The demo portfolio, loaded once: every command line runs on a copy of real data."""
    from ksm_desktop.cli import main

    path = folder / "demo.sqlite3"
    assert main(["--db", str(path), "demo"]) == 0
    return path


def _contents(path: Path) -> list[str]:
    """Every row of every table, as SQL: the whole database, not one count."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(COMMANDS), st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=4)
)
def test_random_command_lines_never_crash_nor_write(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    command: str,
    rest: list[str],
) -> None:
    """Always with a command: without one the GUI would start. A refused command line leaves
    the demo database exactly as it was."""
    from ksm_desktop.cli import main

    folder = tmp_path_factory.mktemp("fuzz")
    db = folder / "k.sqlite3"
    shutil.copyfile(_demo_database(tmp_path_factory.getbasetemp()), db)
    before = _contents(db)
    capsys.readouterr()
    argv = ["--db", str(db), command, *rest]
    # "--out" values land inside the temporary folder, never in the working directory
    argv = [
        str(folder / "out.json") if prev == "--out" else a
        for prev, a in zip([None, *argv], argv, strict=False)
    ]
    try:
        code = main(argv)
    except SystemExit as exc:  # --help and --version exit through argparse
        code = exc.code if isinstance(exc.code, int) else 0
    _out, err = capsys.readouterr()
    assert code in {0, 1, 2}
    assert "Traceback" not in err
    if code != 0:
        assert _contents(db) == before
