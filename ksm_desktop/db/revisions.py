"""The shipped migrations' revision graph, read from the version files' `revision` /
`down_revision` lines without importing Alembic or SQLAlchemy: opening a database already up to
date, and the first figures at start, only compare its head with the `alembic_version` table
(a test checks the graph against Alembic's own)."""

from __future__ import annotations

import re
from functools import cache

from ksm_desktop.paths import MIGRATIONS_DIR

_DECLARATION = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)


@cache
def revision_graph() -> dict[str, str | None]:
    """Each shipped revision and the one it follows (None for the first)."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found: dict[str, str] = {m[1]: m[2] for m in _DECLARATION.finditer(path.read_text("utf-8"))}
        if "revision" in found:
            down = found.get("down_revision", "None").strip("\"'")
            graph[found["revision"].strip("\"'")] = None if down == "None" else down
    return graph


def head_revision() -> str:
    graph = revision_graph()
    heads = set(graph) - set(graph.values())
    assert len(heads) == 1, f"the package must ship exactly one migration head, not {sorted(heads)}"
    return heads.pop()


def known_revisions() -> set[str]:
    return set(revision_graph())
