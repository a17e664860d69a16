"""The double-dipping report: who received under several programmes, or twice in one."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ksm_desktop.cli import main
from ksm_desktop.domain.enums import DoubleDipReason
from ksm_desktop.i18n import set_language
from ksm_desktop.services import Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, PersonInput, ProgrammeInput
from ksm_desktop.services.dto_fieldwork import HouseholdInput


def _grant(
    services: Services,
    programme: int | None,
    price: str,
    currency: str = "EUR",
    what: str = "Kit solaire",
    **to: int,
) -> int:
    items = [GrantItemInput(what, Decimal("1"), Decimal(price))]
    return services.grants.create(
        GrantInput(purpose="Kit", programme_id=programme, currency=currency, items=items, **to)
    ).id


def _portfolio(services: Services) -> dict[str, int]:
    aqua = services.programmes.create(ProgrammeInput("AQUA-NOOR", "Aqua-Noor")).id
    tamkin = services.programmes.create(ProgrammeInput("TAMKIN", "Tamkin")).id
    province = services.locations.by_level("province")[0].id
    commune = services.locations.add("commune", "Tendrara", province).id
    tribe = services.locations.add("douar", "Ouled Sidi Ali", commune).id
    ids = {
        "aicha": services.persons.create(PersonInput("Aïcha", "Ouali", "F", cin="FA100200")).id,
        "said": services.persons.create(PersonInput("Saïd", "Amrani", "M")).id,
        "once": services.persons.create(PersonInput("Hassan", "Idrissi", "M")).id,
        "equipped": services.persons.create(PersonInput("Itto", "Oulhaj", "F")).id,
    }
    household = services.households.create(HouseholdInput(head_id=ids["said"], size=6, location_id=tribe))
    # Aïcha: one grant under each programme (and a cancelled one that does not count)
    _grant(services, aqua, "100", person_id=ids["aicha"])
    _grant(services, tamkin, "1080", currency="MAD", person_id=ids["aicha"])
    cancelled = _grant(services, tamkin, "999", person_id=ids["aicha"])
    services.grants.transition(cancelled, "cancelled", note="doublon")
    # Saïd's family got a solar kit twice under AQUA-NOOR: through the household and in his name
    _grant(services, aqua, "500", household_id=household.id)
    _grant(services, aqua, "50", person_id=ids["said"])
    _grant(services, tamkin, "70", person_id=ids["once"])  # received once: not in the report
    # a latrine block and a solar kit in one programme: the programme's design, not a repeat
    _grant(services, aqua, "780", what="Bloc sanitaire", person_id=ids["equipped"])
    _grant(services, aqua, "590", what="KIT SOLAIRE", person_id=ids["equipped"])
    return ids | {"household": household.id}


def test_report_lists_who_received_more_than_once_and_why(services: Services) -> None:
    ids = _portfolio(services)
    rows = {r.person_id: r for r in services.double_dipping.report()}
    assert set(rows) == {ids["aicha"], ids["said"]}
    aicha = rows[ids["aicha"]]
    assert aicha.reasons == (DoubleDipReason.SEVERAL_PROGRAMMES,)
    assert aicha.programmes == ("AQUA-NOOR", "TAMKIN")
    assert len(aicha.grants) == 2  # the cancelled grant left out
    assert aicha.total_eur == Decimal("200.00")  # 100 € + 1,080 MAD at 10.8
    said = rows[ids["said"]]
    assert said.reasons == (DoubleDipReason.REPEATED_IN_PROGRAMME,)
    assert said.household is not None and said.total_eur == Decimal("550.00")


def test_excel_export_opens_with_the_rows(services: Services, tmp_path: Path) -> None:
    _portfolio(services)
    set_language("fr")
    path = tmp_path / "double.xlsx"
    assert services.double_dipping.export_xlsx(path) == 2
    sheet = openpyxl.load_workbook(path).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Bénéficiaire"
    names = {row[0] for row in values[1:]}
    assert names == {"Aïcha Ouali", "Saïd Amrani"}
    aicha = next(row for row in values[1:] if row[0] == "Aïcha Ouali")
    assert aicha[4] == "AQUA-NOOR, TAMKIN"
    assert "plusieurs programmes" in aicha[3]


def test_double_dipping_command(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _portfolio(services)
    assert main([*db_args, "double-dipping", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["person_id"]: r["reasons"] for r in rows} == {
        ids["aicha"]: ["several_programmes"],
        ids["said"]: ["repeated_in_programme"],
    }
    assert main([*db_args, "--lang", "fr", "double-dipping"]) == 0
    assert "2 bénéficiaires" in capsys.readouterr().out
