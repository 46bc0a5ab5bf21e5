"""What every wizard page offers the main window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.gui.session import Session
from checks.model import Status


class Page(QWidget):
    """A step of the wizard. ``entered``/``left`` open and release devices; ``shutdown`` stops
    every worker when the window closes; ``retranslate`` sets every text (also on language
    change). Subclasses set all their texts with their own ``self.tr`` in ``retranslate``."""

    key = ""
    status_changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(f"page-{self.key}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body = QWidget(scroll)
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(24, 18, 24, 18)
        self.layout_.setSpacing(12)
        self.heading = QLabel(self.body)
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        self.heading.setFont(f)
        self.intro = QLabel(self.body)
        self.intro.setWordWrap(True)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        scroll.setWidget(self.body)
        outer.addWidget(scroll)

    def title(self) -> str:
        """Short name for the step list."""
        return self.key

    def status(self) -> Status | None:
        """Status shown next to the step in the list; None: nothing to show."""
        return None

    def entered(self) -> None:
        """The page became visible: start live views."""

    def left(self) -> None:
        """The page was left: stop live views and release devices."""

    def shutdown(self) -> None:
        """The window closes: cancel everything this page started."""
        self.left()

    def busy(self) -> bool:
        return False

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
