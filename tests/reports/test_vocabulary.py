"""Every word a document prints is marked for extraction and has its French and Arabic."""

from __future__ import annotations

from ksm_desktop.i18n.catalogs import extract
from ksm_desktop.paths import PACKAGE_DIR
from ksm_desktop.reports.vocabulary import ARABIC, FRENCH


def test_document_msgids_are_extracted_and_translated() -> None:
    catalog = extract(PACKAGE_DIR / "reports")
    msgids = {m.id for m in catalog if m.id and isinstance(m.id, str)}
    documents_only = msgids - {m for m in msgids if "is “{status}”" in m or m.startswith("Programme {code}")}
    documents_only -= {m for m in msgids if m.startswith(("Cannot write", "{path} is a folder"))}
    assert "This sheet is closed at the sum of: {amount}." in msgids
    missing_fr = sorted(documents_only - FRENCH.keys())
    missing_ar = sorted(documents_only - ARABIC.keys())
    assert missing_fr == [] and missing_ar == []
    for msgid, text in [*FRENCH.items(), *ARABIC.items()]:
        assert set(_placeholders(msgid)) == set(_placeholders(text)), msgid


def _placeholders(text: str) -> list[str]:
    import string

    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]
