"""Is it the same person twice? A score for a pair of registered persons and the reasons for it,
and the pairs worth scoring in a whole registry (blocking, so 100,000 persons take seconds).

The name decides whether a pair is considered at all; the other facts move the score: the same
birth year, douar, phone or organisation raise it, a CIN one keystroke away from the other raises
it a lot, while a different sex, birth years far apart, another commune or two unrelated CINs
lower it (the same common name in two douars is two people).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations
from typing import Any

from ksm_desktop.domain.enums import DuplicateReason as Reason
from ksm_desktop.domain.names import name_tokens, names_similarity

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # a CIN's prefix: one or two letters before the digits


@dataclass(frozen=True)
class PersonFacts:
    """What the comparison uses of a person; names as sorted skeletons (see `of`)."""

    id: int
    latin: tuple[str, ...]
    arabic: tuple[str, ...] = ()
    sex: str | None = None
    birth_year: int | None = None
    douar: int | None = None
    commune: int | None = None
    phone: str | None = None
    cin: str | None = None
    organisations: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls, id: int, first: str | None, last: str | None, arabic: str | None, **facts: Any
    ) -> PersonFacts:
        """The facts of a person from their names as written."""
        return cls(id, _sorted_tokens(first, last), _sorted_tokens(arabic), **facts)

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(self.latin + self.arabic)


@lru_cache(maxsize=1 << 16)
def _sorted_tokens(*names: str | None) -> tuple[str, ...]:
    """Names repeat across a registry: each distinct one is reduced once."""
    return tuple(sorted(name_tokens(*names)))


@dataclass(frozen=True)
class Candidate:
    a: int
    b: int
    score: float
    reasons: tuple[Reason, ...]


def cin_near_miss(a: str, b: str) -> bool:
    """Two different CINs that are one typing slip apart: a digit wrong, two neighbouring digits
    swapped, or the letters missing or different ("123456" / "AB123456")."""
    if a == b:
        return False
    da, db = a.lstrip(_LETTERS), b.lstrip(_LETTERS)
    if da == db:
        return True
    if len(da) != len(db):
        return False
    diff = [i for i, (x, y) in enumerate(zip(da, db, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    i, j = [*diff, 0, 0][:2]
    return len(diff) == 2 and j == i + 1 and da[i] == db[j] and da[j] == db[i]


# Every CIN letter prefix (one or two letters): a CIN typed with other letters is looked up among
# these; too many look-ups for each line of a big import.
_PREFIXES = (*_LETTERS, *(x + y for x in _LETTERS for y in _LETTERS))


def cin_slips(cin: str, any_letters: bool = False) -> set[str]:
    """The valid CINs one typing slip away from `cin` (see `cin_near_miss`), to look up by
    index: a digit wrong, two neighbouring digits swapped; with `any_letters`, the same digits
    under every other letter prefix too."""
    digits = cin.lstrip(_LETTERS)
    letters = cin[: len(cin) - len(digits)]
    found = {letters + digits[:i] + d + digits[i + 1 :] for i in range(len(digits)) for d in "0123456789"}
    found |= {
        letters + digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(len(digits) - 1)
    }
    if any_letters:
        found |= {p + digits for p in _PREFIXES}
    found.discard(cin)
    return found


def name_score(a: PersonFacts, b: PersonFacts) -> float:
    """The best agreement between any written form of the two names (Latin or Arabic)."""
    return _forms_score((a.latin, a.arabic), (b.latin, b.arabic))


@lru_cache(maxsize=1 << 18)
def _forms_score(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> float:
    """Computed once per pair of distinct names, however many persons bear them."""
    return max((names_similarity(list(x), list(y)) for x in a if x for y in b if y), default=0.0)


def pair_score(a: PersonFacts, b: PersonFacts) -> tuple[float, tuple[Reason, ...]]:
    """0–1: how likely `a` and `b` are the same person, and the facts that point that way."""
    similarity = name_score(a, b)
    reasons: list[Reason] = [Reason.SAME_NAME] if similarity == 1.0 else []
    if 0.75 <= similarity < 1.0:
        reasons.append(Reason.SIMILAR_NAME)
    evidence = 12.0 * (similarity - 0.9)
    if a.sex and b.sex and a.sex != b.sex:
        evidence -= 4.0
    if a.birth_year and b.birth_year:
        gap = abs(a.birth_year - b.birth_year)
        if gap == 0:
            evidence += 1.5
            reasons.append(Reason.SAME_BIRTH_YEAR)
        elif gap == 1:
            evidence += 0.5
            reasons.append(Reason.CLOSE_BIRTH_YEAR)
        else:
            evidence -= 1.5 if gap <= 3 else 4.0
    if a.douar and a.douar == b.douar:
        evidence += _weigh(True, True, Reason.SAME_DOUAR, 1.5, 0.0, reasons)
    else:
        evidence += _weigh(
            bool(a.commune and b.commune), a.commune == b.commune, Reason.SAME_COMMUNE, 0.5, 3.0, reasons
        )
    evidence += _weigh(bool(a.phone and b.phone), a.phone == b.phone, Reason.SAME_PHONE, 3.0, 0.5, reasons)
    near = bool(a.cin and b.cin and cin_near_miss(a.cin, b.cin))
    evidence += _weigh(bool(a.cin and b.cin), near, Reason.CIN_NEAR_MISS, 3.0, 3.0, reasons)
    if a.organisations & b.organisations:
        evidence += 1.0
        reasons.append(Reason.SAME_ORGANISATION)
    return 1.0 / (1.0 + math.exp(-evidence)), tuple(reasons)


def _weigh(
    known: bool, agree: bool, reason: Reason, plus: float, minus: float, reasons: list[Reason]
) -> float:
    """The weight of one fact both records hold: `plus` (and the reason) when they agree, else
    `-minus`; nothing when either record lacks it."""
    if not known:
        return 0.0
    if agree:
        reasons.append(reason)
        return plus
    return -minus


BLOCK_LIMIT = 60  # a bigger phone or CIN block (an office phone given for everyone) is split too


def _blocking_keys(p: PersonFacts) -> Iterator[str]:
    for form in (p.latin, p.arabic):
        if form:
            yield "n:" + " ".join(sorted(form))
    if p.phone:
        yield "p:" + p.phone
    if p.cin:  # the same digits, letters forgotten or mistyped (other slips meet by name)
        yield "c:" + p.cin.lstrip(_LETTERS)


def candidate_pairs(people: Iterable[PersonFacts]) -> set[tuple[int, int]]:
    """Pairs (smaller id first) worth scoring: the same name key born within a year of each other
    (or a birth year unknown), the same phone, or the same CIN digits.

    A namesake born two or more years apart scores under 0.8 on name and place alone; with the
    same phone or a CIN slip the pair still meets in those blocks.
    """
    blocks: dict[str, list[PersonFacts]] = defaultdict(list)
    for person in people:
        for key in set(_blocking_keys(person)):
            blocks[key].append(person)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        by_name = key.startswith("n:")
        split = by_name or len(members) > BLOCK_LIMIT
        for group in _by_birth_year(members) if split else [members]:
            for x, y in combinations(group, 2):
                # a shared phone or a CIN slip counts only between names with a word in common
                if by_name or x.words & y.words:
                    pairs.add((x.id, y.id) if x.id < y.id else (y.id, x.id))
        for x in (p for p in members if not p.birth_year) if split else ():
            for y in members:
                if x.id != y.id:
                    pairs.add((x.id, y.id) if x.id < y.id else (y.id, x.id))
    return pairs


def _by_birth_year(members: list[PersonFacts]) -> Iterator[list[PersonFacts]]:
    """Groups of persons born the same year or the year after (each pair of close years once)."""
    by_year: dict[int, list[PersonFacts]] = defaultdict(list)
    for p in members:
        if p.birth_year:
            by_year[p.birth_year].append(p)
    for year, born in by_year.items():
        yield born + by_year.get(year + 1, [])


def find_duplicates(people: Iterable[PersonFacts], min_score: float = 0.8) -> list[Candidate]:
    """The likely duplicates of a registry, best first."""
    by_id = {p.id: p for p in people}
    found: list[Candidate] = []
    for a, b in candidate_pairs(by_id.values()):
        score, reasons = pair_score(by_id[a], by_id[b])
        if score >= min_score:
            found.append(Candidate(a, b, round(score, 3), reasons))
    found.sort(key=lambda c: (-c.score, c.a, c.b))
    return found
