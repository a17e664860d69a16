"""`python -m ksm_desktop` and the `ksm-desktop` script: the GUI, or a command."""

from __future__ import annotations

import sys

from ksm_desktop.cli import main as cli_main


def main() -> None:
    sys.exit(cli_main())


if __name__ == "__main__":
    main()
