"""``techcheck``: the command line. A contract others script against:

exit status 0 ready, 1 ready with warnings, 2 not ready, 3 could not run (bad arguments,
unreadable profile or report, internal error). Progress goes to stderr, results to stdout.
Each sub-command lives in ``app/commands/<name>.py`` and registers itself with ``register``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from app import __version__

log = logging.getLogger("techcheck.cli")

EXIT_READY, EXIT_WARN, EXIT_NOT_READY, EXIT_CANNOT_RUN = 0, 1, 2, 3

#: Sub-command modules under ``app.commands``, in the order ``--help`` lists them.
COMMANDS = ["run", "devices", "profiles", "report", "compare", "invite", "history", "serve", "selftest"]


class UsageError(Exception):
    """Bad arguments: printed with the usage line, exit status 3."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2, which means "not ready"
        self.print_usage(sys.stderr)
        self.exit(EXIT_CANNOT_RUN, f"{self.prog}: error: {message}\n")


def build_parser() -> Parser:
    parser = Parser(
        prog="techcheck",
        description="Checks camera, microphone, speakers, connection and computer before a "
        "video interview. Without a command it opens the app.",
        epilog="Exit status: 0 ready, 1 ready with warnings, 2 not ready, 3 could not run.",
    )
    parser.add_argument("--version", action="version", version=f"techcheck {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"app.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not [a for a in args_list if a not in ("-v", "--verbose")]:
        return _no_command(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_CANNOT_RUN
    from app import logsetup

    logfile = logsetup.setup(verbose=args.verbose)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("techcheck: interrupted", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except Exception:  # the last line of defence: never a bare traceback for the user
        log.exception("internal error")
        where = f" Details are in the log: {logfile}" if logfile else ""
        print(f"techcheck: internal error.{where}", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _no_command(args_list: list[str]) -> int:
    """No command: the GUI when it is installed, otherwise a full check in the terminal."""
    try:
        gui = importlib.import_module("app.gui.main")
    except ImportError:
        return main([*args_list, "run"])
    return int(gui.main(args_list))


if __name__ == "__main__":
    sys.exit(main())
