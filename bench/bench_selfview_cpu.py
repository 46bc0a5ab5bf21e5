"""What the live pictures cost the processor: the real window, offscreen, in demo mode (the
sample video, resources/demo/camera.avi, 1280×720 at 25 fps, read by ``cv2.VideoCapture`` as
the camera), left alone for ``--seconds`` on the Start page (its self-view) or on the Camera
page (its preview), against a bare window measured the same way in the same run.

    .venv/bin/python bench/bench_selfview_cpu.py [--seconds 20] [--runs 2] [--json out.json]

Each contender is a fresh process with its own settings and user folders. After the window
has loaded its checks and the picture has run for a warm-up, the process's CPU time (user +
system, children included: ``os.times``) is read over the span and divided by its wall time:
1.00 is one core kept busy. The GUI thread's and the preview worker's shares come from
/proc/self/task (the worker's thread is named after its task by Qt). Also counted: pictures
shown and analyses run (face detection, mesh, scene measures) per second of the sample.

Contenders:

- **bare window**: the Start page with its self-view stopped (the baseline: what the window
  costs with no live picture).
- **Start, every frame**: the self-view analysing every picture (``selfview.ANALYSES_HZ``
  switched to None: the behaviour before the bound).
- **Start**: the self-view as shipped.
- **Start, minimised**: the same with the window minimised.
- **Camera page**: the Camera page's preview, which keeps the rate the check judges at.
- **probe**: the self-view analysing once in 100 s: what decoding and drawing cost alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.checkout import use_this_checkout  # noqa: E402

use_this_checkout(ROOT)  # this checkout's code, in the children too (PYTHONPATH)

DRIVER = r"""
import json, os, sys, time
mode, seconds, warmup = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from techcheck.app.gui import settings as S
from techcheck.app.gui.widgets import selfview
from techcheck.app.gui.window import MainWindow
if mode == "noanalysis":
    selfview.ANALYSES_HZ = 0.01  # the probe: what showing the pictures alone costs
if mode == "every":
    selfview.ANALYSES_HZ = None  # the switch: the behaviour before the bound
s = S.Settings(QSettings(os.environ["XDG_CONFIG_HOME"] + "/t.ini", QSettings.Format.IniFormat))
s.set(S.DEMO_MODE, "on"); s.set(S.LANGUAGE, "en")
w = MainWindow(s); w.show()

def spin(cond, limit):
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise SystemExit(f"timed out in {mode}")
        app.processEvents()
        time.sleep(0.002)

spin(lambda: w._loaded, 120)
view = w.start.selfview.video
if mode == "camera":
    w.go("camera")
    view = w.pages["camera"].video
if mode == "bare":
    w.start.left()  # the self-view stopped: the window alone
else:
    spin(lambda: view.frames_shown > 5, 60)
if mode == "minimised":
    w.showMinimized()

def threads():
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            name = open(f"/proc/self/task/{tid}/comm").read().strip()
            fields = open(f"/proc/self/task/{tid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[(tid, name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out

seen = {"analyses": 0, "last": None}
shown = view.set_frame

def counting(frame, analysis=None):  # an analysis not shown before: one more analysis run
    if analysis is not None and analysis is not seen["last"]:
        seen["analyses"] += 1
    seen["last"] = analysis
    shown(frame, analysis)

view.set_frame = counting

def analyses():
    return seen["analyses"], view.frames_shown

settle = time.monotonic() + warmup
spin(lambda: time.monotonic() >= settle, warmup + 5)
t0, c0, th0, (a0, f0) = time.monotonic(), os.times(), threads(), analyses()
end = t0 + seconds
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.002)
t1, c1, th1, (a1, f1) = time.monotonic(), os.times(), threads(), analyses()
wall = t1 - t0
cpu = sum(c1[:4]) - sum(c0[:4])
main = str(os.getpid())
shares = {"gui": 0.0, "preview": 0.0, "other": 0.0}
for key, t in th1.items():
    used = t - th0.get(key, 0.0)
    tid, name = key
    kind = "gui" if tid == main else "preview" if "preview" in name or "selfview" in name \
        or name.startswith("task-start") or name.startswith("task-camera") else "other"
    shares[kind] += used / wall
print(json.dumps({"mode": mode, "wall_s": round(wall, 2), "cpu_per_s": cpu / wall,
                  "threads": shares, "frames_per_s": (f1 - f0) / wall,
                  "analyses_per_s": (a1 - a0) / wall,
                  "worker": getattr(w.start.selfview, "task", None) is not None
                  or getattr(w.pages["camera"], "preview", None) is not None}))
w.close()
"""

MODES = {
    "bare": "baseline: bare window (Start page, self-view stopped)",
    "noanalysis": "probe: Start page, pictures only (an analysis every 100 s)",
    "every": "Start page, every frame analysed (the bound switched off)",
    "start": "**Start page self-view**",
    "minimised": "Start page, window minimised",
    "camera": "Camera page preview",
}


def one(mode: str, seconds: float, warmup: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": tmp,
               "XDG_STATE_HOME": tmp, "XDG_DATA_HOME": tmp, "XDG_CACHE_HOME": tmp,
               "QT_LOGGING_RULES": "qt.qpa.*=false"}
        proc = subprocess.run([sys.executable, "-c", DRIVER, mode, str(seconds), str(warmup)],
                              env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=240 + seconds)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--modes", nargs="*", default=list(MODES), choices=list(MODES))
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    rows: dict[str, list[dict]] = {m: [] for m in args.modes}
    for _ in range(args.runs):  # interleaved: a drift of the machine's load hits all alike
        for mode in rows:
            rows[mode].append(one(mode, args.seconds, args.warmup))
    load = os.getloadavg()[0]
    print(f"Live picture, demo mode (1280×720, 25 fps sample), {args.seconds:.0f} s per run, "
          f"{args.runs} runs, median (min–max); load average {load:.1f} on "
          f"{os.cpu_count()} cores\n")
    print("| contender | CPU s per s (process) | GUI thread | preview worker | "
          "pictures shown /s | analyses /s |")
    print("|---|---|---|---|---|---|")
    base = statistics.median(r["cpu_per_s"] for r in rows.get("bare", [])) if "bare" in rows \
        else None
    for mode, runs in rows.items():
        cpu = [r["cpu_per_s"] for r in runs]

        def med(key: str, sub: str | None = None, runs: list[dict] = runs) -> float:
            return statistics.median(r[key][sub] if sub else r[key] for r in runs)

        extra = (f" (+{statistics.median(cpu) - base:.2f})"
                 if base is not None and mode != "bare" else "")
        print(f"| {MODES[mode]} | {statistics.median(cpu):.2f}{extra} "
              f"({min(cpu):.2f}–{max(cpu):.2f}) | {med('threads', 'gui'):.2f} | "
              f"{med('threads', 'preview'):.2f} | {med('frames_per_s'):.1f} | "
              f"{med('analyses_per_s'):.1f} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"load": load, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
