"""The dashboard page: figures from the service, filters, and clicks that open filtered lists."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.dashboard_page import DashboardPage


def shown(qtbot: QtBot, services: Services) -> DashboardPage:
    page = DashboardPage(services.dashboard)
    qtbot.addWidget(page)
    page.resize(1200, 1000)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None and not page.busy, timeout=15_000)
    return page


def test_cards_show_the_demo_figures(qtbot: QtBot, demo: Services) -> None:
    page = shown(qtbot, demo)
    assert page.cards["organisations"].value.text() == "33"
    assert page.cards["members"].value.text() == "88"
    assert "57 women" in page.cards["members"].detail.text()
    # 921 people declared on grants + the 1,072 members of the 175 AQUA-NOOR families equipped
    assert page.cards["beneficiaries"].value.text() == "1,993"
    assert "505,650.00" in page.cards["grants"].value.text()
    assert "363 grants" in page.cards["grants"].detail.text()
    assert all(view.chart() is not None for view in page.views)


def test_programme_filter_recomputes(qtbot: QtBot, demo: Services) -> None:
    page = shown(qtbot, demo)
    index = next(
        i for i in range(page.programme.count()) if page.programme.itemText(i).startswith("AQUA-NOOR")
    )
    with qtbot.waitSignal(page.refreshed, timeout=15_000):
        page.programme.setCurrentIndex(index)
    assert page.cards["organisations"].value.text() == "11"
    assert "440,450.00" in page.cards["grants"].value.text()


def test_clicks_open_filtered_lists(qtbot: QtBot, demo: Services) -> None:
    page = shown(qtbot, demo)
    with qtbot.waitSignal(page.open_list) as blocker:
        page.cards["grants"].clicked.emit()
    assert blocker.args == ["grants", {"live": True}]  # the grants the card counts: not cancelled
    series = page.views[0].chart().series()[0]
    draft = series.barSets()[0]
    with qtbot.waitSignal(page.open_list) as blocker:
        series.clicked.emit(0, draft)
    assert blocker.args == ["grants", {"status": "draft"}]
    pie = page.views[4].chart().series()[0]
    with qtbot.waitSignal(page.open_list) as blocker:
        pie.clicked.emit(pie.slices()[0])
    assert blocker.args == ["members", {"member": True, "sex": "F"}]


def test_period_filter(qtbot: QtBot, demo: Services) -> None:
    page = shown(qtbot, demo)
    with qtbot.waitSignal(page.refreshed, timeout=15_000):
        page.date_to.setDate(page.date_to.date().addDays(-1))
        page.date_from.setDate(page.date_to.date().addDays(-30))
        page.period.setChecked(True)
    assert page.cards["beneficiaries"].value.text() == "0"


def test_counts_agree_with_their_number_in_every_language() -> None:
    from ksm_desktop.domain.enums import OrgKind
    from ksm_desktop.i18n import set_language
    from ksm_desktop.ui.dashboard_page import kind_count, women_and_men

    try:
        set_language("ar")
        assert kind_count(OrgKind.COOPERATIVE, 5) == "5 تعاونيات"
        assert kind_count(OrgKind.COOPERATIVE, 24) == "24 تعاونية"
        set_language("fr")
        assert kind_count(OrgKind.ASSOCIATION, 24) == "24 associations / OSC"
        assert kind_count(OrgKind.COOPERATIVE, 1) == "1 coopérative"
        assert women_and_men(57, 1) == "57 femmes · 1 homme"
        set_language("en")
        assert kind_count(OrgKind.DONOR, 3) == "3 donors"
    finally:
        set_language("en")


def test_programme_filter_offers_every_programme_by_code(qtbot: QtBot, demo: Services) -> None:
    page = shown(qtbot, demo)
    offered = [page.programme.itemText(i) for i in range(page.programme.count())]
    programmes = demo.programmes.search(ListQuery(limit=None, sort="code")).rows
    assert offered == ["All programmes", *(f"{p.code} – {p.name}" for p in programmes)]
    assert [page.programme.itemData(i) for i in range(1, page.programme.count())] == [
        p.id for p in programmes
    ]


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_chart_axes_group_thousands_as_the_cards_do(qtbot: QtBot, demo: Services, lang: str) -> None:
    """500 000 on a French axis, as on the French cards (Qt's own fr_MA would write 500.000)."""
    from ksm_desktop.i18n import set_language
    from ksm_desktop.i18n.formatting import format_decimal

    try:
        set_language(lang)
        page = shown(qtbot, demo)
        for view in page.views:
            chart = view.chart()
            assert chart.localizeNumbers()
            assert chart.locale().toString(500000) == format_decimal(500000)
    finally:
        set_language("en")
