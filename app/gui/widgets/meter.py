"""A horizontal level meter in dBFS with the target zone marked, a peak-hold tick and a clip
lamp. The zone is drawn as a hatched band AND named in words below, so it reads without colour.

The bar's length follows each block's level; its colour and the clip lamp follow the judged
level (``set_judgement``: the microphone check's judgement, checks/audio/livelevel.py), not
each block, so the colour says what the hint below says."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from techcheck.app.gui import style
from techcheck.app.gui.i18n import fmt
from techcheck.app.gui.widgets.status import Canvas, status_color
from techcheck.checks.model import Status

FLOOR_DB = -60.0


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(54)
        #: target for speech, dBFS: the profile's first limits (``set_judgement``)
        self.zone = (-28.0, -16.0)
        self.rms = FLOOR_DB
        self.peak = FLOOR_DB
        self.clipping = False  # this block reached full scale (drawn as the peak tick at 0)
        self.judged: Status | None = None  # the judged level's status; None: not judged yet
        self.judged_clipping = False
        self._hold = FLOOR_DB
        self._hold_t = 0.0
        self.updates = 0

    def sizeHint(self) -> QSize:
        return QSize(480, 58)

    def set_level(self, rms_dbfs: float, peak_dbfs: float, clipping: bool = False) -> None:
        self.rms = max(FLOOR_DB, min(0.0, rms_dbfs))
        self.peak = max(FLOOR_DB, min(0.0, peak_dbfs))
        self.clipping = clipping
        now = time.monotonic()
        if self.peak >= self._hold or now - self._hold_t > 1.5:
            self._hold, self._hold_t = self.peak, now
        self.updates += 1
        self.setAccessibleDescription(
            fmt(QCoreApplication.translate("LevelMeter",
                                           "Level {rms:.0f} dBFS, peak {peak:.0f} dBFS"),
                rms=self.rms, peak=self.peak))
        self.update()

    def set_judgement(self, status: Status | None, zone: tuple[float, float],
                      clipping: bool) -> None:
        """The level as judged over the check's window: colours the bar, lights the clip lamp
        and marks ``zone`` (the pass limits)."""
        if (status, zone, clipping) != (self.judged, self.zone, self.judged_clipping):
            self.judged, self.zone, self.judged_clipping = status, zone, clipping
            self.update()

    def reset(self) -> None:
        self.rms = self.peak = self._hold = FLOOR_DB
        self.clipping = False
        self.judged, self.judged_clipping = None, False
        self.update()

    def _x(self, db: float, r: QRectF) -> float:
        return r.left() + (db - FLOOR_DB) / -FLOOR_DB * r.width()

    def paintEvent(self, _event) -> None:
        c = Canvas(self)
        p, pal, dark, text = c.painter, c.palette, c.dark, c.text
        bar = QRectF(0.5, 0.5, self.width() - 1, 26)
        p.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(bar, 4, 4)
        lo, hi = self.zone
        zone = QRectF(self._x(lo, bar), bar.top(), self._x(hi, bar) - self._x(lo, bar), bar.height())
        p.fillRect(zone, QBrush(status_color(Status.PASS, dark).lighter(100), Qt.BrushStyle.BDiagPattern))
        fill = QRectF(bar.left(), bar.top() + 5, self._x(self.rms, bar) - bar.left(), bar.height() - 10)
        p.fillRect(fill, status_color(self.judged, dark))
        hx = self._x(self._hold, bar)
        p.setPen(QPen(text, 2))
        p.drawLine(QPointF(hx, bar.top() + 2), QPointF(hx, bar.bottom() - 2))
        p.setPen(QPen(text, 1))
        f = p.font()
        f.setPointSizeF(max(7.0, f.pointSizeF() * style.TYPE_SCALE["small"]))
        p.setFont(f)
        for db in (-60, -48, -36, -24, -12, -6, 0):
            x = self._x(db, bar)
            p.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 4))
            align = Qt.AlignmentFlag.AlignHCenter if -60 < db < 0 else (
                Qt.AlignmentFlag.AlignLeft if db == -60 else Qt.AlignmentFlag.AlignRight)
            w = 40
            left = x - w / 2 if align == Qt.AlignmentFlag.AlignHCenter else (x if db == -60 else x - w)
            p.drawText(QRectF(left, bar.bottom() + 5, w, 18), align | Qt.AlignmentFlag.AlignTop, str(db))
        if self.judged_clipping:
            p.setPen(QPen(status_color(Status.WARN, dark), 2))
            p.drawRoundedRect(bar.adjusted(1, 1, -1, -1), 4, 4)
        p.end()
