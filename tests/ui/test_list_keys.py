"""Every filter and sort key a list page sends is one its service knows; an unknown key is refused
instead of being ignored (the list would silently show every row, in the default order)."""

from __future__ import annotations

import pytest

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.fieldwork.pages import ACTIVITIES, HOUSEHOLDS
from ksm_desktop.ui.list_specs import LIST_SPECS

SPECS = (*LIST_SPECS, HOUSEHOLDS, ACTIVITIES)


@pytest.mark.sqlite_only  # the keys, not the engine
@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_every_key_a_list_sends_is_known_to_its_service(demo: Services, spec: object) -> None:
    from ksm_desktop.ui.list_specs import ListSpec

    assert isinstance(spec, ListSpec)
    search = spec.search(demo)
    for column in spec.columns():
        if column.sort:
            search(ListQuery(sort=column.sort, limit=1))
    for flt in spec.filters():
        search(ListQuery(filters={flt.key: None}, limit=1))
    with pytest.raises(ValueError, match="unknown list filter"):
        search(ListQuery(filters={"satus": "draft"}, limit=1))
    with pytest.raises(ValueError, match="unknown sort key"):
        search(ListQuery(sort="nmae", limit=1))
