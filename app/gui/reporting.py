"""The report of what this sitting found, as the CLI would write it, plus what the GUI adds
(the recruiter's checklist, demo mode), and the text IT support pastes into a ticket."""

from __future__ import annotations

import json
import platform

from techcheck.app import logsetup
from techcheck.app.gui.session import Session
from techcheck.checks import version
from techcheck.checks.model import Report


def make_report(session: Session) -> Report:
    """The report of this sitting, as ``techcheck run`` would make it (``runsetup``). The
    camera picture is in it only while the person has the "add a still picture" box ticked,
    even when an earlier camera check took one."""
    from techcheck.app.gui.checkrun import run_setup

    return run_setup(session).report(session.ordered_results())


def diagnostics(session: Session) -> str:
    """Everything IT support needs in one paste: versions, profile, devices, every result with
    its metrics and thresholds (the JSON report), and the end of the log."""
    from PySide6 import __version__ as pyside_version

    report = make_report(session)
    head = {
        "techcheck": version(),
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
