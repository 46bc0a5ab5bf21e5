"""The first window fits the screen it opens on (issue 23, item 1): on real X servers (Xvfb) of
1024×600, 1366×768 at 150 % scale (910×512 device-independent pixels) and 1920×1080, the window
with its frame lies inside the screen's available area and "Start the check" is wholly visible
at first show; a size remembered on a big screen is clamped on a small one. Each screen is its
own process (Qt reads the platform and the scale once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

PROBE = r"""
import json, sys
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
app = QApplication([])
from techcheck.app.gui import settings as S
from techcheck.app.gui.window import MainWindow
ini, resize_to = sys.argv[1], json.loads(sys.argv[2])
s = S.Settings(QSettings(ini, QSettings.Format.IniFormat))
s.set(S.DEMO_MODE, "on")
w = MainWindow(s)
w.show()
from PySide6.QtTest import QTest
QTest.qWaitForWindowExposed(w, 20000)
for _ in range(20):
    app.processEvents()
    QTest.qWait(20)
button = next(b for b in w.findChildren(QAbstractButton)
              if b.isVisible() and b.accessibleName() == "Start the check")
top_left = button.mapToGlobal(button.rect().topLeft())
avail = w.screen().availableGeometry()
frame = w.frameGeometry()
out = {
    "available": [avail.x(), avail.y(), avail.width(), avail.height()],
    "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
    "button": [top_left.x(), top_left.y(), button.width(), button.height()],
    "button_whole": button.visibleRegion().boundingRect() == button.rect(),
    "dpr": w.devicePixelRatioF(),
}
if len(sys.argv) > 3:  # the whole screen, as a person sees it
    w.screen().grabWindow(0).save(sys.argv[3])
if resize_to:  # the person makes the window big and moves it, then closes it
    w.setGeometry(*resize_to)
    for _ in range(10):
        app.processEvents()
        QTest.qWait(20)
w.close()
print(json.dumps(out))
"""


def _probe(display: str, ini: Path, scale: str | None = None,
           resize_to: list[int] | None = None, shot: Path | None = None) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    proc = subprocess.run([sys.executable, "-c", PROBE, str(ini), json.dumps(resize_to),
                           *([str(shot)] if shot else [])],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


def _assert_fits(found: dict) -> None:
    assert _inside(found["frame"], found["available"]), found
    assert _inside(found["button"], found["available"]), found
    assert found["button_whole"], found


@pytest.mark.parametrize(("size", "scale", "logical"), [
    ((1024, 600), None, (1024, 600)),
    ((1366, 768), "1.5", (911, 512)),  # 1366 / 1.5 rounded up
    ((1920, 1080), None, (1920, 1080)),
])
def test_first_window_fits_the_screen(screen, tmp_path, artifacts, size, scale, logical):
    shot = artifacts / f"screen-fit-{size[0]}x{size[1]}{'-scaled' if scale else ''}.png"
    found = _probe(screen(*size), tmp_path / "fresh.ini", scale, shot=shot)
    assert found["available"][2:] == list(logical)
    _assert_fits(found)
    if size == (1920, 1080):  # room to spare: the preferred size, not the whole screen
        assert found["frame"][2] < 1200 and found["frame"][3] < 850, found


def test_a_remembered_size_is_clamped_to_a_smaller_screen(screen, tmp_path):
    ini = tmp_path / "kept.ini"
    big = _probe(screen(1920, 1080), ini, resize_to=[300, 200, 1500, 850])
    _assert_fits(big)
    again = _probe(screen(1920, 1080), ini)
    assert again["frame"][2] >= 1500, again  # remembered
    small = _probe(screen(1024, 600), ini)
    _assert_fits(small)
