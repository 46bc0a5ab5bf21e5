"""Sound out: play a signal, play while recording (the echo test), and record-and-play-back so a
person hears what the interviewer will hear."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from techcheck.checks.audio import backend, standin
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.meter import Level
from techcheck.checks.audio.recorder import record
from techcheck.checks.audio.source import open_input
from techcheck.checks.context import CancelToken

log = logging.getLogger("techcheck.audio")

#: Silence played at the start of the echo test, before its sound: what a stream plays before
#: the sound server has connected it is lost, and PipeWire's session manager connects a new
#: stream only after it has started (its policy links nodes as they appear,
#: https://pipewire.pages.freedesktop.org/wireplumber/policies/linking.html). On a loaded
#: 2-core machine the sound was lost once in 30 runs without it (docs/benchmarks.md).
LEAD_S = 0.5


def _as_2d(signal: np.ndarray) -> np.ndarray:
    s = np.asarray(signal, dtype=np.float32)
    return s[:, None] if s.ndim == 1 else s


def _fit_channels(s: np.ndarray, channels: int) -> np.ndarray:
    if s.shape[1] == channels:
        return s
    if s.shape[1] == 1:
        return np.repeat(s, channels, axis=1)
    mono = s.mean(axis=1, keepdims=True)
    return np.repeat(mono, channels, axis=1)


def _wait(done: threading.Event, seconds: float, cancel: CancelToken | None) -> bool:
    """Wait for ``done`` up to ``seconds``; False on timeout. Raises ``Cancelled`` on cancel."""
    left = seconds
    while left > 0:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if done.wait(min(0.05, left)):
            return True
        left -= 0.05
    return done.is_set()


def _pace(seconds: float, cancel: CancelToken | None) -> None:
    """Take as long as playing ``seconds`` of sound would (the stand-in speaker): the person
    and the progress display see the same timing as with a real device."""
    _wait(threading.Event(), seconds, cancel)


def play(signal: np.ndarray, samplerate: int,
         device: str | int | backend.AudioDevice | None = None, *,
         cancel: CancelToken | None = None, blocking: bool = True) -> Any:
    """Play ``signal`` (float, mono or ``(frames, channels)``) on an output device.

    Blocking by default (returns when the last sample was handed to the device); with
    ``blocking=False`` returns the running stream, which the caller closes. Raises
    ``AudioProblem`` for a missing, busy or refused device. The stand-in speaker
    (``standin``) takes the sound in real time and plays it nowhere.
    """
    dev = backend.resolve(device, "output")
    seconds = np.asarray(signal).shape[0] / samplerate
    if dev.echo_path is not None:
        if not blocking:
            return _StandinPlayback(seconds)
        _pace(seconds, cancel)
        return None
    sd = backend.sounddevice()
    channels = max(1, min(2, dev.max_output_channels))
    data = _fit_channels(_as_2d(signal), channels)
    pos = 0
    done = threading.Event()

    def callback(outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        nonlocal pos
        chunk = data[pos: pos + frames]
        outdata[: chunk.shape[0]] = chunk
        outdata[chunk.shape[0]:] = 0
        pos += frames
        if pos >= data.shape[0]:
            raise sd.CallbackStop

    guard = backend.StreamGuard().__enter__()
    try:
        stream = sd.OutputStream(device=dev.index, samplerate=samplerate, channels=channels,
                                 dtype="float32", callback=callback,
                                 finished_callback=done.set)
        stream.start()
    except Exception as exc:
        guard.__exit__()
        raise backend.classify(exc, dev.name) from None
    if not blocking:
        return _Closing(stream, guard)
    try:
        seconds = data.shape[0] / samplerate + max(1.0, float(stream.latency) * 4)
        if not _wait(done, seconds, cancel):
            raise AudioProblem("disconnected", "the output device stopped taking sound", dev.name)
    finally:
        stream.abort(ignore_errors=True)
        stream.close(ignore_errors=True)
        guard.__exit__()
    return None


class _StandinPlayback:
    """A non-blocking playback into the stand-in speaker: active for as long as the sound."""

    def __init__(self, seconds: float) -> None:
        self._until = time.monotonic() + seconds

    @property
    def active(self) -> bool:
        return time.monotonic() < self._until

    def close(self) -> None:
        self._until = 0.0


class _Closing:
    """A non-blocking playback: ``close()`` stops it and releases the device."""

    def __init__(self, stream: Any, guard: backend.StreamGuard) -> None:
        self.stream, self._guard = stream, guard

    @property
    def active(self) -> bool:
        return bool(self.stream.active)

    def close(self) -> None:
        self.stream.abort(ignore_errors=True)
        self.stream.close(ignore_errors=True)
        self._guard.__exit__()


def playrec(signal: np.ndarray, samplerate: int,
            input_device: str | int | backend.AudioDevice | None = None,
            output_device: str | int | backend.AudioDevice | None = None, *,
            tail_s: float = 0.6, lead_s: float = LEAD_S,
            cancel: CancelToken | None = None) -> tuple[np.ndarray, dict[str, Any]]:
    """Play ``signal`` and record at the same time through one duplex stream, so input and
    output share a clock and the delay between them is the real acoustic round trip (output
    buffer + loudspeaker-to-microphone path + input buffer). Returns the mono recording
    (``len(signal)`` + ``tail_s`` long, from the moment ``signal`` starts) and the devices used.

    ``lead_s`` of silence are played first and not returned: a sound server connects a new
    stream to its devices only after it has started (PipeWire's session manager links it), and
    what is played before that is lost.

    With the stand-in speaker the duplex path is the stand-in's known echo path into a quiet
    room (``standin.echo_through``), taken in real time; ``input_device`` is not opened."""
    dout = backend.resolve(output_device, "output")
    total = np.asarray(signal).shape[0] + int(tail_s * samplerate)
    if dout.echo_path is not None:
        _pace(total / samplerate, cancel)
        rec = standin.echo_through(signal, samplerate, dout.echo_path, total)
        return rec, {"input": "stand-in microphone in a quiet room", "output": dout.name,
                     "hostapi": dout.hostapi}
    sd = backend.sounddevice()
    din = backend.resolve(input_device, "input")
    out_ch = max(1, min(2, dout.max_output_channels))
    lead = int(lead_s * samplerate)
    data = _fit_channels(_as_2d(signal), out_ch)
    data = np.concatenate([np.zeros((lead, out_ch), dtype=data.dtype), data])
    total += lead
    rec = np.zeros(total, dtype=np.float32)
    pos = 0
    glitches = 0
    done = threading.Event()

    def callback(indata: np.ndarray, outdata: np.ndarray, frames: int, time_info: Any,
                 status: Any) -> None:
        nonlocal pos, glitches
        # PortAudio's status flags say the stream lost or padded samples (input overflow,
        # output underflow; Pa_StreamCallbackFlags, portaudio.h): the recording has a gap.
        if status and (status.input_overflow or status.input_underflow
                       or status.output_underflow):
            glitches += 1
        chunk = data[pos: pos + frames]
        outdata[: chunk.shape[0]] = chunk
        outdata[chunk.shape[0]:] = 0
        n = min(frames, total - pos)
        if n > 0:
            rec[pos: pos + n] = indata[:n].mean(axis=1)
        pos += frames
        if pos >= total:
            raise sd.CallbackStop

    guard = backend.StreamGuard().__enter__()
    try:
        try:
            stream = sd.Stream(device=(din.index, dout.index), samplerate=samplerate,
                               channels=(1, out_ch), dtype="float32", callback=callback,
                               finished_callback=done.set)
            stream.start()
        except Exception as exc:
            raise backend.classify(exc, f"{din.name} / {dout.name}") from None
        try:
            latency = stream.latency
            if not _wait(done, total / samplerate + 2.0, cancel):
                raise AudioProblem("disconnected", "the sound devices stopped during the echo "
                                   "test", f"{din.name} / {dout.name}")
        finally:
            stream.abort(ignore_errors=True)
            stream.close(ignore_errors=True)
    finally:
        guard.__exit__()
    info = {"input": din.name, "output": dout.name, "hostapi": dout.hostapi,
            "reported_latency_ms": [round(float(v) * 1000, 1) for v in latency],
            "glitches": glitches}
    return rec[lead:], info


def record_and_play_back(input_spec: str | int | Path | None, output_spec: str | int | None,
                         seconds: float = 4.0, *, samplerate: int = 48000,
                         cancel: CancelToken | None = None,
                         on_level: Callable[[Level], None] | None = None,
                         on_recorded: Callable[[np.ndarray], None] | None = None) -> np.ndarray:
    """Record ``seconds`` from the microphone, then play it on the speaker: "this is what the
    interviewer will hear". Returns the recording (kept in memory only, never saved)."""
    with open_input(input_spec, samplerate) as src:
        audio = record(src, seconds, cancel=cancel, on_level=on_level)
        fs = src.samplerate
    if on_recorded is not None:
        on_recorded(audio)
    play(audio, fs, output_spec, cancel=cancel)
    return audio
