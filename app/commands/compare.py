"""``techcheck compare``: what got better or worse between two runs.

``compare OLD.json NEW.json`` compares two saved reports; ``compare NEW.json`` compares it with
the run kept in the history just before it; plain ``compare`` compares the last two kept runs.
Exit status: 0 nothing got worse, 1 something got worse, 3 a report cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from techcheck.app.commands.common import fail
from techcheck.app.report import history, jsonio
from techcheck.app.report.compare import compare, render_text
from techcheck.checks.i18n import LANGUAGES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="what got better or worse between two runs",
        description="Compare two saved reports. With one report, compare it with the run "
        "kept before it; with none, compare the last two kept runs.",
        epilog="Exit status: 0 nothing got worse, 1 something got worse, 3 a report cannot be "
        "read.")
    p.add_argument("files", nargs="*", metavar="REPORT.json", help="OLD.json NEW.json")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if len(args.files) > 2:
        return fail("compare takes at most two reports: OLD.json NEW.json")
    try:
        reports = [jsonio.read(f) for f in args.files]
    except jsonio.ReportError as exc:
        return fail(str(exc))
    if len(reports) == 1:
        previous = history.latest(before=reports[0].created)
        if previous is None:
            return fail("no earlier run is kept on this computer to compare with; give two "
                        "reports: techcheck compare OLD.json NEW.json")
        reports.insert(0, previous)
    elif not reports:
        entries = history.entries()
        if len(entries) < 2:
            return fail("fewer than two runs are kept on this computer; give two reports: "
                        "techcheck compare OLD.json NEW.json")
        try:
            reports = [entries[1].load(), entries[0].load()]
        except jsonio.ReportError as exc:
            return fail(str(exc))
    result = compare(reports[0], reports[1], args.lang)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(result))
    return 1 if result.worse else 0
