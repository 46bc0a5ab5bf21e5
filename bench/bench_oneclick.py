"""The one-click check in demo mode: from launching the app to a verdict on the Results page,
the wall time and the number of things the person does, against the step-by-step walk through
the same pages measured the same way in the same run (the baseline: what the app asked of a
person before the one-click check).

    .venv/bin/python bench/bench_oneclick.py [--runs 3]

Each run is a fresh process with its own settings, history and user folders, offscreen. The
one-click path starts from a newcomer's settings on a computer without camera or microphone:
"Start the check" says what is missing and offers the demo, which a second click takes
(issue 20); the step-by-step baseline has demo mode on. A driver in that process acts only
through real input (mouse clicks on the widgets a person would press, found by their accessible
names) and counts every click; answering the speaker check's question is counted apart, as the
issue asks.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DRIVER = r"""
import json, os, sys, time
T0 = float(sys.argv[2])
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication
app = QApplication([])
from techcheck.app.gui import settings as S
from techcheck.app.gui.window import MainWindow
mode = sys.argv[1]
s = S.Settings(QSettings(os.environ["XDG_CONFIG_HOME"] + "/t.ini", QSettings.Format.IniFormat))
# one-click: a newcomer's settings (demo offered when no camera or microphone is found, the
# default), so the journey is Start, then the offered demo; step by step: demo mode chosen
s.set(S.DEMO_MODE, "auto" if mode == "oneclick" else "on"); s.set(S.LANGUAGE, "en")
w = MainWindow(s); w.show()
actions, answers = [], 0

def wait(cond, limit=120.0):
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise SystemExit(f"timed out in {mode}")
        app.processEvents()
        time.sleep(0.005)

def button(name):
    found = [b for b in w.findChildren(QAbstractButton)
             if b.isVisible() and b.isEnabled() and b.accessibleName() == name]
    return found[0] if found else None

def click(name, count=True):
    b = button(name)
    QTest.mouseClick(b, Qt.MouseButton.LeftButton, pos=b.rect().center())
    if count:
        actions.append(name)

def answer_questions():
    global answers
    for name in ("Answer yes", "Ready"):  # "did you hear it?", "set the volume, then Ready"
        if button(name) is not None:
            click(name, count=False)
            answers += 1

def busy():
    answer_questions()
    return w.run_all.active or any(getattr(p, "panel", None) is not None and p.panel.running
                                   for p in w.pages.values())

wait(lambda: button("Start the check") is not None)  # the checks are loaded
steps = {}
w.run_all.step_started.connect(lambda k: steps.__setitem__(k, round(time.time() - T0, 2)))
for key in ("camera", "microphone", "speaker", "network", "system"):
    w.pages[key].panel.all_finished.connect(
        lambda key=key: steps.__setitem__(key + " done", round(time.time() - T0, 2)))
steps["loaded"] = round(time.time() - T0, 2)
if mode == "oneclick":
    click("Start the check")
    if not w.run_all.active:  # no camera or microphone: said first, the demo offered
        wait(lambda: button("See how it works with a sample video") is not None)
        click("See how it works with a sample video")
    wait(lambda: not busy() and w.current_key() == "results")
else:  # the baseline: Next, the page's own check button, wait, and on to the next page
    for key, check in (("camera", "Check the camera"), ("microphone", "Check the microphone"),
                       ("speaker", "Check the speakers"), ("network", "Check the connection"),
                       ("system", None)):
        click(f"Next step: {w.pages[key].title()}")
        if check is not None:
            click(check)
        wait(lambda: not busy())
    click("Next step: Results")
res = w.pages["results"]
verdict = res.verdict.word.text()
t = time.time() - T0
print(json.dumps({"mode": mode, "seconds": round(t, 2), "actions": len(actions),
                  "answers": answers, "verdict": verdict, "steps": steps,
                  "checks": {k: r.status.value for k, r in w.session.results.items()}}))
w.close()
"""


def one(mode: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": tmp,
               "XDG_STATE_HOME": tmp, "XDG_DATA_HOME": tmp, "XDG_CACHE_HOME": tmp}
        proc = subprocess.run([sys.executable, "-c", DRIVER, mode, f"{time.time():.6f}"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rows: dict[str, list[dict]] = {"oneclick": [], "stepwise": []}
    for _ in range(args.runs):  # interleaved, so a drift of the machine hits both alike
        for mode in rows:
            rows[mode].append(one(mode))
    print("| path | launch → verdict, median (min–max) | actions | + answers | verdicts |")
    print("|---|---|---|---|---|")
    for mode, label in (("oneclick", "one-click: Start the check"),
                        ("stepwise", "baseline: step by step")):
        secs = [r["seconds"] for r in rows[mode]]
        print(f"| {label} | {statistics.median(secs):.1f} s ({min(secs):.1f}–{max(secs):.1f}) "
              f"| {rows[mode][0]['actions']} | {rows[mode][0]['answers']} "
              f"| {', '.join(sorted({r['verdict'] for r in rows[mode]}))} |")
    for mode in rows:
        print(f"{mode} checks: {rows[mode][-1]['checks']}", file=sys.stderr)
        print(f"{mode} times: {rows[mode][-1]['steps']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
