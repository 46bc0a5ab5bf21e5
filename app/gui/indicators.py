"""Check boxes whose box a person can see, in the dark theme too.

Fusion draws a check box's outline in the window colour made 40 % darker; on the dark palette
(window #202124) that is #17171a, the same as the box's own fill, so an unticked box on the
Preparation page was an invisible square next to its text. WCAG 2.1 success criterion 1.4.11
(Non-text Contrast, https://www.w3.org/TR/WCAG21/#non-text-contrast) asks 3:1 between what
identifies a control's state and the colours next to it. This proxy style draws the box itself:
an outline of at least 3:1 against the window and the box's fill, and a ticked box filled with
the accent colour (``style.ACCENT``) carrying a tick in the colour that reads on it. Every other
element is left to the platform's style.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

#: The unticked box's outline: 4.0:1 on Fusion's light window (#efefef) and 4.6:1 on white;
#: 6.1:1 on the dark window (#202124) and 6.5:1 on its fields (#17181a).
OUTLINE = {"light": "#6e7781", "dark": "#9aa0a6"}


def _mode(palette: QPalette) -> str:
    return "dark" if palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5 else "light"


class IndicatorStyle(QProxyStyle):
    """The platform's style with check boxes drawn to be seen (module docstring)."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element in (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                       QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck):
            _draw_box(option, painter)
            return
        super().drawPrimitive(element, option, painter, widget)


def _draw_box(option: QStyleOption, p: QPainter) -> None:
    from techcheck.app.gui import style

    pal, state = option.palette, option.state  # type: ignore[attr-defined]
    mode = _mode(pal)
    enabled = bool(state & QStyle.StateFlag.State_Enabled)
    on = bool(state & QStyle.StateFlag.State_On)
    partly = bool(state & QStyle.StateFlag.State_NoChange)
    accent = QColor(style.ACCENT[mode])
    box = option.rect  # type: ignore[attr-defined]
    # a whole-pixel square and a pen of whole pixels centred on its edges: the outline covers
    # full pixels, not two half-blended ones that lose the contrast it was chosen for
    side = min(box.width(), box.height()) - 2
    pen_w = max(2, round(side / 9))
    r = QRectF(box.left() + (box.width() - side) // 2, box.top() + (box.height() - side) // 2,
               side, side)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not enabled:
        edge = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        fill = pal.color(QPalette.ColorRole.Window)
    elif on or partly:
        edge = fill = accent
    else:
        edge = QColor(OUTLINE[mode])
        if state & QStyle.StateFlag.State_MouseOver:
            edge = accent
        fill = pal.color(QPalette.ColorRole.Base)
    p.setPen(QPen(edge, pen_w))
    p.setBrush(fill)
    p.drawRoundedRect(r, side / 6, side / 6)
    if on or partly:
        mark = QColor(style.ACCENT_TEXT[mode]) if enabled else edge
        p.setPen(QPen(mark, max(1.8, side / 7), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        p.setBrush(Qt.BrushStyle.NoBrush)
        x, y, s = r.left(), r.top(), side
        if partly and not on:
            p.drawLine(QPointF(x + s * 0.25, y + s / 2), QPointF(x + s * 0.75, y + s / 2))
        else:
            tick = QPainterPath(QPointF(x + s * 0.24, y + s * 0.52))
            tick.lineTo(QPointF(x + s * 0.43, y + s * 0.70))
            tick.lineTo(QPointF(x + s * 0.77, y + s * 0.31))
            p.drawPath(tick)
    p.restore()


def install(app: QApplication) -> None:
    """Wrap the application's style once (again after the theme replaced it), keeping the
    palette: setting a style puts the style's own palette back."""
    if isinstance(app.style(), IndicatorStyle):
        return
    palette = app.palette()
    proxy = IndicatorStyle(app.style().name())
    # Qt owns the style once set, but the Python wrapper must live as long: its drawPrimitive
    # is what Qt calls (a collected wrapper left Qt calling into freed memory)
    app._techcheck_style = proxy  # type: ignore[attr-defined]
    app.setStyle(proxy)
    app.setPalette(palette)
