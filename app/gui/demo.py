"""Demo mode: bundled sample video and sound and a measurement server on 127.0.0.1, so that a
newcomer without camera, microphone or internet sees every page work."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

import resources

log = logging.getLogger("techcheck.gui")

#: Where the network check's local measurement server may live (it is being written).
_SERVER_MODULES = ("checks.network.server", "checks.network.localserver", "checks.network",
                   "app.netserver", "app.network_server")


def camera_clip() -> Path:
    return resources.path("demo", "camera.avi")


def voice_clip() -> Path:
    return resources.path("demo", "voice.wav")


def find_start_server():
    for name in _SERVER_MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        fn = getattr(mod, "start_server", None)
        if fn is not None:
            return fn
    return None


def start_server() -> Any | None:
    """The local measurement server (``.url``, ``.stun``, ``.stop()``), or None when this
    version has none. Runs on 127.0.0.1 only."""
    fn = find_start_server()
    if fn is None:
        log.warning("demo mode: no local measurement server in this version")
        return None
    return fn(host="127.0.0.1", port=0)


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


def should_use_demo(device_lists: dict[str, list[dict[str, Any]]], online: bool) -> bool:
    """Automatic demo mode: nothing to test with."""
    no_camera = not device_lists.get("camera")
    no_mic = not device_lists.get("microphone")
    return (no_camera and no_mic) or (no_camera and not online) or (no_mic and not online)
