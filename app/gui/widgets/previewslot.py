"""Where "As they will see and hear you" goes on a page, without loading it.

The view itself (``widgets.callpreview``) needs the call model (``techcheck.checks.callmodel``:
numpy, OpenCV and the network check's analysis), about a tenth of a second of imports that
must not stand between starting the app and its first paint (issue 22). The view can show
nothing before the camera and the connection have been checked, so this slot builds it then,
the first time a page asks it to follow a sitting that has both results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from techcheck.app.gui import settings as S
    from techcheck.app.gui.widgets.callpreview import CallPreview

NEEDS = ("camera", "network")
"""The checks whose results the view models: the camera picture through the measured link."""


def has_inputs(session: Any) -> bool:
    """True once the sitting has every result the view needs."""
    return all(key in session.results for key in NEEDS)


class PreviewSlot(QWidget):
    """An empty, hidden place in a page's layout; ``follow`` fills it with the call preview
    once there is something to preview. ``view`` is the preview, or None before that."""

    def __init__(self, parent: QWidget | None = None, settings: S.Settings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings  # handed to the view: where its save dialog opens
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._box = layout
        self.view: CallPreview | None = None
        self.hide()

    def follow(self, session: Any, active: bool) -> bool:
        """``CallPreview.follow``; the view is built on the first call that has its inputs."""
        if self.view is None:
            if not has_inputs(session):
                return False
            from techcheck.app.gui.widgets.callpreview import CallPreview

            self.view = CallPreview(self, self._settings)
            self._box.addWidget(self.view)
        shown = self.view.follow(session, active)
        self.setVisible(shown)
        return shown

    def stop(self) -> None:
        if self.view is not None:
            self.view.stop()

    def pause(self) -> None:
        """``CallPreview.pause``: a check runs."""
        if self.view is not None:
            self.view.pause()
