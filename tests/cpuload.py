"""Real CPU load from real processes, for the tests that must measure right on a busy computer
(people run TechCheck minutes before an interview, with the call app, a browser and a virus
scan busy) and for the tests of the processor-load measurement itself.

``with busy_cpus():`` starts one busy-looping process per CPU and a second round on top,
so every CPU has two runnable hogs of normal priority competing with the code under test (a
load average of 4+ on this 2-core machine). Each hog stops by itself after ``seconds`` even if
the test process dies, and all are killed on the way out; the load is kept to the test's span
because other work shares the machine.

``name`` gives the hogs a process name of their own (Linux ``/proc/self/comm``, what
``ps`` and psutil show), so a test can find them in a list of the busiest programs.
``detached`` makes them another program's processes rather than the test's children: a
short-lived launcher starts them and exits, so they are no longer below the test process
(TechCheck leaves its own process and its children out of the processor load).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

_HOG = ("import time\n"
        "try:\n    open('/proc/self/comm', 'w').write({name!r})\nexcept OSError:\n    pass\n"
        "end = time.monotonic() + float({s})\nwhile time.monotonic() < end:\n    pass\n")

_LAUNCHER = ("import subprocess, sys\n"
             "for _ in range({n}):\n"
             "    p = subprocess.Popen([sys.executable, '-c', {hog!r}], start_new_session=True,\n"
             "                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,\n"
             "                         stderr=subprocess.DEVNULL)\n"
             "    print(p.pid, flush=True)\n")


def _wait_for_names(pids: list[int], name: str, timeout: float = 10.0) -> None:
    """Return once every hog runs under ``name`` (Python takes a moment to start), so the
    load a test measures is theirs by name from the start."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == name[:15]:
                        break
            except OSError:
                break  # already gone
            time.sleep(0.01)


@contextlib.contextmanager
def busy_cpus(per_cpu: int = 2, seconds: float = 60.0, *, name: str = "",
              detached: bool = False) -> Iterator[int]:
    """Yields the number of hog processes running for the body of the ``with``."""
    n = per_cpu * (os.cpu_count() or 1)
    hog = _HOG.format(s=seconds, name=name)
    if detached:
        if not name:
            raise ValueError("detached hogs need a name: it is how they are told apart from a "
                             "later process that reuses their pid")
        out = subprocess.run([sys.executable, "-c", _LAUNCHER.format(n=n, hog=hog)],
                             capture_output=True, text=True, timeout=30, check=True).stdout
        pids = [int(line) for line in out.split()]
        _wait_for_names(pids, name)
        try:
            yield n
        finally:
            for pid in pids:
                # one that ended by itself (its /proc entry gone) needs no stopping
                with contextlib.suppress(OSError), open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == name[:15]:
                        os.kill(pid, signal.SIGKILL)
        return
    hogs = [subprocess.Popen([sys.executable, "-c", hog],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(n)]
    if name:
        _wait_for_names([h.pid for h in hogs], name)
    try:
        yield n
    finally:
        for h in hogs:
            h.kill()
        for h in hogs:
            h.wait(10)
