"""Demo mode stands in for the speakers too (issue 11): the speaker picker offers and selects
the sample speaker, "Play a test sound" plays into it and says so, and the speaker check run
from the page measures the stand-in's known echo path. Driven by mouse clicks on the widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from techcheck.app.gui.pages.devicepick import DEMO
from techcheck.checks.audio import standin
from techcheck.checks.model import Status

# the offscreen platform's chatter, as in tests/app/test_gui.py
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _open_step(qtbot, window, key: str) -> None:
    """Click the step in the side list, as a person does."""
    steps = window.steps
    row = window.visible_keys().index(key)
    rect = steps.visualItemRect(steps.item(row))
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_key() == key, timeout=5_000)


@pytest.mark.slow
def test_sample_speaker_is_offered_chosen_and_plays_in_demo_mode(make_window, qtbot):
    w = make_window(demo_mode="on", language="en")
    _open_step(qtbot, w, "speaker")
    page = w.pages["speaker"]
    assert page.picker.currentText() == "Sample (demo mode)"
    assert page.picker.spec() == DEMO
    assert w.session.devices.speaker == standin.SPEC
    assert page.play_button.isVisible() and page.play_button.isEnabled()
    _click(qtbot, page.play_button)
    assert "sample speaker" in page.play_note.text()
    assert not page.play_button.isEnabled()  # playing: as long as the voice clip lasts
    qtbot.waitUntil(lambda: page.play_button.isEnabled(), timeout=30_000)
    assert page.play_note.text().startswith("The sample speaker took the test sound")


def test_sample_speaker_is_not_offered_outside_demo_mode(make_window, qtbot):
    w = make_window(demo_mode="off", language="en")
    _open_step(qtbot, w, "speaker")
    page = w.pages["speaker"]
    assert page.picker.findData(DEMO) == -1
    assert w.session.devices.speaker != standin.SPEC


@pytest.mark.slow
def test_speaker_check_in_demo_mode_measures_the_stand_in(make_window, qtbot):
    w = make_window(demo_mode="on", language="en")
    _open_step(qtbot, w, "speaker")
    panel = w.pages["speaker"].panel
    _click(qtbot, panel.run_button)
    asked = []
    while "speaker" not in w.session.results:
        # The sample speaker makes no sound: no volume to set, nothing to have heard, so no
        # question may appear (one that did would be answered, then fail the test).
        qtbot.waitUntil(lambda: panel.question.isVisible() or "speaker" in w.session.results,
                        timeout=30_000)
        if panel.question.isVisible():
            asked.append(panel.question_text.text())
            _click(qtbot, panel.yes_button if panel.yes_button.isVisible() else panel.no_button)
            qtbot.waitUntil(lambda: not panel.question.isVisible(), timeout=5_000)
    assert asked == []
    qtbot.waitUntil(lambda: not panel.running, timeout=30_000)
    r = w.session.results["speaker"]
    assert r.status is Status.PASS, [f.code for f in r.findings]
    assert "heard" not in r.metrics and r.details["heard"].startswith("not asked")
    assert abs(r.metrics["round_trip"].value - standin.EchoPath().delay_ms) <= 2.0
    assert r.details["output"]["device"] == standin.NAME
