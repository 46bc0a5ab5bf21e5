"""Start-up time of the desktop app: process start → main window shown (first expose, painted),
cold and warm, against a bare PySide6 window measured the same way in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--checkout DIR]

"Cold" = the first start after the page cache was dropped (root: /proc/sys/vm/drop_caches) and
with a fresh bytecode cache, so files come from disk and nothing is compiled in advance; where
the cache cannot be dropped, only the bytecode is cold and the table says so. "Warm" = the
median of the following runs, bare and TechCheck in turn; the difference is the median of the
paired differences (issue 22's goal: within 0.25 s of the bare window). Runs under Xvfb
(started here if there is no DISPLAY).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import os, sys, time
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1000, 720)
class P(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Expose and obj.isExposed():
            obj.removeEventFilter(self)
            QCoreApplication.postEvent(self, QEvent(QEvent.Type.User),
                                       Qt.EventPriority.HighEventPriority.value)
        return False
    def event(self, ev):
        if ev.type() == QEvent.Type.User:
            self.done(); return True
        return super().event(ev)
    def done(self):
        open(os.environ["TECHCHECK_STARTUP_PROBE"], "w").write(
            f"{time.time():.6f} 0 {time.process_time():.6f}\n"); w.close()
w.winId(); p = P(); w.windowHandle().installEventFilter(p); w.show(); app.exec()
"""

# The package name the installed app uses (``techcheck.app``), not the folder name ``app``: the
# folder imported as ``app`` would be a second copy of the GUI beside the one it imports.
APP = "import sys; from techcheck.app.gui.main import main; sys.exit(main([]))"


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def one(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds from spawning the process to the first paint, processor seconds the
    process had used by then: the figure a busy machine disturbs least)."""
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "shown"
        e = {**env, "TECHCHECK_STARTUP_PROBE": str(probe), "XDG_CONFIG_HOME": tmp,
             "XDG_STATE_HOME": tmp, "XDG_DATA_HOME": tmp, "XDG_CACHE_HOME": tmp}
        t0 = time.time()
        subprocess.run([sys.executable, "-c", code], env=e, cwd=ROOT, check=True, timeout=60,
                       capture_output=True)
        fields = probe.read_text().split("\n", 1)[0].split()  # an older probe: no processor
        return float(fields[0]) - t0, float(fields[2]) if len(fields) > 2 else float("nan")


def measure(codes: dict[str, str], env: dict[str, str], runs: int
            ) -> tuple[dict[str, float], dict[str, list[tuple[float, float]]], bool]:
    """Cold start of each (page cache dropped before each, fresh bytecode cache), then ``runs``
    warm starts taken in turn (bare, app, bare, app…): a machine whose load drifts during the
    run then moves both alike, and the paired differences stay meaningful."""
    pycache = {name: Path(tempfile.mkdtemp(prefix="bench-pycache-")) for name in codes}
    try:
        envs = {name: {**env, "PYTHONPYCACHEPREFIX": str(pycache[name])} for name in codes}
        cold, dropped = {}, True
        for name, code in codes.items():
            dropped = drop_caches() and dropped
            cold[name] = one(code, envs[name])[0]
        warm: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
        for _ in range(runs):
            for name, code in codes.items():
                warm[name].append(one(code, envs[name]))
    finally:
        for folder in pycache.values():
            shutil.rmtree(folder, ignore_errors=True)
    return cold, warm, dropped


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--checkout", metavar="DIR",
                    help="measure another checkout of TechCheck (e.g. an older commit's "
                    "`git worktree`), for a before/after in the same session")
    args = ap.parse_args()
    # A warm start reads cached bytecode: with PYTHONDONTWRITEBYTECODE (set in some shells
    # and CI images) every "warm" start would compile TechCheck's ~100 modules again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sys.path.insert(0, str(ROOT))
    from tests.checkout import use_this_checkout

    checkout = Path(args.checkout).resolve() if args.checkout else ROOT
    if use_this_checkout(checkout) is not None:  # a worktree: its code, not the installed one
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    xvfb = None
    if not env.get("DISPLAY"):
        display = ":93"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten",
                                 "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        env["DISPLAY"] = display
    env["QT_QPA_PLATFORM"] = "xcb"
    try:
        cold, warm, dropped = measure({"bare": BARE, "app": APP}, env, args.runs)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    names = {"bare": "bare PySide6 window", "app": "TechCheck main window"}
    print(f"{'':24} {'cold s':>8} {'warm s':>8} {'cpu s':>8}  page cache dropped: "
          f"{'yes' if dropped else 'no (bytecode cold only)'}")
    for key, name in names.items():
        wall = statistics.median(w for w, _c in warm[key])
        cpu = statistics.median(c for _w, c in warm[key])
        print(f"{name:24} {cold[key]:8.3f} {wall:8.3f} {cpu:8.3f}")
    pairs = [a[0] - b[0] for a, b in zip(warm["app"], warm["bare"], strict=True)]
    cpu_pairs = [a[1] - b[1] for a, b in zip(warm["app"], warm["bare"], strict=True)]
    extra = statistics.median(pairs)
    print(f"\nTechCheck − bare: cold {cold['app'] - cold['bare']:+.3f} s, warm {extra:+.3f} s "
          f"(median of {len(pairs)} paired runs, {min(pairs):+.3f} to {max(pairs):+.3f}), "
          f"processor {statistics.median(cpu_pairs):+.3f} s; goal ≤ +0.25 s warm: "
          f"{'met' if extra <= 0.25 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
