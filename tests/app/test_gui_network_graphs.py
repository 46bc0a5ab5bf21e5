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
    assert result.status in (Status.PASS, Status.WARN, Status.TIP)
    # the card is shown: every legend quotes the card's own figure
    _legends_quote_the_card(page, result)


def _legends_quote_the_card(page, result) -> None:
    """Each legend says what the card says: its number, or "not measured" where the card
    has none (never the series' last point, as if it had been measured)."""
    m = result.metrics

    def card_value(name: str):  # a measure the card does not show at all: not measured
        return m[name].value if name in m else "unknown"

    loaded = [m[k].value for k in ("loaded_latency_download", "loaded_latency_upload")
              if k in m and isinstance(m[k].value, float)]
    card = {(page.throughput, "down"): card_value("download"),
            (page.throughput, "up"): card_value("upload"),
            (page.latency, "idle"): card_value("latency"),
            (page.latency, "loaded"): max(loaded) if loaded else "unknown"}
    for (graph, key), value in card.items():
        if isinstance(value, float):
            assert graph.shown(key) == pytest.approx(value), key
        else:
            assert value == "unknown", (key, value)
            assert graph.shown(key) == "unknown", key
            assert graph.legend(key).endswith(": not measured"), graph.legend(key)


@pytest.mark.slow
def test_a_server_that_cannot_be_reached_reads_not_measured_in_every_legend(
        make_window, qtbot, tmp_path):
    """An invitation's measurement server that refuses connections (127.0.0.1:9): the card
    says the speed could not be measured, and so do the legends; none of them shows a
    number the check did not measure."""
    from datetime import datetime, timedelta

    from techcheck.app import invitation as invitations

    when = (datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0)
    path = tmp_path / "invite.toml"
    path.write_text(invitations.create(
        profile="teams", when=when, contact="Anna Berg", company="Example AB",
        position="Tester", server="http://127.0.0.1:9/", stun="127.0.0.1:9").to_toml(),
        encoding="utf-8")
    w = make_window(demo_mode="on")
    with qtbot.waitSignal(w.open_invitation(str(path)).finished, timeout=10_000):
        pass
    if w.start.private_box.isVisibleTo(w.start):
        press(qtbot, by_name(w, "Use the server inside my network"))
    click_step(qtbot, w, "network")
    page = w.pages["network"]
    press(qtbot, by_name(w, "Check the connection"))
    qtbot.waitUntil(lambda: "network" in page.session.results and not page.panel.running,
                    timeout=90_000)
    result = page.session.results["network"]
    assert result.metrics["download"].value == "unknown"
    assert result.metrics["upload"].value == "unknown"
    _legends_quote_the_card(page, result)
