"""Every page as a real window on an X server (Xvfb through pytest-xvfb), screenshots grabbed
from the screen into tests/artifacts/: English light, Swedish dark, and English at 1.5× scale (fractional, the hard case).
Each run is its own process (tests/gui_tour.py): the Qt platform is chosen once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from tests.conftest import ROOT

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

PAGES = ("1-start", "2-camera", "3-microphone", "4-speakers", "5-network", "6-system",
         "7-results", "8-details", "8-details-history", "9-checklist", "10-invitation")


def _tour(xvfb, artifacts, prefix: str, *extra: str, env: dict | None = None) -> dict:
    if xvfb is None:
        pytest.skip("no X server (run without --no-xvfb)")
    full = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{xvfb.display}", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "tests.gui_tour", str(artifacts),
                           "--prefix", prefix, *extra], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _distinct_colours(path: str) -> int:
    img = QImage(path)
    step = max(1, img.width() // 64)
    return len({img.pixel(x, y) for x in range(0, img.width(), step)
                for y in range(0, img.height(), step)})


def _check(summary: dict) -> None:
    assert summary["platform"] == "xcb"
    for page in PAGES:
        assert page in summary["pages"], page
        assert _distinct_colours(summary["pages"][page]["file"]) > 8  # a drawn window, not blank
    assert summary["camera_frames"] >= 10
    assert summary["meter_updates"] >= 10
    assert summary["left_running"] == []
    # a newcomer on this computer without camera or microphone is told first, and the demo
    # taken from the offer is neither kept nor compared with the seeded run (issue 20)
    assert summary["missing"] and summary["started_without_devices"] is False
    assert summary["compared"] is False and summary["kept"] is False
    assert summary["kept_runs"] == 1  # the seeded run alone
    assert "Example AB" in summary["invitation"]
    assert "../../etc/passwd" not in summary["invitation_error"]
    assert "'profile' must be one of" in summary["invitation_error"]
    # no step waited out its timeout: the whole tour is quick (it took 30-90 s when a wait
    # ran to its end; a loaded machine gets generous room)
    assert sum(summary["seconds"].values()) < 60, summary["seconds"]


def test_every_page_in_english(xvfb, artifacts):
    s = _tour(xvfb, artifacts, "gui-en")
    _check(s)
    assert s["network_samples"] > 5
    assert s["one_click"]["verdict"] == s["verdict"] == "Demo finished"


def test_every_page_in_swedish_dark_mode(xvfb, artifacts):
    s = _tour(xvfb, artifacts, "gui-sv-dark", "--lang", "sv", "--dark", "--quick")
    _check(s)
    assert s["verdict"] == "Demon är klar"
    start = QImage(s["pages"]["1-start"]["file"])
    assert QImage(start).pixelColor(start.width() // 2, start.height() // 2).lightness() < 110


def test_every_page_at_fractional_scale(xvfb, artifacts):
    s = _tour(xvfb, artifacts, "gui-hidpi", "--quick", env={"QT_SCALE_FACTOR": "1.5"})
    _check(s)
    assert s["dpr"] == 1.5
