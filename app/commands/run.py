"""``techcheck run``: run the checks in the terminal and write the report.

``techcheck run`` checks the devices the person names, or the system's: it never falls back to
demo media. Demo mode in the terminal is only for ``techcheck`` without a command on a
computer without a desktop session (``in_terminal``), and a report made that way says so.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from typing import Any

from techcheck.app import demo, logsetup
from techcheck.app import invitation as invitations
from techcheck.app.atomicfile import describe_write_error
from techcheck.app.commands import callpreview
from techcheck.app.commands.common import CommandError, fail, load, split_ids
from techcheck.app.commands.runargs import STDOUT, argument_problem
from techcheck.app.report import checklist, history, text
from techcheck.app.report.formats import RENDERERS, check_outputs, write_outputs
from techcheck.app.runsetup import RunSetup
from techcheck.checks import l10n, registry
from techcheck.checks.context import CancelToken, CheckContext, Devices, Progress, Question
from techcheck.checks.i18n import LANGUAGES, N_, translate
from techcheck.checks.model import CheckResult, ExitCode, Report
from techcheck.checks.runner import RunEvents, run_checks

log = logging.getLogger("techcheck.cli")

OUTPUTS = ("json", "html", "pdf", "text")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the checks and write a report",
                       description="Run the checks. Progress on stderr, summary on stdout.")
    p.add_argument("--profile", metavar="NAME|FILE",
                   help="platform profile (generic, teams, zoom, meet, webex) or a TOML file; "
                   "default: the invitation's, else generic")
    p.add_argument("--invitation", metavar="FILE",
                   help="a recruiter's invitation file: its profile and servers are used and "
                   "the report names it")
    p.add_argument("--allow-private-server", action="store_true",
                   help="use an invitation's server even if it is on this computer or inside "
                   "your own network (refused otherwise)")
    p.add_argument("--checklist", metavar="IDS",
                   help="interviewer's preparation items done, comma-separated: "
                   + ", ".join(checklist.IDS))
    p.add_argument("--no-history", action="store_true",
                   help="do not keep this run in the local history")
    p.add_argument("--snapshot", action="store_true",
                   help="add a small camera picture to the report (off by default)")
    p.add_argument("--preview", metavar="FOLDER",
                   help="also write what the interviewer would see and hear, modelled from this "
                   "run's connection, camera and recording (an approximation), into FOLDER: "
                   "techcheck-preview.avi, .wav and .txt (off by default: nothing is kept)")
    p.add_argument("--only", metavar="IDS", help="comma-separated check ids to run")
    p.add_argument("--skip", metavar="IDS", help="comma-separated check ids to leave out")
    p.add_argument("--camera", metavar="INDEX|PATH", help="camera index or a video/image file")
    p.add_argument("--microphone", metavar="NAME|INDEX|PATH",
                   help="microphone name, index, 'default' or a WAV/FLAC file")
    p.add_argument("--speaker", metavar="NAME|INDEX", help="speaker name, index or 'default'")
    p.add_argument("--server", metavar="URL", help="measurement server for the network check")
    p.add_argument("--stun", metavar="HOST:PORT", help="STUN server for the UDP test")
    p.add_argument("--duration", type=_positive, metavar="SECONDS",
                   help="how long each measuring check may take")
    for fmt in OUTPUTS:
        p.add_argument(f"--{fmt}", metavar="PATH", help=f"write the report as {fmt.upper()}")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report")
    p.add_argument("--yes", action="store_true",
                   help="never ask: answer every question with its default (for scripts)")
    p.set_defaults(func=run)


def _positive(value: str) -> float:
    try:
        f = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < f <= 3600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 3600 seconds")
    return f


def run(args: argparse.Namespace) -> int:
    """``techcheck run``: the chosen or the system's devices, never the demo media."""
    return execute(args)


def in_terminal(reason: str, invitation_file: str | None = None, verbose: bool = False) -> int:
    """``techcheck`` without a command where the app's window cannot open (``reason``): the
    whole check in the terminal instead. A missing camera or microphone is named first, with
    the fix (``demo.MISSING``); when the computer has nothing to check with
    (``demo.should_use_demo``) the demo runs next — asked first when a person is at the
    terminal ("n" checks the devices as they are) — says so, and ends on the demo's own verdict
    and exit status (``ExitCode.DEMO``), never on a readiness. The text report goes to stdout and
    the exit status is the verdict's, as for ``techcheck run``."""
    from techcheck.app.cli import build_parser
    from techcheck.app.commands.devices import collect

    logsetup.setup(verbose=verbose)
    args = build_parser().parse_args(
        ["run", *(["--invitation", invitation_file] if invitation_file else [])])
    lists = demo.device_lists(collect()["devices"])
    use_demo = demo.should_use_demo(lists, demo.has_default_route())
    print(f"techcheck: {reason}: checking in the terminal instead.", file=sys.stderr)
    gone = demo.missing(lists)
    if gone:
        print(f"techcheck: {translate(demo.MISSING[gone], args.lang)} "
              f"{translate(demo.MISSING_FIX, args.lang)} "
              f"{translate(RUN_AGAIN, args.lang)}", file=sys.stderr)
    if use_demo and _has_terminal():  # a person is there: the demo is their choice
        print(f"techcheck: {translate(ASK_DEMO, args.lang)} [Y/n] ", end="", file=sys.stderr,
              flush=True)
        answer = sys.stdin.readline().strip().lower()
        use_demo = not answer or answer[0] in "yj"  # yes / ja
    if use_demo:
        print(f"techcheck: {translate(DEMO_INSTEAD, args.lang)}", file=sys.stderr)
    return execute(args, demo_mode=use_demo)


