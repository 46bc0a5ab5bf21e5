"""The connection page's graphs write their axes one way and name every line (issue 23, item
13): the speed axis read "0, 5000, 10k, 15k, 20k" (two formats on one axis) and the legend
gave bare numbers. Now every label of an axis has one format, in the language's digits
("5 000" and "2,5" in Swedish), and each line's legend, under the plot, names the series with
the figure and its unit. The graphs are those of the running app, reached from the side list;
the points are the speeds of recorded runs (tests/data/report_samples.json)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor

from tests import report_samples as samples
from tests.gui_fixtures import click_step

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _speeds(name: str) -> tuple[float, float]:
    m = samples.network_result(name).metrics
    return float(m["download"].value), float(m["upload"].value)  # type: ignore[arg-type]


def _fill(graph, down: float, up: float) -> None:
    graph.clear()
    for i in range(1, 21):  # a transfer ramping up to its rate, as the check's samples do
        ramp = min(1.0, i / 6)
        graph.add("down", i * 0.5, down * ramp)
        graph.add("up", i * 0.5, up * ramp)
    graph.set_measure("down", down)
    graph.set_measure("up", up)


def _one_format(texts: list[str], decimal: str) -> bool:
    """Every label has the same number of decimals and none carries a "k"."""
    places = {len(t.split(decimal)[1]) if decimal in t else 0 for t in texts}
    return len(places) == 1 and not any("k" in t for t in texts)


@pytest.mark.parametrize(("lang", "sep", "group"), [("en", ".", ","), ("sv", ",", "\u00a0")])
def test_axes_have_one_format_and_every_line_a_legend(make_window, qtbot, lang, sep, group):
    w = make_window(demo_mode="on", language=lang)
    click_step(qtbot, w, "network")
    graph = w.pages["network"].throughput
    # the loopback's speeds: thousands of Mbit/s (was "0", "5000", "10k", "15k", "20k")
    down, up = _speeds("platform_blocked")
    _fill(graph, down, up)
    texts = graph.axis_texts()
    assert texts[0] == "0" and _one_format(texts, sep), texts
    assert all(re.fullmatch(rf"\d{{1,3}}({re.escape(group)}\d{{3}})*", t) for t in texts), texts
    assert float(texts[-1].replace(group, "")) >= down  # the axis reaches above every point
    assert len(texts) <= 5
    # a slow line: decimals, with the language's separator on every label alike
    _fill(graph, *_speeds("slow_upload"))
    texts = graph.axis_texts()
    assert _one_format(texts, sep), texts
    small = [1.0, 2.3, 3.1]
    graph.clear()
    for i, v in enumerate(small):
        graph.add("down", float(i), v * 2.5)
    texts = graph.axis_texts()
    assert _one_format(texts, sep) and sep in texts[1], texts  # "2,5", "5,0", not "2,5", "5"
    # each line is named, with the card's figure and its unit
    _fill(graph, down, up)
    legend = [graph.legend(k) for k in graph.series]
    names = {"en": ("Download", "Upload"), "sv": ("Nedladdning", "Uppladdning")}[lang]
    for text, name in zip(legend, names, strict=True):
        assert text.startswith(name + ": ") and text.endswith("\u00a0Mbit/s"), text


def test_the_legend_is_drawn_under_the_plot(make_window, qtbot):
    """The legend's line samples are painted below the plot, in each series' colour."""
    w = make_window(demo_mode="on", language="sv")
    click_step(qtbot, w, "network")
    graph = w.pages["network"].latency
    graph.resize(520, 220)
    graph.clear()
    for i in range(30):
        graph.add("idle", i * 0.2, 30 + (i % 3))
        graph.add("loaded", i * 0.2, 60 + (i % 5))
    qtbot.wait(10)
    image = graph.grab().toImage()
    fm = graph.fontMetrics()
    # the lowest rows of the widget (under the plot) hold both legend colours
    dark = graph.palette().window().color().lightnessF() < 0.5
    want = [QColor("#64b5f6"), QColor("#ffb74d")] if dark else [QColor("#1565c0"),
                                                                QColor("#c05600")]
    band = range(image.height() - 2 * (fm.height() + 4) - 8, image.height())
    for colour in want:
        hits = sum(1 for y in band for x in range(image.width())
                   if _near(QColor(image.pixel(x, y)), colour))
        assert hits >= 8, colour.name()
    rows = graph.legend_layout(fm.horizontalAdvance, graph.width())
    assert [k for row in rows for k, _, _ in row] == ["idle", "loaded"]


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60
