"""A live line graph for the network page (throughput in Mbit/s, latency in ms over seconds).
Several series are told apart by line style and a legend with words, not by colour alone."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from techcheck.app.gui.i18n import current, num
from techcheck.app.gui.widgets.status import Canvas

_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)


class LiveGraph(QWidget):
    def __init__(self, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = unit
        self.title = ""
        self.series: dict[str, list[tuple[float, float]]] = {}
        self.labels: dict[str, str] = {}
        #: per series, the figure the check's result is made from (its measure over the
        #: samples so far, then the card's own figure): the legend quotes it, not the last
        #: point, so the graph says what the card says
        self.measures: dict[str, float] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(140)

    def sizeHint(self) -> QSize:
        return QSize(480, 180)

    def set_series_label(self, key: str, label: str) -> None:
        self.labels[key] = label
        self.series.setdefault(key, [])
        self.update()

    def add(self, key: str, t: float, value: float) -> None:
        self.series.setdefault(key, []).append((float(t), float(value)))
        self.update()

    def set_measure(self, key: str, value: float | None) -> None:
        """The figure the legend quotes for ``key`` (None: the last point, until one is set)."""
        if value is None:
            self.measures.pop(key, None)
        else:
            self.measures[key] = float(value)
        self.update()

    def shown(self, key: str) -> float | None:
        """What the legend says for ``key``: its measure, else its last point."""
        return self.measures.get(key, self.latest(key))

    def legend(self, key: str) -> str:
        """The legend's text for ``key``: "Nedladdning: 6 919,1" (the app's one number path)."""
        label = self.labels.get(key, key)
        last = self.shown(key)
        return label if last is None else f"{label}: {num(last, 1)}"

    def top(self) -> float:
        """The value axis' maximum: a round number above every point."""
        return _nice(max(max((v for s in self.series.values() for _, v in s), default=1.0)
                         * 1.15, 1.0))

    def axis_texts(self) -> list[str]:
        """The value axis' labels, bottom to top, as painted."""
        vmax = self.top()
        return [_label(vmax * k / 4) for k in range(5)]

    def clear(self) -> None:
        for k in self.series:
            self.series[k] = []
        self.measures.clear()
        self.update()

    def latest(self, key: str) -> float | None:
        s = self.series.get(key)
        return s[-1][1] if s else None

    def paintEvent(self, _event) -> None:
        c = Canvas(self)
        p, pal, dark, text = c.painter, c.palette, c.dark, c.text
        fm = p.fontMetrics()
        left = fm.horizontalAdvance("00000") + 8
        area = QRectF(left, fm.height() + 8, self.width() - left - 8, self.height() - 2 * fm.height() - 16)
        p.fillRect(area, pal.color(QPalette.ColorRole.Base))
        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.drawRect(area)
        pts = [pt for s in self.series.values() for pt in s]
        tmax = max([t for t, _ in pts], default=1.0)
        tmax = max(tmax, 1.0)
        vmax = self.top()
        p.setPen(text)
        p.drawText(QRectF(0, 0, self.width(), fm.height() + 4), Qt.AlignmentFlag.AlignLeft,
                   f"{self.title} ({self.unit})" if self.title else self.unit)
        for k, shown in enumerate(self.axis_texts()):
            y = area.bottom() - area.height() * k / 4
            p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.setPen(text)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight, shown)
        p.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), fm.height()),
                   Qt.AlignmentFlag.AlignRight, f"{num(tmax, 0)}\u00a0s")
        colours = [QColor("#64b5f6"), QColor("#ffb74d"), QColor("#ba68c8")] if dark else \
                  [QColor("#1565c0"), QColor("#c05600"), QColor("#7b1fa2")]
        legend_x = area.left() + 6
        for i, (key, series) in enumerate(self.series.items()):
            pen = QPen(colours[i % 3], 2.2, _STYLES[i % 3])
            if len(series) >= 2:
                # one polyline call: PySide6 6.12 crashes on long QPainterPath.lineTo loops
                line = QPolygonF([QPointF(area.left() + area.width() * t / tmax,
                                          area.bottom() - area.height() * min(v, vmax) / vmax)
                                  for t, v in series])
                p.setPen(pen)
                p.drawPolyline(line)
            label = self.legend(key)
            p.setPen(pen)
            p.drawLine(QPointF(legend_x, area.top() + 10), QPointF(legend_x + 22, area.top() + 10))
            p.setPen(text)
            p.drawText(QPointF(legend_x + 26, area.top() + 10 + fm.ascent() / 2 - 1), label)
            legend_x += 36 + fm.horizontalAdvance(label)
        p.end()


def _nice(v: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above ``v`` (axis maximum)."""
    import math

    exp = 10.0 ** math.floor(math.log10(max(v, 1e-9)))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _label(v: float) -> str:
    """An axis value: "2,5", "7,5k" in Swedish (the app's one way to write numbers)."""
    from techcheck.checks.l10n import python_number

    text = f"{v / 1000:g}k" if v >= 10_000 else f"{v:g}"
    return python_number(text, current())