#: After the fix for a missing device (``demo.MISSING_FIX``), in the terminal.
RUN_AGAIN = N_("Then run techcheck again.")
#: Asked at a terminal before the demo runs ("n": check the devices as they are).
ASK_DEMO = N_("See how it works with a sample video instead?")
#: Before the terminal's demo run: what runs instead of a check of the person's devices.
DEMO_INSTEAD = N_("Meanwhile, see how it works with a sample video: a demo with a sample video "
                  "and recording and a measurement server on this computer, which says nothing "
                  "about your own devices.")


def _has_terminal() -> bool:
    """Whether a person can answer questions: stdin is a terminal (not a pipe, not closed)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):  # a closed stdin
        return False


@dataclass
class _Planned:
    """What ``techcheck run``'s arguments ask for, checked before anything runs."""

    setup: RunSetup
    chosen: list[registry.Plugin]
    outputs: dict[str, str]  # format → path
    done: list[checklist.Item] | None  # the checklist items ticked, or None without --checklist


def execute(args: argparse.Namespace, *, demo_mode: bool = False) -> int:
    """Run the checks of ``args`` (the ``run`` options). With ``demo_mode`` the stand-ins of
    ``techcheck.app.demo`` replace every device and the internet (an invitation's server
    excepted: it is the connection the interview will use), the report says it was a demo (its
    verdict is ``demo``, its exit status ``ExitCode.DEMO``), and the run is not kept in the
    history (it says nothing about this computer's devices)."""
    # The processor's load is sampled from now on, in the background, so its several-second
    # window is already full when the system check asks (docs/verdicts.md, "Processor load").
    from techcheck.checks.system.probe import start_cpu_sampling

    start_cpu_sampling()
    try:
        planned = _plan(args, demo_mode)
    except CommandError as exc:
        return fail(str(exc))
    setup = planned.setup
    local_server = None
    if demo_mode:
        try:
            local_server = _use_demo_media(setup)
        except (ImportError, OSError) as exc:
            return fail(f"demo mode: cannot start the local measurement server: {exc}")
    try:
        results = _run(args, planned)
    except KeyboardInterrupt:
        return fail("cancelled")
    finally:
        if local_server is not None:
            local_server.stop()
    return _finish(args, planned, results)


def _plan(args: argparse.Namespace, demo_mode: bool) -> _Planned:
    """The run ``args`` ask for; ``CommandError`` with the sentence for the user when the
    arguments, the invitation, the profile or an output path cannot be used."""
    invitation = None
    try:
        if args.invitation:
            invitation = invitations.load(args.invitation)
        done = checklist.items(split_ids(args.checklist) or []) if args.checklist else None
    except invitations.InvitationError as exc:
        raise CommandError(f"cannot use the invitation: {exc}") from None
    except checklist.ChecklistError as exc:
        raise CommandError(str(exc)) from None
    server = args.server or (invitation.server if invitation else None) or None
    stun = args.stun or (invitation.stun if invitation else None) or None
    outputs = {fmt: getattr(args, fmt) for fmt in OUTPUTS if getattr(args, fmt)}
    problem = argument_problem(args, server, stun, OUTPUTS, invitation)
    if problem:
        raise CommandError(problem)
    try:
        plugins, profile = load(args.profile or (invitation.profile if invitation else "generic"))
        chosen = registry.select(plugins, split_ids(args.only), split_ids(args.skip))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if not chosen:
        raise CommandError("no checks left to run (see --only and --skip)")
    problem = check_outputs({f: p for f, p in outputs.items() if p != STDOUT}) or (
        callpreview.check_folder(args.preview, [p.id for p in chosen], outputs)
        if args.preview else None)
    if problem:
        raise CommandError(problem)
    setup = RunSetup(
        profile=profile, devices=Devices(args.camera, args.microphone, args.speaker, server, stun),
        lang=args.lang, demo=demo_mode, invitation=invitation, duration=args.duration,
        snapshot=args.snapshot,
        keep_media={} if args.preview else None,  # the recording, in memory, for --preview
        # The invitation's servers this run uses (an explicit --server/--stun replaces them)
        # must also resolve outside the network, unless the person allowed otherwise.
        public_hosts=invitation.public_hosts(server=args.server is None, stun=args.stun is None)
        if invitation is not None and not args.allow_private_server else frozenset(),
        checklist=checklist.to_extra(done) if done is not None else None)
    return _Planned(setup, chosen, outputs, done)


