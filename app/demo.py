"""Demo mode, shared by the GUI, ``techcheck selftest`` and ``techcheck`` in a terminal without
a desktop: the bundled sample video and recording stand in for camera and microphone, a
simulated speaker whose echo path is known (``techcheck.checks.audio.standin``) for the speakers, and a
measurement server on 127.0.0.1 for the internet, so a newcomer without camera, microphone,
speakers or network sees every check work. Reports made this way say so (``report_extra``).
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from techcheck import resources
from techcheck.checks.context import Devices
from techcheck.checks.i18n import N_, translate

if TYPE_CHECKING:
    from techcheck.checks.profile import Profile

log = logging.getLogger("techcheck.demo")

#: Seconds a measuring check takes in demo mode: against the server on this computer a few
#: seconds show every graph and finding; the full 25 s would only measure the loopback longer.
DURATION_S = 8.0

#: The line the demo's measurement server plays (down, up in Mbit/s): a good home fibre
#: connection, enough for every platform's best video (Teams asks 1.5 Mbit/s each way for
#: 1080p: https://learn.microsoft.com/en-us/microsoftteams/prepare-network). Unpaced, the
#: loopback reads several Gbit/s, which no interview line has, and the check spends both
#: processor cores copying bytes while it measures (bench/bench_demo_network.py).
DEMO_LINE_MBPS = (100.0, 100.0)

#: Network limits that would reach the internet; in demo mode all traffic stays on this host.
LOCAL_NETWORK = {"stun_servers": (), "endpoints": (), "captive_url": ""}


def camera_clip() -> Path:
    return resources.path("demo", "camera.avi")


def voice_clip() -> Path:
    return resources.path("demo", "voice.wav")


def speaker_standin() -> str:
    """The speaker spec of demo mode: the stand-in with its default, headset-like echo path.
    (Imported here, not at the top: the app's start-up does not load numpy.)"""
    from techcheck.checks.audio import standin

    return standin.SPEC


#: How a demo run ends, on every surface (the app's results and step list, the terminal, every
#: report format): its own neutral verdict (``Verdict.DEMO``), never a readiness. ``WORD`` is
#: the verdict's word; the sentence says truthfully what was judged: sample media stood in for
#: the camera, microphone and speakers, the connection was measured against the test server on
#: this computer (``SENTENCE``) or, when an invitation named its server, the real connection
#: (``SENTENCE_REAL_CONNECTION``), and the computer and screen sharing checks always look at
#: this computer itself. ``note`` is word and sentence as one line (the report's
#: ``demo.note``, the terminal's last line).
WORD = N_("Demo finished")
SENTENCE = N_("The camera, microphone and speaker checks ran on sample media and the connection "
              "check against a test server on this computer; the computer and screen sharing "
              "checks looked at this computer itself. This says nothing about your own devices.")
SENTENCE_REAL_CONNECTION = N_(
    "The camera, microphone and speaker checks ran on sample media; the connection, computer "
    "and screen sharing checks looked at this computer and its connection itself. This says "
    "nothing about your own camera, microphone or speakers.")
#: What the demo's ``demo.connection`` says the connection check measured against.
LOCAL, REAL = "local", "real"


def connection_of(invitation: Any) -> str:
    """How demo mode measures the connection: against the local test server (``LOCAL``),
    unless a recruiter's invitation names its measurement server (``REAL``: the connection the
    interview will use)."""
    return REAL if invitation is not None and getattr(invitation, "server", None) else LOCAL


def sentence(connection: str = LOCAL) -> str:
    """The demo's sentence (an ``N_`` template) for how its connection was measured."""
    return SENTENCE_REAL_CONNECTION if connection == REAL else SENTENCE


def sentence_of(extra: Any) -> str:
    """The sentence for a report's ``demo`` field (a report made before ``connection`` was
    recorded measured against the local server: demo mode had no other way then)."""
    connection = extra.get("connection") if isinstance(extra, dict) else None
    return sentence(connection if isinstance(connection, str) else LOCAL)


def note(lang: str, connection: str = LOCAL) -> str:
    """The demo's word and sentence as one line, in ``lang``."""
    return f"{translate(WORD, lang)}. {translate(sentence(connection), lang)}"


def report_extra(lang: str, connection: str = LOCAL) -> dict[str, Any]:
    """The report's ``demo`` field (docs/report-format.md): present only in demo mode, and
    what makes the report's verdict ``demo`` (``Report.demo``); ``connection`` says whether
    the connection check measured against the local test server or the real connection."""
    return {"note": note(lang, connection), "connection": connection}


def devices(server: Any | None) -> Devices:
    """Every device replaced by its stand-in; the network check measures against ``server``
    (from ``start_server``), or has no server when it is ``None``."""
    return Devices(camera=str(camera_clip()), microphone=str(voice_clip()),
                   speaker=speaker_standin(), server=server.url if server else None,
                   stun=server.stun if server else None)


def device_lists(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``{"camera": [...], "microphone": [...], "speaker": [...]}`` from a flat device list
    (``techcheck devices``), as ``should_use_demo`` takes it."""
    lists: dict[str, list[dict[str, Any]]] = {"camera": [], "microphone": [], "speaker": []}
    for d in found:
        lists.setdefault(str(d.get("kind")), []).append(d)
    return lists


def start_server() -> Any:
    """The local measurement server (``.url``, ``.stun``, ``.stop()``) on 127.0.0.1, playing
    the demo's line (``DEMO_LINE_MBPS``). Raises ``OSError`` when it cannot listen."""
    from techcheck.checks.network.server import Line
    from techcheck.checks.network.server import start_server as start

    return start(host="127.0.0.1", port=0, line=Line(*DEMO_LINE_MBPS))


def local_profile(profile: Profile) -> Profile:
    """A copy of ``profile`` whose network check measures only against the local server:
    no public STUN servers, platform endpoints or captive-portal probe."""
    cls = profile.schemas.get("network")
    if cls is None or not dataclasses.is_dataclass(cls):
        return profile
    names = {f.name for f in dataclasses.fields(cls)}
    sections = {k: dict(v) for k, v in profile.sections.items()}
    sections.setdefault("network", {}).update(
        {k: v for k, v in LOCAL_NETWORK.items() if k in names})
    return dataclasses.replace(profile, sections=sections)


def has_default_route() -> bool:
    """Whether the computer has any way out (a default route): read locally, no traffic."""
    try:
        with open("/proc/net/route", encoding="ascii") as fh:
            next(fh, None)
            for line in fh:
                fields = line.split()
                if len(fields) > 2 and fields[1] == "00000000":
                    return True
        with open("/proc/net/ipv6_route", encoding="ascii") as fh:
            return any(line.split()[0] == "0" * 32 and line.split()[-1] != "lo" for line in fh)
    except (OSError, IndexError):
        return True  # cannot tell (not Linux): assume online
    return False


#: What the person is told first when a camera or microphone is missing, before any demo is
#: offered (the app's Start page, ``techcheck`` in a terminal): what is missing, then the fix.
MISSING = {
    ("camera", "microphone"): N_("No camera and no microphone were found."),
    ("camera",): N_("No camera was found."),
    ("microphone",): N_("No microphone was found."),
}
MISSING_FIX = N_("Plug in your webcam or headset (on a laptop, check that the built-in camera is "
                 "not switched off by a key or a cover), close other apps that may be using "
                 "them, and allow camera and microphone access in your system's privacy "
                 "settings.")
#: The explicit choice of a demo, never made for the person in the app.
CHOICE = N_("See how it works with a sample video")


def missing(device_lists: dict[str, list[dict[str, Any]]],
            chosen: Devices | None = None) -> tuple[str, ...]:
    """The kinds, of camera and microphone, that the computer has none of and the person has
    not named one for (a device or a file in ``chosen``): a key of ``MISSING``, or ``()``."""
    return tuple(kind for kind in ("camera", "microphone")
                 if not device_lists.get(kind) and not getattr(chosen, kind, None))


def should_use_demo(device_lists: dict[str, list[dict[str, Any]]], online: bool) -> bool:
    """``techcheck`` without a desktop: nothing to test with, so the demo runs (after the
    person is told what is missing: ``MISSING``)."""
    no_camera = not device_lists.get("camera")
    no_mic = not device_lists.get("microphone")
    return (no_camera and no_mic) or (no_camera and not online) or (no_mic and not online)
