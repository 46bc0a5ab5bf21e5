"""One way to set up a run, for ``techcheck run`` and the app: the context each check runs in
and the report of what the checks found.

The terminal and the app used to build a run each their own way (issue 22), and they
differed where no one meant them to:

- demo mode: the terminal gave *every* check the demo's 8 s (the camera 3 s more than its
  profile's 5 s); the app only the network check, which measures against the local server.
  Now only the network check, and only when it measures against the local server.
- an invitation's server in demo mode: the app measured against it ("a real measurement even
  in demo mode: it is the connection your interview will use"), the terminal against the local
  server. Now both measure against the invitation's server.
- the still camera picture: the app dropped one from the report when the box was unticked
  after the camera check; the terminal could not un-ask. Both now go through ``report``.

Qt-free: the GUI (``app.gui.checkrun``, ``app.gui.reporting``) and the CLI
(``app.commands.run``) both call it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from techcheck.app import demo
from techcheck.app.invitation import Invitation
from techcheck.app.report.view import SNAPSHOT_KEY
from techcheck.checks.context import CancelToken, CheckContext, Devices, Progress, Question
from techcheck.checks.model import CheckResult, Report
from techcheck.checks.profile import Profile
from techcheck.checks.runner import build_report


@dataclass
class RunSetup:
    """What a run checks and with what: the same fields whether a person chose them on the
    app's pages or on the command line."""

    profile: Profile
    devices: Devices = field(default_factory=Devices)
    lang: str = "en"
    #: Sample media and the local measurement server stand in for the devices; the report
    #: says so (``demo.report_extra``).
    demo: bool = False
    #: The recruiter's invitation: its server wins over the local one in demo mode, and the
    #: report names it.
    invitation: Invitation | None = None
    #: How long each measuring check takes (``--duration``); None: each check's own, or the
    #: demo's figure for a network check against the local server.
    duration: float | None = None
    #: A small camera picture in the report (asked for; off by default).
    snapshot: bool = False
    #: Where the microphone check leaves its recording, in memory, for the call preview;
    #: None: nothing is kept.
    keep_media: dict[str, Any] | None = None
    #: The recruiter's preparation checklist as the report carries it (``checklist.to_extra``).
    checklist: dict[str, Any] | None = None
    #: Host names of the invitation's servers that must resolve outside the candidate's
    #: network (``Invitation.public_hosts``): the network check judges the addresses before it
    #: connects. Empty when the person allowed a server inside it, or there is no invitation.
    public_hosts: frozenset[str] = frozenset()
    #: A person watches the run (the app): a video or sound file given as camera or
    #: microphone plays at its own pace, as a device delivers, so the page shows what the
    #: check judges for as long as the check judges it (issue 23). The terminal and the
    #: self-test read files as fast as they can.
    realtime: bool = False

    def measuring_locally(self) -> bool:
        """The network check measures against the local server (demo mode without an
        invitation's server)."""
        return self.demo and demo.connection_of(self.invitation) == demo.LOCAL

    def duration_for(self, check_id: str) -> float | None:
        if self.duration is not None:
            return self.duration
        if check_id == "network" and self.measuring_locally():
            return demo.DURATION_S
        return None

    def options(self) -> dict[str, Any]:
        """``CheckContext.options``: what the person asked the checks to keep."""
        options: dict[str, Any] = {}
        if self.snapshot:
            options["snapshot"] = True
        if self.keep_media is not None:
            options["keep_media"] = self.keep_media
        if self.public_hosts:
            options["public_hosts"] = self.public_hosts
        if self.realtime:
            options["realtime"] = True
        return options

    def context(self, check_id: str, *, cancel: CancelToken | None = None,
                progress: Callable[[Progress], None] | None = None,
                ask: Callable[[Question], bool] | None = None,
                interactive: bool = False) -> CheckContext:
        """The context the check ``check_id`` runs in (``progress`` and ``ask``: the
        ``CheckContext`` defaults when not given). In demo mode the profile measures only
        against the local server (``demo.local_profile``)."""
        profile = demo.local_profile(self.profile) if self.demo else self.profile
        if self.invitation is not None and self.invitation.app_min_version:
            profile = with_app_minimum(profile, self.invitation.app_min_version)
        ctx = CheckContext(profile=profile, devices=replace(self.devices),
                           cancel=cancel or CancelToken(), duration=self.duration_for(check_id),
                           interactive=interactive, lang=self.lang, options=self.options())
        if progress is not None:
            ctx.progress = progress
        if ask is not None:
            ctx.ask = ask
        return ctx

    def report(self, results: list[CheckResult]) -> Report:
        """The report of ``results``: the camera picture only while it is asked for, the demo
        note, the invitation and the checklist when there are any."""
        if not self.snapshot:
            results = [_without_snapshot(r) for r in results]
        ctx = CheckContext(profile=self.profile, devices=self.devices, lang=self.lang)
        return build_report(
            results, ctx,
            invitation=self.invitation.to_report() if self.invitation is not None else None,
            checklist=self.checklist,
            demo=demo.report_extra(self.lang, demo.connection_of(self.invitation))
            if self.demo else None)


def with_app_minimum(profile: Profile, minimum: str) -> Profile:
    """``profile`` with the invitation's minimum version of the meeting app (already checked
    by ``invitation.parse``) over its own ``[system] app_min_version``."""
    if "system" not in profile.sections:
        return profile
    sections = {k: dict(v) for k, v in profile.sections.items()}
    sections["system"]["app_min_version"] = minimum
    return replace(profile, sections=sections)


def _without_snapshot(result: CheckResult) -> CheckResult:
    if SNAPSHOT_KEY not in result.details:
        return result
    r = copy.copy(result)
    r.details = {k: v for k, v in result.details.items() if k != SNAPSHOT_KEY}
    return r
