"""The connection page's graphs quote what the card quotes (issue 20 item 3): while the check
measures, each legend shows the check's own measure of its series so far (the steady transfer
rate by ``transfer.steady_rate``, the median delay by ``analysis.latency_stats``), not the last
point; once the card is shown, the card's figures. The check runs against the local measurement
server (demo mode), started with its button as a person does."""

from __future__ import annotations

import pytest

from techcheck.checks.model import Status
from tests.gui_fixtures import by_name, click_step, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.mark.slow
def test_the_legends_quote_the_checks_measures_and_then_the_card(make_window, qtbot):
    w = make_window(demo_mode="on")
    click_step(qtbot, w, "network")
    page = w.pages["network"]
    seen: list[dict] = []
    page.panel.sample.connect(lambda d: seen.append(dict(d)))
    press(qtbot, by_name(w, "Check the connection"))
    qtbot.waitUntil(lambda: "network" in page.session.results and not page.panel.running,
                    timeout=90_000)
    # during the run the check sent its measure so far with the points
    rates = [d for d in seen if d.get("kind") == "throughput"]
    delays = [d for d in seen if d.get("kind") == "latency"]
    assert rates and delays
    assert any(d.get("measure_mbps") is not None for d in rates)
    assert all(d.get("measure_ms") is not None for d in delays)
    # a steady rate is never the last half second's: they differ somewhere in the run
    assert any(d["measure_mbps"] is not None and abs(d["measure_mbps"] - d["mbps"]) > 1e-3
               for d in rates)
    result = page.session.results["network"]
    m = result.metrics
    assert result.status in (Status.PASS, Status.WARN, Status.TIP)
    # the card is shown: every legend quotes the card's own figure
    assert page.throughput.shown("down") == pytest.approx(m["download"].value)
    assert page.throughput.shown("up") == pytest.approx(m["upload"].value)
    assert page.latency.shown("idle") == pytest.approx(m["latency"].value)
    loaded = [m[k].value for k in ("loaded_latency_download", "loaded_latency_upload")
              if k in m and isinstance(m[k].value, float)]
    if loaded:
        assert page.latency.shown("loaded") == pytest.approx(max(loaded))
