"""System: processor, memory, battery, disk, VPN and Wi-Fi through the system check, and what it
measured, as every other step shows its measurements (issue 23)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from techcheck.app.gui.i18n import ct, qty
from techcheck.app.gui.pages.base import CheckPage
from techcheck.app.gui.session import Session
from techcheck.app.gui.widgets.checkpanel import CheckPanel


def shown() -> tuple[Any, ...]:
    """The measurements shown, in this order, each with its declared label
    (checks/system/measures.py). Imported when first shown: importing the ``system`` package
    loads the whole check and psutil, which stay out of the first paint
    (tests/app/test_startup.py)."""
    from techcheck.checks.system import measures as M

    return (M.CPU_LOAD, M.CPU_CORES, M.MEMORY_FREE, M.MEMORY_TOTAL, M.BATTERY, M.ON_AC_POWER,
            M.DISK_FREE, M.CONNECTION, M.WIFI_SIGNAL, M.VPN)


class SystemPage(CheckPage):
    key = "system"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.panel = CheckPanel(session, "system", self.body)
        self.add_check_panel(self.panel)
        self.measured = QGroupBox(self.body)
        self.measured.setObjectName("system-measured")
        self.measured_rows = QFormLayout(self.measured)
        self.measured.setVisible(False)
        self.layout_.addWidget(self.measured)
        self.panel.check_finished.connect(lambda _r: self.show_measured())
        self.layout_.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.set_heading(self.tr(
            "Checks that the computer has the power, memory and disk space a video call needs, "
            "whether it runs on battery, whether a VPN or a weak Wi-Fi signal is in the way, and "
            "whether the interviewer will be able to read your screen when you share it."))
        self.measured.setTitle(ct("Measured"))  # the reports' word
        self.measured.setAccessibleName(ct("Measured"))
        self.show_measured()

    def show_measured(self) -> None:
        """Each measurement of the last system check with its label and unit, in the app's
        language (``qty``: the one formatting path); those it did not take are left out."""
        while self.measured_rows.rowCount():
            self.measured_rows.removeRow(0)
        result = self.session.results.get("system")
        if result is None:
            self.measured.setVisible(False)
            return
        metrics = result.metrics
        for m in shown():
            metric = metrics.get(m.name)
            if metric is None:
                continue
            value = QLabel(qty(metric.value, metric.unit), self.measured)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(f"{ct(m.label)}: {value.text()}")
            self.measured_rows.addRow(ct(m.label) + ":", value)
        self.measured.setVisible(self.measured_rows.rowCount() > 0)

    def entered(self, checking: bool = False) -> None:
        self.show_measured()
        if not self.panel.running and not any(
                p.id in self.session.results for p in self.panel.plugins()):
            self.panel.run()  # nothing to set up on this page: start at once

    def left(self) -> None:
        self.panel.cancel()
