"""Results to render, compare and load reports from: recorded from real runs.

``tests/make_report_samples.py`` runs the real checks (camera on the demo clip, microphone on
the demo recording, speaker on the stand-in and on a private PipeWire server, the network check
against TechCheck's own server on 127.0.0.1 and over emulated links) and saves their results in
``tests/data/report_samples.json``; run it again when a check changes what it reports.
``real_system_result()`` runs the real system check on this machine now.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from techcheck.checks import registry
from techcheck.checks.context import CheckContext
from techcheck.checks.model import CheckResult, Report
from techcheck.checks.profile import load_profile
from techcheck.checks.system import SystemCheck

SAMPLES = Path(__file__).resolve().parent / "data" / "report_samples.json"
CREATED = "2026-12-01T09:35:12+01:00"
MACHINE = {"os": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0", "arch": "x86_64",
           "cpu": "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", "cpu_cores": 4, "cpu_threads": 8,
           "memory_gb": 7.6, "python": "3.11.2", "frozen": False}


def _ctx() -> CheckContext:
    plugins = registry.discover()
    profile = load_profile("teams", registry.limit_schemas(plugins))
    return CheckContext(profile=profile, duration=0.25)


@cache
def _real_system() -> CheckResult:
    return SystemCheck().run(_ctx())


def real_system_result() -> CheckResult:
    """The real system check on this machine (run once per test session, copied per use)."""
    return copy.deepcopy(_real_system())


@cache
def _recorded() -> dict[str, dict]:
    return json.loads(SAMPLES.read_text(encoding="utf-8"))["results"]


def recorded_names() -> list[str]:
    """The recorded runs, e.g. ``network_slow_upload``."""
    return sorted(_recorded())


def recorded(name: str) -> CheckResult:
    """One recorded real run, read as a saved report's check is (a fresh copy each time)."""
    return CheckResult.from_dict(copy.deepcopy(_recorded()[name]))


def loaded_system_result() -> CheckResult:
    """A laptop on battery, short of memory, its processors kept busy by another program."""
    return recorded("system_busy_laptop")


def network_result(name: str = "slow_upload") -> CheckResult:
    """The network check over a recorded connection: ``slow_upload`` (1 Mbit/s up),
    ``distant`` (140 ms away), ``fast`` (near, 13 Mbit/s up), ``jittery``,
    ``local`` (127.0.0.1), ``udp_blocked``, ``speedtest``, ``proxy_set``,
    ``platform_blocked``."""
    return recorded(f"network_{name}")


def camera_result(snapshot: bool = False) -> CheckResult:
    """The camera check on the demo clip; its snapshot only when asked for, as in the app."""
    r = recorded("camera_demo")
    if not snapshot:
        r.details.pop("snapshot_jpeg_b64", None)
    return r


def snapshot_b64() -> str:
    """The real snapshot the camera check took of the demo clip (a small JPEG, base64)."""
    return _recorded()["camera_demo"]["details"]["snapshot_jpeg_b64"]


def microphone_result() -> CheckResult:
    return recorded("microphone_demo")


def speaker_error() -> CheckResult:
    """The speaker check cut off by the runner: it did not finish in time ("could not run")."""
    return recorded("speaker_timed_out")


def report(*, system: CheckResult | None = None, network: CheckResult | None = None,
           snapshot: bool = False, extra: dict | None = None, lang: str = "en",
           with_error: bool = True) -> Report:
    checks = [system or loaded_system_result(), network or network_result(),
              camera_result(snapshot), microphone_result()]
    if with_error:
        checks.append(speaker_error())
    return Report(created=CREATED, app_version="0.1.0",
                  profile={"name": "teams", "title": "Microsoft Teams", "platform": "teams"},
                  machine=dict(MACHINE), checks=checks, lang=lang, extra=dict(extra or {}))


def ready_report() -> Report:
    """Everything passes: an idle desktop on mains power, and the demo recording."""
    return Report(created=CREATED, app_version="0.1.0",
                  profile={"name": "generic", "title": "Any video call", "platform": "other"},
                  machine=dict(MACHINE), checks=[recorded("system_idle_desktop"),
                                                 microphone_result()])
