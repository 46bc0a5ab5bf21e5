"""The one way the GUI runs work off its own thread.

``run_task(fn, ...)`` runs ``fn(task_ctx)`` in a ``QThread`` and hands everything back on the GUI
thread through Qt signals: progress, "latest" live values (coalesced, so a 30 fps camera never
floods the event loop), the result, or the error. Workers never touch widgets; they only call
``ctx.progress(...)``/``ctx.latest(...)`` and return. Cancel sets a ``techcheck.checks.context.CancelToken``
the function polls, so the same token reaches a running check.

Why not QThreadPool/QRunnable: a pool keeps threads alive after the work ends, which hides the
"thread left running" mistakes the tests look for; a QThread per task is cheap at our rates
(a handful per minute) and can be joined on close.
"""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDeadlineTimer, QObject, Qt, QThread, Signal

from techcheck.checks.context import Cancelled, CancelToken

log = logging.getLogger("techcheck.gui")

_MISSING = object()


class _Box:
    """Carries a value through a queued signal, so that ``None`` and the bools never travel
    as bare singletons through Qt's argument copies (PySide6 6.12.0 on Python 3.11 miscounted
    references to them; see the pin in pyproject.toml)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


@dataclass
class TaskError:
    """What went wrong in a worker, for an inline message (the traceback goes to the log)."""

    exception: BaseException
    traceback: str

    @property
    def message(self) -> str:
        return f"{type(self.exception).__name__}: {self.exception}"


class TaskContext:
    """What the worker function receives. Thread-safe; the only door back to the GUI."""

    def __init__(self, task: Task) -> None:
        self._task = weakref.ref(task)
        self.cancel: CancelToken = task.cancel_token

    @property
    def cancelled(self) -> bool:
        return self.cancel.cancelled

    def progress(self, value: Any) -> None:
        """Every value arrives, in order (check progress, network samples)."""
        task = self._task()
        if task is not None:
            task._event.emit("progress", _Box(value))

    def latest(self, value: Any) -> None:
        """Only the newest value matters (video frames, level readings): if the GUI has not
        taken the previous one yet, it is replaced rather than queued."""
        task = self._task()
        if task is not None:
            task._offer_latest(value)


class _Thread(QThread):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:  # worker thread
        self._task._work()


class Task(QObject):
    """A running piece of work. Connect to its signals; call ``cancel()``; never block on it
    except through ``wait`` at shutdown."""

    # Public signals carry a _Box (``.value``); most code passes callbacks to run_task instead.
    progress = Signal(object)
    latest = Signal(object)
    result = Signal(object)
    error = Signal(object)  # _Box(TaskError)
    cancelled = Signal()
    finished = Signal()  # always last, after result/error/cancelled

    _event = Signal(str, object)  # emitted in the worker thread, delivered on the GUI thread

    #: Strong references to every task until it is reaped: tasks have no Qt parent, so a page
    #: being destroyed can never delete a QThread that still runs.
    _live: set[Task] = set()  # noqa: RUF012 - deliberately shared

    def __init__(self, fn: Callable[[TaskContext], Any], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.fn = fn
        self.name = name
        self.cancel_token = CancelToken()
        self._lock = threading.Lock()
        self._latest: Any = _MISSING
        self._done = False
        #: Callbacks run_task registers: called directly on the GUI thread (see _Box for why
        #: values do not go through a second signal hop).
        self.callbacks: dict[str, Callable[..., object]] = {}  # what they return is unused
        self._event.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._thread = _Thread(self)
        self._thread.setObjectName(f"task-{name}")

    # --- GUI thread -------------------------------------------------------------------------

    def start(self) -> Task:
        log.debug("task %s started", self.name)
        Task._live.add(self)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return not self._done

    def wait(self, timeout_s: float) -> bool:
        """Join the thread (shutdown only). True when it ended."""
        return self._thread.wait(QDeadlineTimer(int(timeout_s * 1000)))

    def _dispatch(self, kind: str, box: _Box) -> None:
        if self._done:
            return
        value = box.value
        if kind == "progress":
            self._call("progress", value)
            self.progress.emit(_Box(value))
        elif kind == "latest":
            with self._lock:
                value, self._latest = self._latest, _MISSING
            if value is not _MISSING:
                self._call("latest", value)
                self.latest.emit(_Box(value))
        else:
            self._done = True
            self._thread.wait()  # run() has returned; this only reaps the thread
            log.debug("task %s: %s", self.name, kind)
            if kind == "result":
                self._call("result", value)
                self.result.emit(_Box(value))
            elif kind == "error":
                self._call("error", value)
                self.error.emit(_Box(value))
            else:
                self.cancelled.emit()
            self._call("finished")
            self.finished.emit()
            Task._live.discard(self)

    def _call(self, name: str, *args: Any) -> None:
        cb = self.callbacks.get(name)
        if cb is not None:
            try:
                cb(*args)
            except Exception:  # a page's bug must not leave the task half-finished
                log.exception("task %s: %s callback failed", self.name, name)

    # --- worker thread ----------------------------------------------------------------------

    def _offer_latest(self, value: Any) -> None:
        with self._lock:
            pending = self._latest is not _MISSING
            self._latest = value
        if not pending:
            self._event.emit("latest", _Box(None))

    def _work(self) -> None:
        ctx = TaskContext(self)
        try:
            value = self.fn(ctx)
        except Cancelled:
            self._event.emit("cancelled", _Box(None))
        except Exception as exc:  # reported inline with a fix; the traceback goes to the log
            tb = traceback.format_exc()
            log.error("task %s failed:\n%s", self.name, tb)
            self._event.emit("error", _Box(TaskError(exc, tb)))
        else:
            self._event.emit("cancelled" if self.cancel_token.cancelled and value is None
                             else "result", _Box(value))


def run_task(
    fn: Callable[[TaskContext], Any],
    *,
    name: str,
    on_result: Callable[[Any], object] | None = None,
    on_error: Callable[[TaskError], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    on_latest: Callable[[Any], None] | None = None,
    on_finished: Callable[[], None] | None = None,
) -> Task:
    """Start ``fn`` in a worker thread; the callbacks run on the GUI thread. The caller keeps
    the returned task to cancel it (pages cancel theirs when they are left)."""
    task = Task(fn, name)
    for key, slot in (("result", on_result), ("error", on_error), ("progress", on_progress),
                      ("latest", on_latest), ("finished", on_finished)):
        if slot is not None:
            task.callbacks[key] = slot
    return task.start()


def running_tasks() -> list[Task]:
    """Tasks whose thread has not been reaped (tests assert this is empty after close)."""
    return [t for t in list(Task._live) if t.running or t._thread.isRunning()]


def shutdown(timeout_s: float = 5.0) -> list[str]:
    """Cancel every task and join its thread; returns the names that would not stop."""
    tasks = running_tasks()
    for t in tasks:
        t.cancel()
    stuck = []
    for t in tasks:
        if not t.wait(timeout_s):
            stuck.append(t.name)
            continue
        t._done = True
        Task._live.discard(t)
    if stuck:
        log.error("tasks still running at shutdown: %s", ", ".join(stuck))
    return stuck
