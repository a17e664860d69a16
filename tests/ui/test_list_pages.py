"""The list pages on the demo portfolio: rows, sort, search as you type, filters, counts, paging,
and the hooks that open forms and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from ksm_desktop.domain.enums import OrgKind, ProgrammeStatus
from ksm_desktop.services import ListQuery, Services, name_pages
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.ui import table_model
from ksm_desktop.ui.list_page import ListPage
from ksm_desktop.ui.list_specs import MEMBERS
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.workers import wait_for_jobs
from tests.ui.conftest import loaded


def page_of(window: MainWindow, name: str) -> ListPage:
    window.show_page(name)
    return window.list_page(name)


def column_texts(page: ListPage, column: int) -> list[str]:
    return [page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())]


@pytest.mark.parametrize(
    ("name", "noun"),
    [
        ("organisations", "organisations"),
        ("members", "people"),
        ("programmes", "programmes"),
        ("grants", "grants"),
    ],
)
def test_each_list_shows_the_demo_rows_and_their_count(
    window: MainWindow, qtbot: Any, name: str, noun: str
) -> None:
    services = window.services
    search = {
        "organisations": services.organisations.search,
        "members": services.persons.search,
        "programmes": services.programmes.search,
        "grants": services.grants.search,
    }[name]
    total = search(ListQuery(limit=None)).total
    assert total > 0
    page = loaded(qtbot, page_of(window, name))
    assert page.model.rowCount() == min(total, 200)  # the first page; the rest is fetched on scroll
    assert page.count_label.text() == f"{total:,} {noun}"


def test_enum_values_show_their_label_and_money_is_formatted(window: MainWindow, qtbot: Any) -> None:
    orgs = loaded(qtbot, page_of(window, "organisations"))
    assert "Cooperative" in column_texts(orgs, 2)
    assert "cooperative" not in column_texts(orgs, 2)
    grants = loaded(qtbot, page_of(window, "grants"))
    grants.search_edit.setText("Chems")
    qtbot.waitUntil(lambda: grants.model.rowCount() == 1, timeout=5000)
    assert "€36,000.00" in column_texts(grants, 6)


def test_header_click_asks_the_service_for_the_sort(window: MainWindow, qtbot: Any) -> None:
    page = loaded(qtbot, page_of(window, "members"))
    header = page.table.horizontalHeader()
    first_name = 1
    x = header.sectionViewportPosition(first_name) + header.sectionSize(first_name) // 2

    def click_and_check() -> bool:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        qtbot.waitUntil(lambda: page.model.query.sort == "first_name" and not page.model.loading)
        descending = page.model.query.descending
        expected = window.services.persons.search(ListQuery(sort="first_name", descending=descending))
        assert [r.id for r in page.model.rows] == [r.id for r in expected.rows]
        return descending

    first = click_and_check()
    assert click_and_check() is not first
    names = column_texts(page, first_name)
    assert names[0] != names[-1]


def test_search_filters_as_you_type_and_escape_clears(window: MainWindow, qtbot: Any) -> None:
    page = loaded(qtbot, page_of(window, "members"))
    expected = window.services.persons.search(ListQuery(text="naima")).total
    first_page = min(window.services.persons.search(ListQuery()).total, 200)
    assert 0 < expected < first_page
    qtbot.keyClicks(page.search_edit, "naima")
    qtbot.waitUntil(lambda: page.model.rowCount() == expected and not page.model.loading)
    assert all("Naima" in row.first_name for row in page.model.rows)
    assert page.count_label.text() == f"{expected} people"
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == ""
    qtbot.waitUntil(lambda: page.model.rowCount() == first_page)


def test_a_search_finding_very_many_says_more_than_until_scrolled_to_its_end(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(name_pages, "COUNT_CAP", 5)
    monkeypatch.setattr(table_model, "PAGE_SIZE", 4)
    page = loaded(qtbot, page_of(window, "members"))
    qtbot.keyClicks(page.search_edit, "a")
    qtbot.waitUntil(lambda: page.model.query.text == "a" and not page.model.loading)
    assert page.count_label.text() == "More than 5 people"
    everyone = [r.id for r in window.services.persons.search(page.model.export_query()).rows]
    assert len(everyone) > 8

    def scrolled_to_the_end() -> bool:
        page.table.scrollToBottom()
        return not page.count_label.text().startswith("More than")

    qtbot.waitUntil(scrolled_to_the_end, timeout=20_000)
    assert page.count_label.text() == f"{len(everyone)} people"
    assert [r.id for r in page.model.rows] == everyone


def test_stale_answers_are_discarded(window: MainWindow, qtbot: Any) -> None:
    page = loaded(qtbot, page_of(window, "members"))
    page.model.set_query(text="zzzz-nobody")
    page.model.set_query(text="")  # asked before the first answer arrives
    qtbot.waitUntil(lambda: not page.model.loading)
    assert wait_for_jobs()  # both answers computed…
    QCoreApplication.processEvents()  # …and both delivered: the stale one must have been dropped
    assert page.model.rowCount() == min(window.services.persons.search(ListQuery()).total, 200)


def choose(qtbot: Any, page: ListPage, key: str, text: str) -> None:
    combo = page.filter_combos[key]
    qtbot.waitUntil(lambda: combo.findText(text) >= 0)
    combo.setCurrentIndex(combo.findText(text))
    qtbot.waitUntil(lambda: not page.model.loading)


def test_filter_combos(window: MainWindow, qtbot: Any) -> None:
    orgs = loaded(qtbot, page_of(window, "organisations"))
    choose(qtbot, orgs, "kind", OrgKind.COOPERATIVE.label)
    assert {row.kind for row in orgs.model.rows} == {"cooperative"}
    assert orgs.count_label.text() == f"{len(orgs.model.rows)} organisations"
    choose(qtbot, orgs, "province_id", "Errachidia")
    assert orgs.model.rows and {row.province for row in orgs.model.rows} == {"Errachidia"}

    members = loaded(qtbot, page_of(window, "members"))
    malika = next(o for o in window.services.organisations.search(ListQuery(text="MALIKA")).rows)
    choose(qtbot, members, "organisation_id", f"{malika.name} ({malika.code})")
    assert members.model.rowCount() == malika.members
    choose(qtbot, members, "sex", "Woman")
    assert members.model.rowCount() == malika.women
    assert members.count_label.text() == f"{malika.women} people"

    grants = loaded(qtbot, page_of(window, "grants"))
    choose(qtbot, grants, "kind", "Equipment")
    assert {row.kind for row in grants.model.rows} == {"equipment"}
    choose(qtbot, grants, "status", "Cancelled")
    assert grants.model.rowCount() == 0
    assert grants.count_label.text() == "0 grants"

    programmes = loaded(qtbot, page_of(window, "programmes"))
    choose(qtbot, programmes, "status", ProgrammeStatus.CLOSED.label)
    assert {row.status for row in programmes.model.rows} == {"closed"}


def test_long_lists_are_fetched_page_by_page(services: Services, qtbot: Any) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Grande coopérative")).id
    people = [PersonInput(first_name="Amina", last_name=f"Test {i:03d}", sex="F") for i in range(450)]
    services.persons.bulk_create(people, organisation_id=org)
    page = ListPage(MEMBERS, services)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    assert page.model.rowCount() == 200
    assert page.count_label.text() == "450 people"
    assert page.model.canFetchMore()
    page.model.fetchMore()
    qtbot.waitUntil(lambda: page.model.rowCount() == 400)
    page.model.fetchMore()
    qtbot.waitUntil(lambda: page.model.rowCount() == 450)
    assert not page.model.canFetchMore()
    assert len({row.id for row in page.model.rows}) == 450


def test_double_click_enter_and_ctrl_n_open_the_editor(window: MainWindow, qtbot: Any, calls: Any) -> None:
    opened = calls("ksm_desktop.ui.forms", "open_editor", False)
    page = loaded(qtbot, page_of(window, "organisations"))
    first_id = page.model.rows[0].id
    rect = page.table.visualRect(page.model.index(0, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened[-1][0] == "organisation" and opened[-1][2] == first_id and opened[-1][3] is page

    grants = loaded(qtbot, page_of(window, "grants"))
    grants.table.setFocus()
    grants.table.setCurrentIndex(grants.model.index(1, 0))
    qtbot.keyClick(grants.table, Qt.Key.Key_Return)
    assert opened[-1][:3] == ("grant", window.services, grants.model.rows[1].id)

    page_of(window, "members")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened[-1][0] == "person" and opened[-1][2] is None


def test_a_saved_form_refreshes_the_list(window: MainWindow, qtbot: Any, calls: Any) -> None:
    page = loaded(qtbot, page_of(window, "programmes"))

    def editor(kind: str, services: Services, entity_id: int | None, parent: Any) -> bool:
        from ksm_desktop.services.dto import ProgrammeInput

        services.programmes.create(ProgrammeInput(code="NEW-1", name="Nouveau programme"))
        return True

    calls("ksm_desktop.ui.forms", "open_editor")
    import sys

    sys.modules["ksm_desktop.ui.forms"].open_editor = editor  # type: ignore[attr-defined]
    page.create_new()
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)
    assert page.count_label.text() == "6 programmes"


def test_export_hands_the_current_query_to_export_list(
    window: MainWindow, qtbot: Any, calls: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = calls("ksm_desktop.exchange.export", "export_list", 4)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    target = tmp_path / "liste"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "Excel workbook (*.xlsx)")
    )
    page = loaded(qtbot, page_of(window, "members"))
    page.search_edit.setText("ait")
    qtbot.waitUntil(lambda: page.model.query.text == "ait" and not page.model.loading)
    window.export_action.trigger()
    qtbot.waitUntil(lambda: bool(shown))
    services, kind, query, path = exported[-1]
    assert services is window.services and kind == "members"
    assert query == ListQuery(text="ait", sort="last_name", limit=None)
    assert path == tmp_path / "liste.xlsx"
    assert "4 rows written" in shown[-1]


def test_the_export_is_offered_under_the_list_name_in_french(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    import datetime as dt

    from ksm_desktop.i18n import set_language

    offered: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, _t, name, _f: offered.append(name) or ("", "")
    )
    set_language("fr")
    try:
        for name in ("grants", "members"):
            page_of(window, name).export()
    finally:
        set_language("en")
    today = dt.date.today().isoformat()
    assert offered == [f"dotations-{today}.xlsx", f"personnes-{today}.xlsx"]


def test_typing_another_spelling_or_script_finds_the_member(services: Services, qtbot: Any) -> None:
    services.persons.create(PersonInput(first_name="Zineb", last_name="Tazi", sex="F"))
    benali = services.persons.create(PersonInput(first_name="Mohammed", last_name="Benali", sex="M")).id
    page = ListPage(MEMBERS, services)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    assert page.model.rowCount() == 2
    qtbot.keyClicks(page.search_edit, "Muhammad Ben Ali")
    qtbot.waitUntil(lambda: page.search_edit.text() == "Muhammad Ben Ali" and page.model.rowCount() == 1)
    assert [row.id for row in page.model.rows] == [benali]
    qtbot.keyClick(page.search_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and not page.model.loading)
    arabic = QInputMethodEvent()  # what an Arabic keyboard layout sends: the composed text
    arabic.setCommitString("محمد بن علي")
    QApplication.sendEvent(page.search_edit, arabic)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.model.loading)
    assert (column_texts(page, 0), column_texts(page, 1)) == (["Benali"], ["Mohammed"])
