"""``techcheck``: the command line. A contract others script against:

exit status 0 ready, 1 ready with warnings, 2 not ready, 3 could not run (bad arguments,
unreadable profile or report, internal error), 4 demo finished (sample media stood in for the
devices: nothing is said about them), as ``checks.model.ExitCode`` declares them. Progress goes
to stderr, results to stdout.
Each sub-command lives in ``app/commands/<name>.py`` and registers itself with ``register``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from techcheck.checks.model import ExitCode

log = logging.getLogger("techcheck.cli")

#: Usage errors, interruptions and internal errors (the README's exit-status table: ExitCode).
EXIT_CANNOT_RUN = ExitCode.COULD_NOT_RUN

#: Sub-command modules under ``techcheck.app.commands``, in the order ``--help`` lists them.
COMMANDS = ["run", "devices", "profiles", "report", "compare", "invite", "history", "serve", "selftest"]



class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would exit 2, which means "not ready"
        self.print_usage(sys.stderr)
        self.exit(EXIT_CANNOT_RUN, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> Parser:
    """The whole command line, or with ``only`` (a command's name, or "" for none) that one
    command's part: a command module imports what it runs (``run`` the checks, numpy, OpenCV),
    so ``techcheck report``, ``compare`` or ``--version`` load only their own (0.10 s instead of
    0.45 s to start; tests/app/test_cli_startup.py keeps it so)."""
    parser = Parser(
        prog="techcheck",
        description="Checks camera, microphone, speakers, connection and computer before a "
        "video interview. Without a command it opens the app.",
        epilog="Exit status: 0 ready, 1 ready with warnings, 2 not ready, 3 could not run, "
        "4 demo finished (sample media: nothing said about your devices).",
    )
    from techcheck.checks import version

    parser.add_argument("--version", action="version", version=f"techcheck {version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.set_defaults(gui_smoke=gui_smoke_hook())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        if only is None or name == only:
            importlib.import_module(f"techcheck.app.commands.{name}").register(sub)
    return parser


def command_named(args_list: list[str]) -> str | None:
    """The command ``args_list`` names, as ``build_parser(only=...)`` takes it: its name; ""
    for ``--version`` alone (no command needed); None (the whole parser) for anything else,
    so ``--help`` lists every command and a misspelt one is told the choices."""
    words = [a for a in args_list if not a.startswith("-")]
    if words:
        return words[0] if words[0] in COMMANDS else None
    return "" if "--version" in args_list and not {"-h", "--help"} & set(args_list) else None


def gui_smoke_hook() -> Callable[[], Any] | None:
    """The main window's part of ``selftest`` (``techcheck.app.gui.smoke``), or None without the GUI.

    Wired here, at the top of the app, because the commands sit below the GUI in the layers
    contract (pyproject.toml) and may not import it; the GUI is imported only when called."""
    try:
        if importlib.util.find_spec("techcheck.app.gui.smoke") is None:
            return None
    except (ImportError, ValueError):
        return None
    return lambda: importlib.import_module("techcheck.app.gui.smoke").gui_smoke()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not [a for a in args_list if a not in ("-v", "--verbose")]:
        return _no_command(args_list)
    if is_invitation_argument(args_list):  # `techcheck invite.toml`: open it in the app
        return _no_command(args_list)
    from techcheck.app.termtext import CleanStream

    # Reports, profiles, file names and arguments can carry terminal control codes: whatever
    # a command prints (usage errors and -v logging included) goes through
    # app.termtext.clean (issue 13).
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(out), CleanStream(err)
    try:
        return _command(args_list)
    finally:
        sys.stdout.flush()
        sys.stdout, sys.stderr = out, err


def _command(args_list: list[str]) -> int:
    parser = build_parser(only=command_named(args_list))
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_CANNOT_RUN
    from techcheck.app import logsetup

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


def is_invitation_argument(args_list: list[str]) -> bool:
    """One existing ``*.toml`` file, not a sub-command, that says it is a TechCheck invitation
    (the app validates it fully and shows what is wrong)."""
    rest = [a for a in args_list if a not in ("-v", "--verbose")]
    if (len(rest) != 1 or rest[0] in COMMANDS or not rest[0].lower().endswith(".toml")
            or not os.path.isfile(rest[0])):  # a FIFO named *.toml must not hang us
        return False
    try:
        with open(rest[0], "rb") as fh:
            return b"techcheck.invitation/" in fh.read(16 * 1024)
    except OSError:
        return False


def _no_command(args_list: list[str]) -> int:
    """No command: the app. Where its window cannot open (no desktop session, or an
    installation without the GUI) the whole check runs in the terminal instead, in demo mode
    when the computer has no camera and no microphone (with the invitation when one was given)."""
    flags = [a for a in args_list if a in ("-v", "--verbose")]
    files = [a for a in args_list if a not in flags]
    try:
        gui = importlib.import_module("techcheck.app.gui.main")
    except ImportError:
        reason = "the app's window is not part of this installation"
    else:
        reason = gui.no_display_problem(os.environ, sys.platform)
        if reason is None:
            return int(gui.main(args_list))
    from techcheck.app.commands.run import in_terminal

    return in_terminal(reason, files[0] if files else None, verbose=bool(flags))


if __name__ == "__main__":
    sys.exit(main())
