"""The text drawn over a preview picture follows a language switch made while it is shown
(issue 23, item 13): the camera's error and its fix, once in English, read in Swedish after
the person picks Svenska in the language box, and back. Driven as a person: the side list and
the language box by keyboard, found by accessible name."""

from __future__ import annotations

import pytest

from techcheck.checks.model import Status
from tests.app.test_gui_locale import _choose_language
from tests.gui_fixtures import click_step

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_the_camera_overlay_follows_the_language(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="off", language="en", camera=str(tmp_path / "no-such-clip.avi"))
    cam = w.pages["camera"]
    click_step(qtbot, w, "camera")
    qtbot.waitUntil(lambda: cam.looks.status() is Status.FAIL, timeout=10_000)
    english = cam.video.message()
    assert "How to fix it: " in english  # the camera's problem and its fix, over the view
    _choose_language(qtbot, w, "Svenska", "Language", "sv")
    # what the view draws now, before the camera page is entered again
    swedish = cam.video.message()
    assert "Så åtgärdar du det: " in swedish and "How to fix it" not in swedish, swedish
    click_step(qtbot, w, "camera")
    qtbot.waitUntil(lambda: cam.looks.status() is Status.FAIL and cam.preview is None,
                    timeout=10_000)
    assert "Så åtgärdar du det: " in cam.video.message()
    _choose_language(qtbot, w, "English", "Språk", "en")
    assert cam.video.message() == english
