"""What "Hear the sentence as they will" says when it has played (issue 23, item 6): "That is
how your voice would arrive" only for the person's own recording through a real speaker; the
sample sentence is called the sample, and demo mode's stand-in speaker, which nothing can be
heard from, is said to be one. Pressed as a person does; sound through real PortAudio."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.conftest import ROOT
from tests.gui_fixtures import by_name, press

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support"), pytest.mark.slow]

PLAY = "Play the sentence as they will hear it"
OWN = "That is how your voice would arrive."


def test_the_demo_says_nothing_was_heard_on_the_stand_in(make_window, qtbot):
    w = make_window(demo_mode="on")
    press(qtbot, by_name(w, "Start the check"))
    qtbot.waitUntil(lambda: w.current_key() == "results" and not w.run_all.active,
                    timeout=120_000)
    res = w.pages["results"]
    qtbot.waitUntil(lambda: res.preview_slot.view is not None
                    and res.preview_slot.view.isVisible(), timeout=10_000)
    view = res.preview_slot.view
    button = by_name(w, PLAY)
    res.scroll_area.ensureWidgetVisible(button)
    qtbot.waitUntil(button.isEnabled, timeout=5000)
    press(qtbot, button)
    qtbot.waitUntil(lambda: view.player is None and "…" not in view.play_note.text(),
                    timeout=40_000)
    note = view.play_note.text()
    assert OWN not in note
    assert "stand-in speaker" in note, note


def test_the_sample_sentence_is_not_called_your_voice(qtbot, leak_guard, pipewire_server):
    from techcheck.app.gui.widgets.callpreview import CallPreview
    from techcheck.checks import registry
    from techcheck.checks.callmodel import Conditions
    from techcheck.checks.profile import load_profile

    limits = load_profile("generic", registry.limit_schemas(registry.discover())).limits(
        "network")
    view = CallPreview()
    qtbot.addWidget(view)
    view.show()
    try:
        view.set_inputs(limits, Conditions(3.0, 0.0, 5.0, 40.0),
                        str(ROOT / "resources" / "demo" / "camera.avi"),
                        str(ROOT / "resources" / "demo" / "voice.wav"), None)
        qtbot.mouseClick(by_name(view, PLAY, QPushButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: view.player is None, timeout=40_000)
        note = view.play_note.text()
        assert OWN not in note
        assert "sample sentence" in note, note
    finally:
        view.stop()
