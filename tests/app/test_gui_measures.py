"""The app quotes one limit per measure (issue 20): the result card's sentence and the IT
support page's row of a measure that did not pass name the limit that decided its status."""

from __future__ import annotations

import pytest

from tests.cpuload import busy_cpus
from tests.gui_fixtures import click_step, press

pytestmark = [pytest.mark.slow, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.mark.solo  # loads the processor and reads its load
def test_busy_processor_card_and_details_row_quote_the_same_limit(make_window, qtbot):
    """Another program keeps every processor busy while the person checks the computer in the
    app; then they open the details page as IT support does."""
    from techcheck.checks.model import Status

    with busy_cpus(per_cpu=2, seconds=40, name="tc-gui-busy", detached=True):
        w = make_window(demo_mode="on", role="it")
        page = w.pages["system"]
        with qtbot.waitSignal(page.panel.all_finished, timeout=60_000):
            if w.current_key() == "system":
                press(qtbot, page.panel.run_button)
            else:
                click_step(qtbot, w, "system")
    result = w.session.results["system"]
    m = result.metrics["cpu_load"]
    assert m.status in (Status.WARN, Status.FAIL), result.details
    finding = next(f for f in result.findings if f.code == "system.high_cpu")
    limit = f"{m.threshold:.0f}"
    assert finding.threshold == m.threshold
    # what the person reads on the card…
    click_step(qtbot, w, "results")
    card = w.pages["results"].cards["system"]
    from PySide6.QtWidgets import QLabel

    texts = [lab.text() for lab in card.findChildren(QLabel)]
    assert any(f"(limit {limit} %)" in t for t in texts), texts
    # …and what IT support reads in the table: the same limit
    click_step(qtbot, w, "details")
    det = w.pages["details"]
    rows = {det.metrics.item(i, 1).text(): det.metrics.item(i, 4).text()
            for i in range(det.metrics.rowCount())}
    assert rows["cpu_load"] == f"≤\u00a0{limit}\u00a0%", rows
