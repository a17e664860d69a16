"""Command line: the same entry point as the GUI (no command opens the window; `ksm-desktop` with
at most --db and --lang opens it without building these parsers: `ksm_desktop.app.launch_window`).

Exit codes: 0 success, 1 rejected input or failed check (reason on stderr), 2 usage error.
Each module of this package adds its sub-commands (`register`) and handles them.
"""

from __future__ import annotations

import argparse
import codecs
import importlib
import io
import sys
from collections.abc import Sequence

from ksm_desktop import version
from ksm_desktop.cli.core import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    Handler,
    Parser,
    UsageError,
    closing_databases,
    resolve_target,
    writing_lock,
)
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import LANGUAGES, N_, _, choose_language, set_language

# Each adds its commands in build_parser, imported then: opening the window needs none of them.
COMMAND_MODULES = ("records", "storage", "exchange", "documents", "security", "attachments")
# Commands that change a SQLite database take its instance lock first: refused while the window (or
# another command) has the file open, so nothing the window saves is lost to a restore or a clash.
WRITING_COMMANDS = frozenset(
    {
        "demo",
        "import-members",
        "restore",
        "user-add",
        "single-user",
        "person-anonymise",
        "merge-persons",
        "grant-serials",
        "mark-different",
        "undo-merge",
        "attach",
    }
)


# argparse's own words, translated through our catalogs: argparse looks `_` up in its module when
# it writes help and errors, so `main` points it at ours.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def build_parser() -> tuple[Parser, dict[str, Handler]]:
    parser = Parser(
        prog="ksm-desktop", description=_("KSM Desktop: organisations, members, programmes and grants.")
    )
    parser.add_argument("--version", action="version", version=f"KSM Desktop {version()}")
    parser.add_argument("--db", metavar="PATH", help=_("SQLite database file to use"))
    parser.add_argument("--db-url", metavar="URL", help=_("SQLAlchemy database URL (e.g. PostgreSQL)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and documents"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    handlers: dict[str, Handler] = {}
    for name in COMMAND_MODULES:
        handlers.update(importlib.import_module(f"ksm_desktop.cli.{name}").register(sub))
    return parser, handlers


def utf8_output() -> None:
    """Write UTF-8 whatever the console: on Windows a pipe or a file gets the ANSI code page, which
    garbles "Avançons" and "€" and cannot encode Arabic at all."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI or one command; returns the process exit code."""
    utf8_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Messages of the parser itself follow --lang too, so read it before building the parser.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    set_language(choose_language(known.lang if known.lang in LANGUAGES else None))
    setattr(argparse, "_", _)  # noqa: B010 (argparse's module global, read at call time)
    parser, handlers = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.db and args.db_url:
        print(_("Use either --db or --db-url, not both."), file=sys.stderr)
        return EXIT_USAGE
    try:
        target = resolve_target(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        from ksm_desktop.app import run_gui

        return run_gui(target.url, target.path)
    handler = handlers[args.command]
    try:
        with writing_lock(target, args.command in WRITING_COMMANDS), closing_databases():
            return handler(args, target)
    except KsmError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:  # output piped into a pager or `head` that stopped reading
        return EXIT_OK
    except OSError as exc:
        print(
            _("File error: {reason} ({path})").format(reason=exc.strerror, path=exc.filename), file=sys.stderr
        )
        return EXIT_REJECTED
