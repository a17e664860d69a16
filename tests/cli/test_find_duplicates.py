"""find-duplicates: the same person registered twice under two spellings, scored with reasons."""

from __future__ import annotations

import json

import pytest

from ksm_desktop.cli import main
from ksm_desktop.services import Services
from ksm_desktop.services.dto import PersonInput


def _registry(services: Services) -> dict[str, int]:
    province = services.locations.by_level("province")[0].id
    tendrara = services.locations.add("commune", "Tendrara", province).id
    bouarfa = services.locations.add("commune", "Bouarfa", province).id
    douar = services.locations.add("douar", "Ouled Sidi Ali", tendrara).id
    people = {
        "benali": PersonInput(
            "Mohamed", "Benali", "M", cin="AB123456", birth_year=1980, location_id=douar, phone="0661234567"
        ),
        # the same man registered again in Arabic and another spelling, two CIN digits swapped
        "ben ali": PersonInput(
            "Mohammed",
            "Ben Ali",
            "M",
            full_name_ar="محمد بن علي",
            cin="AB123465",
            birth_year=1980,
            location_id=douar,
        ),
        # a namesake: another commune, another generation, his own CIN
        "namesake": PersonInput(
            "Mohamed", "Benali", "M", cin="FB998877", birth_year=1955, location_id=bouarfa
        ),
        "alaoui": PersonInput("Fatima", "Alaoui", "F", birth_year=1990, location_id=douar),
        "alami": PersonInput("Fatima", "Alami", "F", birth_year=1990, location_id=douar),
        "fatiha": PersonInput("Fatiha", "Alaoui", "F", birth_year=1990, location_id=douar),
    }
    return {key: services.persons.create(p).id for key, p in people.items()}


def test_find_duplicates_json_lists_the_pair_with_its_score_and_reasons(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _registry(services)
    assert main([*db_args, "find-duplicates", "--json"]) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert [(p["a"], p["b"]) for p in pairs] == [(ids["benali"], ids["ben ali"])]
    assert pairs[0]["score"] >= 0.95
    assert set(pairs[0]["reasons"]) == {"same_name", "same_birth_year", "same_douar", "cin_near_miss"}
    # a lower threshold shows the weaker candidates too, still without the namesake of 1955
    assert main([*db_args, "find-duplicates", "--json", "--min-score", "0.05"]) == 0
    weaker = {(p["a"], p["b"]) for p in json.loads(capsys.readouterr().out)}
    assert (ids["benali"], ids["ben ali"]) in weaker
    assert not {ids["namesake"]} & {i for pair in weaker for i in pair}


def test_find_duplicates_table_in_french_and_bad_score_refused(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _registry(services)
    assert main([*db_args, "--lang", "fr", "find-duplicates"]) == 0
    out = capsys.readouterr().out
    assert "Mohamed Benali" in out and "Mohammed Ben Ali" in out
    assert "même année de naissance" in out and "1 doublon probable." in out
    assert main([*db_args, "--lang", "fr", "find-duplicates", "--min-score", "2"]) == 2
    assert "le score minimal doit être un nombre compris entre 0 et 1" in capsys.readouterr().err


def test_mark_different_removes_the_pair_from_find_duplicates(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _registry(services)
    assert main([*db_args, "mark-different", str(ids["ben ali"]), str(ids["benali"])]) == 0
    assert "recorded as different persons" in capsys.readouterr().out
    assert main([*db_args, "mark-different", str(ids["benali"]), str(ids["ben ali"])]) == 0
    assert "already recorded" in capsys.readouterr().out
    assert main([*db_args, "find-duplicates", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([*db_args, "mark-different", str(ids["benali"]), "99999"]) != 0
    assert "Unknown person" in capsys.readouterr().err
