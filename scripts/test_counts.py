"""How many tests passed, failed, errored and were skipped, from pytest's JUnit report: the last
step of each job of .github/workflows/test.yml, so a job that skipped most of the suite says so.

    python scripts/test_counts.py junit.xml [LABEL]

Prints one line and, on GitHub Actions, adds it to the job summary ($GITHUB_STEP_SUMMARY).
Exit status 0, or 2 when the report is missing or unreadable (the test run did not start).
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

KEYS = ("tests", "failures", "errors", "skipped")


def counts(report: Path) -> dict[str, int]:
    """Totals over every ``testsuite`` element (pytest writes one; others nest several)."""
    totals = dict.fromkeys(KEYS, 0)
    for suite in ET.parse(report).getroot().iter("testsuite"):
        for key in KEYS:
            totals[key] += int(suite.get(key, 0))
    totals["passed"] = totals["tests"] - totals["failures"] - totals["errors"] - totals["skipped"]
    return totals


def line(totals: dict[str, int], label: str) -> str:
    return (f"{label}: {totals['passed']} passed, {totals['failures']} failed, "
            f"{totals['errors']} errors, {totals['skipped']} skipped "
            f"of {totals['tests']} collected")


def main(argv: list[str]) -> int:
    report = Path(argv[0]) if argv else Path("junit.xml")
    label = argv[1] if len(argv) > 1 else "tests"
    try:
        text = line(counts(report), label)
    except (OSError, ET.ParseError) as exc:
        print(f"{label}: no test report ({exc}): the test run did not start", file=sys.stderr)
        return 2
    print(text)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(f"### {text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
