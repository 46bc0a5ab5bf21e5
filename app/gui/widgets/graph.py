"""A live line graph for the network page (throughput in Mbit/s, latency in ms over seconds).
Several series are told apart by line style and a legend with words, not by colour alone."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from techcheck.app.gui.i18n import current, qty
from techcheck.app.gui.widgets.status import Canvas

_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
#: The length of a series' line in the legend, in pixels.
SWATCH = 22
#: At most this many steps on the value axis (five labels, 0 to the top).
TICKS = 4


class LiveGraph(QWidget):
    def __init__(self, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = unit
        self.title = ""
        self.series: dict[str, list[tuple[float, float]]] = {}
        self.labels: dict[str, str] = {}
        #: per series, the figure the check's result is made from (its measure over the
        #: samples so far, then the card's own figure): the legend quotes it, not the last
        #: point, so the graph says what the card says; "unknown" once the card says the
        #: series could not be measured (the legend then says so, never its last point)
        self.measures: dict[str, float | str] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)  # the plot, the time axis and the legend under it

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def set_series_label(self, key: str, label: str) -> None:
        self.labels[key] = label
        self.series.setdefault(key, [])
        self.update()

    def add(self, key: str, t: float, value: float) -> None:
        self.series.setdefault(key, []).append((float(t), float(value)))
        self.update()

    def set_measure(self, key: str, value: float | str | None) -> None:
        """The figure the legend quotes for ``key``: a number, "unknown" (the check could not
        measure it: the legend says "not measured"), or None (no measure yet: the last
        point)."""
        if value is None:
            self.measures.pop(key, None)
        elif isinstance(value, str):
            self.measures[key] = "unknown"
        else:
            self.measures[key] = float(value)
        self.update()

    def shown(self, key: str) -> float | str | None:
        """What the legend says for ``key``: its measure ("unknown" when it could not be
        measured), else its last point."""
        return self.measures.get(key, self.latest(key))

    def legend(self, key: str) -> str:
        """The legend's text for ``key`` with its unit, written as the card and the reports
        write the figure (``l10n.quantity``): "Nedladdning: 6 919 Mbit/s"."""
        label = self.labels.get(key, key)
        last = self.shown(key)
        return label if last is None else f"{label}: {qty(last, self.unit)}"

    def _reach(self) -> float:
        """How high the axis must reach: a little above every point."""
        vmax = max((v for s in self.series.values() for _, v in s), default=1.0)
        return max(vmax * 1.1, 1.0)

    def step(self) -> float:
        """The value axis' step: a round 1, 2, 2.5 or 5 × 10^n, at most ``TICKS`` of which
        reach above every point."""
        return _nice(self._reach() / TICKS)

    def top(self) -> float:
        """The value axis' maximum: the first step at or above every point."""
        step = self.step()
        return step * max(1, math.ceil(self._reach() / step - 1e-9))

    def axis_texts(self) -> list[str]:
        """The value axis' labels, bottom to top, as painted: one format for all of them, in
        the graph's unit and the app's language ("0", "5 000", "10 000"; "0,0", "2,5", "5,0"),
        never "5000" next to "20k"."""
        step = self.step()
        n = round(self.top() / step)
        return [_label(step * k, _decimals(step)) for k in range(n + 1)]

    def clear(self) -> None:
        for k in self.series:
            self.series[k] = []
        self.measures.clear()
        self.update()

    def latest(self, key: str) -> float | None:
        s = self.series.get(key)
        return s[-1][1] if s else None

    def legend_layout(self, advance: Callable[[str], float], width: float) -> list[
            list[tuple[str, str, float]]]:
        """The legend's rows under the plot: (key, text, x) of each series, a new row when
        the next one would not fit ``width`` (a Swedish legend is longer)."""
        rows: list[list[tuple[str, str, float]]] = [[]]
        x = 0.0
        for key in self.series:
            label = self.legend(key)
            need = SWATCH + 6 + advance(label)
            if rows[-1] and x + need > width:
                rows.append([])
                x = 0.0
            rows[-1].append((key, label, x))
            x += need + 18
        return rows

    def paintEvent(self, _event) -> None:
        c = Canvas(self)
        p, pal, dark, text = c.painter, c.palette, c.dark, c.text
        fm = p.fontMetrics()
        ticks = self.axis_texts()
        left = max(fm.horizontalAdvance(t) for t in ticks) + 10
        line_h = fm.height() + 4
        time_text = qty(round(self._tmax()), "s")
        legend_w = self.width() - 12  # from the left edge: under the axis' labels too
        rows = self.legend_layout(fm.horizontalAdvance, legend_w)
        top = fm.height() + 8
        # under the plot: the time axis' label, then the legend's rows
        area = QRectF(left, top, self.width() - left - 8,
                      self.height() - top - 6 - line_h * (len(rows) + 1))
        p.fillRect(area, pal.color(QPalette.ColorRole.Base))
        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.drawRect(area)
        tmax, vmax = self._tmax(), self.top()
        p.setPen(text)
        p.drawText(QRectF(0, 0, self.width(), fm.height() + 4), Qt.AlignmentFlag.AlignLeft,
                   f"{self.title} ({self.unit})" if self.title else self.unit)
        for k, shown in enumerate(ticks):
            y = area.bottom() - area.height() * k / (len(ticks) - 1)
            p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(text)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight, shown)
        p.drawText(QRectF(area.left(), area.bottom() + 4, area.width(), fm.height()),
                   Qt.AlignmentFlag.AlignRight, time_text)
        colours = [QColor("#64b5f6"), QColor("#ffb74d"), QColor("#ba68c8")] if dark else \
                  [QColor("#1565c0"), QColor("#c05600"), QColor("#7b1fa2")]
        pens = {key: QPen(colours[i % 3], 2.2, _STYLES[i % 3])
                for i, key in enumerate(self.series)}
        for key, series in self.series.items():
            if len(series) >= 2:
                # one polyline call: PySide6 6.12 crashes on long QPainterPath.lineTo loops
                line = QPolygonF([QPointF(area.left() + area.width() * t / tmax,
                                          area.bottom() - area.height() * min(v, vmax) / vmax)
                                  for t, v in series])
                p.setPen(pens[key])
                p.drawPolyline(line)
        # the legend under the plot, never over the lines: each series' line style and colour,
        # its name and the figure the card quotes, with the unit
        for r, row in enumerate(rows):
            y = area.bottom() + 4 + line_h * (r + 1) + line_h / 2
            for key, label, x in row:
                x += 4
                p.setPen(pens[key])
                p.drawLine(QPointF(x, y), QPointF(x + SWATCH, y))
                p.setPen(text)
                room = int(4 + legend_w - (x + SWATCH + 6))
                shown = fm.elidedText(label, Qt.TextElideMode.ElideMiddle, max(room, 20))
                p.drawText(QPointF(x + SWATCH + 6, y + fm.ascent() / 2 - 1), shown)
        p.end()

    def _tmax(self) -> float:
        return max(max((t for s in self.series.values() for t, _ in s), default=1.0), 1.0)


def _nice(v: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above ``v`` (an axis step)."""
    exp = 10.0 ** math.floor(math.log10(max(v, 1e-9)))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _decimals(step: float) -> int:
    """Digits after the separator that write every multiple of ``step`` exactly (2.5 → 1)."""
    for d in range(4):
        if abs(step * 10**d - round(step * 10**d)) < 1e-6:
            return d
    return 3


def _label(v: float, decimals: int) -> str:
    """An axis value in the app's one way to write numbers (``l10n.number``): the language's
    separator and grouping, the same precision on every label of the axis."""
    from techcheck.checks.l10n import number

    return number(v, current(), decimals)
