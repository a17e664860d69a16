"""Developer tools with Qt, not used by the program itself: `make screenshots`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def output_folder(argv: Sequence[str], prog: str, description: str) -> Path:
    """The folder a screenshot tool writes to (docs/screenshots unless given); `--help` explains,
    an unknown option is refused (exit 2) rather than taken for a folder name."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("folder", nargs="?", type=Path, default=Path("docs/screenshots"))
    folder: Path = parser.parse_args(list(argv)).folder
    return folder
