"""Files the user keeps (PDFs, exported lists): written beside their target, then renamed."""

from __future__ import annotations

import os
import threading
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def give_usual_permissions(path: Path) -> None:
    """A temporary file is created readable by its owner only (0600); the document made from it
    gets the permissions any file the user saves has (0644 with the usual umask), so a colleague
    or a backup tool can read it."""
    with _UMASK_LOCK:  # the umask can only be read by setting it
        umask = os.umask(0o022)
        os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
