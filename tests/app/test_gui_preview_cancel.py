"""The interviewer's view while the connection is checked again and after Cancel (issue 23,
item 5): it pauses and says so, its "what if" sliders wait, and after Cancel it never keeps a
"Starting…" that nothing is doing: either the picture runs again or it says why not, and the
sliders are usable exactly when there is something to model. Pressed as a person does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QSlider

from tests.gui_fixtures import by_name, click_step, press

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support"), pytest.mark.slow]


def test_cancel_leaves_the_view_honest(make_window, qtbot):
    w = make_window(demo_mode="on")
    press(qtbot, by_name(w, "Start the check"))
    qtbot.waitUntil(lambda: w.current_key() == "results" and not w.run_all.active,
                    timeout=120_000)
    click_step(qtbot, w, "network")
    net = w.pages["network"]
    qtbot.waitUntil(lambda: net.preview_slot.view is not None
                    and net.preview_slot.view.stream is not None, timeout=10_000)
    view = net.preview_slot.view
    upload = by_name(w, "What if: upload speed", QSlider)
    assert upload.isEnabled()
    # "Check again" at once, before the first modelled frame may even have come
    press(qtbot, by_name(w, "Check again"))
    assert net.panel.running
    assert not upload.isEnabled() and not view.loss.isEnabled()
    assert view.model_view._message == "Paused while the check runs."
    press(qtbot, by_name(w, "Cancel the check"))
    qtbot.waitUntil(lambda: not net.panel.running, timeout=30_000)
    qtbot.wait(300)

    def honest() -> bool:
        if view.stream is not None:  # running again: the picture replaces "Starting…"
            return view.model_view._message == "" and view.model_view.frames_shown > 0
        return (view.model_view._message not in ("Starting…", "Paused while the check runs.")
                and upload.isEnabled() == (view.plan is not None))

    qtbot.waitUntil(honest, timeout=20_000)
    assert upload.isEnabled() == (view.plan is not None)
