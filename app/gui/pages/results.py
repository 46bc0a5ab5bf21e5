"""Results: one clear verdict, every check with its findings and fixes, re-run a single check,
check everything again, export the report."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton, QVBoxLayout, QWidget

from app.atomicfile import describe_write_error
from app.gui.pages.base import Page
from app.gui.reporting import make_report
from app.gui.session import Session
from app.gui.tasks import Task, TaskError, run_task
from app.gui.widgets.findings import ResultCard
from app.gui.widgets.status import StatusBadge, verdict_status, verdict_word
from checks.model import Status, verdict_for

log = logging.getLogger("techcheck.gui")

FORMAT_SUFFIX = {"pdf": ".pdf", "html": ".html", "json": ".json", "text": ".txt"}


class ResultsPage(Page):
    key = "results"
    rerun_requested = Signal(str)  # check id
    run_all_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.verdict = StatusBadge(self.body, size=32)
        f = self.verdict.word.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        self.verdict.word.setFont(f)
        self.layout_.addWidget(self.verdict)
        self.summary = QLabel(self.body)
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        row = QHBoxLayout()
        self.run_all_button = QPushButton(self.body)
        self.run_all_button.clicked.connect(self.run_all_requested)
        self.export_button = QPushButton(self.body)
        self.export_menu = QMenu(self.export_button)
        self.export_button.setMenu(self.export_menu)
        row.addWidget(self.run_all_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.export_note = QLabel(self.body)
        self.export_note.setWordWrap(True)
        self.layout_.addWidget(self.export_note)
        self.cards_box = QVBoxLayout()
        self.layout_.addLayout(self.cards_box)
        self.layout_.addStretch(1)
        self.cards: dict[str, ResultCard] = {}
        self.exporter: Task | None = None
        self.retranslate()

    def title(self) -> str:
        return self.tr("Results")

    def status(self) -> Status | None:
        rs = self.session.ordered_results()
        return verdict_status(verdict_for(rs)) if rs else None

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your results"))
        self.run_all_button.setText(self.tr("Check &everything again"))
        self.run_all_button.setAccessibleName(self.tr("Check everything again"))
        self.export_button.setText(self.tr("E&xport the report"))
        self.export_button.setAccessibleName(self.tr("Export the report"))
        self.export_menu.clear()
        from app.report.formats import WRITERS

        names = {"pdf": self.tr("PDF document…"), "html": self.tr("Web page (HTML)…"),
                 "json": self.tr("Data for IT support (JSON)…"), "text": self.tr("Plain text…")}
        for fmt in ("pdf", "html", "text", "json"):
            if fmt in WRITERS:
                act = QAction(names[fmt], self.export_menu)
                act.triggered.connect(lambda _c=False, fmt=fmt: self.ask_export(fmt))
                self.export_menu.addAction(act)
        self.refresh()

    def entered(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        results = self.session.ordered_results()
        missing = [p for p in self.session.plugins if p.id not in self.session.results]
        if not results:
            self.verdict.set_status(None, self.tr("Nothing checked yet"))
            self.summary.setText(self.tr("Go through the steps, or check everything at once."))
        else:
            v = verdict_for(results)
            self.verdict.set_status(verdict_status(v), verdict_word(v))
            problems = sum(1 for r in results if r.status is not Status.PASS)
            text = {
                "ready": self.tr("Everything needed for the interview works."),
                "ready_with_warnings": self.tr(
                    "It will work, but fix what is listed below for a better interview."),
                "not_ready": self.tr("Fix what is listed below before the interview."),
            }[v.value]
            if missing:
                text += " " + self.tr("{n} check(s) have not run yet.").format(n=len(missing))
            elif problems:
                text += " " + self.tr("{n} check(s) need attention.").format(n=problems)
            self.summary.setText(text)
        self.export_button.setEnabled(bool(results))
        for card in self.cards.values():
            self.cards_box.removeWidget(card)
            card.deleteLater()
        self.cards.clear()
        order = sorted(results, key=lambda r: -r.status.severity)
        for r in order:
            card = ResultCard(r, self.body)
            card.rerun.connect(self.rerun_requested)
            self.cards_box.addWidget(card)
            self.cards[r.id] = card
        self.status_changed.emit()

    def set_running(self, check_id: str | None) -> None:
        for cid, card in self.cards.items():
            if card.rerun_button is not None:
                card.rerun_button.setEnabled(check_id is None)
                if cid == check_id:
                    card.rerun_button.setText(self.tr("Checking…"))
        self.run_all_button.setEnabled(check_id is None)

    def ask_export(self, fmt: str) -> None:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(docs or Path.home()) / f"techcheck-report{FORMAT_SUFFIX[fmt]}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the report"), suggested)
        if path:
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str) -> Task:
        from app.report.formats import WRITERS

        report = make_report(self.session)
        lang = self.session.lang
        writer = WRITERS[fmt]
        self.export_note.setText(self.tr("Writing {path}…").format(path=path))

        def work(_ctx):
            return writer(report, path, lang)

        def failed(err: TaskError) -> None:
            exc = err.exception
            msg = describe_write_error(path, exc) if isinstance(exc, OSError) else err.message
            self.export_note.setText(self.tr("The report could not be saved: {error}").format(
                error=msg))

        def done() -> None:
            self.exporter = None

        self.exporter = run_task(work, name=f"export-{fmt}", on_error=failed, on_finished=done,
                                 on_result=lambda p: self.export_note.setText(
                                     self.tr("Saved: {path}").format(path=p)))
        return self.exporter

    def left(self) -> None:
        pass

    def shutdown(self) -> None:
        if self.exporter is not None:
            self.exporter.wait(10.0)  # let a report being written finish: it is the user's file
