"""How a search typed in the members list finds persons: the words as typed, and other
spellings, phone numbers and CINs, through SQLite's trigram table when it is there."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, not_, or_

from ksm_desktop.db.models import Person
from ksm_desktop.db.search_index import TRIGRAM, all_of, any_of, matching, phrase
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.names import key_patterns
from ksm_desktop.domain.values import normalize_cin, phone_search_digits
from ksm_desktop.services.base import SEARCH_MAX_CHARS, search_words
from ksm_desktop.services.name_pages import Stream


def text_filters(text: str, indexed: bool) -> tuple[ColumnElement[bool], ColumnElement[bool]] | None:
    """(exact, found) for a search as typed: the persons whose search text holds every word, and
    those found any way (exact, or another spelling, phone or CIN); None for no search.

    With SQLite's trigram table (`indexed`), every word of three characters or more, the name-key
    patterns and the phone digits become one MATCH of the index, read without touching the persons
    table. A word of one or two characters has no trigram: it is matched on the column, which
    reads every row. That is kept on purpose, at any registry size: the first letters typed find
    the same people as before (the cost at 1,000,000 persons is in docs/benchmarks.md), and the
    third letter brings the search onto the index.
    """
    words = search_words(text)
    if not words:
        return None
    if not indexed:
        exact = and_(*[Person.search.contains(w, autoescape=True) for w in words])
        return exact, or_(exact, *_spelling_filters(text))
    short = [Person.search.contains(w, autoescape=True) for w in words if len(w) < TRIGRAM]
    whole, spelling = _matches(text)
    exact = and_(*([Person.id.in_(matching(whole))] if whole else []), *short)
    if whole is None or short:
        found = or_(exact, *([Person.id.in_(matching(spelling))] if spelling else []))
    else:
        found = Person.id.in_(matching(any_of([whole, spelling]) or whole))
    cin = _cin(text)
    return exact, or_(found, Person.cin == cin) if cin else found


def _matches(text: str) -> tuple[str | None, str | None]:
    """The MATCH expressions of the trigram table for a search: its words of three characters or
    more, and its other spellings (name-key patterns, phone digits)."""
    digits = phone_search_digits(text)
    spelling = any_of(
        [
            all_of([phrase("name_key", p.replace("%", "")) for p in key_patterns(text[:SEARCH_MAX_CHARS])]),
            phrase("phone", digits) if digits else None,
        ]
    )
    return all_of([phrase("search", w) for w in search_words(text) if len(w) >= TRIGRAM]), spelling


def text_streams(text: str, indexed: bool, as_typed_first: bool) -> list[Stream]:
    """The persons a search finds, in the order the list shows them: the name as typed, then its
    other spellings (phone, CIN…), or (not `as_typed_first`) all at once; each as its index finds
    them and as checked row by row, with (SQLite) trigram matches that tell a broad search."""
    served, walked = text_filters(text, indexed), text_filters(text, False)
    assert served is not None and walked is not None
    whole, spelling = _matches(text) if indexed else (None, None)
    if not as_typed_first:
        anyhow = any_of([whole, spelling]) if whole else None
        return [Stream(served[1], walked[1], matching(anyhow) if anyhow else None)]
    return [
        Stream(served[0], walked[0], matching(whole) if whole else None),
        Stream(
            and_(served[1], not_(served[0])),
            and_(walked[1], not_(walked[0])),
            matching(spelling) if spelling else None,
        ),
    ]


def _spelling_filters(text: str) -> list[ColumnElement[bool]]:
    """Other ways a search finds a person: the name in another spelling or script (name_key), a
    phone number typed as dialled, a CIN typed with spaces or dashes."""
    filters: list[ColumnElement[bool]] = []
    patterns = key_patterns(text[:SEARCH_MAX_CHARS])
    if patterns:
        filters.append(and_(*[Person.name_key.like(p) for p in patterns]))
    digits = phone_search_digits(text)
    if digits:
        filters.append(Person.phone.contains(digits))
    cin = _cin(text)
    if cin:
        filters.append(Person.cin == cin)
    return filters


def _cin(text: str) -> str | None:
    """The search as a CIN, when it is one."""
    try:
        return normalize_cin(text)
    except ValidationError:
        return None
