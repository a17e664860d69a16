"""SQLite files opened read-only through a URI (`file:…?mode=ro`), whatever their folder is called.

Written as `f"file:{path}?mode=ro"`, a folder named "KSM #2" cut the name at '#' and dropped the
read-only mode with it: the check at start, a backup's snapshot and the read-only window opened
(and created) an empty "KSM " beside the folder instead of the database, and '%' in a name
refused to open. Here every character is escaped as RFC 3986 and SQLite ask; Windows drive
letters and network shares (\\\\server\\share) keep their form.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

_DRIVE = re.compile(r"/[A-Za-z]:")


def read_only_uri(path: Path) -> str:
    """`file:` URI opening `path` read-only with sqlite3.connect(…, uri=True)."""
    text = path.absolute().as_posix()  # "/home/…", "C:/Users/…" or "//server/share/…"
    if not text.startswith("/"):
        text = "/" + text  # file:///C:/Users/…
    return "file://" + quote(text, safe="/:") + "?mode=ro"


def uri_path(uri: str) -> Path:
    """The file a `read_only_uri` names (the reverse)."""
    text = unquote(uri.removeprefix("file:").split("?", 1)[0])
    if text.startswith("///"):
        text = text[2:]
    if _DRIVE.match(text):
        text = text[1:]
    return Path(text)
