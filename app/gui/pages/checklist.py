"""The recruiter's preparation checklist (items from ``techcheck.app.report.checklist``); the ticks go
into the report."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from techcheck.app.gui.i18n import ct
from techcheck.app.gui.pages.base import Page
from techcheck.app.gui.session import Session
from techcheck.app.report import checklist
from techcheck.checks.model import Status


class ChecklistPage(Page):
    key = "checklist"

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
        self.retranslate()

    def _toggled(self, item_id: str, on: bool) -> None:
        self.session.checklist[item_id] = on
        self.status_changed.emit()

    def title(self) -> str:
        return self.tr("Preparation")

    def status(self) -> Status | None:
        done = [self.session.checklist.get(i, False) for i in checklist.IDS]
        return Status.PASS if all(done) else (Status.WARN if any(done) else None)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your preparation"))
        self.intro.setText(self.tr("Tick what is done. The list goes into the report, so the "
                                   "interview panel sees what is ready."))
        for item in checklist.ITEMS:
            self.boxes[item.id].setText(ct(item.label))
            self.boxes[item.id].setAccessibleName(ct(item.label))


def report_extra(session: Session) -> dict:
    done = [i for i, on in session.checklist.items() if on and i in checklist.IDS]
    return checklist.to_extra(checklist.items(done))
