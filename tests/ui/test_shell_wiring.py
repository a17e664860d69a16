"""The shell wiring: dashboard clicks, sign-in, one instance per file, automatic backups, admin
menus, the users dialog and the real export."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from ksm_desktop.db.backups_policy import AutoBackup, backups_in, last_change
from ksm_desktop.db.recovery import InstanceLock
from ksm_desktop.domain.errors import DatabaseError, PermissionDeniedError
from ksm_desktop.i18n.formatting import format_money
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput
from ksm_desktop.services.users import create_first_admin
from ksm_desktop.ui import startup
from ksm_desktop.ui.login_dialog import LoginDialog
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.users_dialog import NewUserDialog, UsersDialog
from ksm_desktop.ui.workers import wait_for_jobs
from tests.ui.conftest import loaded

PASSWORD = "a long password"


@pytest.fixture
def admin(demo: Services) -> Services:
    create_first_admin(demo.db, "amina", PASSWORD, "Amina Idrissi")
    return Services(demo.db, Actor("amina", "admin"))


def test_a_dashboard_click_opens_the_filtered_list(window: MainWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=15_000)
    year = int(next(g.key for g in window.dashboard.data.by_year if g.key))
    status = window.services.grants.search(ListQuery(filters={"year": year})).rows[0].status
    window.dashboard.open_list.emit("grants", {"status": status, "year": year})
    page = window.list_page("grants")
    assert window.current_list() is page
    qtbot.waitUntil(lambda: page.filter_combos["status"].currentData() == status, timeout=5000)
    qtbot.waitUntil(lambda: page.model.active and not page.model.loading)
    assert page.model.query.filters == {"status": status, "year": year}
    assert page.extra_chip.isVisible() and str(year) in page.extra_chip.text()
    assert not page.extra_chip.icon().pixmap(16, 16).isNull()  # its ✕ says a click clears it
    expected = window.services.grants.search(ListQuery(filters={"status": status, "year": year}))
    assert page.model.total == expected.total > 0
    page.extra_chip.click()  # the year filter removed, the status kept
    assert not page.extra_chip.isVisible()
    assert page.model.query.filters == {"status": status}


@pytest.mark.parametrize(
    ("chart", "groups", "key"), [(6, "by_sector", "sector"), (7, "by_province", "province_id")]
)
def test_a_sector_or_province_bar_lists_the_grants_it_sums(
    window: MainWindow, qtbot: Any, chart: int, groups: str, key: str
) -> None:
    """The list shows as many grants as the bar counts, persons' and households' grants included."""
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=15_000)
    totals = getattr(window.dashboard.data, groups)
    index = max(range(len(totals)), key=lambda i: (totals[i].key is not None, totals[i].count))
    group = totals[index]
    series = window.dashboard.views[chart].chart().series()[0]
    series.clicked.emit(index, series.barSets()[0])
    page = window.list_page("grants")
    assert window.current_list() is page
    value = group.id if key == "province_id" else group.key
    assert page.model.query.filters == {key: value, "live": True}
    qtbot.waitUntil(lambda: page.model.active and not page.model.loading, timeout=5000)
    assert page.model.total == group.count > 0
    if key == "province_id":  # shown in its combo once the provinces are loaded
        qtbot.waitUntil(lambda: page.filter_combos[key].currentData() == value, timeout=5000)
    else:
        assert str(value) in page.extra_chip.toolTip()
    assert page.extra_chip.isVisible() and "not cancelled" in page.extra_chip.toolTip()


def test_the_grants_card_lists_what_it_counts_in_the_period(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled grants and grants outside the period are in neither the card nor the list."""
    services = window.services
    assert services is not None
    draft = services.grants.search(ListQuery(filters={"status": "draft"})).rows[0]
    assert draft.grant_date is not None
    services.grants.transition(draft.id, "cancelled", note="doublon")
    dashboard = window.dashboard
    year = draft.grant_date.year
    with qtbot.waitSignal(dashboard.refreshed, timeout=15_000):
        dashboard.date_from.setDate(dt.date(year, 1, 1))
        dashboard.date_to.setDate(dt.date(year, 12, 31))
        dashboard.period.setChecked(True)
    counted = dashboard.data.grant_count
    dashboard.cards["grants"].clicked.emit()
    page = window.list_page("grants")
    qtbot.waitUntil(lambda: page.model.active and not page.model.loading, timeout=5000)
    assert page.model.total == counted > 0
    assert services.grants.search(ListQuery(filters={"year": year})).total == counted + 1  # the cancelled one
    assert "not cancelled" in page.extra_chip.toolTip() and str(year) in page.extra_chip.toolTip()
    assert window.minimumSizeHint().width() <= 1280  # still fits a small laptop screen, chip shown
    everything = services.grants.search(ListQuery(filters={"year": year})).total
    page.extra_chip.click()  # the dashboard's scope removed: every grant again
    qtbot.waitUntil(lambda: page.model.active and not page.model.loading, timeout=5000)
    assert page.model.total == services.grants.search().total >= everything


