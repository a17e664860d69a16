"""Serial numbers from the command line: set on a line of a grant, shown and searched by `grants`."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ksm_desktop.cli import main
from ksm_desktop.services import Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_grant_serials_set_listed_and_searched(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    grant = services.grants.create(
        GrantInput(
            purpose="Atelier de couture",
            organisation_id=org,
            items=[GrantItemInput("Machine à coudre", Decimal(3), Decimal("520.00"))],
        )
    )
    services.grants.create(
        GrantInput(
            purpose="Four", organisation_id=org, items=[GrantItemInput("Four", Decimal(1), Decimal(900))]
        )
    )
    code, out, err = run(capsys, *db_args, "grant-serials", grant.number, "1", " SN-4471 ", "SN-4472")
    assert code == 0, err
    assert f"{grant.number}, line 1 (Machine à coudre): 2 serial numbers: SN-4471, SN-4472" in out

    code, out, err = run(capsys, *db_args, "grants", "--search", "sn-4472", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["number"], r["serials"]) for r in rows] == [(grant.number, ["SN-4471", "SN-4472"])]

    # Refused with the reason on stderr, nothing changed.
    code, out, err = run(capsys, *db_args, "grant-serials", grant.number, "1", "A", "B", "C", "D")
    assert code == 1 and "Line 1: 4 serial numbers for 3 pieces" in err
    code, out, err = run(capsys, *db_args, "grant-serials", grant.number, "7", "A")
    assert code == 1 and "has no line 7" in err
    assert services.grants.get(grant.id).items[0].serials == ("SN-4471", "SN-4472")
