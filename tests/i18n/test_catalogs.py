"""The catalogs match the source, are complete in French and Arabic, and keep their placeholders.

When this fails after a merge: `python -m ksm_desktop.i18n.catalogs update`, then translate what
`python -m ksm_desktop.i18n.catalogs check` lists (`todo` / `fill` help), and commit the .po files.
"""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from ksm_desktop.domain.enums import GrantStatus, LabelledEnum, ProgrammeStatus, Sex
from ksm_desktop.i18n import _, load_catalog, pgettext, pseudo, set_language, translate_in
from ksm_desktop.i18n.catalogs import (
    compile_all,
    extract,
    fill,
    placeholders,
    po_path,
    problems,
    read_catalog,
    render,
    todo,
    update,
)
from ksm_desktop.paths import PACKAGE_DIR, TRANSLATIONS_DIR


def test_catalogs_are_up_to_date_complete_and_consistent() -> None:
    found = problems()
    assert not found, "translations need work:\n" + "\n".join(found)


def test_update_rewrites_nothing_and_writes_no_line_numbers_or_dates(tmp_path: Path) -> None:
    shutil.copytree(TRANSLATIONS_DIR, tmp_path, dirs_exist_ok=True)
    assert update(tmp_path) == []
    text = po_path("fr", tmp_path).read_text("utf-8")
    assert "#: ksm_desktop/cli/__init__.py\n" in text or "#: ksm_desktop/cli/__init__.py " in text
    assert ".py:" not in text and "Creation-Date" not in text and "Revision-Date" not in text


def _catalogs(tmp_path: Path, template: Catalog, entries: dict[str, dict[str, object]]) -> Path:
    """A translations folder with the given msgstr per language."""
    for lang in ("fr", "ar", "en"):
        catalog = Catalog(locale=lang, charset="utf-8", fuzzy=False)
        for message in template:
            values = entries.get(message.id if isinstance(message.id, str) else message.id[0], {})
            value = values.get(lang, "")
            flags = ["fuzzy"] if values.get("fuzzy") == lang else []
            string = tuple(value) if isinstance(value, list) else value
            catalog.add(message.id, string, flags=flags)  # type: ignore[arg-type]
        path = po_path(lang, tmp_path)
        path.parent.mkdir(parents=True)
        path.write_bytes(render(catalog, lang))
    (tmp_path / "messages.pot").write_bytes(render(template, None))
    return tmp_path


def _template(*messages: str | tuple[str, str]) -> Catalog:
    template = Catalog(charset="utf-8")
    for message in messages:
        template.add(message)
    return template


GOOD = {"fr": "La dotation {number}", "ar": "المنحة {number}", "en": "Grant {number}"}


def test_check_fails_on_untranslated_fuzzy_or_broken_placeholders(tmp_path: Path) -> None:
    template = _template("Grant {number}", "Programme", ("{n} grant", "{n} grants"))
    entries: dict[str, dict[str, object]] = {
        "Grant {number}": {"fr": "La dotation {numero}", "ar": "المنحة", "en": "Grant {number}"},
        "Programme": {"fr": "Programme", "ar": "البرنامج", "en": "Programme", "fuzzy": "ar"},
        "{n} grant": {
            "fr": ["{n} dotation", "{n} dotations"],
            "ar": ["", "", "", "", "", ""],
            "en": ["{n} grant", "{count} grants"],
        },
    }
    found = problems(_catalogs(tmp_path, template, entries), template)
    assert "fr: placeholders of 'Grant {number}': ['{numero}'] instead of ['{number}']" in found
    assert "ar: placeholders of 'Grant {number}': [] instead of ['{number}']" in found
    assert "ar: fuzzy 'Programme'" in found
    assert "ar: untranslated '{n} grant'" in found
    assert "en: placeholders form 1 of '{n} grant': ['{count}'] instead of ['{n}']" in found
    assert len(found) == 5


def test_check_fails_when_the_source_has_a_string_the_catalogs_lack(tmp_path: Path) -> None:
    template = _template("Grant {number}")
    directory = _catalogs(tmp_path, template, {"Grant {number}": GOOD})
    newer = _template("Grant {number}", "Handover certificate")
    found = problems(directory, newer)
    assert "messages.pot lacks 'Handover certificate'" in found
    assert {"fr: missing 'Handover certificate'", "ar: missing 'Handover certificate'"} <= set(found)
    assert not problems(directory, template)


def test_todo_and_fill_round_trip(tmp_path: Path) -> None:
    template = _template("Grant {number}", "Programme")
    directory = _catalogs(tmp_path, template, {"Grant {number}": GOOD})
    entries = todo(directory)
    assert entries == [{"msgid": "Programme", "fr": "", "ar": "", "en": "Programme"}]
    entries[0].update(fr="Programme", ar="البرنامج")
    assert fill(entries, directory) == 3
    assert not problems(directory, template)
    assert read_catalog(po_path("ar", directory), "ar").get("Programme").string == "البرنامج"


