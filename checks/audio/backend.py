"""The one place that talks to PortAudio (through ``sounddevice``).

``sounddevice`` is imported lazily: on a machine without the PortAudio library the import
raises ``OSError`` and that must become a finding with a fix, not a crash at start-up of the
app or of ``techcheck devices``. PortAudio also scans devices only once, when it initialises;
``rescan`` re-initialises it so that a headset plugged in after start-up shows up, but only when
none of our streams is open (re-initialising closes every open stream).
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from techcheck.checks.audio import standin

log = logging.getLogger("techcheck.audio")

_lock = threading.RLock()
_open_streams = 0


class AudioProblem(Exception):
    """An expected audio problem; ``kind`` says which finding it becomes.

    kinds: ``portaudio_missing``, ``unavailable`` (no such device / none at all),
    ``permission`` (the OS refused access), ``busy`` (another program holds the device),
    ``disconnected`` (it stopped delivering mid-check), ``bad_file`` (not a readable audio file).
    """

    def __init__(self, kind: str, detail: str, device: str = "") -> None:
        super().__init__(detail)
        self.kind, self.detail, self.device = kind, detail, device


def sounddevice() -> ModuleType:
    """The ``sounddevice`` module, or ``AudioProblem('portaudio_missing')``."""
    if "sounddevice" in sys.modules and sys.modules["sounddevice"] is not None:
        return sys.modules["sounddevice"]
    try:
        import sounddevice as sd
    except OSError as exc:  # "PortAudio library not found"
        raise AudioProblem("portaudio_missing", str(exc)) from None
    except ImportError as exc:  # a broken or missing install of the bindings
        raise AudioProblem("portaudio_missing", f"sounddevice cannot be imported: {exc}") from None
    module: ModuleType = sd  # sounddevice has no type information: its names are Any
    return module


def rescan() -> bool:
    """Re-read the device list from the OS. Returns False (and keeps the old list) while a stream
    is open, because PortAudio cannot re-scan without closing every stream."""
    sd = sounddevice()
    with _lock:
        if _open_streams:
            return False
        try:
            sd._terminate()
        except Exception as exc:  # already terminated is fine
            log.debug("PortAudio terminate: %s", exc)
        try:
            sd._initialize()
        except Exception as exc:  # reported by the next query instead
            log.warning("PortAudio re-initialise failed: %s", exc)
            return False
        return True


class StreamGuard:
    """Counts our open streams so that ``rescan`` never pulls the rug from under one."""

    def __enter__(self) -> StreamGuard:
        global _open_streams
        with _lock:
            _open_streams += 1
        return self

    def __exit__(self, *exc: object) -> None:
        global _open_streams
        with _lock:
            _open_streams = max(0, _open_streams - 1)


@dataclass(frozen=True)
class AudioDevice:
    """One PortAudio device as the pickers and ``techcheck devices`` show it."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    default_input: bool
    default_output: bool
    #: Set only for the demo stand-in output (``standin``): the known path its sound takes
    #: back into the microphone. Real devices have ``None``.
    echo_path: standin.EchoPath | None = None


def standin_output(path: standin.EchoPath) -> AudioDevice:
    """The stand-in speaker as a device: no PortAudio index, a host API no real one has."""
    return AudioDevice(index=-1, name=standin.NAME, hostapi=standin.HOSTAPI,
                       max_input_channels=0, max_output_channels=1, default_samplerate=48000.0,
                       default_input=False, default_output=False, echo_path=path)


def devices(refresh: bool = True) -> list[AudioDevice]:
    """All devices PortAudio sees, re-scanned first when possible."""
    sd = sounddevice()
    if refresh:
        rescan()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise AudioProblem("unavailable", str(exc)) from None
    din, dout = _defaults(sd)
    out = []
    for d in raw:
        out.append(AudioDevice(
            index=int(d["index"]), name=str(d["name"]),
            hostapi=str(apis[d["hostapi"]]["name"]) if d["hostapi"] < len(apis) else "?",
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            default_input=int(d["index"]) == din, default_output=int(d["index"]) == dout,
        ))
    return out


