"""Artificial CPU load for the tests that must measure right on a busy computer (people run
TechCheck minutes before an interview, with the call app, a browser and a virus scan busy).

``with busy_cpus():`` starts one busy-looping process per CPU and a second round on top,
so every CPU has two runnable hogs of normal priority competing with the code under test (a
load average of 4+ on this 2-core machine). Each hog stops by itself after ``seconds`` even if
the test process dies, and all are killed on the way out; the load is kept to the test's span
because other work shares the machine.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

_HOG = "import time\nend = time.monotonic() + float({s})\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def busy_cpus(per_cpu: int = 2, seconds: float = 60.0) -> Iterator[int]:
    """Yields the number of hog processes running for the body of the ``with``."""
    n = per_cpu * (os.cpu_count() or 1)
    hogs = [subprocess.Popen([sys.executable, "-c", _HOG.format(s=seconds)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(n)]
    try:
        yield n
    finally:
        for h in hogs:
            h.kill()
        for h in hogs:
            h.wait(10)
