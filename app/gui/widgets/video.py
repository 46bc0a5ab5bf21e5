"""The camera preview: numpy BGR frames drawn straight into a ``QImage`` (no QtMultimedia),
with the camera check's overlay: rule-of-thirds and centre guides, the face box, landmarks,
and the eye-line target band."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen
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


class VideoView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._frame: Any = None
        self._image: QImage | None = None
        self._analysis: Any = None
        self._message = ""
        self.show_guides = True
        self.frames_shown = 0

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def set_message(self, text: str) -> None:
        """Text shown over the view (no camera, starting…)."""
        self._message = text
        self.update()

    def clear(self) -> None:
        self._frame = self._image = self._analysis = None
        self.update()

    def set_frame(self, frame: Any, analysis: Any = None) -> None:
        self._frame = frame  # keeps the memory the QImage points into alive
        self._image = frame_to_qimage(frame) if frame is not None else None
        self._analysis = analysis
        self.frames_shown += 1
        self.update()

    def _target(self) -> QRectF:
        if self._image is None:
            return QRectF(self.rect())
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), QColor("#111111"))
        target = self._target()
        if self._image is not None:
            p.drawImage(target, self._image)
            if self.show_guides:
                self._draw_guides(p, target)
            if self._analysis is not None:
                self._draw_analysis(p, target)
        if self._message:
            p.setPen(QColor("#f0f0f0"))
            f = p.font()
            f.setPointSizeF(f.pointSizeF() * 1.2)
            p.setFont(f)
            p.drawText(self.rect().adjusted(16, 16, -16, -16),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
        p.end()

    def _draw_guides(self, p: QPainter, r: QRectF) -> None:
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
        a = self._analysis
        iw, ih = self._image.width(), self._image.height()
        sx, sy = r.width() / iw, r.height() / ih

        def pt(x: float, y: float) -> QPointF:
            # coordinates may be pixels or fractions of the frame
            if 0 <= x <= 1.0 and 0 <= y <= 1.0 and max(iw, ih) > 2:
                return QPointF(r.left() + x * r.width(), r.top() + y * r.height())
            return QPointF(r.left() + x * sx, r.top() + y * sy)

        good = bool(_get(a, "looks_good", "good", default=False))
        face_col = QColor("#6fd68a") if good else QColor("#ffd54f")
        band = _get(a, "eye_band", "eye_line_band")
        if band:
            y0, y1 = band
            top, bottom = pt(0, y0), pt(1, y1)
            p.fillRect(QRectF(r.left(), top.y(), r.width(), bottom.y() - top.y()),
                       QColor(111, 214, 138, 40))
        box = _get(a, "face_box", "face", "box")
        if box is not None:
            box = _get(box, "box", "rect", default=box)
            try:
                x, y, w, h = (float(v) for v in box)
            except (TypeError, ValueError):
                x = y = w = h = None
            if x is not None:
                tl = pt(x, y)
                br = pt(x + w, y + h)
                p.setPen(QPen(face_col, 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(QRectF(tl, br), 8, 8)
        marks = _get(a, "landmarks", "keypoints")
        if marks is not None:
            try:
                pts = [pt(float(m[0]), float(m[1])) for m in marks]
            except (TypeError, ValueError, IndexError):
                pts = []
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(255, 255, 255, 170))
            step = max(1, len(pts) // 80)
            for q in pts[::step]:
                p.drawEllipse(q, 1.6, 1.6)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.update()

    def palette_text(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)
