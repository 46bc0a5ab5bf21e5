"""Runs a page's checks in a worker and shows them: progress, the check's questions answered
inline, then each result with its fixes. Pages embed one; the network page listens to
``sample`` for its graphs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from techcheck.app.gui import style
from techcheck.app.gui.checkrun import Ask, check_worker
from techcheck.app.gui.i18n import ct, say
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, TaskError, run_task
from techcheck.app.gui.widgets.findings import ResultCard
from techcheck.checks.context import Progress
from techcheck.checks.model import CheckResult, Status

log = logging.getLogger("techcheck.gui")


class CheckPanel(QWidget):
    about_to_run = Signal()  # the page releases its camera/microphone before the check opens it
    cancelled = Signal()  # the person (or leaving the page) stopped a running check
    started = Signal()  # a run began (the worker exists)
    sample = Signal(dict)  # live data from Progress.data
    check_finished = Signal(object)  # CheckResult
    all_finished = Signal()

    def __init__(self, session: Session, page: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.page = session, page
        self.task: Task | None = None
        self._queue: list = []
        self._ask: Ask | None = None
        # What the person acts on (run, cancel, progress, a question) lives in ``controls``,
        # which the page puts in its action bar so that it never scrolls out of sight; the
        # result cards stay here, in the page's content.
        self.controls = QWidget(self)
        self.controls.setObjectName(f"check-controls-{page}")
        clay = QVBoxLayout(self.controls)
        clay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.run_button = QPushButton(self.controls)
        self.run_button.clicked.connect(self._run_clicked)
        self.cancel_button = QPushButton(self.controls)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        clay.addLayout(row)
        self.progress = QProgressBar(self.controls)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        clay.addWidget(self.progress)
        self.message = QLabel(self.controls)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        clay.addWidget(self.message)
        # a question from the running check ("did you hear the sound?")
        self.question = QWidget(self.controls)
        qlay = QHBoxLayout(self.question)
        qlay.setContentsMargins(0, 0, 0, 0)
        self.question_text = QLabel(self.question)
        self.question_text.setWordWrap(True)
        style.set_font(self.question_text, "lead", bold=True)
        self.yes_button = QPushButton(self.question)
        self.no_button = QPushButton(self.question)
        self.yes_button.clicked.connect(lambda: self._answer(True))
        self.no_button.clicked.connect(lambda: self._answer(False))
        qlay.addWidget(self.question_text, 1)
        qlay.addWidget(self.yes_button)
        qlay.addWidget(self.no_button)
        self.question.setVisible(False)
        clay.addWidget(self.question)
        self.cards = QVBoxLayout(self)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.retranslate()
        self.show_results()

    def plugins(self):
        return self.session.plugins_for(self.page)

    def retranslate(self) -> None:
        done = any(p.id in self.session.results for p in self.plugins())
        first = {"camera": self.tr("Check the camera"),
                 "microphone": self.tr("Check the microphone"),
                 "speaker": self.tr("Check the speakers"),
                 "network": self.tr("Check the connection"),
                 "system": self.tr("Check the computer")}.get(self.page, self.tr("Check this step"))
        self.run_button.setText(self.tr("Check again") if done else first)
        self.run_button.setAccessibleName(self.run_button.text())
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the check"))
        self.yes_button.setText(self.tr("Yes"))
        self.yes_button.setAccessibleName(self.tr("Answer yes"))
        self.no_button.setText(self.tr("No"))
        self.no_button.setAccessibleName(self.tr("Answer no"))
        self.progress.setAccessibleName(self.tr("Progress of the check"))
        if not self.plugins():
            self._say(lambda: self.tr("This version has no check for this step yet."))
            self.run_button.setEnabled(False)
        elif not self.running:
            self._say(None)
        if self._ask is not None:
            self.question_text.setText(ct(self._ask.question.text, self._ask.question.params))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.show_results()

    def _say(self, make: Callable[[], str] | None) -> None:
        """The status line under the check, made again in the new language after a switch."""
        self.message.setVisible(bool(say(self.message, make)))

    @property
    def running(self) -> bool:
        return self.task is not None

    def _run_clicked(self) -> None:
        # not ``clicked.connect(self.run)``: ``clicked`` passes ``checked`` (False), which
        # would land in ``only`` and select no check at all
        self.run()

    def run(self, only: str | None = None) -> None:
        if self.running:
            return
        self._queue = [p for p in self.plugins() if only is None or p.id == only]
        if not self._queue:
            return
        self.about_to_run.emit()
        self.run_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self._next()
        self.started.emit()

    def _next(self) -> None:
        if not self._queue:
            self.task = None
            self.run_button.setEnabled(True)
            self.cancel_button.setVisible(False)
            self.progress.setVisible(False)
            self._say(None)
            self.retranslate()
            self.all_finished.emit()
            return
        plugin = self._queue.pop(0)
        self._say(lambda: self.tr("Checking: {title}").format(title=ct(plugin.title)))
        self.task = run_task(check_worker(self.session, plugin), name=f"check-{plugin.id}",
                             on_progress=self._on_progress, on_result=self._on_result,
                             on_error=self._on_error, on_finished=self._on_finished)

    def cancel(self) -> None:
        self._queue.clear()
        if self.task is not None:
            self.task.cancel()
            self.cancelled.emit()
        if self._ask is not None:
            self._ask.answer(self._ask.question.default)
            self._hide_question()

    def _on_progress(self, value) -> None:
        if isinstance(value, Ask):
            self._ask = value
            self.question_text.setText(ct(value.question.text, value.question.params))
            self.question.setVisible(True)
            self.yes_button.setVisible(value.question.kind == "confirm")
            self.no_button.setText(self.tr("No") if value.question.kind == "confirm"
                                   else self.tr("Ready"))
            self.no_button.setAccessibleName(self.tr("Answer no") if value.question.kind ==
                                             "confirm" else self.no_button.text())
            self.yes_button.setFocus() if value.question.kind == "confirm" else \
                self.no_button.setFocus()
            return
        if isinstance(value, Progress):
            if value.fraction is not None:
                self.progress.setValue(round(value.fraction * 100))
            if value.message:
                message = value.message  # an English template, translated when shown
                self._say(lambda: ct(message))
            if value.data:
                self.sample.emit(dict(value.data))

    def _answer(self, yes: bool) -> None:
        if self._ask is not None:
            kind = self._ask.question.kind
            self._ask.answer(yes if kind == "confirm" else True)
        self._hide_question()

    def _hide_question(self) -> None:
        self._ask = None
        self.question.setVisible(False)

    def _on_result(self, result: CheckResult) -> None:
        self.session.results[result.id] = result
        self.check_finished.emit(result)
        self.show_results()

    def _on_error(self, err: TaskError) -> None:
        # run_one never raises; this is a bug in the GUI's own glue, shown inline all the same
        self._say(lambda: self.tr("The check stopped unexpectedly: {error}").format(
            error=err.message))

    def _on_finished(self) -> None:
        self._hide_question()
        self._next()

    def show_results(self) -> None:
        while self.cards.count():
            item = self.cards.takeAt(0)
            if item is not None and (card := item.widget()) is not None:
                card.hide()
                card.deleteLater()
        for p in self.plugins():
            r = self.session.results.get(p.id)
            if r is not None:
                card = ResultCard(r, self, rerunnable=False)
                self.cards.addWidget(card)

    def worst(self) -> Status | None:
        rs = [self.session.results[p.id] for p in self.plugins() if p.id in self.session.results]
        return Status.worst([r.status for r in rs]) if rs else None


