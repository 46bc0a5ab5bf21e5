"""The Details page writes a measure's values and limits as the reports do (issue 23, item 13):
after the camera is checked by its button, the faces in view read "1" held to "exactly 1"
("exakt 1"), never "1.0" and "1.0 to 1.0", and an angle's limit has no space before its
degree sign. Reached as a person does: the check's button, then the side list."""

from __future__ import annotations

import re

import pytest

from tests.gui_fixtures import by_name, click_step, press

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support"), pytest.mark.slow]


@pytest.mark.parametrize(("lang", "button", "exactly"), [
    ("en", "Check the camera", "exactly 1"), ("sv", "Kontrollera kameran", "exakt 1")])
def test_details_write_counts_and_angles_as_declared(make_window, qtbot, lang, button, exactly):
    w = make_window(demo_mode="on", role="it", language=lang)
    click_step(qtbot, w, "camera")
    press(qtbot, by_name(w, button))
    qtbot.waitUntil(lambda: "camera" in w.session.results
                    and not w.pages["camera"].panel.running, timeout=60_000)
    click_step(qtbot, w, "details")
    table = w.pages["details"].metrics
    rows = {table.item(r, 1).text(): (table.item(r, 2).text(), table.item(r, 4).text())
            for r in range(table.rowCount())}
    assert rows["faces"] == ("1", exactly), rows["faces"]
    angles = [rows[k] for k in ("roll", "camera_roll", "yaw") if k in rows]
    assert angles, sorted(rows)
    for value, limit in angles:
        assert re.fullmatch(r"\u2212?\d+", value), value  # whole degrees, as declared
        assert re.fullmatch(r"≤\u00a0\d+°", limit), limit  # "≤ 9°", not "≤ 9,0 °"
