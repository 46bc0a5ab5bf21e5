"""Start-up time of the desktop app: process start → main window shown (first expose, painted),
cold and warm, against a bare PySide6 window measured the same way in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 7]

"Cold" = the first start after the page cache was dropped (root: /proc/sys/vm/drop_caches) and
with a fresh bytecode cache, so files come from disk and nothing is compiled in advance; where
the cache cannot be dropped, only the bytecode is cold and the table says so. "Warm" = the
median of the following runs. Runs under Xvfb (started here if there is no DISPLAY).
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
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1000, 720)
class P(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Expose and obj.isExposed():
            obj.removeEventFilter(self); QTimer.singleShot(0, self.done)
        return False
    def done(self):
        open(os.environ["TECHCHECK_STARTUP_PROBE"], "w").write(f"{time.time():.6f}\n"); w.close()
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


def one(code: str, env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "shown"
        e = {**env, "TECHCHECK_STARTUP_PROBE": str(probe), "XDG_CONFIG_HOME": tmp,
             "XDG_STATE_HOME": tmp, "XDG_DATA_HOME": tmp, "XDG_CACHE_HOME": tmp}
        t0 = time.time()
        subprocess.run([sys.executable, "-c", code], env=e, cwd=ROOT, check=True, timeout=60,
                       capture_output=True)
        return float(probe.read_text().split()[0]) - t0


def measure(code: str, env: dict[str, str], runs: int) -> tuple[float, float, bool]:
    pycache = Path(tempfile.mkdtemp(prefix="bench-pycache-"))
    try:
        cold_env = {**env, "PYTHONPYCACHEPREFIX": str(pycache)}
        dropped = drop_caches()
        cold = one(code, cold_env)
        warm = statistics.median(one(code, cold_env) for _ in range(runs))
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
    return cold, warm, dropped


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    env = dict(os.environ)
    sys.path.insert(0, str(ROOT))
    from tests.checkout import use_this_checkout

    if use_this_checkout(ROOT) is not None:  # a worktree: its code, not the installed one
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
        rows = [("bare PySide6 window", *measure(BARE, env, args.runs)),
                ("TechCheck main window", *measure(APP, env, args.runs))]
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)
    print(f"{'':24} {'cold s':>8} {'warm s':>8}  page cache dropped")
    for name, cold, warm, dropped in rows:
        print(f"{name:24} {cold:8.3f} {warm:8.3f}  {'yes' if dropped else 'no (bytecode cold only)'}")
    app_cold, app_warm = rows[1][1], rows[1][2]
    print(f"\nTechCheck − bare: cold {app_cold - rows[0][1]:+.3f} s, warm {app_warm - rows[0][2]:+.3f} s;"
          f" goal ≤ 0.8 s cold: {'met' if app_cold <= 0.8 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
