"""Running one check from the GUI: a worker function for ``tasks.run_task`` that builds the
``CheckContext`` (devices, profile, language), forwards the check's progress, and bridges the
check's questions ("did you hear the sound?") to the page, which answers on the GUI thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from techcheck.app import demo
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import TaskContext
from techcheck.checks import registry
from techcheck.checks.context import CheckContext, Progress, Question
from techcheck.checks.model import CheckResult
from techcheck.checks.runner import run_one


@dataclass
class Ask:
    """A question from a running check, waiting for the page to ``answer`` it."""

    question: Question
    _event: threading.Event = field(default_factory=threading.Event)
    _answer: bool | None = None

    def answer(self, value: bool) -> None:
        self._answer = value
        self._event.set()


#: In demo mode the network check measures against a server on this computer (one figure for
#: the GUI and the terminal's demo run: app.demo).
DEMO_NETWORK_S = demo.DURATION_S


def check_worker(session: Session, plugin: registry.Plugin, duration: float | None = None):
    """A function for ``run_task``: runs ``plugin`` and returns its ``CheckResult``.

    Progress arrives as ``Progress``; questions as ``Ask`` objects the page must answer."""
    devices = replace(session.devices)
    profile = demo.local_profile(session.profile) if session.demo else session.profile
    lang = session.lang
    if duration is None and plugin.id == "network" and session.demo and not (
            session.invitation and session.invitation.server):
        duration = DEMO_NETWORK_S
    # The camera check takes a still picture only when the person ticked the box for it.
    options: dict = {"snapshot": True} if session.snapshot and plugin.id == "camera" else {}
    if plugin.id == "microphone":  # its recording stays in memory for the call preview
        options["keep_media"] = session.media
    inv = session.invitation
    if plugin.id == "network" and inv is not None and not inv.internal_servers:
        # Nobody was asked about a server inside the network (its spelling did not show
        # one): the check judges the addresses its names resolve to before connecting.
        options["public_hosts"] = inv.public_hosts()

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

        ctx = CheckContext(profile=profile, devices=devices, cancel=tctx.cancel,
                           progress=progress, ask=ask, duration=duration, interactive=True,
                           lang=lang, options=options)
        return run_one(plugin, ctx)

    return work
