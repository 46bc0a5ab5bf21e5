"""The recruiter's preparation checklist (items from ``techcheck.app.report.checklist``); the ticks go
into the report."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QWidget

from techcheck.app.gui.i18n import ct
from techcheck.app.gui.pages.base import Page
from techcheck.app.gui.session import Session
from techcheck.app.report import checklist
from techcheck.checks.model import Status


class ChecklistPage(Page):
    """The items to tick, and "Start the check" (the Start page's one-click check) as the
    page's primary action: once prepared, the recruiter checks their own devices."""

    key = "checklist"
    start_clicked = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.boxes: dict[str, QCheckBox] = {}
        for item in checklist.ITEMS:
            box = QCheckBox(self.body)
            box.setChecked(session.checklist.get(item.id, False))
            box.toggled.connect(lambda on, item_id=item.id: self._toggled(item_id, on))
            self.layout_.addWidget(box)
            self.boxes[item.id] = box
        self.layout_.addStretch(1)
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.start_button = QPushButton(bar)
        self.start_button.clicked.connect(self.start_clicked)
        row.addWidget(self.start_button)
        row.addStretch(1)
        self.add_action_widget(bar)
        self.set_primary(self.start_button)
        self.retranslate()

    def _toggled(self, item_id: str, on: bool) -> None:
        self.session.checklist[item_id] = on
        self.status_changed.emit()

    def status(self) -> Status | None:
        return checklist.status(session_items(self.session))

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your preparation"))
        self.intro.setText(self.tr("Tick what is done. The list goes into the report, so the "
                                   "interview panel sees what is ready."))
        self.start_button.setText(self.tr("&Start the check"))
        self.start_button.setAccessibleName(self.tr("Start the check"))
        for item in checklist.ITEMS:
            self.boxes[item.id].setText(ct(item.label))
            self.boxes[item.id].setAccessibleName(ct(item.label))


def session_items(session: Session) -> list[checklist.Item]:
    """Every item of the checklist with what the recruiter ticked in this sitting."""
    return checklist.items(i for i, on in session.checklist.items() if on and i in checklist.IDS)


def report_extra(session: Session) -> dict:
    return checklist.to_extra(session_items(session))
