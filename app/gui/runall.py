"""The one-click check: every step's check in turn, each on its own page so its live view
(camera picture, level meter, speed graphs) and its questions are what the person sees, ending
on Results. The step-by-step pages stay for fixing and re-checking one thing.

Leaving a page or pressing Cancel while a check runs stops the whole sequence: the person has
taken over, and nothing should pull them to another page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger("techcheck.gui")


class RunAll(QObject):
    step_started = Signal(str)  # page key
    finished = Signal(bool)  # True: every step ran; False: stopped on the way

    def __init__(self, pages: Mapping[str, Any], keys: Callable[[], Sequence[str]],
                 go: Callable[..., None], parent: QObject | None = None) -> None:
        """``pages`` by key, ``keys()`` the check pages in order, ``go(key, checking=True)``
        shows a page the way the sequence needs it (live view from the check itself)."""
        super().__init__(parent)
        self._pages, self._keys, self._go = pages, keys, go
        self._queue: list[str] = []
        self._panel: Any = None
        self.active = False

    def start(self) -> bool:
        """Start from the first step; False when a sequence already runs or nothing can."""
        if self.active:
            return False
        self._queue = [k for k in self._keys() if self._pages[k].panel.plugins()]
        if not self._queue:
            return False
        self.active = True
        log.info("checking everything: %s", self._queue)
        self._next()
        return True

    def stop(self) -> None:
        if not self.active:
            return
        log.info("checking everything stopped before: %s", self._queue)
        self._release()
        self._queue = []
        self.active = False
        self.finished.emit(False)

    def _next(self) -> None:
        if not self.active:
            return
        if not self._queue:
            self.active = False
            self.finished.emit(True)
            return
        key = self._queue.pop(0)
        panel = self._panel = self._pages[key].panel
        panel.all_finished.connect(self._step_done)
        panel.cancelled.connect(self.stop)
        self.step_started.emit(key)
        self._go(key, checking=True)  # a page may start its check on arrival (system)
        if self.active and not panel.running:
            panel.run()

    def _release(self) -> None:
        panel, self._panel = self._panel, None
        if panel is not None:
            panel.all_finished.disconnect(self._step_done)
            panel.cancelled.disconnect(self.stop)

    def _step_done(self) -> None:
        self._release()
        # after the page's own handlers of the same signal have run
        QTimer.singleShot(0, self._next)
