"""What every wizard page offers the main window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from techcheck.app.gui import style
from techcheck.app.gui.i18n import ct
from techcheck.app.gui.pages.devicepick import DevicePicker
from techcheck.app.gui.pages.titles import own_title
from techcheck.app.gui.session import Session
from techcheck.checks.model import Status

if TYPE_CHECKING:
    from techcheck.app.gui.widgets.checkpanel import CheckPanel


class Page(QWidget):
    """A step of the wizard. ``entered``/``left`` open and release devices; ``shutdown`` stops
    every worker when the window closes; ``retranslate`` sets every text (also on language
    change). Subclasses set all their texts with their own ``self.tr`` in ``retranslate``.

    The content scrolls (``body``/``layout_``); the action bar below it (``actions``) never
    does, so the page's primary action, a running check's progress and its questions are on
    screen at any window size."""

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
        style.page_layout(self.layout_)
        self.heading = QLabel(self.body)
        style.set_font(self.heading, "heading")
        self.intro = QLabel(self.body)
        self.intro.setWordWrap(True)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)
        scroll.setWidget(self.body)
        self.scroll_area = scroll
        outer.addWidget(scroll, 1)
        self.actions_frame = QFrame(self)
        self.actions_frame.setObjectName("page-actions")
        self.actions_frame.setFrameShape(QFrame.Shape.NoFrame)
        # Not ``actions``/``scroll``: those are QWidget's own methods.
        self.action_bar = QVBoxLayout(self.actions_frame)
        style.action_bar_layout(self.action_bar)
        self.actions_frame.setVisible(False)
        outer.addWidget(self.actions_frame)
        self.primary: QPushButton | None = None

    def add_action_widget(self, widget: QWidget) -> None:
        """Put ``widget`` in the action bar that stays visible below the scrolling content."""
        self.action_bar.addWidget(widget)
        self.actions_frame.setVisible(True)

    def set_primary(self, button: QPushButton | None) -> None:
        """The page's one primary action (accent colour, default button); the one before it
        becomes secondary again."""
        if self.primary is not None and self.primary is not button:
            style.mark_primary(self.primary, False)
        self.primary = button
        if button is not None:
            style.mark_primary(button)

    def title(self) -> str:
        """Short name for the step list (``titles``)."""
        return own_title(self.key)

    def status(self) -> Status | None:
        """Status shown next to the step in the list; None: nothing to show."""
        return None

    def step_status(self) -> tuple[Status | None, str | None]:
        """What the step list shows for this page: the status, and a word for it when the
        page says something other than the status' own word."""
        panel = getattr(self, "panel", None)
        if panel is not None and panel.running:
            return None, self.tr("Checking…")
        return self.status(), None

    def entered(self, checking: bool = False) -> None:
        """The page became visible: start live views (``checking``: its check starts right
        away and shows its own live view)."""

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


class CheckPage(Page):
    """A step with checks of its own, run and shown by a ``CheckPanel`` (``self.panel``): the
    page's status is the worst of their results and it is busy while they run; its heading
    is its title. The camera, microphone, speaker, connection and computer steps."""

    panel: CheckPanel

    def title(self) -> str:
        """The title its check declares (``Check.title``), so that the step list, the page,
        Results and the reports give a check one name (issue 23: "Connection" beside
        "Internet connection"); the page's own words only until the checks are loaded."""
        cls = next((p.cls for p in self.session.plugins if p.id == self.key and p.cls), None)
        return ct(cls.title) if cls is not None else self.own_title()

    def own_title(self) -> str:
        """The step's name before the checks are loaded (``titles``)."""
        return own_title(self.key)

    def add_check_panel(self, panel: CheckPanel) -> None:
        """The panel's result cards in the content, its controls in the action bar, its run
        button the page's primary action; a result changes the step's status."""
        self.panel = panel
        panel.check_finished.connect(lambda _r: self.status_changed.emit())
        self.layout_.addWidget(panel)
        self.add_action_widget(panel.controls)
        self.set_primary(panel.run_button)

    def add_device_picker(self, kind: str, chosen: Callable[[Any], None]) -> None:
        """The device to check (``kind``: camera, microphone, speaker): a label and a
        ``DevicePicker`` in a row of the content (``picker_label``, ``picker``); ``chosen`` is
        called with the chosen device."""
        row = QHBoxLayout()
        self.picker_label = QLabel(self.body)
        self.picker = DevicePicker(kind, self.body)
        self.picker_label.setBuddy(self.picker)
        self.picker.chosen.connect(chosen)
        row.addWidget(self.picker_label)
        row.addWidget(self.picker, 1)
        self.layout_.addLayout(row)

    def set_picker_texts(self, label: str, name: str) -> None:
        """The device picker's label (with its mnemonic) and accessible name, translated by
        the page, and the picker's own entries ("System default"…)."""
        self.picker_label.setText(label)
        self.picker.setAccessibleName(name)
        self.picker.retranslate()

    def set_heading(self, intro: str) -> None:
        """The heading (the step's title) and the introduction below it, and the panel's own
        texts: what every check page's ``retranslate`` starts with."""
        self.heading.setText(self.title())
        self.intro.setText(intro)
        self.panel.retranslate()

    def status(self) -> Status | None:
        return self.panel.worst()

    def busy(self) -> bool:
        return self.panel.running
