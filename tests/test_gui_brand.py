"""The brand of a recruiter's invitation on the Start page: opened in the real window, found by
its accessible name, its logo drawn, gone when the invitation is closed by a real click; and a
screenshot of it on a real X server (Xvfb) for people to look at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QFrame

from tests.conftest import ROOT
from tests.gui_fixtures import by_name, press
from tests.test_brand import SAMPLE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _open(w, qtbot, path) -> None:
    with qtbot.waitSignal(w.open_invitation(str(path)).finished, timeout=10_000):
        pass


def test_the_start_page_shows_the_invitations_brand(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="on")
    start = w.start
    assert not start.brand_banner.isVisibleTo(start)  # no invitation: no brand
    path = tmp_path / "branded-invitation.toml"
    shutil.copy(SAMPLE, path)
    _open(w, qtbot, path)
    banner = by_name(w, "Acme Robotics", QFrame)
    assert banner is start.brand_banner
    assert banner.name.text() == "Acme Robotics"
    assert banner.welcome.text().startswith("Welcome, and thank you for your interest in Acme!")
    assert banner.welcome.textFormat() == banner.welcome.textFormat().PlainText
    logo = banner.logo.pixmap()
    assert not logo.isNull() and logo.height() == round(48 * logo.devicePixelRatio())
    image = logo.toImage()
    colour = image.pixelColor(image.width() * 5 // 100, image.height() // 4)  # the blue square
    assert colour.blue() > 150 and colour.red() < 80, colour.name()
    assert "#0a5cad" in banner.styleSheet()
    edge = banner.grab().toImage()
    assert edge.pixelColor(1, edge.height() // 2).name() == "#0a5cad"  # the accent bar
    # the banner sits above the form, and the invitation's own box is still there
    assert banner.geometry().bottom() < start.language.geometry().top()
    assert start.invitation_box.title() == "Invitation from Acme Robotics AB"
    press(qtbot, by_name(w, "Close the invitation"))
    assert w.session.invitation is None and not banner.isVisibleTo(start)


@pytest.mark.slow
@pytest.mark.xvfb
def test_screenshot_of_the_branded_start_page(xvfb, artifacts):
    """Grabbed from the X server's screen (tests/brand_shot.py in its own process: the Qt
    platform is chosen once per process); docs/screenshots/start-branded.png is such a shot."""
    if xvfb is None:
        pytest.skip("no X server (run without --no-xvfb)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{xvfb.display}"}
    out = artifacts / "start-branded.png"
    proc = subprocess.run([sys.executable, "-m", "tests.brand_shot", str(SAMPLE), str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["platform"] == "xcb" and summary["brand"] == "Acme Robotics"
    from PySide6.QtGui import QImage

    shot = QImage(str(out))
    assert shot.width() >= 600 and shot.height() >= 400
    x, y, w, h = summary["logo"]  # where the logo is in the window
    colour = shot.pixelColor(x + w * 5 // 100, y + h // 4)
    assert colour.blue() > 150 and colour.red() < 80, colour.name()
