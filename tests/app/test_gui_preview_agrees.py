"""The interviewer's view agrees with the rest of the app (issue 23, item 7), in the real window
in demo mode after the one-click check, pressed and dragged as a person would: it names the
video quality the Connection card names, and its upload slider dragged to the end covers the
upload the connection check measured on the loopback line (thousands of Mbit/s)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel, QSlider

from tests.app.test_gui_callpreview import _drag_to_end, _mbps
from tests.gui_fixtures import by_name, click_step, press, visible_widgets

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support"), pytest.mark.slow]


def test_the_view_names_the_cards_tier_and_its_slider_reaches_the_measured_upload(
        make_window, qtbot):
    w = make_window(demo_mode="on")
    press(qtbot, by_name(w, "Start the check"))
    qtbot.waitUntil(lambda: w.current_key() == "results" and not w.run_all.active,
                    timeout=120_000)
    click_step(qtbot, w, "network")
    net = w.pages["network"]
    qtbot.waitUntil(lambda: net.preview_slot.view is not None
                    and net.preview_slot.view.isVisible(), timeout=10_000)
    card = [lb.text() for lb in visible_widgets(net, QLabel)
            if re.match(r"(Not )?[Gg]ood enough for", lb.text())]
    assert len(card) == 1, card
    tier = re.search(r" in (\S+?)[.,]", card[0])
    assert tier, card[0]
    said = by_name(w, "How you will look to the interviewer", QLabel).text()
    assert f"enough for {tier.group(1)} video" in said, (card[0], said)

    measured = w.session.results["network"].metrics["upload"].value
    assert measured > 50  # the demo line (demo.DEMO_LINE_MBPS): more than the old slider's end
    upload = by_name(w, "What if: upload speed", QSlider)
    label = net.preview_slot.view.upload_label
    shown = _mbps(label)  # the measured upload as the person reads it, whole Mbit/s
    assert "(measured)" in label.text() and shown == pytest.approx(measured, abs=0.5)
    net.scroll_area.ensureWidgetVisible(upload)
    _drag_to_end(qtbot, upload)
    assert upload.value() == upload.maximum()
    assert _mbps(label) >= shown
    assert "used" not in by_name(w, "How you will look to the interviewer", QLabel).text()