def test_the_members_card_and_the_list_it_opens_say_the_same_number(window: MainWindow, qtbot: Any) -> None:
    """The page lists every person (household heads, participants too) and says so; the card
    counts members of organisations and opens the page on exactly those."""
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=15_000)
    card = dashboard.cards["members"].value.text()
    dashboard.cards["members"].clicked.emit()
    page = window.list_page("members")
    assert window.current_list() is page and window.nav.currentItem().text() == "People"
    qtbot.waitUntil(lambda: page.filter_combos["member"].currentData() is True, timeout=5000)
    qtbot.waitUntil(lambda: page.model.active and not page.model.loading, timeout=5000)
    assert page.count_label.text() == f"{card} people"
    page.filter_combos["member"].setCurrentIndex(0)  # everyone: more than the members
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total > int(card), timeout=5000)


def test_a_card_click_carries_the_programme_filter(window: MainWindow, qtbot: Any) -> None:
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=15_000)
    dashboard.programme.setCurrentIndex(1)
    programme_id = dashboard.programme.currentData()
    dashboard.cards["organisations"].clicked.emit()
    page = window.list_page("organisations")
    assert window.current_list() is page
    assert page.model.query.filters == {"programme_id": programme_id}


@pytest.mark.sqlite_only  # the SQLite file and its instance lock
def test_the_shell_says_what_it_waits_for_then_shows_the_pages(admin: Services, qtbot: Any) -> None:
    """The window is up before the database: it says it checks the file, then fills in; closing
    releases the lock."""
    admin.users.set_single_user_mode(True)
    path = admin.db.path
    assert path is not None
    admin.db.dispose()
    shell = MainWindow()
    qtbot.addWidget(shell)
    shell.show()
    assert shell.services is None and not shell.nav.isEnabled() and not shell.refresh_action.isEnabled()
    opening = startup.Opening(shell, None, path)
    with qtbot.waitSignal(shell.ready, timeout=15_000):
        opening.start()
        assert shell.opening_label.text() == "Checking the database…"
        assert Path(f"{path}.lock").exists()
    assert shell.services is not None and shell.services.actor.username == "amina"
    assert shell.current_list() is None and shell.dashboard is not None  # the first page
    assert shell.nav.isEnabled() and shell.refresh_action.isEnabled()
    opening.close()
    assert not Path(f"{path}.lock").exists()


def _first_figures_on_screen(
    admin: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch, outcome: BaseException | None = None
) -> tuple[MainWindow, startup.Opening, threading.Event]:
    """Single-user mode, the window started on the file and its first figures shown, while the
    services' opening waits for the returned event (then fails with `outcome`, if given)."""
    admin.users.set_single_user_mode(True)
    path = admin.db.path
    assert path is not None
    admin.db.dispose()
    gate = threading.Event()
    opened = startup.open_off_screen

    def held(*args: Any) -> Any:
        assert gate.wait(30)
        if outcome is not None:
            raise outcome
        return opened(*args)

    monkeypatch.setattr(startup, "open_off_screen", held)
    shell = MainWindow()
    qtbot.addWidget(shell)
    shell.show()
    opening = startup.Opening(shell, None, path)
    with qtbot.waitSignal(shell.figures_shown, timeout=15_000):
        opening.start()
    return shell, opening, gate


