"""Documents and exported lists get the permissions of any file the user saves (the umask), not
the owner-only 0600 of the temporary file they were written to."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ksm_desktop.exchange.export import export_list
from ksm_desktop.reports import write_pdf
from ksm_desktop.services import ListQuery, Services

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_pdf_is_readable_by_others_as_the_umask_says(tmp_path: Path, umask_022: None) -> None:
    assert _mode(write_pdf(tmp_path / "fiche.pdf", b"%PDF-1.4\n")) == 0o644


def test_an_exported_list_is_readable_by_others_as_the_umask_says(
    demo: Services, tmp_path: Path, umask_022: None
) -> None:
    for name in ("dotations.xlsx", "dotations.csv"):
        export_list(demo, "grants", ListQuery(limit=None), tmp_path / name)
        assert _mode(tmp_path / name) == 0o644
