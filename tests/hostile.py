"""Running ``techcheck`` on hostile input with its time and memory measured (issue 13).

``run_measured`` starts the CLI in a separate process, as a user would, and returns its result
with the peak resident memory of that process (``VmHWM`` in ``/proc/self/status``, read by the
process itself just before it exits: ``ru_maxrss`` would include the test process's own size,
which Linux carries over into a forked child) and the processor time it used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

ATTACKS = Path(__file__).resolve().parent / "attacks"

#: Each hostile case must end within this and stay under this much memory (issue 13). The time
#: is the processor time the process used (user + system), which other work on the two shared
#: cores does not inflate the way it does wall-clock time; a wall-clock timeout still applies.
LIMIT_S = 5.0
LIMIT_MB = 300.0

_WRAPPER = """
import os, resource, sys
for name in os.environ.get("TECHCHECK_TEST_BLOCK", "").split():
    sys.modules[name] = None  # as in an install without it: importing it raises ImportError
from techcheck.app.cli import main
try:
    rc = main(sys.argv[1:])
except SystemExit as exc:
    rc = exc.code if isinstance(exc.code, int) else 3
use = resource.getrusage(resource.RUSAGE_SELF)
peak = use.ru_maxrss
try:  # VmHWM: this program's own peak; ru_maxrss also counts the parent's at fork (Linux)
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration, ValueError):
    pass
with open(os.environ["TECHCHECK_TEST_PEAK"], "w") as fh:
    fh.write(f"{peak} {use.ru_utime + use.ru_stime}")
sys.exit(rc)
"""


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float  # processor time
    peak_mb: float


def run_measured(*args: str, tmp: Path, timeout: float = 110, env: dict[str, str] | None = None,
                 without: tuple[str, ...] = ()) -> Measured:
    """``techcheck ARGS`` in a new process; ``without`` names modules to make unimportable
    there (``jsonschema``: the one-file app and a plain install have none)."""
    peak_file = tmp / f".peak-{time.monotonic_ns()}"
    full_env = {**os.environ, **(env or {}), "TECHCHECK_TEST_PEAK": str(peak_file),
                "TECHCHECK_TEST_BLOCK": " ".join(without)}
    r = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True,
                       timeout=timeout, env=full_env, cwd=ROOT, input="")
    peak_kb, cpu_s = (map(float, peak_file.read_text().split()) if peak_file.exists()
                      else (float("nan"), float("nan")))
    return Measured(r.returncode, r.stdout, r.stderr, cpu_s, peak_kb / 1024)


def assert_bounded(m: Measured, tmp: Path | None = None) -> None:
    assert m.peak_mb < LIMIT_MB, f"peak memory {m.peak_mb:.0f} MB"
    assert m.seconds < LIMIT_S, f"took {m.seconds:.1f} s of processor time"
    assert "internal error" not in m.stderr and "Traceback" not in m.stderr, m.stderr
