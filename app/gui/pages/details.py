"""IT support: every metric with its threshold, the devices and drivers found, the log, and
"copy diagnostics" for a ticket."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from techcheck.app import logsetup
from techcheck.app.gui.i18n import counted, say
from techcheck.app.gui.pages.base import Page
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, run_task
from techcheck.app.gui.widgets.status import status_icon, status_word, verdict_status, verdict_word
from techcheck.app.report.view import check_section, shown_metric, when
from techcheck.checks import l10n
from techcheck.checks.model import Verdict

if TYPE_CHECKING:  # the history model loads with the first listing
    from techcheck.app.report.history import Entry


def _item(text: str) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~it.flags().ItemIsEditable)
    return it


@contextlib.contextmanager
def _filling(table: QTableWidget, rows: int) -> Iterator[None]:
    """Fill ``table`` with ``rows`` rows, its columns sized to their contents once at the end.
    A header in ResizeToContents mode measures a whole column again at every ``setItem``: 41
    metrics took 160 ms to fill, the page's whole refresh (docs/benchmarks.md)."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setUpdatesEnabled(False)
    try:
        table.setRowCount(rows)
        yield
    finally:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setUpdatesEnabled(True)


def _value_text(value: Any, lang: str, decimals: int | None = None) -> str:
    """The measured value itself for IT support (the unit has its own column), written as the
    reports write numbers in ``lang``; "Yes"/"No", never True/False. A measure that declares
    its precision is written with it (a count of faces: "1"); others with 4 significant
    digits."""
    if decimals is not None and isinstance(value, int | float) and not isinstance(value, bool):
        return l10n.number(value, lang, decimals)
    if isinstance(value, float) and math.isfinite(value) and 0 < abs(value) < 1000:
        digits = max(0, 3 - math.floor(math.log10(abs(value))))
        return l10n.number(value, lang, digits).rstrip("0").rstrip(l10n.symbols(lang)[0])
    return l10n.quantity(value, "", lang)


