"""Keeping the app's runs in the local history (``techcheck.app.report.history``, the same store and
retention setting as ``techcheck run``) and finding the run to compare with.

A *run* is one sitting's pass through the checks. It is saved whenever the checks go idle
after a result came in; re-checking a single thing updates that run (its history file is
replaced), "Check everything again" or a new profile starts a new one. The previous run is
the newest kept run from before this one, so "since your previous run" means "since the last
time you sat down with TechCheck", not "since the check you re-ran a minute ago".

Everything here runs in a worker (``tasks.run_task``): history files are the user's disk, which
may be slow, full or read-only; a failure comes back as a message, never an exception.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal

from techcheck.app.atomicfile import describe_write_error
from techcheck.app.gui.reporting import make_report
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, TaskContext, TaskError, run_task
from techcheck.app.report import history, jsonio
from techcheck.app.report.history import Entry, History
from techcheck.checks.model import Report

log = logging.getLogger("techcheck.gui")


@dataclass
class Saved:
    """What a save found out, handed back to the GUI thread."""

    report: Report
    path: Path | None  # None: not kept (history turned off, or the write failed)
    previous: Report | None  # the run to compare with
    problem: str = ""  # why it could not be kept, with the fix; empty when all went well
    disabled: bool = False  # the retention setting turns the history off


def save_worker(report: Report, replaces: Path | None, root: Path | None = None):
    """A ``run_task`` function: keep ``report`` (without a camera picture), drop the file it
    replaces, and load the newest run kept before it."""

    def work(_ctx: TaskContext) -> Saved:
        store = History(root) if root is not None else history.default()
        path, problem = None, ""
        try:
            path = store.save(report)
        except OSError as exc:  # a full or read-only disk: the run itself still counts
            log.error("keeping the run in the history failed: %s", exc)
            problem = describe_write_error(store.root, exc)
        if path is not None and replaces is not None and replaces != path:
            with contextlib.suppress(OSError):
                replaces.unlink(missing_ok=True)
        previous = previous_run(store, report.created, skip={p for p in (path, replaces) if p})
        return Saved(report, path, previous, problem, disabled=not store.retention.enabled)

    return work


def previous_run(store: History, created: str, skip: set[Path]) -> Report | None:
    """The newest kept run strictly before ``created`` that is not one of ``skip``."""
    limit = datetime.fromisoformat(created).astimezone(UTC)
    try:
        found = store.entries()
    except OSError as exc:
        log.warning("cannot list the history: %s", exc)
        return None
    for e in found:
        if e.path in skip or e.created >= limit:
            continue
        try:
            return e.load()
        except jsonio.ReportError as exc:
            log.warning("history: skipping %s", exc)
    return None


def list_worker(root: Path | None = None):
    """A ``run_task`` function: the kept runs, newest first (for IT support's detail view)."""

    def work(_ctx: TaskContext) -> tuple[list[Entry], Path]:
        store = History(root) if root is not None else history.default()
        return store.entries(), store.root

    return work


class RunKeeper(QObject):
    """Keeps the sitting's run in the history whenever the checks go idle, one save at a time
    (a result arriving during a save is kept right after it), and on closing synchronously.
    ``saved`` fires on the GUI thread once the session knows what was kept and what to compare
    with."""

    saved = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: Task | None = None
        self.unsaved = False  # a result came in that the history does not hold yet
        self._pending = False
        self.closing = False

    def result_arrived(self) -> None:
        self.unsaved = True

    def save(self) -> Task | None:
        """Keep the current results, off the GUI thread."""
        if self.task is not None:
            self._pending = True
            return None
        if not self.session.results:
            return None
        if self.session.demo:  # sample media: nothing about this computer's devices to keep
            self.unsaved = False  # (as `techcheck` in a terminal keeps no demo run either)
            self.session.saved_run = self.session.previous_run = None
            self.saved.emit()
            return None
        self.unsaved = False
        self.task = run_task(save_worker(make_report(self.session), self.session.history_path),
                             name="history-save", on_result=self._saved,
                             on_error=self._failed, on_finished=self._done)
        return self.task

    def _saved(self, saved: Saved) -> None:
        s = self.session
        s.history_path = saved.path if saved.path is not None else s.history_path
        s.saved_run, s.previous_run, s.history_problem = saved.report, saved.previous, saved.problem
        self.saved.emit()

    def _failed(self, err: TaskError) -> None:  # a bug in the glue, not a disk error
        self.session.history_problem = err.message
        self.saved.emit()

    def _done(self) -> None:
        self.task = None
        if self._pending and not self.closing:
            self._pending = False
            self.save()

    def save_at_close(self) -> None:
        """Closing: wait for a save under way, then keep the latest results (if any came in
        since)."""
        self.closing = True
        if not (self.unsaved or self._pending):
            return
        task = self.task
        if task is not None and task.wait(5.0):
            # deliver its result (the file it wrote) so this save replaces it
            QCoreApplication.sendPostedEvents(task, QEvent.Type.MetaCall)
        if self.session.results and not self.session.demo:
            try:
                saved = save_worker(make_report(self.session),
                                    self.session.history_path)(None)  # type: ignore[arg-type]
                self.session.history_path = saved.path or self.session.history_path
            except Exception:  # closing must never fail
                log.exception("keeping the run at close failed")
        self.unsaved = self._pending = False
