"""Status shown by shape AND word AND colour, never by colour alone: a tick in a circle for
pass, an "i" in a circle for a tip, a triangle with "!" for warn, a cross for fail, a dash for
skipped, "?" for error. Colours are chosen per palette so they keep contrast in dark mode too."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QWidget

from techcheck.app.gui.i18n import ct
from techcheck.app.gui.qtapp import application
from techcheck.app.report.view import STATUS_WORD, VERDICT_STATUS, VERDICT_WORD
from techcheck.checks.model import Status, Verdict

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text")


def status_word(status: Status | None) -> str:
    """The word for a status, the same one every report uses (``view.STATUS_WORD``)."""
    if status is None:
        return translate("Status", "Not checked yet")
    return ct(STATUS_WORD[status])


def verdict_word(verdict: Verdict) -> str:
    """The word for a verdict, the same one every report uses (``view.VERDICT_WORD``)."""
    return ct(VERDICT_WORD[verdict])


def verdict_status(verdict: Verdict) -> Status:
    """The status whose colour and icon a verdict shares, as every report draws it."""
    return VERDICT_STATUS[verdict]


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightnessF() < 0.5


class Canvas:
    """How a drawn widget (the level meter, the live graph) starts painting: an antialiased
    painter on it, its palette, whether that palette is dark, and its text colour."""

    def __init__(self, widget: QWidget) -> None:
        self.painter = QPainter(widget)
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.palette = widget.palette()
        self.dark = is_dark(self.palette)
        self.text = self.palette.color(QPalette.ColorRole.WindowText)


def status_color(status: Status | None, dark: bool | None = None) -> QColor:
    dark = is_dark() if dark is None else dark
    light_set = {
        Status.PASS: "#1b7a32",
        Status.TIP: "#0a5cc2",
        Status.WARN: "#a15c00",
        Status.FAIL: "#b3261e",
        Status.ERROR: "#6d3fa0",
        Status.SKIPPED: "#5f6368",
        None: "#5f6368",
    }
    dark_set = {
        Status.PASS: "#6fd68a",
        Status.TIP: "#79b8ff",
        Status.WARN: "#ffb74d",
        Status.FAIL: "#ff8a80",
        Status.ERROR: "#c9a4f5",
        Status.SKIPPED: "#b0b4ba",
        None: "#b0b4ba",
    }
    return QColor((dark_set if dark else light_set)[status])


def paint_status(p: QPainter, s: float, status: Status | None, dark: bool) -> None:
    """Draw the status shape into the square (0, 0, s, s) in logical units: vector drawing, so
    it is sharp and whole at any device pixel ratio."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    col = status_color(status, dark)
    ink = QColor("#101010") if dark else QColor("#ffffff")
    pen = QPen(
        ink,
        max(1.5, s / 9),
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )
    if status is Status.WARN:
        tri = QPolygonF([QPointF(s / 2, 1), QPointF(s - 1, s - 2), QPointF(1, s - 2)])
        path = QPainterPath()
        path.addPolygon(tri)
        p.fillPath(path, col)
        p.setPen(pen)
        p.drawLine(QPointF(s / 2, s * 0.36), QPointF(s / 2, s * 0.62))
        p.drawPoint(QPointF(s / 2, s * 0.78))
        return
    p.setBrush(col)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QRectF(1, 1, s - 2, s - 2))
    p.setPen(pen)
    if status is Status.PASS:
        p.drawPolyline(QPolygonF([QPointF(s * 0.27, s * 0.52), QPointF(s * 0.44, s * 0.68),
                                  QPointF(s * 0.74, s * 0.34)]))
    elif status is Status.FAIL:
        p.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68))
        p.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68))
    elif status is Status.TIP:  # an "i": advice, not a problem
        p.drawLine(QPointF(s / 2, s * 0.46), QPointF(s / 2, s * 0.72))
        p.drawPoint(QPointF(s / 2, s * 0.29))
    elif status is Status.ERROR:
        f = p.font()
        f.setPixelSize(int(s * 0.7))
        f.setBold(True)
        p.setFont(f)
        p.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, "?")
    else:  # skipped / not yet: a dash
        p.drawLine(QPointF(s * 0.3, s / 2), QPointF(s * 0.7, s / 2))


