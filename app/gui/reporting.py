"""The report of what this sitting found, as the CLI would write it, plus what the GUI adds
(the recruiter's checklist, demo mode), and the text IT support pastes into a ticket."""

from __future__ import annotations

import copy
import json
import platform
from typing import Any

from techcheck.app import __version__, demo, logsetup
from techcheck.app.gui.session import Session
from techcheck.app.report.view import SNAPSHOT_KEY
from techcheck.checks.context import CheckContext
from techcheck.checks.model import CheckResult, Report
from techcheck.checks.runner import build_report


def make_report(session: Session) -> Report:
    """The report of this sitting. The camera picture is in it only while the person has the
    "add a still picture" box ticked, even when an earlier camera check took one."""
    ctx = CheckContext(profile=session.profile, devices=session.devices, lang=session.lang)
    extra: dict[str, Any] = {}
    if session.role == "recruiter":
        from techcheck.app.gui.pages.checklist import report_extra

        extra["checklist"] = report_extra(session)
    if session.demo:
        extra["demo"] = demo.report_extra(session.lang)
    if session.invitation is not None:
        extra["invitation"] = session.invitation.to_report()
    results = session.ordered_results()
    if not session.snapshot:
        results = [_without_snapshot(r) for r in results]
    return build_report(results, ctx, **extra)


def _without_snapshot(result: CheckResult) -> CheckResult:
    if SNAPSHOT_KEY not in result.details:
        return result
    r = copy.copy(result)
    r.details = {k: v for k, v in result.details.items() if k != SNAPSHOT_KEY}
    return r


def diagnostics(session: Session) -> str:
    """Everything IT support needs in one paste: versions, profile, devices, every result with
    its metrics and thresholds (the JSON report), and the end of the log."""
    from PySide6 import __version__ as pyside_version

    report = make_report(session)
    head = {
        "techcheck": __version__,
        "python": platform.python_version(),
        "pyside6": pyside_version,
        "platform": platform.platform(),
        "role": session.role,
        "demo": session.demo,
        "devices_chosen": {k: v for k, v in vars(session.devices).items()},
        "devices_found": session.device_lists,
        "log_file": str(logsetup.log_file() or ""),
    }
    return ("TechCheck diagnostics\n" + json.dumps(head, indent=2, ensure_ascii=False)
            + "\n\nReport\n" + json.dumps(report.to_dict("en"), indent=2, ensure_ascii=False)
            + "\n\nLog (last lines)\n" + logsetup.log_tail(200))
