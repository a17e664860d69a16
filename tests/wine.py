"""Windows Python under Wine (make windows-check): what Wine 8 cannot do that Windows does,
for the few tests that need it skipped there with the reason (docs/windows.md lists them)."""

from __future__ import annotations

import sys

import pytest


def _under_wine() -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")


UNDER_WINE = _under_wine()


def not_under_wine(reason: str) -> pytest.MarkDecorator:
    """Skip under Wine only: on Windows itself the test runs."""
    return pytest.mark.skipif(UNDER_WINE, reason=f"Wine 8: {reason}")
