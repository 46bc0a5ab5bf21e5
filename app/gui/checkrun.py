"""Running one check from the GUI: a worker function for ``tasks.run_task`` that runs the
check in the context ``techcheck.app.runsetup`` builds (as ``techcheck run`` does), forwards
the check's progress, and bridges the check's questions ("did you hear the sound?") to the
page, which answers on the GUI thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import TaskContext
from techcheck.checks import registry
from techcheck.checks.context import Progress, Question
from techcheck.checks.model import CheckResult

if TYPE_CHECKING:  # the run builder and the runner load with the first check
    from techcheck.app.runsetup import RunSetup


@dataclass
class Ask:
    """A question from a running check, waiting for the page to ``answer`` it."""

    question: Question
    _event: threading.Event = field(default_factory=threading.Event)
    _answer: bool | None = None

    def answer(self, value: bool) -> None:
        self._answer = value
        self._event.set()


def run_setup(session: Session) -> RunSetup:
    """The sitting as a run (``techcheck.app.runsetup``, as ``techcheck run`` builds one):
    the devices chosen on the pages, the profile, the demo, the invitation, the recruiter's
    checklist, and the microphone's recording kept in memory for the call preview. A person
    watches the run, so a sample file plays at its own pace (``RunSetup.realtime``)."""
    from techcheck.app.runsetup import RunSetup

    extra = None
    if session.role == "recruiter":
        from techcheck.app.gui.pages.checklist import report_extra

        extra = report_extra(session)
    inv = session.invitation
    # Nobody was asked about a server inside the network when its spelling showed none: the
    # network check then judges the addresses the invitation's names resolve to.
    public = inv.public_hosts() if inv is not None and not inv.internal_servers else frozenset()
    return RunSetup(profile=session.profile, devices=replace(session.devices), lang=session.lang,
                    demo=session.demo, invitation=session.invitation,
                    snapshot=session.snapshot, keep_media=session.media, checklist=extra,
                    public_hosts=public, realtime=session.paced_files)


def check_worker(session: Session, plugin: registry.Plugin):
    """A function for ``run_task``: runs ``plugin`` and returns its ``CheckResult``.

    Progress arrives as ``Progress``; questions as ``Ask`` objects the page must answer."""
    setup = run_setup(session)

    def work(tctx: TaskContext) -> CheckResult:
        def progress(p: Progress) -> None:
            tctx.progress(p)

        def ask(q: Question) -> bool:
            pending = Ask(q)
            tctx.progress(pending)
            while not pending._event.wait(0.05):
                if tctx.cancel.cancelled:
                    return q.default
            return bool(pending._answer)

        ctx = setup.context(plugin.id, cancel=tctx.cancel, progress=progress, ask=ask,
                            interactive=True)
        from techcheck.checks.runner import run_one

        return run_one(plugin, ctx)

    return work
