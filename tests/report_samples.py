"""Recorded results to render reports from, built with the real model and the real system check.

``real_system_result()`` runs the real system check on this machine; ``loaded_system_result()``
runs the same check on a stand-in laptop that is busy, short of memory and on battery, so its
real findings (with their Swedish translations) appear. The network, camera, microphone and
speaker results are what those checks record, built through the same ``ResultBuilder``.
"""

from __future__ import annotations

import base64
import copy
from functools import cache

import cv2
import numpy as np

from techcheck.checks import registry
from techcheck.checks.base import ResultBuilder
from techcheck.checks.context import CheckContext
from techcheck.checks.model import CheckResult, Report, Status
from techcheck.checks.profile import load_profile
from techcheck.checks.system import SystemCheck
from techcheck.checks.system.probe import Battery
from tests.stubs import FakeSystemProbe

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


def loaded_system_result() -> CheckResult:
    probe = FakeSystemProbe(load=93.0, free_mb=700.0, battery=Battery(35.0, False, 5400),
                            apps=["Microsoft Teams"])
    r = SystemCheck(probe).run(_ctx())
    r.duration_s = 2.31
    return r


def network_result(upload: float = 2.3, latency: float = 23.0) -> CheckResult:
    b = ResultBuilder("network", "Connection")
    b.metric("download_mbps", 48.2, "Mbit/s", threshold=1.5, status=Status.PASS, op=">=")
    up_status = Status.PASS if upload >= 3.2 else Status.FAIL
    b.metric("upload_mbps", upload, "Mbit/s", threshold=3.2, status=up_status, op=">=")
    b.metric("latency_ms", latency, "ms", threshold=100.0,
             status=Status.PASS if latency <= 100 else Status.WARN, op="<=")
    b.metric("jitter_ms", 12.0, "ms", threshold=10.0, status=Status.WARN, op="<=")
    b.metric("loss_pct", 0.0, "%", threshold=1.0, status=Status.PASS, op="<=")
    b.metric("udp", True, "")
    if upload < 3.2:
        b.finding("network.slow_upload", Status.FAIL,
                  "Upload is {value:.1f} Mbit/s; a video call needs {threshold:.1f} Mbit/s.",
                  "Stop uploads and cloud backups, move closer to the router or use a cable.",
                  value=upload, threshold=3.2, unit="Mbit/s", op=">=")
    b.finding("network.jitter", Status.WARN,
              "Jitter is {value:.0f} ms (limit {threshold:.0f} ms): the sound may break up.",
              "Ask others on your network to pause streaming during the interview.",
              value=12.0, threshold=10.0, unit="ms", op="<=")
    r = b.build()
    r.duration_s = 21.4
    return r


def snapshot_b64() -> str:
    """A small, real JPEG (a drawn head and shoulders) as the camera check would store it."""
    img = np.full((240, 320, 3), (205, 190, 170), np.uint8)
    cv2.rectangle(img, (0, 170), (320, 240), (120, 100, 80), -1)
    cv2.ellipse(img, (160, 250), (95, 70), 0, 180, 360, (90, 60, 40), -1)
    cv2.ellipse(img, (160, 120), (48, 60), 0, 0, 360, (140, 170, 215), -1)
    ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return base64.b64encode(jpeg.tobytes()).decode("ascii")


def camera_result(snapshot: bool = False) -> CheckResult:
    b = ResultBuilder("camera", "Camera")
    b.metric("width", 1280, "px")
    b.metric("height", 720, "px")
    b.metric("fps", 30.0, "fps", threshold=24.0, status=Status.PASS, op=">=")
    b.metric("face_luma", 68.0, "", threshold=[80.0, 180.0], status=Status.WARN)
    b.metric("backlight_ratio", 0.62, "", threshold=0.8, status=Status.WARN, op=">=")
    b.finding("camera.dim_face", Status.WARN,
              "Your face is dim: brightness {value:.0f} (want {lo} to {hi}).",
              "Turn on a lamp in front of you, behind the screen.",
              value=68.0, threshold=[80.0, 180.0], op="between", lo=80, hi=180)
    if snapshot:
        b.detail("snapshot_jpeg_b64", snapshot_b64())
    r = b.build()
    r.duration_s = 4.02
    return r


def microphone_result() -> CheckResult:
    b = ResultBuilder("microphone", "Microphone")
    b.metric("speech_level_dbfs", -24.5, "dBFS", threshold=[-28.0, -16.0], status=Status.PASS)
    b.metric("noise_floor_dbfs", -63.0, "dBFS", threshold=-50.0, status=Status.PASS, op="<=")
    b.metric("peak_dbfs", -4.1, "dBFS", threshold=-3.0, status=Status.PASS, op="<=")
    r = b.build()
    r.duration_s = 6.5
    return r


def speaker_error() -> CheckResult:
    return CheckResult("speaker", "Speakers", Status.ERROR, 0.12,
                       error="No sound output device was found.")


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
    """Everything passes: the real system check (on an idle, plugged-in stand-in) only."""
    probe = FakeSystemProbe(load=12.0, free_mb=4000.0, total_mb=8192.0, battery=None,
                            disk_free_mb=50000.0, vpns=[], apps=[])
    r = SystemCheck(probe).run(_ctx())
    return Report(created=CREATED, app_version="0.1.0",
                  profile={"name": "generic", "title": "Any video call", "platform": "other"},
                  machine=dict(MACHINE), checks=[r, microphone_result()])
