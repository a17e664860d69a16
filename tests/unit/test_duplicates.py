"""The duplicate scorer on a labelled set of pairs (tests/data/name_pairs.csv, built by
tests/data/build_name_pairs.py): true pairs are one person under two spellings or scripts, false
pairs are look-alike names or namesakes in another douar, generation or sex."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ksm_desktop.domain.duplicates import (
    PersonFacts,
    candidate_pairs,
    cin_near_miss,
    find_duplicates,
    pair_score,
)
from ksm_desktop.domain.enums import DuplicateReason

PAIRS = Path(__file__).parent.parent / "data" / "name_pairs.csv"
THRESHOLD = 0.8  # find-duplicates' default


def _facts(row: dict[str, str], side: str, pid: int) -> PersonFacts:
    def get(column: str) -> str:
        return row[f"{side}_{column}"]

    return PersonFacts.of(
        pid,
        get("first"),
        get("last"),
        get("ar"),
        sex=get("sex"),
        birth_year=int(get("year")) if get("year") else None,
        douar=int(get("douar")) if get("douar") else None,
        commune=int(get("commune")) if get("commune") else None,
        phone=get("phone") or None,
        cin=get("cin") or None,
    )


def _labelled() -> list[tuple[bool, PersonFacts, PersonFacts]]:
    with PAIRS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        (row["label"] == "1", _facts(row, "a", 2 * n), _facts(row, "b", 2 * n + 1))
        for n, row in enumerate(rows)
    ]


def test_the_labelled_set_is_big_enough_and_has_both_kinds() -> None:
    pairs = _labelled()
    assert len(pairs) >= 300
    assert 100 <= sum(label for label, _a, _b in pairs) <= len(pairs) - 100


def test_scorer_recall_and_precision_at_least_95_percent() -> None:
    pairs = _labelled()
    flagged = [(label, pair_score(a, b)[0] >= THRESHOLD) for label, a, b in pairs]
    true_pos = sum(1 for label, hit in flagged if label and hit)
    false_pos = sum(1 for label, hit in flagged if not label and hit)
    positives = sum(1 for label, _hit in flagged if label)
    recall, precision = true_pos / positives, true_pos / (true_pos + false_pos)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)


def test_blocking_puts_every_true_pair_in_front_of_the_scorer() -> None:
    pairs = _labelled()
    candidates = candidate_pairs([p for _label, a, b in pairs for p in (a, b)])
    missed = [(a.latin, b.latin) for label, a, b in pairs if label and (a.id, b.id) not in candidates]
    assert len(missed) <= 0.02 * len(pairs), missed


def test_find_duplicates_reports_reasons_best_first() -> None:
    pairs = _labelled()
    found = find_duplicates([p for _label, a, b in pairs for p in (a, b)], THRESHOLD)
    assert found == sorted(found, key=lambda c: -c.score)
    assert all(
        DuplicateReason.SAME_NAME in c.reasons or DuplicateReason.SIMILAR_NAME in c.reasons for c in found
    )


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("AB123456", "AB123457", True),  # one digit wrong
        ("AB123456", "AB124356", True),  # two neighbours swapped
        ("AB123456", "123456", True),  # letters forgotten
        ("AB123456", "BE123456", True),  # other letters
        ("AB123456", "AB654321", False),
        ("AB123456", "AB123", False),
        ("AB123456", "AB123456", False),  # the same CIN is not a slip
    ],
)
def test_cin_near_miss(a: str, b: str, near: bool) -> None:
    assert cin_near_miss(a, b) is near
