"""PySide6 looks into every module imported after it, to know which ones may use its opt-in
`from __feature__ import snake_case` syntax: it asks `inspect.getsource` for the module's text and
searches it for "PySide6". Through linecache and tokenize that costs about a fifth of the time it
takes to import SQLAlchemy, the models and the services behind the window (measured: 110 of 560 ms
of processor time). `quicken_pyside_imports` gives PySide the same answer from the file's bytes.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"  # where PySide keeps the check (PySide6 6.4 and later)
CHECK = "_mod_uses_pyside"


def quicken_pyside_imports() -> None:
    """Import PySide6 and quicken its check, before importing our modules (each pays for the check);
    nothing changes if this PySide has no such check."""
    import PySide6  # noqa: F401  (loads the check)

    feature = sys.modules.get(FEATURE_MODULE)
    original: Callable[[ModuleType], bool] | None = getattr(feature, CHECK, None)
    if original is None or hasattr(original, "__wrapped__"):
        return

    @functools.wraps(original)
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:  # open(), not pathlib: half the time, over the 8 MB of source read before the figures
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass  # no source file (a frozen program): PySide's own check says so
        return bool(original(module))

    setattr(feature, CHECK, uses_pyside)  # a module global PySide reads at each import
