"""System: processor, memory, battery, disk, VPN and Wi-Fi through the system check."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from techcheck.app.gui.pages.base import CheckPage
from techcheck.app.gui.session import Session
from techcheck.app.gui.widgets.checkpanel import CheckPanel


class SystemPage(CheckPage):
    key = "system"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.panel = CheckPanel(session, "system", self.body)
        self.add_check_panel(self.panel)
        self.layout_.addStretch(1)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Computer")

    def retranslate(self) -> None:
        self.set_heading(self.tr(
            "Checks that the computer has the power, memory and disk space a video call needs, "
            "whether it runs on battery, whether a VPN or a weak Wi-Fi signal is in the way, and "
            "whether the interviewer will be able to read your screen when you share it."))

    def entered(self, checking: bool = False) -> None:
        if not self.panel.running and not any(
                p.id in self.session.results for p in self.panel.plugins()):
            self.panel.run()  # nothing to set up on this page: start at once

    def left(self) -> None:
        self.panel.cancel()

