"""Each page's primary action is on screen without scrolling, at the window sizes people have:
1000×720 (the default), 1366×768 (the commonest laptop screen) and at 1.5× scale (a 1920×1080
laptop at 150 %, which leaves 1280×720 logical pixels, minus a task bar). Proven from the
widgets' geometry, in a separate process for the scale (Qt reads it once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PROBE = r"""
import json, os, sys, tempfile
from PySide6.QtCore import QSettings, QRect
from PySide6.QtWidgets import QApplication, QAbstractButton
app = QApplication([])
from techcheck.app.gui import settings as S
from techcheck.app.gui.window import MainWindow
from techcheck.app.gui import style
tmp = tempfile.mkdtemp()
out = {"dpr": app.devicePixelRatio(), "pages": {}}
for role in ("candidate", "recruiter", "it"):
    s = S.Settings(QSettings(tmp + f"/{role}.ini", QSettings.Format.IniFormat))
    s.set(S.ROLE, role); s.set(S.DEMO_MODE, "on")
    w = MainWindow(s); w.show()
    while not w._loaded:
        app.processEvents()
    for size in json.loads(sys.argv[1]):
        w.resize(*size)
        for key in w.visible_keys():
            w.go(key)
            for _ in range(5):
                app.processEvents()
            page = w.pages[key]
            primaries = [b for b in page.findChildren(QAbstractButton)
                         if b.isVisible() and style.is_primary(b)]
            entry = {"size": [w.width(), w.height()], "primaries": len(primaries)}
            if primaries:
                b = primaries[0]
                top_left = b.mapTo(w, b.rect().topLeft())
                rect = QRect(top_left, b.size())
                entry.update(name=b.accessibleName(), inside=w.rect().contains(rect),
                             whole=b.visibleRegion().boundingRect() == b.rect(),
                             rect=[rect.x(), rect.y(), rect.width(), rect.height()])
            out["pages"][f"{role}/{key}/{size[0]}x{size[1]}"] = entry
    w.close()
print(json.dumps(out))
"""

PAGES_WITH_ONE = {"start", "camera", "microphone", "speaker", "network", "system", "results",
                  "details"}


def _probe(sizes: list[tuple[int, int]], scale: str | None = None) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(sizes)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _check(found: dict) -> None:
    bad = []
    for where, e in found["pages"].items():
        key = where.split("/")[1]
        if key in PAGES_WITH_ONE and e["primaries"] != 1:
            bad.append(f"{where}: {e['primaries']} primary buttons")
        if e["primaries"] and not (e["inside"] and e["whole"]):
            bad.append(f"{where}: {e.get('name')} at {e['rect']} is not wholly on screen")
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_primary_action_visible_at_common_sizes():
    found = _probe([(1000, 720), (1366, 768)])
    assert len(found["pages"]) >= 2 * 8
    _check(found)


@pytest.mark.slow
def test_primary_action_visible_at_one_and_a_half_scale():
    found = _probe([(1000, 720), (1280, 680)], scale="1.5")
    assert found["dpr"] == 1.5
    _check(found)


def test_the_geometry_probe_sees_a_button_below_the_fold(qtbot):
    """The measure above can fail: a button at the end of a page's scrolling content is
    clipped at 1000×720 while one in the action bar is whole."""
    from PySide6.QtWidgets import QPushButton, QWidget

    from techcheck.app.gui.pages.base import Page
    from techcheck.app.gui.session import Session

    class Tall(Page):
        key = "tall"

        def retranslate(self) -> None:
            pass

    page = Tall(Session(plugins=[], profile=None))  # type: ignore[arg-type]
    filler = QWidget(page.body)
    filler.setMinimumHeight(1500)
    page.layout_.addWidget(filler)
    below = QPushButton("below the fold", page.body)
    page.layout_.addWidget(below)
    bar = QPushButton("in the action bar", page)
    page.add_action_widget(bar)
    qtbot.addWidget(page)
    page.resize(1000, 720)
    page.show()
    qtbot.waitExposed(page)
    assert below.visibleRegion().isEmpty()
    assert bar.visibleRegion().boundingRect() == bar.rect()
