"""A recruiter's invitation in the app: read and validated in a worker (an invitation is a
file from outside), applied only when valid — it sets the platform and the company's
measurement server — and closed again on request. What is wrong with a refused file is said
inline on the Start page; nothing that was open before changes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from techcheck.app.gui.pages.start import StartPage
from techcheck.app.gui.session import Session, platform_of
from techcheck.app.gui.tasks import Task, TaskContext, run_task

if TYPE_CHECKING:  # loaded with the first invitation, not before the first paint
    from techcheck.app import invitation as invitations

log = logging.getLogger("techcheck.gui")


class InvitationFlow(QObject):
    changed = Signal()  # opened or closed: pages that show the server refresh

    def __init__(self, session: Session, start: StartPage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.start = session, start
        self.task: Task | None = None
        start.invitation_chosen.connect(self.open)
        start.invitation_closed.connect(self.close)
        start.private_server_accepted.connect(self.apply)  # the person's answer to the question

    def open(self, path: str) -> Task:
        self.start.invitation_loading(Path(path).name)
        self.task = run_task(_reader(path), name="invitation", on_result=self._read,
                             on_error=lambda err: self._refused(err.message),
                             on_finished=self._done)
        return self.task

    def _done(self) -> None:
        self.task = None

    def _read(self, found: invitations.Invitation | str) -> None:
        if isinstance(found, str):
            self._refused(found)
        elif found.internal_servers:  # the Start page asks; its answer applies it or not
            self.start.ask_private_server(found)
        else:
            self.apply(found)

    def _refused(self, message: str) -> None:
        log.warning("invitation refused: %s", message)
        self.start.show_invitation_error(message)

    def apply(self, inv: invitations.Invitation) -> None:
        log.info("invitation opened: %s (profile %s)", inv.file, inv.profile)
        self.session.invitation = inv
        self.start.select_platform(platform_of(inv.profile))  # emits platform_chosen
        self.start.show_invitation()
        self.changed.emit()

    def close(self) -> None:
        self.session.invitation = None
        self.start.show_invitation()
        self.changed.emit()


def _reader(path: str) -> Callable[[TaskContext], invitations.Invitation | str]:
    def work(_ctx: TaskContext) -> invitations.Invitation | str:
        from techcheck.app import invitation as invitations

        try:
            return invitations.load(path)
        except invitations.InvitationError as exc:  # expected: the message is for the user
            return str(exc)

    return work
