"""``techcheck report``: re-render a saved JSON report as HTML, PDF or text, in either language.

Exit status: the report's verdict (0 ready, 1 ready with warnings, 2 not ready) once every
requested file is written; 3 when the report cannot be read (corrupt, not a report, written by
a newer TechCheck) or a file cannot be written.
"""

from __future__ import annotations

import argparse
import sys

from techcheck.app.commands.common import fail
from techcheck.app.report import jsonio, text
from techcheck.app.report.formats import check_outputs, write_outputs
from techcheck.checks.i18n import LANGUAGES
from techcheck.checks.model import ExitCode

OUTPUTS = ("html", "pdf", "text", "json")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="re-render a saved report as HTML, PDF or text",
        description="Re-render a saved JSON report. Without an output option it prints the "
        "text summary.",
        epilog="Exit status: the report's verdict (0 ready, 1 ready with warnings, 2 not "
        "ready); 3 if the report cannot be read or a file cannot be written.")
    p.add_argument("file", metavar="FILE.json", help="a report saved by techcheck run --json")
    for fmt in OUTPUTS:
        p.add_argument(f"--{fmt}", metavar="PATH", help=f"write the report as {fmt.upper()}")
    p.add_argument("--lang", choices=LANGUAGES,
                   help="language of the output (default: the report's own)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        report = jsonio.read(args.file)
    except jsonio.ReportError as exc:
        return fail(str(exc))
    lang = args.lang or (report.lang if report.lang in LANGUAGES else "en")
    outputs = {fmt: getattr(args, fmt) for fmt in OUTPUTS if getattr(args, fmt)}
    problem = check_outputs(outputs)
    if problem:
        return fail(problem)
    problems = write_outputs(report, outputs, lang)
    for message in problems:
        print(f"techcheck: {message}", file=sys.stderr)
    if problems:
        return ExitCode.COULD_NOT_RUN
    if not outputs:
        sys.stdout.write(text.render(report, lang))
    return report.verdict.exit_code
