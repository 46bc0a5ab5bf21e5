"""The camera preview: numpy BGR frames drawn straight into a ``QImage`` (no QtMultimedia),
with the camera check's overlay: rule-of-thirds and centre guides, the face box, landmarks,
and the eye-line target band."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHideEvent, QImage, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


def frame_to_qimage(frame: Any) -> QImage:
    """A ``QImage`` sharing ``frame``'s memory (BGR or grey uint8). Keep ``frame`` alive while
    the image is used; the view does."""
    h, w = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_Grayscale8)
    return QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888)


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    """Read the first present attribute or key: the overlay takes what the analysis offers."""
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if hasattr(obj, n):
            return getattr(obj, n)
    return default


#: The picture's shape before the first frame says it: 16:9, what webcams deliver at 720p.
DEFAULT_ASPECT = 16 / 9


class VideoView(QWidget):
    """The picture, sized to its own shape: the view is never taller than the picture is at
    its width (``fitted_height``), so a page never shows black bars a third of the pane high
    above and below it; the height it does not take goes to the rest of the page. Where the
    space given is still not the picture's shape (a window too low for the width), what is
    not picture is left as the page's background, not painted black.

    The limit is a maximum height set on resizing, not ``heightForWidth``: a height that
    follows the width inside a scroll area makes its scroll bar come and go without end
    (Qt's layouts then recurse until the stack is gone)."""

    #: True when the picture can be seen (shown, its window neither hidden nor minimised),
    #: False when not: a live source behind it pauses while nobody sees it (``live.Pace``).
    on_screen_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._frame: Any = None
        self._image: QImage | None = None
        self._analysis: Any = None
        self._message = ""
        self._tag = ""
        self.show_guides = True
        self.frames_shown = 0
        self.analyses_shown = 0  # frames that brought an analysis not shown before
        self._on_screen = False
        self._watched: QWidget | None = None  # the window whose minimising we follow
        self.aspect = DEFAULT_ASPECT  # width ÷ height of the last picture
        #: the tallest the view may be (a page with two views side by side caps them)
        self.height_cap: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(640, self.fitted_height(640))

    def fitted_height(self, width: int) -> int:
        """The picture's height at ``width`` (at most ``height_cap``)."""
        h = round(width / self.aspect)
        return min(h, self.height_cap) if self.height_cap else h

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """No taller than the picture at this width: a layout gives spare height to others."""
        h = max(self.minimumHeight(), self.fitted_height(self.width()))
        if self.maximumHeight() != h:
            self.setMaximumHeight(h)

    def set_message(self, text: str | Callable[[], str]) -> None:
        """Text shown over the view (no camera, starting…). Give how the text is made
        (``lambda: self.tr("Starting…")``): it is made again after a language switch
        (``i18n.say``), so the overlay follows the language as every label does."""
        from techcheck.app.gui.i18n import say

        say(self, text if callable(text) else (lambda: text) if text else None)

    def message(self) -> str:
        """The text shown over the picture now ("" when none)."""
        return self._message

    def setText(self, text: str) -> None:  # the name ``i18n.say`` writes through
        self._message = text
        self.update()

    def set_tag(self, text: str) -> None:
        """A short line in the picture's top left corner, over the picture (what it shows:
        "Sample video"; how long the check still looks)."""
        self._tag = text
        self.update()

    def clear(self) -> None:
        self._frame = self._image = self._analysis = None
        self.update()

    def set_frame(self, frame: Any, analysis: Any = None) -> None:
        self._frame = frame  # keeps the memory the QImage points into alive
        self._image = frame_to_qimage(frame) if frame is not None else None
        if analysis is not None and analysis is not self._analysis:
            self.analyses_shown += 1
        self._analysis = analysis
        self.frames_shown += 1
        if self._image is not None and self._image.height() > 0:
            aspect = self._image.width() / self._image.height()
            if abs(aspect - self.aspect) > 1e-3:  # a camera of another shape: fit to it
                self.aspect = aspect
                self._fit()
        self.update()

    def _target(self) -> QRectF:
        """Where the picture goes: the largest rectangle of its shape, centred."""
        iw, ih = (self._image.width(), self._image.height()) if self._image is not None \
            else (self.aspect, 1.0)
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = self._target()
        p.fillRect(target, QColor("#111111"))  # the picture's place only: no bars around it
        if self._image is not None:
            p.drawImage(target, self._image)
            if self.show_guides:
                self._draw_guides(p, target)
            if self._analysis is not None:
                self._draw_analysis(p, target)
            if self._tag:
                self._draw_tag(p, target)
        if self._message:
            p.setPen(QColor("#f0f0f0"))
            f = p.font()
            f.setPointSizeF(f.pointSizeF() * 1.2)
            p.setFont(f)
            area = target.adjusted(16, 16, -16, -16)  # over the picture's place
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            if self._image is not None:  # over a picture: on a dark plate, readable on any
                plate = p.boundingRect(area, flags, self._message).adjusted(-10, -6, 10, 6)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(0, 0, 0, 170))
                p.drawRoundedRect(plate, 6, 6)
                p.setPen(QColor("#f0f0f0"))
            p.drawText(area, flags, self._message)
        p.end()

    def _draw_tag(self, p: QPainter, r: QRectF) -> None:
        """The tag on a dark plate, readable over any picture."""
        p.save()
        f = p.font()
        f.setBold(True)
        p.setFont(f)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        box = p.fontMetrics().boundingRect(self._tag)
        box.moveTopLeft(QPointF(r.left() + 10, r.top() + 8).toPoint())
        p.setPen(QPen(Qt.PenStyle.NoPen))
        p.setBrush(QColor(0, 0, 0, 180))
        p.drawRoundedRect(QRectF(box).adjusted(-6, -3, 6, 3), 5, 5)
        p.setPen(QPen(QColor("#ffffff")))
        p.drawText(QRectF(box).adjusted(-2, 0, 2, 0), flags, self._tag)
        p.restore()

    def _draw_guides(self, p: QPainter, r: QRectF) -> None:
        """Rule-of-thirds and centre lines (the same places ``LiveAnalysis.guides`` names)."""
        pen = QPen(QColor(255, 255, 255, 110), 1, Qt.PenStyle.DashLine)
        p.setPen(pen)
        for k in (1, 2):
            x = r.left() + r.width() * k / 3
            y = r.top() + r.height() * k / 3
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
            p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
        c = r.center()
        p.setPen(QPen(QColor(255, 255, 255, 150), 1))
        p.drawLine(QPointF(c.x() - 10, c.y()), QPointF(c.x() + 10, c.y()))
        p.drawLine(QPointF(c.x(), c.y() - 10), QPointF(c.x(), c.y() + 10))

    def _draw_analysis(self, p: QPainter, r: QRectF) -> None:
        """Overlay of ``techcheck.checks.camera.live.LiveAnalysis`` (coordinates in frame pixels)."""
        a, image = self._analysis, self._image
        if image is None:
            return
        iw, ih = image.width(), image.height()
        sx, sy = r.width() / iw, r.height() / ih

        def pt(x: float, y: float) -> QPointF:
            return QPointF(r.left() + x * sx, r.top() + y * sy)

        good = bool(_get(a, "looks_good", default=False))
        guides = _get(a, "guides")
        band = _get(guides, "eye_band") if guides is not None else None
        if band:
            y0, y1 = band
            top, bottom = pt(0, y0), pt(0, y1)
            rect = QRectF(r.left(), top.y(), r.width(), bottom.y() - top.y())
            p.fillRect(rect, QColor(111, 214, 138, 34))
            p.setPen(QPen(QColor(111, 214, 138, 150), 1, Qt.PenStyle.DotLine))
            p.drawLine(rect.topLeft(), rect.topRight())
            p.drawLine(rect.bottomLeft(), rect.bottomRight())
        face_col = QColor("#6fd68a") if good else QColor("#ffd54f")
        for other in _get(a, "other_faces", default=[]) or []:
            x, y, w, h = other
            p.setPen(QPen(QColor(255, 255, 255, 140), 2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(pt(x, y), pt(x + w, y + h)), 8, 8)
        box = _get(a, "face_box")
        if box is not None:
            x, y, w, h = box
            p.setPen(QPen(face_col, 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(pt(x, y), pt(x + w, y + h)), 8, 8)
        mesh = _get(a, "mesh")
        points: list[QPointF] = []
        if mesh is not None and len(mesh):
            points = [pt(float(m[0]), float(m[1])) for m in mesh[::6]]
        marks = _get(a, "landmarks", default={}) or {}
        if isinstance(marks, dict):
            points += [pt(float(x), float(y)) for x, y in marks.values()]
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 160))
        for q in points:
            p.drawEllipse(q, 1.5, 1.5)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.update()

    # --- can anybody see it? ----------------------------------------------------------------

    def is_on_screen(self) -> bool:
        """Shown, on a page that is shown, in a window that is neither hidden nor minimised.
        (A window covered by another one still counts: not every platform says so.)"""
        win = self.window()
        return self.isVisible() and not win.isMinimized() and win.isVisible()

    def _update_on_screen(self) -> None:
        on = self.is_on_screen()
        if on != self._on_screen:
            self._on_screen = on
            self.on_screen_changed.emit(on)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        win = self.window()
        if win is not self._watched:  # minimising reaches the window, not its children
            if self._watched is not None:
                with contextlib.suppress(RuntimeError):  # that window may be gone already
                    self._watched.removeEventFilter(self)
            win.installEventFilter(self)
            self._watched = win
        self._update_on_screen()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_on_screen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() in (
                QEvent.Type.WindowStateChange, QEvent.Type.Show, QEvent.Type.Hide):
            self._update_on_screen()
        return False
