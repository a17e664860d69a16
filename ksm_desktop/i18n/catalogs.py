"""Catalog maintenance with Babel: extract the marked strings, update the .po files, compile .mo.

python -m ksm_desktop.i18n.catalogs update   # messages.pot + fr/ar/en .po
python -m ksm_desktop.i18n.catalogs compile  # .mo files next to the .po files
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from ksm_desktop.i18n import DOMAIN, LANGUAGES
from ksm_desktop.paths import PACKAGE_DIR, TRANSLATIONS_DIR

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "translate_in": (2,)}
METHOD_MAP = [("**.py", "python")]


def extract(source: Path = PACKAGE_DIR) -> Catalog:
    """Every marked string under `source`, with its locations."""
    catalog = Catalog(project="KSM Desktop", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        source, METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(
            message, None, [(f"ksm_desktop/{filename}", lineno)], auto_comments=comments, context=context
        )
    return catalog


def po_path(lang: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, lang: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update(directory: Path = TRANSLATIONS_DIR) -> None:
    template = extract()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, width=100, omit_header=False, sort_output=True)
    for lang in LANGUAGES:
        path = po_path(lang, directory)
        if path.exists():
            catalog = read_catalog(path, lang)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=lang, project="KSM Desktop", charset="utf-8")
            catalog.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, ignore_obsolete=True)


def compile_all(directory: Path = TRANSLATIONS_DIR) -> None:
    for lang in LANGUAGES:
        path = po_path(lang, directory)
        if not path.exists():
            continue
        buf = BytesIO()
        write_mo(buf, read_catalog(path, lang), use_fuzzy=False)
        path.with_suffix(".mo").write_bytes(buf.getvalue())


def main(argv: list[str]) -> int:
    actions = {"update": update, "compile": compile_all}
    if len(argv) != 1 or argv[0] not in actions:
        print("usage: python -m ksm_desktop.i18n.catalogs update|compile", file=sys.stderr)
        return 2
    actions[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