def _use_demo_media(setup: RunSetup) -> Any:
    """Demo mode: the sample media for the devices and, unless an invitation names the
    server, the local measurement server (returned, to be stopped after the run)."""
    server = demo.start_server() if setup.measuring_locally() else None
    stand_ins = demo.devices(server)
    if server is None:  # the invitation's servers: the connection the interview will use
        stand_ins.server, stand_ins.stun = setup.devices.server, setup.devices.stun
    setup.devices = stand_ins
    return server


def _run(args: argparse.Namespace, planned: _Planned) -> list[CheckResult]:
    """Run the chosen checks, progress and questions in the terminal."""
    lang = args.lang
    interactive = not args.yes and _has_terminal()
    if not args.yes and not interactive:
        print("techcheck: no terminal to answer questions in: each is answered with its "
              "default, as with --yes.", file=sys.stderr)
    cancel = CancelToken()
    progress = _ProgressPrinter(lang)
    ask = _asker(lang) if interactive else (lambda q: q.default)

    def context(plugin: registry.Plugin) -> CheckContext:
        return planned.setup.context(plugin.id, cancel=cancel, progress=progress, ask=ask,
                                     interactive=interactive)

    def started(p: registry.Plugin) -> None:
        print(f"techcheck: {translate(p.title, lang)}…", file=sys.stderr)

    def finished(r: CheckResult) -> None:
        print(f"techcheck: {translate(r.title, lang)}: {r.status.value} "
              f"({l10n.number(r.duration_s, lang, 1)}\u00a0s)", file=sys.stderr)

    try:
        return run_checks(planned.chosen, context, RunEvents(started, finished))
    except KeyboardInterrupt:
        cancel.cancel()
        raise


def _finish(args: argparse.Namespace, planned: _Planned, results: list[CheckResult]) -> int:
    """Write the report where asked, keep the run, print the summary; the exit status."""
    setup = planned.setup
    report = setup.report(results)
    status = report.verdict.exit_code
    files = {fmt: path for fmt, path in planned.outputs.items() if path != STDOUT}
    piped = next((fmt for fmt, path in planned.outputs.items() if path == STDOUT), None)
    for message in write_outputs(report, files, args.lang):
        print(f"techcheck: {message}", file=sys.stderr)
        status = ExitCode.COULD_NOT_RUN
    # "--json -": the report is standard output, for a pipe or a script; the summary a person
    # reads moves to standard error, so the two never mix
    summary = sys.stderr if piped else sys.stdout
    if piped:
        body = RENDERERS[piped](report, args.lang)  # JSON, text or HTML: UTF-8 (no PDF here)
        sys.stdout.write(body.decode("utf-8") if isinstance(body, bytes) else body)
        sys.stdout.flush()
    if not args.no_history and not setup.demo:
        _keep(report)
    if args.preview and not _write_preview(args.preview, setup, results):
        status = ExitCode.COULD_NOT_RUN  # asked for and not made: not all it was asked
    summary.write(text.render(report, args.lang))
    if setup.demo:  # the terminal ends where a demo ends: on its own line, not on readiness
        summary.write("\n" + demo.note(args.lang, demo.connection_of(setup.invitation)) + "\n")
    if any(r.error for r in results) and logsetup.log_file():
        print(f"techcheck: details of the errors are in the log: {logsetup.log_file()}",
              file=sys.stderr)
    return status


def _write_preview(folder: str, setup: RunSetup, results: list[CheckResult]) -> bool:
    """``--preview``: what the interviewer would see and hear; False when it was not made."""
    messages, written = callpreview.write_preview(
        folder, results, setup.profile, setup.devices.camera, setup.devices.microphone,
        setup.keep_media or {}, setup.lang)
    for message in messages:
        print(f"techcheck: {message}", file=sys.stderr)
    return bool(written)


def _keep(report: Report) -> None:
    """Keep the run in the history; a failure is said, and the run's status stands."""
    try:
        history.save(report)
    except OSError as exc:
        log.error("keeping the run in the history failed: %s", exc)
        print(f"techcheck: not kept in the history: "
              f"{describe_write_error(history.default().root, exc)}", file=sys.stderr)


class _ProgressPrinter:
    """Prints a check's progress messages to stderr, each once."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.last = ""

    def __call__(self, p: Progress) -> None:
        if p.message and p.message != self.last:
            self.last = p.message
            print(f"techcheck:   {translate(p.message, self.lang)}", file=sys.stderr)


def _asker(lang: str):
    def ask(q: Question) -> bool:
        prompt = translate(q.text, lang, q.params or None)
        if q.kind == "confirm":
            suffix = " [Y/n] " if q.default else " [y/N] "
            print(prompt + suffix, end="", file=sys.stderr, flush=True)
            answer = sys.stdin.readline().strip().lower()
            if not answer:
                return q.default
            return answer[0] in "yj"  # yes / ja
        print(prompt + " " + translate("(press Enter)", lang), end="", file=sys.stderr, flush=True)
        sys.stdin.readline()
        return True

    return ask
