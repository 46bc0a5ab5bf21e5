"""Entering Results (issue 23, item 4): the verdict and the cards come first, from the top of
the page, with no sideways scrollbar; the call preview (its model and the camera) starts only
after they are painted. English and Swedish, reached as a person does: the one-click check,
Tab into the preview (which scrolls the page down), another step, then Results again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui_fixtures import by_name, click_step, press

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support"), pytest.mark.slow]

NAMES = {
    "en": ("Start the check", "Save the preview for IT support"),
    "sv": ("Starta kontrollen", "Spara förhandsvisningen åt IT-supporten"),
}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_results_open_at_the_top_before_the_preview(make_window, qtbot, lang):
    start, save = NAMES[lang]
    w = make_window(demo_mode="on", language=lang)
    press(qtbot, by_name(w, start))
    qtbot.waitUntil(lambda: w.current_key() == "results" and not w.run_all.active,
                    timeout=120_000)
    res = w.pages["results"]
    qtbot.waitUntil(lambda: res.preview_slot.view is not None
                    and res.preview_slot.view.stream is not None, timeout=10_000)

    def vbar():
        return res.scroll_area.verticalScrollBar()

    def hbar():
        return res.scroll_area.horizontalScrollBar()

    # the content is never wider than the page (the cause of the sideways scrollbar)
    assert res.body.minimumSizeHint().width() <= res.scroll_area.viewport().width()
    qtbot.waitUntil(lambda: not hbar().isVisible(), timeout=3000)
    # Tab to the preview's last button: the page scrolls down to it
    w.activateWindow()
    res.setFocus(Qt.FocusReason.OtherFocusReason)
    for _ in range(20):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget().accessibleName() == save:
            break
    assert QApplication.focusWidget().accessibleName() == save
    qtbot.waitUntil(lambda: vbar().value() > 0, timeout=2000)
    click_step(qtbot, w, "camera")
    click_step(qtbot, w, "results")
    # at once, before the event loop runs: the top of the page, and no camera started yet
    assert vbar().value() == 0
    assert res.preview_slot.view.stream is None
    qtbot.waitUntil(lambda: res.banner.visibleRegion().boundingRect() == res.banner.rect(),
                    timeout=2000)
    qtbot.waitUntil(lambda: res.preview_slot.view.stream is not None, timeout=5000)
    assert vbar().value() == 0
    assert not hbar().isVisible()