@cache
def _pixmap(status: Status | None, size: int, dpr: float, dark: bool) -> QPixmap:
    pm = QPixmap(int(size * dpr), int(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    paint_status(p, float(size), status, dark)
    p.end()
    return pm


class StatusIcon(QWidget):
    """The status shape painted straight onto the widget, so no pixmap can be drawn at the
    wrong device pixel ratio and clipped (seen at 1.5x scale with a QLabel pixmap)."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._status: Status | None = None
        self.setFixedSize(size + 2, size + 2)

    def set_status(self, status: Status | None) -> None:
        self._status = status
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.translate(1, 1)
        paint_status(p, float(self._size), self._status, is_dark(self.palette()))
        p.end()


def status_pixmap(status: Status | None, size: int = 18, widget: QWidget | None = None) -> QPixmap:
    # A widget not yet on a screen reports a ratio of 1; drawing for the highest ratio of any
    # screen keeps the icon sharp and at its logical size wherever the widget ends up.
    app_dpr = application().devicePixelRatio()
    dpr = max(widget.devicePixelRatioF(), app_dpr) if widget is not None else app_dpr
    return _pixmap(status, size, round(dpr, 2), is_dark(widget.palette() if widget else None))


def status_icon(status: Status | None, widget: QWidget | None = None) -> QIcon:
    """An icon with enough sizes for any scale: Qt picks and scales the nearest."""
    icon = QIcon()
    dark = is_dark(widget.palette() if widget is not None else None)
    for size in (16, 24, 32, 48, 64):
        icon.addPixmap(_pixmap(status, size, 1.0, dark))
    return icon


class StatusBadge(QWidget):
    """Icon + word (+ optional detail), e.g. "✓ Passed — 1280×720 at 30 fps"."""

    def __init__(self, parent: QWidget | None = None, size: int = 18) -> None:
        super().__init__(parent)
        self._size = size
        self._status: Status | None = None
        self._word_override: str | None = None
        self.icon = StatusIcon(size, self)
        self.setMinimumHeight(size + 4)  # never let a row squeeze the icon
        self.word = QLabel(self)
        self.word.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.word.font()
        font.setBold(True)
        self.word.setFont(font)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.icon)
        lay.addWidget(self.word, 1)
        self.set_status(None)

    def set_status(self, status: Status | None, word: str | None = None) -> None:
        self._status, self._word_override = status, word
        self.refresh()

    def status(self) -> Status | None:
        return self._status

    def refresh(self) -> None:
        self.icon.set_status(self._status)
        text = self._word_override or status_word(self._status)
        self.word.setText(text)
        self.setAccessibleName(text)

    def sizeHint(self) -> QSize:
        return super().sizeHint()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LanguageChange):
            self.refresh()


class VerdictBanner(QWidget):
    """The one verdict, large: a band tinted in the verdict's colour with its shape, its word
    in the verdict type size, and the sentence that says what to do. Colour, shape and word
    each carry it alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QVBoxLayout

        from techcheck.app.gui import style

        self.setObjectName("verdict-banner")
        self.badge = StatusBadge(self, size=44)
        style.set_font(self.badge.word, "verdict")
        self.badge.word.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        style.set_font(self.detail, "lead", bold=False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(style.GAP + 4, style.GAP, style.GAP + 4, style.GAP)
        lay.setSpacing(style.SMALL_GAP)
        lay.addWidget(self.badge)
        lay.addWidget(self.detail)

    def paintEvent(self, event) -> None:
        col = status_color(self.badge.status(), is_dark(self.palette()))
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(col)
        fill.setAlphaF(0.14)
        p.setBrush(fill)
        p.setPen(QPen(col, 2))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        p.end()
