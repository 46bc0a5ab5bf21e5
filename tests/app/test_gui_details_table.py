"""The Details page's tables (IT support): filled with every metric of a whole run, their
columns sized to the text once at the end, not again at every cell (a header that sizes its
columns to their contents measures a whole column per cell set: 41 metrics took 160 ms to
show, bench/bench_details_refresh.py). Reached as a person does: the side list."""

from __future__ import annotations

import pytest

from tests.gui_fixtures import click_step
from tests.report_samples import (
    camera_result,
    loaded_system_result,
    microphone_result,
    network_result,
    speaker_error,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _whole_run(w) -> None:
    for r in (camera_result(), microphone_result(), speaker_error(), network_result(),
              loaded_system_result()):
        w.session.results[r.id] = r


def test_the_metrics_are_listed_with_columns_that_fit_them(make_window, qtbot):
    from PySide6.QtWidgets import QHeaderView

    w = make_window(demo_mode="on", role="it")
    _whole_run(w)
    page = w.pages["details"]
    table = page.metrics
    header = table.horizontalHeader()
    modes: list[QHeaderView.ResizeMode] = []

    def changed(*_args) -> None:
        modes.append(header.sectionResizeMode(0))

    table.model().dataChanged.connect(changed)
    click_step(qtbot, w, "details")
    table.model().dataChanged.disconnect(changed)
    # every measured value of the run is there, each cell set with the sizing held back
    expected = sum(len(r.metrics) for r in w.session.results.values())
    assert table.rowCount() >= 40 and table.rowCount() <= expected
    assert len(modes) >= 6 * table.rowCount()
    assert set(modes) == {QHeaderView.ResizeMode.Interactive}
    # ... and afterwards sized to what they hold: no value or limit is cut short
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    qtbot.waitUntil(lambda: all(table.columnWidth(c) >= table.sizeHintForColumn(c)
                                for c in range(table.columnCount() - 1)), timeout=2000)
    assert table.updatesEnabled()
    values = {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert values["faces"] == "1"


def test_the_devices_and_kept_runs_are_sized_the_same_way(make_window, qtbot):
    from PySide6.QtWidgets import QHeaderView

    w = make_window(demo_mode="on", role="it")
    click_step(qtbot, w, "details")
    page = w.pages["details"]
    for table in (page.devices, page.history):
        assert table.horizontalHeader().sectionResizeMode(0) == \
            QHeaderView.ResizeMode.ResizeToContents
        assert table.updatesEnabled()
