"""Render every document in every language (the programme report in a few) from the demo portfolio, as PDF and small PNGs, to look
at them (`make documents`; the PNGs are kept in docs/documents/).

python -m ksm_desktop.devtools.documents docs/documents
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.i18n import LANGUAGES
from ksm_desktop.services import Actor, Services


def grant_programme(services: Services) -> int:
    """AGR-ERR, the programme of the demo's four cooperative grants."""
    return services.programmes.get_by_code("AGR-ERR").id


def render_samples(out: Path) -> list[Path]:
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.demo.portfolio import load_demo
    from ksm_desktop.reports import (
        render_activity_attendance,
        render_grant_sheet,
        render_handover,
        render_member_list,
    )
    from ksm_desktop.reports.programme_report import render_programme_report
    from ksm_desktop.services import ListQuery
    from ksm_desktop.services.dto import DeliveryInput
    from ksm_desktop.services.settings import OrganisationProfile

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):  # a document with fewer pages than before leaves no stale page
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(
            open_database(path=Path(tmp) / "demo.sqlite3"), Actor("samples", AccountRole.ADMIN)
        )
        load_demo(services)
        services.settings.save_profile(
            OrganisationProfile(
                address="Avenue Moulay Ali Cherif, Errachidia",
                phone="0535 00 00 00",
                email="contact@ksm.example.org",
                signatory_name="Coordinateur KSM",
            )
        )
        grant = next(
            r
            for r in services.grants.search(ListQuery(text="Chems Almaghreb")).rows
            if "Chems" in r.recipient
        )
        services.grants.transition(grant.id, "validated")
        delivery = DeliveryInput(
            dt.date.today(), "Errachidia, siège de la coopérative", "Rachida Ait Baha", "ZZ100008"
        )
        services.grants.transition(grant.id, "delivered", delivery=delivery)
        malika = services.organisations.get_by_code("MALIKA").id
        # A draft (Malika's grant stays one) and a cancelled grant (Aghrum's), marked as such.
        rows = services.grants.search(ListQuery(filters={"programme_id": grant_programme(services)})).rows
        draft = next(r for r in rows if "Malika" in r.recipient)
        cancelled = next(r for r in rows if "Aghrum" in r.recipient)
        services.grants.transition(cancelled.id, "cancelled", note="Doublon de la demande de la coopérative")
        activity = max(services.activities.search(ListQuery(limit=None)).rows, key=lambda r: r.participants)
        for lang in LANGUAGES:
            documents = {
                "grant-sheet": render_grant_sheet(services, grant.number, lang),
                "grant-sheet-draft": render_grant_sheet(services, draft.number, lang),
                "grant-sheet-cancelled": render_grant_sheet(services, cancelled.number, lang),
                "handover": render_handover(services, grant.number, lang),
                "signature-list": render_member_list(services, malika, lang),
                "field-attendance": render_activity_attendance(services, activity.id, lang),
            }
            for name, pdf in documents.items():
                path = Path(tmp) / f"{name}-{lang}.pdf"
                path.write_bytes(pdf)
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "70", str(path), str(out / f"{name}-{lang}")], check=True
                )
        # Donor reports: three programmes in French (AQUA-NOOR's first pages only: its annex lists
        # 359 grants) and one in Arabic.
        for code, lang, pages in (
            ("AQUA-NOOR", "fr", 3),
            ("EA", "fr", 0),
            ("AGR-ERR", "fr", 0),
            ("AGR-ERR", "ar", 0),
        ):
            path = Path(tmp) / f"programme-report-{code.lower()}-{lang}.pdf"
            path.write_bytes(render_programme_report(services, code, lang))
            last = ["-l", str(pages)] if pages else []
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", *last, str(path), str(out / path.stem)], check=True
            )
        services.db.dispose()
    written = sorted(out.glob("*.png"))
    for png in written:  # a 64-colour palette keeps them readable and small enough to commit
        with Image.open(png) as image:
            small = image.convert("RGB").quantize(colors=64)
        small.save(png, optimize=True)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ksm_desktop.devtools.documents FOLDER", file=sys.stderr)
        return 2
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler-utils) is needed to make the PNGs", file=sys.stderr)
        return 1
    for path in render_samples(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
