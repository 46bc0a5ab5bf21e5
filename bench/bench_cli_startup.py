"""Start-up of the command line: ``techcheck --version`` and the light commands' ``--help``,
process start to exit, against the same command with the whole command line built (every
command module imported, as before issue 22's change; ``build_parser()`` with no ``only``) and
against a bare ``python -c pass``, in turn in the same run.

    .venv/bin/python bench/bench_cli_startup.py [--runs 15]

Prints a Markdown table of medians (wall seconds); the paired difference is the median of
"whole command line" minus "TechCheck" over the runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The baseline: the same arguments through the whole parser (all command modules imported).
WHOLE = ("import sys; from techcheck.app import cli\n"
         "try:\n    cli.build_parser().parse_args(sys.argv[1:])\nexcept SystemExit:\n    pass\n")

CASES = (("--version",), ("report", "--help"), ("compare", "--help"), ("history", "--help"),
         ("run", "--help"))


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    py = sys.executable
    print("| command | bare `python -c pass` | TechCheck | whole command line (before) "
          "| paired difference | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for case in CASES:
        bare, ours, whole = [], [], []
        timed([py, "-m", "techcheck.app.cli", *case])  # warm the page and bytecode caches
        for _ in range(args.runs):
            bare.append(timed([py, "-c", "pass"]))
            ours.append(timed([py, "-m", "techcheck.app.cli", *case]))
            whole.append(timed([py, "-c", WHOLE, *case]))
        diff = statistics.median(w - o for w, o in zip(whole, ours, strict=True))
        print(f"| `techcheck {' '.join(case)}` | {statistics.median(bare):.3f} s "
              f"| {statistics.median(ours):.3f} s | {statistics.median(whole):.3f} s "
              f"| {diff:+.3f} s | {args.runs} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
