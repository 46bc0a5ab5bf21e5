"""A focus ring that a keyboard user can see: 2.5 px in the accent colour, a small gap outside
the focused widget, in light and dark themes alike.

The platform styles draw focus as a faint 1-px line (Fusion) or a dotted rectangle, and the
primary button's accent fill hides even that. WCAG 2.2 success criterion 2.4.7 (Focus Visible)
asks for a visible indicator, and 2.4.13 (Focus Appearance) for one at least 2 CSS px thick with
a 3:1 contrast against what surrounds it (https://www.w3.org/TR/WCAG22/#focus-appearance). One
ring drawn over the widget's parent, as Qt's own QFocusFrame does, gives every focusable widget
(buttons, the step list, check boxes, sliders, combo boxes) the same indicator without styling
each class: the ring is a sibling of the focused widget, so it scrolls and clips with it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen, QRegion
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from techcheck.app.gui import style

#: Ring thickness and the gap between the ring and the widget, in device-independent pixels.
RING_WIDTH = 2.5
RING_GAP = 1.5
MARGIN = int(RING_WIDTH + RING_GAP + 0.5)


def ring_colour(palette: QPalette) -> QColor:
    """The accent colour of the palette's theme (``style.ACCENT``)."""
    mode = "dark" if palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5 else "light"
    return QColor(style.ACCENT[mode])


def _bring_into_view(widget: QWidget) -> None:
    """Scroll every scroll area holding ``widget`` so that it and its ring are seen: Tab from
    the action bar into a page's content does not pass the scroll area's own handling, and
    focus would land below the fold."""
    parent = widget.parentWidget()
    while parent is not None:
        inner = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and inner is not None and inner.isAncestorOf(widget):
            layout = inner.layout()
            if layout is not None:  # where the widget is now, not before a pending layout
                layout.activate()
            parent.ensureWidgetVisible(widget, 2 * MARGIN, 2 * MARGIN)
        parent = parent.parentWidget()


class FocusRing(QWidget):
    """Follows the application's focus widget inside ``window`` and draws a ring around it.
    Transparent for the mouse and masked to the ring itself: it never takes a click or covers
    what it surrounds."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focus-ring")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.window_ = window
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []
        self.hide()
        app = QApplication.instance()
        app.focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is not self.window_:
            return  # a dialog or a menu of this window took the focus: the ring stays put
        self.follow(new)

    def follow(self, widget: QWidget | None) -> None:
        """Ring ``widget`` (None: nobody). Only widgets a person reaches with Tab or a click
        get a ring; a container that holds focus for a screen reader does not."""
        for w in self._watched:
            w.removeEventFilter(self)
        self._watched = []
        if self.target is not None:
            self.target.destroyed.disconnect(self._target_gone)
        wants = (widget is not None and widget is not self
                 and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus))
        self.target = widget if wants else None
        if self.target is None:
            self.hide()
            return
        self.target.destroyed.connect(self._target_gone)
        _bring_into_view(self.target)
        parent = self._host(self.target)
        # the ring moves with the widget and every container between the two
        link: QWidget | None = self.target
        while link is not None and link is not parent:
            link.installEventFilter(self)
            self._watched.append(link)
            link = link.parentWidget()
        if self.parentWidget() is not parent:
            self.setParent(parent)
        self._place()

    def _host(self, target: QWidget) -> QWidget:
        """Where the ring lives: the scrolling content of the page holding ``target`` (so it
        scrolls with it), else the window. Never a passing container such as a result card:
        deleting one would delete the ring with it."""
        w = target.parentWidget()
        while w is not None and w is not self.window_:
            viewport = w.parentWidget()
            area = viewport.parentWidget() if viewport is not None else None
            if isinstance(area, QScrollArea) and area.widget() is w:
                return w
            w = viewport
        return self.window_

    def _target_gone(self) -> None:
        self.target = None
        self._watched = []
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in self._watched and event.type() in (
                QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide,
                QEvent.Type.ZOrderChange):
            if (obj is self.target and event.type() in (QEvent.Type.Move, QEvent.Type.Resize)
                    and self.target.hasFocus()
                    and self.target.visibleRegion().boundingRect() != self.target.rect()):
                # the page's layout moved the focused widget out of sight (a line above it
                # hid or a card appeared): scroll it back, or the keyboard is somewhere
                # the person cannot see (scrolling by hand moves the content, not the widget)
                _bring_into_view(self.target)
            self._place()
        return False

    def _place(self) -> None:
        t = self.target
        host = self.parentWidget()
        if t is None or host is None or not t.isVisible():
            self.hide()
            return
        top_left = t.mapTo(host, t.rect().topLeft())
        outer = QRect(top_left, t.size()).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        self.setGeometry(outer)
        inner = QRect(MARGIN, MARGIN, t.width(), t.height())
        self.setMask(QRegion(self.rect()).subtracted(QRegion(inner)))
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(ring_colour(self.palette()), RING_WIDTH)
        p.setPen(pen)
        half = RING_WIDTH / 2
        r = QRectF(self.rect()).adjusted(half, half, -half, -half)
        p.drawRoundedRect(r, 5, 5)
        p.end()