def _defaults(sd: ModuleType) -> tuple[int, int]:
    try:
        din, dout = sd.default.device
    except Exception:  # defaults are informative only
        return -1, -1
    apis = sd.query_hostapis()
    if din is None or din < 0:
        din = next((a["default_input_device"] for a in apis if a["default_input_device"] >= 0), -1)
    if dout is None or dout < 0:
        dout = next((a["default_output_device"] for a in apis if a["default_output_device"] >= 0),
                    -1)
    return int(din), int(dout)


def resolve(spec: str | int | AudioDevice | None, kind: str) -> AudioDevice:
    """The device meant by ``spec``: ``None``/``"default"``, an index, (part of) a name, an
    ``AudioDevice`` already resolved, or for an output the stand-in (``simulated…``, see
    ``standin``), which needs no PortAudio at all.

    ``kind`` is ``"input"`` or ``"output"``. Raises ``AudioProblem('unavailable')`` with the
    names that do exist, so the message helps the person pick the right one. Looks in the
    device list PortAudio already has and re-scans only when the device is not in it (a
    headset plugged in since): re-scanning on every open would race with streams other
    threads are opening.
    """
    if isinstance(spec, AudioDevice):
        return spec
    if kind == "output" and standin.is_standin(spec):
        try:
            return standin_output(standin.parse(spec) or standin.EchoPath())
        except standin.BadSpec as exc:
            raise AudioProblem("unavailable", str(exc), str(spec)) from None
    try:
        return _resolve(spec, kind, devices(refresh=False))
    except AudioProblem as first:
        if not rescan():
            raise first from None
        return _resolve(spec, kind, devices(refresh=False))


def _resolve(spec: str | int | None, kind: str, devs: list[AudioDevice]) -> AudioDevice:
    usable = [d for d in devs if (d.max_input_channels if kind == "input" else
                                  d.max_output_channels) > 0]
    what = "microphone" if kind == "input" else "speaker"
    if not usable:
        raise AudioProblem("unavailable", f"no {what} found", str(spec or "default"))
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "default")):
        chosen = next((d for d in usable if (d.default_input if kind == "input"
                                             else d.default_output)), None)
        if chosen is None:
            raise AudioProblem("unavailable", f"the system has no default {what}", "default")
        return chosen
    text = str(spec).strip()
    if text.lstrip("-").isdigit():
        idx = int(text)
        found = next((d for d in usable if d.index == idx), None)
        if found is None:
            raise AudioProblem("unavailable", f"there is no {what} number {idx} (have: "
                               f"{_names(usable)})", text)
        return found
    exact = [d for d in usable if d.name.lower() == text.lower()]
    partial = exact or [d for d in usable if text.lower() in d.name.lower()]
    if not partial:
        raise AudioProblem("unavailable", f"no {what} is called {text!r} (have: "
                           f"{_names(usable)})", text)
    return partial[0]


def _names(devs: list[AudioDevice]) -> str:
    return ", ".join(f"[{d.index}] {d.name}" for d in devs[:8]) or "none"


def classify(exc: BaseException, device: str = "") -> AudioProblem:
    """Turn a PortAudio/OS error into the problem the person can act on.

    PortAudio reports the host's error text: ALSA's errno names (-13 EACCES, -16 EBUSY,
    -19 ENODEV), paDeviceUnavailable (-9985) when another program holds a device exclusively
    (WASAPI exclusive mode, a busy ALSA hw device), and on Windows a denied privacy setting
    shows as an unanticipated host error with "access denied".
    """
    if isinstance(exc, AudioProblem):
        return exc
    text = str(exc)
    low = text.lower()
    if any(w in low for w in ("permission", "denied", "not permitted", "-13", "access")):
        kind = "permission"
    elif any(w in low for w in ("busy", "-9985", "device unavailable", "-16", "in use",
                                "exclusive")):
        kind = "busy"
    else:
        kind = "unavailable"
    return AudioProblem(kind, text, device)


def describe(d: AudioDevice) -> dict[str, Any]:
    return {"hostapi": d.hostapi, "max_input_channels": d.max_input_channels,
            "max_output_channels": d.max_output_channels,
            "default_samplerate": d.default_samplerate}