class DetailsPage(Page):
    key = "details"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.copy_button = QPushButton(bar)
        self.copy_button.clicked.connect(self._copy_clicked)
        self.copy_note = QLabel(bar)
        row.addWidget(self.copy_button)
        row.addWidget(self.copy_note, 1)
        self.add_action_widget(bar)
        self.set_primary(self.copy_button)
        self.tabs = QTabWidget(self.body)
        self.metrics = QTableWidget(0, 6, self.tabs)
        self.devices = QTableWidget(0, 4, self.tabs)
        self.log = QPlainTextEdit(self.tabs)
        self.log.setReadOnly(True)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        history_tab = QWidget(self.tabs)
        hl = QVBoxLayout(history_tab)
        self.history_where = QLabel(history_tab)
        self.history_where.setWordWrap(True)
        self.history_where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QTableWidget(0, 4, history_tab)
        hl.addWidget(self.history_where)
        hl.addWidget(self.history, 1)
        self.history_entries: list[Entry] = []
        self.history_root: Path | None = None
        self.lister: Task | None = None
        for t in (self.metrics, self.devices, self.history):
            t.verticalHeader().setVisible(False)
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            t.horizontalHeader().setStretchLastSection(True)
            t.setAlternatingRowColors(True)
            # Tab leaves the table (arrow keys move between its cells): otherwise Tab walks
            # every cell and a keyboard user cannot get past it (WCAG 2.2 success criterion
            # 2.1.2 No Keyboard Trap, https://www.w3.org/TR/WCAG22/#no-keyboard-trap)
            t.setTabKeyNavigation(False)
        self.log.setTabChangesFocus(True)
        self.tabs.addTab(self.metrics, "")
        self.tabs.addTab(self.devices, "")
        self.tabs.addTab(self.log, "")
        self.tabs.addTab(history_tab, "")
        self.layout_.addWidget(self.tabs, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Details for IT support"))
        self.intro.setText(self.tr("Every measured value with the limit it was held to, the "
                                   "devices found, and the log."))
        self.copy_button.setText(self.tr("&Copy diagnostics"))
        self.copy_button.setAccessibleName(self.tr("Copy diagnostics to the clipboard"))
        self.tabs.setTabText(0, self.tr("Metrics"))
        self.tabs.setTabText(1, self.tr("Devices"))
        self.tabs.setTabText(2, self.tr("Log"))
        self.tabs.setTabText(3, self.tr("Kept runs"))
        self.history.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("Verdict"), self.tr("Profile"), self.tr("File")])
        self.history.setAccessibleName(self.tr("Runs kept on this computer"))
        self.history.horizontalHeader().setAccessibleName(self.tr("Column headings"))
        self._show_history()
        self.tabs.setAccessibleName(self.tr("Details"))
        self.metrics.setHorizontalHeaderLabels([
            self.tr("Check"), self.tr("Metric"), self.tr("Value"), self.tr("Unit"),
            self.tr("Limit"), self.tr("Status")])
        self.metrics.setAccessibleName(self.tr("Every metric with its limit"))
        self.devices.setHorizontalHeaderLabels([
            self.tr("Kind"), self.tr("Index"), self.tr("Name"), self.tr("Details")])
        self.devices.setAccessibleName(self.tr("Devices found"))
        self.log.setAccessibleName(self.tr("Log"))
        for table in (self.metrics, self.devices):
            table.horizontalHeader().setAccessibleName(self.tr("Column headings"))
        self.refresh()

    def entered(self, checking: bool = False) -> None:
        self.refresh()
        self.refresh_history()

    def refresh_history(self) -> None:
        """List the kept runs in a worker (it reads every kept report)."""
        if self.lister is not None:
            return

        from techcheck.app.gui import runhistory

        def done() -> None:
            self.lister = None

        self.lister = run_task(runhistory.list_worker(), name="history-list",
                               on_result=self._got_history, on_finished=done)

    def _got_history(self, found: tuple[list[Entry], Path]) -> None:
        self.history_entries, self.history_root = found
        self._show_history()

    def _show_history(self) -> None:
        lang = self.session.lang
        entries = self.history_entries
        where = str(self.history_root) if self.history_root else "-"
        self.history_where.setText(self.tr(
            "%n run(s) kept in {path}. Nothing is uploaded; how many are kept is set in "
            "history.toml in the settings folder.", "", len(entries)).format(path=where))
        with _filling(self.history, len(entries)):  # up to history.toml's "keep" runs
            for i, e in enumerate(entries):
                st = verdict_status(Verdict(e.verdict))
                verdict = _item(verdict_word(Verdict(e.verdict)))
                verdict.setIcon(status_icon(st, self))
                self.history.setItem(i, 0, _item(when(e.created.astimezone().isoformat(),
                                                      lang)))
                self.history.setItem(i, 1, verdict)
                self.history.setItem(i, 2, _item(e.profile))
                self.history.setItem(i, 3, _item(e.path.name))

    def refresh(self) -> None:
        lang = self.session.lang
        rows = []
        for r in self.session.ordered_results():
            section = check_section(r, lang, lang)  # the limit worded as the report words it
            for row in section.metrics:
                rows.append((section.title, row, r.metrics[row.name], r))
        with _filling(self.metrics, len(rows)):
            for i, (title, row, m, r) in enumerate(rows):
                s = shown_metric(r.id, row.name, m.value, m.threshold, m.unit)
                self.metrics.setItem(i, 0, _item(title))
                self.metrics.setItem(i, 1, _item(row.name))
                self.metrics.setItem(i, 2, _item(_value_text(s.value, lang, s.decimals)))
                self.metrics.setItem(i, 3, _item(s.unit))
                self.metrics.setItem(i, 4, _item(row.limit))
                st = _item(status_word(m.status) if m.status else "")
                if m.status is not None:
                    st.setIcon(status_icon(m.status, self))
                self.metrics.setItem(i, 5, st)
        devs = [d for kind in ("camera", "microphone", "speaker")
                for d in self.session.device_lists.get(kind, [])]
        with _filling(self.devices, len(devs)):
            for i, d in enumerate(devs):
                self.devices.setItem(i, 0, _item(str(d.get("kind", ""))))
                self.devices.setItem(i, 1, _item(str(d.get("index", ""))))
                self.devices.setItem(i, 2, _item(str(d.get("name", ""))
                                                 + (" ✓" if d.get("default") else "")))
                self.devices.setItem(i, 3, _item(json.dumps(d.get("details") or {},
                                                            ensure_ascii=False)))
        text = logsetup.log_tail()
        where = logsetup.log_file()
        self.log.setPlainText(text or self.tr("The log is empty ({path}).").format(
            path=where or "-"))

    def _copy_clicked(self) -> None:
        self.copy_diagnostics()

    def copy_diagnostics(self) -> str:
        from techcheck.app.gui.reporting import diagnostics

        text = diagnostics(self.session)
        QGuiApplication.clipboard().setText(text)
        say(self.copy_note, lambda: counted(self.tr(
            "Copied %n character(s). Paste them into your ticket or email.", "", len(text)),
            len(text)))
        return text
