"""`python -m ksm_desktop` and the `ksm-desktop` script: the GUI, or a command.

A launch that only opens the window goes straight to it; the command line's parsers (every
command's options and help) are built only for a command, `--help` or a mistake."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    from ksm_desktop.app import launch_window

    code = launch_window(args)
    if code is None:
        from ksm_desktop.cli import main as cli_main

        code = cli_main(args)
    sys.exit(code)


if __name__ == "__main__":
    main()