def test_extraction_finds_contexts_and_plurals() -> None:
    template = extract()
    assert template.get("Closed", "grant status") is not None
    assert template.get("Completed", "programme status") is not None
    plural = template.get("{count} member and a grant for {code}")
    assert plural is not None and plural.pluralizable


def test_arabic_has_six_plural_forms_in_cldr_order() -> None:
    arabic = load_catalog("ar")
    forms = {
        n: arabic.ngettext("{count} member and a grant for {code}", "", n) for n in (0, 1, 2, 3, 11, 100)
    }
    assert forms[1].startswith("عضو واحد") and forms[2].startswith("عضوان")
    assert forms[3].startswith("{count} أعضاء") and forms[11].startswith("{count} عضوًا")
    assert forms[100].startswith("{count} عضو ")
    assert "{count}" not in forms[0]
    header = po_path("ar").read_text("utf-8")
    assert "nplurals=6;" in header and "n%100>=11 ? 4 : 5" in header


def test_status_labels_agree_with_their_noun() -> None:
    assert all(member.label for cls in LabelledEnum.__subclasses__() for member in cls)
    assert ProgrammeStatus.CLOSED.label == "Completed" and GrantStatus.CLOSED.label == "Closed"
    set_language("fr")
    assert GrantStatus.CLOSED.label == "Clôturée" and ProgrammeStatus.CLOSED.label == "Achevé"
    assert pgettext("grant status", "Validated") == "Validée"
    set_language("ar")
    assert GrantStatus.CANCELLED.label == "ملغاة"
    assert GrantStatus.CLOSED.label_in("fr") == "Clôturée" and Sex.FEMALE.label_in("en") == "Woman"
    assert translate_in("fr", "Completed", "programme status") == "Achevé"
    assert GrantStatus.CANCELLED.label == "ملغاة"  # the current language did not change


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_compiled_and_in_memory_catalogs_agree(tmp_path: Path, lang: str) -> None:
    shutil.copytree(TRANSLATIONS_DIR, tmp_path, dirs_exist_ok=True)
    for mo in tmp_path.rglob("*.mo"):
        mo.unlink()
    from_po = load_catalog(lang, tmp_path)
    compile_all(tmp_path)
    assert po_path(lang, tmp_path).with_suffix(".mo").is_file()
    load_catalog.cache_clear()
    from_mo = load_catalog(lang, tmp_path)
    for message in ("Name", "“{cin}” is not a valid CIN: one or two letters followed by 1 to 6 digits."):
        assert from_mo.gettext(message) == from_po.gettext(message) != message
    assert from_mo.pgettext("grant status", "Closed") == from_po.pgettext("grant status", "Closed")


def test_an_edited_po_wins_over_an_older_mo(tmp_path: Path) -> None:
    shutil.copytree(TRANSLATIONS_DIR, tmp_path, dirs_exist_ok=True)
    compile_all(tmp_path)
    po = po_path("fr", tmp_path)
    po.write_text(po.read_text("utf-8").replace('msgstr "Nom"', 'msgstr "Nom de famille"'), "utf-8")
    os.utime(po.with_suffix(".mo"), (1, 1))
    load_catalog.cache_clear()
    assert load_catalog("fr", tmp_path).gettext("Last name") == "Nom de famille"


def test_placeholders_of_both_styles() -> None:
    assert placeholders("“{cin}” is not valid ({n:,} rows, {{literal}})") == {"{cin}", "{n}"}
    assert placeholders("invalid choice: %(value)r (choose from %(choices)s)") == {"%(value)", "%(choices)"}
    assert placeholders("unrecognized arguments: %s") == {"%1"}
    assert placeholders("10 % des femmes, 42\xa0%") == set()


def _formatted_before_translation(node: ast.Call) -> bool:
    """`_(f"…")`, `_("…".format(…))`, `_("…" % x)` or `_("a" + b)`: the catalog can never match."""
    return any(
        isinstance(arg, ast.JoinedStr | ast.BinOp)
        or (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format")
        for arg in node.args
    )


def test_no_message_is_formatted_before_it_is_translated() -> None:
    keywords = {"_", "N_", "NC_", "ngettext", "pgettext", "npgettext", "translate_in"}
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in keywords
                and _formatted_before_translation(node)
            ):
                offenders.append(f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}")
    assert not offenders, "format after translating: _('… {x}').format(x=…), at " + ", ".join(offenders)


def test_pseudo_locale_marks_every_translated_text_and_keeps_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KSM_PSEUDO_LOCALE", "1")
    set_language("fr")
    text = _("No grant has the number “{number}”.").format(number="KSM-2026-0001")
    assert text.startswith("⟦Ñö gràñt") and "KSM-2026-0001" in text and text.endswith("·⟧")
    assert GrantStatus.CLOSED.label.startswith("⟦Çlöšéd")
    assert "%(value)r" in pseudo("invalid choice: %(value)r") and len(pseudo("x" * 30)) > 40
    monkeypatch.delenv("KSM_PSEUDO_LOCALE")
    set_language("fr")
    assert _("Name") == "Nom"
