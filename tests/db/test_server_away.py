"""A database server that goes away while the program is open, or refuses it at start: a clear
message naming the server, nothing half-saved, and work resumes by itself when it is back."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from ksm_desktop.cli import main
from ksm_desktop.db.storage import open_database
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput
from tests.server_fakes import CuttableProxy, PasswordRefusingServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def server_db(pg_server, pg_template) -> Iterator[str]:
    name = pg_server.create(template=pg_template)
    yield pg_server.url(name)
    pg_server.drop(name)


def _names(services: Services) -> set[str]:
    return {row.name for row in services.organisations.search(ListQuery()).rows}


def test_a_cut_network_says_which_server_saves_nothing_and_work_resumes(server_db: str) -> None:
    url = make_url(server_db)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    office = Services(open_database(proxied), Actor("admin", "admin"))
    direct = Services(open_database(server_db), Actor("admin", "admin"))
    try:
        office.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
        proxy.cut()
        with pytest.raises(DatabaseError) as caught:
            office.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Aghrum"))
        assert f"127.0.0.1:{proxy.port}/{url.database} cannot be reached" in caught.value.message
        with pytest.raises(DatabaseError, match="cannot be reached"):
            office.organisations.search(ListQuery())
        assert _names(direct) == {"Coopérative Malika"}  # nothing half-saved
        proxy.restore()
        office.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Aghrum"))
        assert _names(office) == {"Coopérative Malika", "Coopérative Aghrum"}
    finally:
        proxy.cut()
        office.db.dispose()
        direct.db.dispose()


def test_an_unknown_database_or_a_closed_port_at_start_is_one_line(
    pg_server,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = pg_server.url("ksm_no_such_database")
    assert main(["--db-url", missing, "orgs"]) == 1
    err = capsys.readouterr().err.strip()
    assert "ksm_no_such_database does not exist on the server" in err and len(err.splitlines()) == 1
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    assert main(["--db-url", f"postgresql+psycopg://postgres@127.0.0.1:{closed}/ksm", "orgs"]) == 1
    err = capsys.readouterr().err.strip()
    assert f"127.0.0.1:{closed}/ksm cannot be reached" in err and len(err.splitlines()) == 1


def test_a_wrong_server_password_or_user_at_start_is_one_line(
    pg_server, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong password in the connection URL, none where the server wants one, or a user the
    server does not know: the server refused the login, said in one line that never shows the
    password (not "cannot be reached": the server is there)."""
    refusing = PasswordRefusingServer()
    try:
        for who in ("ksm:Secret-0042@", "ksm@"):
            assert (
                main(["--db-url", f"postgresql+psycopg://{who}127.0.0.1:{refusing.port}/office", "orgs"]) == 1
            )
            captured = capsys.readouterr()
            err = captured.err.strip()
            assert (
                err
                == f"The database server 127.0.0.1:{refusing.port}/office refused the user name or password."
            )
            assert captured.out == "" and "Secret-0042" not in err
        assert refusing.passwords == ["Secret-0042"]  # libpq sends none when the URL has none
    finally:
        refusing.close()
    unknown = make_url(pg_server.url("postgres")).set(username="ksm_nobody")
    assert main(["--db-url", unknown.render_as_string(hide_password=False), "orgs"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("refused the user name or password.") and len(err.splitlines()) == 1
