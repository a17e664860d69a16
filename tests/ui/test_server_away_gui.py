"""A save from a form while the database server has stopped answering: the window keeps being
painted while the connection waits for its timeout, then the form says which server cannot be
reached, and the same save goes through once the server answers again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from sqlalchemy.engine import make_url

from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog
from tests.conftest import PgServer
from tests.server_fakes import CuttableProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def office(pg_server: PgServer, pg_template: str) -> Iterator[tuple[Services, CuttableProxy]]:
    """Services on a server database reached through a relay the test can make hang."""
    name = pg_server.create(template=pg_template)
    url = make_url(pg_server.url(name))
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    services = Services(open_database(proxied), Actor("admin", "admin"))
    yield services, proxy
    proxy.cut()
    services.db.dispose()
    pg_server.drop(name)


def test_a_save_to_a_server_that_stopped_answering_does_not_freeze_the_window(
    qtbot: Any, office: tuple[Services, CuttableProxy]
) -> None:
    services, proxy = office
    dialog = OrganisationDialog(services, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Cooperative Malika")
    proxy.hang()
    ticks: list[int] = []
    timer = QTimer()  # stands for the window's painting: it runs on the GUI thread's event loop
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(50)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # returns once the save gave up
    timer.stop()
    assert "cannot be reached" in dialog.general_error.text() and not dialog.saved
    assert len(ticks) >= 5  # the event loop kept running while the connection waited
    proxy.restore()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved and dialog.general_error.isHidden()
    assert [o.name for o in services.organisations.search(ListQuery()).rows] == ["Cooperative Malika"]
