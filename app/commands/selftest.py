"""``techcheck selftest``: does this installation work? For IT support and the build pipeline.

Runs every registered check on what ships inside TechCheck instead of the computer's devices —
the demo clip as the camera, the demo recording as the microphone, the stand-in speaker with
its known echo path (and no questions), the network check against a measurement server started
in this process on 127.0.0.1 — then opens the main window offscreen and closes it. It passes only when every
check *produced a result* (pass, warn or fail: a verdict about the demo media is fine; an
``error`` or ``skipped`` means the installation is broken) and the data files are all there.

It works the same from a source install and from the frozen bundle, which is the point: the
build pipeline runs it on each fresh bundle to catch a missing plug-in, data file or library.
Nothing leaves the machine: the network check's profile is narrowed to the local server.

Exit status: 0 passed, 2 something did not produce a result, 3 could not run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import platform
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from techcheck import resources
from techcheck.app import demo
from techcheck.app.atomicfile import write_atomic
from techcheck.app.commands.common import CommandError, fail, load, split_ids
from techcheck.checks import registry, version
from techcheck.checks.context import CancelToken, CheckContext
from techcheck.checks.i18n import translate
from techcheck.checks.model import CheckResult, ExitCode, Status
from techcheck.checks.runner import RunEvents, run_checks

log = logging.getLogger("techcheck.selftest")

#: The self-test passes as a ready run, fails as a not-ready one (README: ExitCode).
EXIT_PASSED, EXIT_FAILED = ExitCode.READY, ExitCode.NOT_READY

#: Data files the app cannot work without, by resource path; each pattern must match at least
#: one file. A bundle that lost one of them fails here with the name, not later in a user's hands.
REQUIRED_RESOURCES: tuple[tuple[str, ...], ...] = (
    ("demo", "camera.avi"),
    ("demo", "voice.wav"),
    ("profiles", "generic.toml"),
    ("profiles", "*.toml"),
    ("schemas", "report-1.schema.json"),
    ("templates", "report.html"),
    ("fonts", "*.ttf"),
    ("models", "*.tflite"),
    ("translations", "sv", "*.json"),
    ("translations", "*.qm"),
    ("icons", "techcheck.png"),
)

#: Seconds the measuring checks take by default here: long enough to measure, short enough for CI.
DEFAULT_DURATION = 4.0


@dataclass
class Row:
    """One line of the table: a check, the data files or the GUI."""

    id: str
    title: str
    status: str
    ok: bool
    seconds: float = 0.0
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "selftest", help="check this installation on the bundled demo media (offscreen)",
        description="Run every check on the bundled demo media and a local measurement server, "
        "then open and close the main window offscreen. Exit 0 only if every check produced "
        "a result (pass, warn or fail).")
    p.add_argument("--only", metavar="IDS", help="comma-separated check ids to run")
    p.add_argument("--skip", metavar="IDS", help="comma-separated check ids to leave out")
    p.add_argument("--duration", type=float, default=DEFAULT_DURATION, metavar="SECONDS",
                   help=f"how long each measuring check takes (default {DEFAULT_DURATION:g})")
    p.add_argument("--no-gui", action="store_true", help="leave out the main-window smoke test")
    p.add_argument("--json", metavar="PATH", help="also write the outcome as JSON")
    p.add_argument("--output", metavar="PATH",
                   help="also write the table to a file (the windowed Windows app has no console)")
    p.set_defaults(func=run)


def environment() -> dict[str, Any]:
    """Where and how this TechCheck runs: what IT support asks first."""
    return {
        "version": version(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "frozen": bool(getattr(sys, "frozen", False)),
        "bundle": getattr(sys, "_MEIPASS", None),
        "resources": str(resources.ROOT),
        "utf8_mode": bool(sys.flags.utf8_mode),
        "encoding": sys.getfilesystemencoding(),
    }


def check_resources() -> Row:
    start = time.monotonic()
    missing = []
    for parts in REQUIRED_RESOURCES:
        folder = resources.path(*parts[:-1])
        if not any(folder.glob(parts[-1])):
            missing.append("/".join(parts))
    ok = not missing
    note = f"missing: {', '.join(missing)}" if missing else f"all {len(REQUIRED_RESOURCES)} present"
    return Row("resources", "Bundled data files", "pass" if ok else "fail", ok,
               time.monotonic() - start, note)


def _start_server():
    """The in-process measurement server, or (None, reason)."""
    try:
        return demo.start_server(), ""
    except ImportError as exc:
        return None, f"no local measurement server in this version ({exc})"
    except OSError as exc:
        return None, f"cannot start the local measurement server: {exc}"


def _row_for(result: CheckResult) -> Row:
    ok = result.status in (Status.PASS, Status.WARN, Status.FAIL) and not result.error
    if result.error:
        note = translate(result.error, "en")
    else:
        worst = [f for f in result.findings if f.status == result.status and f.status != Status.PASS]
        note = translate(worst[0].message, "en", worst[0].params) if worst else \
            f"{len(result.metrics)} measurements"
    return Row(result.id, translate(result.title, "en"), result.status.value, ok,
               result.duration_s, note, {"metrics": len(result.metrics),
                                         "findings": len(result.findings)})


def run_checks_on_demo(chosen: list[registry.Plugin], profile, duration: float) -> list[Row]:
    server, why_not = _start_server()
    ctx = CheckContext(profile=demo.local_profile(profile), devices=demo.devices(server),
                       cancel=CancelToken(),
                       duration=duration, interactive=False, lang="en", options={"selftest": True})

    def started(p: registry.Plugin) -> None:
        print(f"techcheck: selftest: {p.id}…", file=sys.stderr, flush=True)

    try:
        todo = [p for p in chosen if p.id != "network" or server is not None]
        results = {r.id: r for r in run_checks(todo, ctx, RunEvents(started=started))}
    finally:
        if server is not None:
            server.stop()
    rows = []
    for p in chosen:
        if p.id in results:
            rows.append(_row_for(results[p.id]))
        else:  # the network check without a server to measure against
            rows.append(Row(p.id, translate(p.title, "en"), "error", False, 0.0, why_not))
    return rows


def render_table(env: dict[str, Any], rows: list[Row], passed: bool) -> str:
    lines = [
        f"TechCheck {env['version']} self-test — Python {env['python']} on {env['platform']}",
        f"{'frozen bundle: ' + env['bundle'] if env['frozen'] else 'source install'}; "
        f"data files: {env['resources']}",
        "",
        f"{'check':<12} {'result':<8} {'time':>7}  note",
        f"{'-' * 12} {'-' * 8} {'-' * 7}  {'-' * 40}",
    ]
    for r in rows:
        mark = r.status if r.ok else f"{r.status}!"
        lines.append(f"{r.id:<12} {mark:<8} {r.seconds:>6.1f}s  {r.note}")
    bad = [r.id for r in rows if not r.ok]
    lines += ["", "self-test passed: every check produced a result" if passed
              else f"self-test FAILED: {', '.join(bad)}"]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    if not 0 < args.duration <= 600:
        return fail("--duration must be more than 0 and at most 600 seconds")
    try:
        plugins, profile = load("generic")
        chosen = registry.select(plugins, split_ids(args.only), split_ids(args.skip))
    except (CommandError, ValueError) as exc:
        return fail(str(exc))
    env = environment()
    rows = [check_resources()]
    rows += run_checks_on_demo(chosen, profile, args.duration)
    smoke = getattr(args, "gui_smoke", None)
    if not args.no_gui and smoke is not None:
        rows.append(smoke())
    passed = all(r.ok for r in rows)
    table = render_table(env, rows, passed)
    sys.stdout.write(table)
    sys.stdout.flush()
    try:
        if args.output:
            write_atomic(args.output, table.encode("utf-8"))
        if args.json:
            doc = {"passed": passed, "environment": env,
                   "rows": [dataclasses.asdict(r) for r in rows]}
            write_atomic(args.json, (json.dumps(doc, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        return fail(f"cannot write the outcome: {exc}")
    return EXIT_PASSED if passed else EXIT_FAILED
