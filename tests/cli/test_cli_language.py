"""--lang changes messages and table headers, never the data written as JSON."""

from __future__ import annotations

import json

import pytest

from ksm_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_data_whatever_the_language(
    demo_db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    outputs = [
        run(capsys, "--lang", lang, *demo_db_args, "grants", "--programme", "AGR-ERR", "--json")
        for lang in ("en", "fr", "ar")
    ]
    assert all(code == 0 for code, _out, _err in outputs)
    english, french, arabic = (json.loads(out) for _code, out, _err in outputs)
    assert english == french == arabic
    assert {g["status"] for g in arabic} == {"draft"} and arabic[0]["total"].count(".") == 1


def test_errors_follow_lang(demo_db_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--lang", "ar", *demo_db_args, "members", "--org", "NOPE")
    assert (code, out) == (1, "") and err.strip() == "لا توجد هيئة تحمل الرمز «NOPE»."
    code, out, err = run(capsys, "--lang", "fr", *demo_db_args, "members", "--org", "NOPE")
    assert code == 1 and err.strip() == "Aucune organisation ne porte le code «\xa0NOPE\xa0»."


@pytest.mark.parametrize(
    ("lang", "headers", "status", "money"),
    [
        ("en", ["Number", "Recipient", "Programme", "Status"], "Draft", "€36,000.00"),
        ("fr", ["Numéro", "Bénéficiaire", "Programme", "Statut"], "Brouillon", "36\u202f000,00\xa0€"),
        ("ar", ["الرقم", "المستفيد", "البرنامج", "الحالة"], "مسودة", "36.000,00\xa0€"),
    ],
)
def test_table_headers_and_labels_follow_lang(
    demo_db_args: list[str],
    capsys: pytest.CaptureFixture[str],
    lang: str,
    headers: list[str],
    status: str,
    money: str,
) -> None:
    code, out, _err = run(capsys, "--lang", lang, *demo_db_args, "grants")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:4] == headers
    chems = next(line for line in lines if "Chems" in line)
    assert status in chems and money in chems


def test_saved_preference_is_used_without_lang(
    demo_db_args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksm_desktop.config import Preferences

    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    Preferences(language="fr").save()
    code, _out, err = run(capsys, *demo_db_args, "grants", "--programme", "NOPE")
    assert code == 1 and "Aucun programme" in err


def test_usage_errors_follow_lang(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--lang", "fr", "grants", "--bogus")
    assert (
        code == 2
        and err.startswith("usage\xa0: ksm-desktop")
        and "arguments non reconnus\xa0: --bogus" in err
    )
    code, _out, err = run(capsys, "--lang", "ar", "restore")
    assert code == 2 and err.startswith("الاستعمال: ") and "المعاملات التالية إلزامية: FILE" in err
    code, _out, err = run(capsys, "--lang", "en", "grants", "--bogus")
    assert code == 2 and "unrecognized arguments: --bogus" in err