@pytest.mark.sqlite_only  # read from the SQLite file before the services
def test_the_first_figures_are_shown_before_the_services_then_kept(
    admin: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Single-user mode: the dashboard's figures, as the services give them, while the services
    still load; the filters and the cards' lists wait for them; then the same page goes on."""
    expected, choices = admin.dashboard.figures(), admin.dashboard.programme_choices()
    shell, opening, gate = _first_figures_on_screen(admin, qtbot, monkeypatch)
    first = shell.dashboard
    assert shell.services is None and first is not None and shell.stack.currentWidget() is first
    assert first.data == expected
    assert first.cards["grants"].value.text() == format_money(expected.granted("EUR"), "EUR")
    assert not first.programme.isEnabled() and not first.period.isEnabled() and not shell.nav.isEnabled()
    first.cards["grants"].clicked.emit()  # the grants list needs the services: nothing yet
    assert shell.lists == {}
    with qtbot.waitSignal(shell.ready, timeout=15_000):
        gate.set()
    assert shell.services is not None and shell.dashboard is first and first.programme.isEnabled()
    qtbot.waitUntil(lambda: not first.busy, timeout=15_000)
    assert first.data == expected and first.programme.count() == 1 + len(choices)
    opening.close()


@pytest.mark.sqlite_only
def test_the_first_figures_give_way_to_the_message_when_opening_fails(
    admin: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell, opening, gate = _first_figures_on_screen(
        admin, qtbot, monkeypatch, DatabaseError("The disk is full.")
    )
    gate.set()
    qtbot.waitUntil(lambda: opening.failed, timeout=15_000)
    assert shell.stack.currentWidget() is shell.opening and shell.retry_button.isVisibleTo(shell)
    assert "The disk is full." in shell.opening_label.text()
    opening.close()


@pytest.mark.sqlite_only  # the SQLite file and its instance lock
def test_the_shell_opens_read_only_beside_another_instance(
    admin: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user chose "Open read-only" at the lock: no file check under the other instance's feet,
    a reader's session, nothing writable."""
    admin.users.set_single_user_mode(True)
    path = admin.db.path
    assert path is not None
    admin.db.dispose()
    checked: list[Path] = []
    monkeypatch.setattr(startup, "take_lock", lambda _path, _parent=None: (None, True))
    monkeypatch.setattr("ksm_desktop.db.recovery.check_at_start", lambda p, _b: checked.append(p))
    shell = MainWindow()
    qtbot.addWidget(shell)
    shell.show()
    opening = startup.Opening(shell, None, path)
    with qtbot.waitSignal(shell.ready, timeout=15_000):
        opening.start()
    assert checked == []
    assert shell.services is not None and not shell.services.actor.can_write
    with pytest.raises(PermissionDeniedError):
        shell.services.organisations.create(OrganisationInput(kind="cooperative", name="Nouvelle"))
    opening.close()


def test_sign_in_is_required_once_users_exist(
    admin: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[LoginDialog] = []
    monkeypatch.setattr(LoginDialog, "exec", lambda self: asked.append(self) or 0)
    assert startup.sign_in(admin.db) is None  # the dialog was shown and cancelled
    assert asked and not asked[0].first_run


def test_wrong_password_is_refused_and_right_one_signs_in(admin: Services, qtbot: Any) -> None:
    dialog = LoginDialog(admin.db)
    qtbot.addWidget(dialog)
    dialog.username.setText("amina")
    dialog.password.setText("not the password")
    dialog.submit()
    assert dialog.actor is None and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text().startswith("Wrong user name or password.")
    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.actor == Actor("amina", "admin")


def test_single_user_mode_skips_the_sign_in(admin: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LoginDialog, "exec", lambda self: pytest.fail("no dialog expected"))
    admin.users.set_single_user_mode(True)
    assert startup.sign_in(admin.db) == Actor("amina", "admin")


@pytest.mark.sqlite_only  # the SQLite file and its instance lock
def test_a_second_instance_is_told_and_may_only_read(
    admin: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = admin.db.path
    assert path is not None
    first = InstanceLock(path)
    first.acquire()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: told.append(self.text()) or 0)
    try:
        assert startup.take_lock(path) == (None, False)  # closed the message: quit
    finally:
        first.release()
    assert "already open" in told[0]
    reader_db, reader = startup.reopen_read_only(admin.db, Actor("amina", "admin"))
    try:
        assert reader.role == "readonly"
        with pytest.raises(PermissionDeniedError):
            Services(reader_db, reader).organisations.create(OrganisationInput(kind="association", name="X"))
    finally:
        reader_db.dispose()


@pytest.mark.sqlite_only  # backups of the SQLite file (restore included)
def test_the_backup_timer_copies_the_database_after_a_change(
    demo: Services, qtbot: Any, tmp_path: Path
) -> None:
    path = demo.db.path
    assert path is not None
    folder = tmp_path / "copies"
    demo.organisations.create(OrganisationInput(kind="association", name="Association Ifrane"))
    changed = last_change(path)
    assert changed is not None
    auto = AutoBackup(path, folder, clock=lambda: changed + dt.timedelta(minutes=10))
    scheduler = startup.BackupScheduler(auto)
    messages: list[str] = []
    scheduler.message.connect(messages.append)
    scheduler.tick()
    qtbot.waitUntil(lambda: not scheduler.busy, timeout=10_000)
    assert len(backups_in(folder, path)) == 1 and "Backup saved" in messages[0]
    scheduler.tick()  # nothing changed since: no second copy
    qtbot.waitUntil(lambda: not scheduler.busy, timeout=10_000)
    assert len(backups_in(folder, path)) == 1


@pytest.mark.sqlite_only  # backups of the SQLite file (restore included)
def test_a_failed_backup_is_a_status_message_not_a_crash(demo: Services, qtbot: Any, tmp_path: Path) -> None:
    path = demo.db.path
    assert path is not None
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    demo.organisations.create(OrganisationInput(kind="association", name="Association Azrou"))
    changed = last_change(path)
    assert changed is not None
    scheduler = startup.BackupScheduler(
        AutoBackup(path, blocker, clock=lambda: changed + dt.timedelta(hours=1))
    )
    messages: list[str] = []
    scheduler.message.connect(messages.append)
    scheduler.tick()
    qtbot.waitUntil(lambda: not scheduler.busy, timeout=10_000)
    assert messages and "automatic backup failed" in messages[0]


@pytest.mark.sqlite_only  # backups of the SQLite file (restore included)
def test_admin_actions_are_hidden_from_an_agent(window: MainWindow, admin: Services, qtbot: Any) -> None:
    assert window.services.actor.role == "agent"
    for action in (window.restore_action, window.audit_action, window.users_action):
        assert not action.isVisible()
    boss = MainWindow(admin)
    qtbot.addWidget(boss)
    for action in (boss.restore_action, boss.audit_action, boss.users_action):
        assert action.isVisible()
    assert "(Administrator)" in boss.user_label.text()


def test_the_users_dialog_adds_a_user(admin: Services, qtbot: Any) -> None:
    dialog = UsersDialog(admin)
    qtbot.addWidget(dialog)
    form = NewUserDialog(admin, dialog)
    form.username.setText("Youssef")
    form.full_name.setText("Youssef Amrani")
    form.password.setText("another long one")
    form.confirm.setText("another long on")
    form._ok()
    assert form.error.text() == "The two passwords differ." and form.result() != QDialog.DialogCode.Accepted
    form.confirm.setText("another long one")
    form._ok()
    assert form.result() == QDialog.DialogCode.Accepted
    dialog.reload(select="youssef")
    assert [u.username for u in dialog.users] == ["amina", "youssef"]
    assert dialog.selected() is not None and dialog.selected().role == "agent"
    dialog.role.setCurrentIndex(dialog.role.findData("readonly"))
    dialog.role_button.click()
    assert dialog.selected().role == "readonly"


def test_export_writes_a_real_workbook_from_the_grants_page(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    page = loaded(qtbot, window.list_page("grants"))
    target = tmp_path / "grants.xlsx"
    page.export_to(target)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    wait_for_jobs()
    rows = list(openpyxl.load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    total = window.services.grants.search(ListQuery(limit=1)).total
    assert any(isinstance(cell, str) and cell.startswith("KSM-") for cell in rows[-1])
    assert str(total) in shown[0].replace("\u202f", "").replace(",", "")
    assert len([r for r in rows if any(isinstance(c, str) and c.startswith("KSM-") for c in r)]) == total


@pytest.mark.sqlite_only  # a lock on the SQLite file
def test_a_database_locked_by_another_program_is_retried_never_moved(
    admin: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database browser holds the file: the shell says so with "Try again"; once the browser
    lets go, the same file opens. Nothing is renamed "damaged"."""
    import sqlite3

    from ksm_desktop.db import backup

    admin.users.set_single_user_mode(True)
    path = admin.db.path
    assert path is not None
    admin.db.dispose()
    monkeypatch.setattr(backup, "READ_TIMEOUT_S", 0.1)
    browser = sqlite3.connect(path, isolation_level=None)
    browser.execute("PRAGMA journal_mode = DELETE")
    browser.execute("BEGIN EXCLUSIVE")
    told: list[str] = []

    def close_the_browser_and_try_again(box: QMessageBox) -> int:
        told.append(box.text())
        browser.execute("ROLLBACK")
        next(b for b in box.buttons() if b.text() == "Try again").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", close_the_browser_and_try_again)
    shell = MainWindow()
    qtbot.addWidget(shell)
    shell.show()
    opening = startup.Opening(shell, None, path)
    try:
        with qtbot.waitSignal(shell.ready, timeout=30_000):
            opening.start()
    finally:
        browser.close()
    assert len(told) == 1 and "another program" in told[0]
    assert shell.services is not None and shell.services.organisations.search().total > 0
    assert not list(path.parent.glob("*.damaged-*"))
    opening.close()
