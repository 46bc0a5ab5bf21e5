"""The HTML report: one self-contained file a candidate can mail and a recruiter can open anywhere.

The page is a Jinja2 template, ``resources/templates/report.html``, that a designer can read and
change; autoescape is on, so every value from the report is escaped and only what is marked
safe here (the bundled CSS) is not. Everything is inside the file: the CSS
(``resources/templates/report.css``), the status icons and the gauges as inline SVG, the
optional camera snapshot and a brand's logo as ``data:`` URIs. No scripts, no fonts, no links to
anything outside, and a Content-Security-Policy that forbids loading anything if a future edit
slips. Status is never shown by colour alone: an icon shape and a word go with it. The layout
prints on A4.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from techcheck import resources
from techcheck.app import brand as branding
from techcheck.app.report import view
from techcheck.app.report.view import Gauge
from techcheck.checks.model import Report, Status

#: Colours of the statuses (also in report.css, where the page uses them as CSS variables).
COLOUR = {
    Status.PASS: "#1a7f37", Status.WARN: "#bf8700", Status.FAIL: "#cf222e",
    Status.ERROR: "#8250df", Status.SKIPPED: "#59636e", Status.TIP: "#0969da",
}
TINT = {
    Status.PASS: "#dafbe1", Status.WARN: "#fff8c5", Status.FAIL: "#ffebe9",
    Status.ERROR: "#fbefff", Status.SKIPPED: "#eff2f5", Status.TIP: "#ddf4ff",
}


@cache
def _environment() -> Environment:
    """The template environment: autoescape always on (every template here is HTML), and a
    name the template misspells is an error, not an empty string."""
    return Environment(loader=FileSystemLoader(str(resources.path("templates"))),
                       autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


@cache
def _css() -> Markup:
    # Trusted bundled file; escaping would break it (quotes inside <style> are not decoded).
    return Markup(resources.path("templates", "report.css").read_text(encoding="utf-8"))


def render(report: Report, lang: str | None = None) -> str:
    """The report as one HTML page; the brand of the invitation it was made for (validated
    again by ``techcheck.app.brand``) adds the organisation's name, logo, accent colour and welcome."""
    v = view.build(report, lang)
    brand = branding.from_report(report)
    return _environment().get_template("report.html").render(
        v=v, labels=v.labels, version=report.app_version or "?", css=_css(), brand=brand,
        gauge_shape=gauge_shape, b64=lambda data: base64.b64encode(data).decode("ascii"))


@dataclass(frozen=True)
class GaugeShape:
    """Where the parts of a gauge go, in pixels (the template draws them)."""

    w: int
    h: int
    y: int
    bh: int
    colour: str
    label: str
    band: tuple[float, float] | None = None  # x and width of the band of good values
    dot: float = 0.0  # the measured value's dot on a banded scale
    mid: float = 0.0
    bad: tuple[float, float] | None = None  # x and width of the bad side of the limit
    bar: float = 0.0  # the measured value's bar
    mark: float | None = None  # the limit's line


def gauge_shape(g: Gauge, status: Status | None, label: str, width: int = 150) -> GaugeShape:
    """A small bar: the measured value against its limit, the bad side of the limit tinted;
    or a dot on a scale with the band of good values tinted."""
    w, h, y, bh = width, 18, 5, 8
    colour = COLOUR.get(status, "#8c959f") if status else "#8c959f"
    x = round(g.value * w, 1)
    if g.band is not None:
        a, b = (round(f * w, 1) for f in g.band)
        return GaugeShape(w, h, y, bh, colour, label, band=(a, max(b - a, 1)),
                          dot=min(max(x, 5), w - 5), mid=y + bh / 2)
    bad = None
    if g.limit is not None and g.higher_is_better is not None:
        lx = round(g.limit * w, 1)
        bad = (0, lx) if g.higher_is_better else (lx, w - lx)
    mark = min(max(round(g.limit * w, 1), 1), w - 1) if g.limit is not None else None
    return GaugeShape(w, h, y, bh, colour, label, bad=bad, bar=max(x, 2), mark=mark)
