"""Where microphone samples come from: a sound device, or a WAV/FLAC file standing in for one.

Both deliver float32 blocks shaped ``(frames, channels)`` either to a callback (called on the
audio thread: keep it short, e.g. ``LevelMeter.update`` and a signal emit) or, without a
callback, into a queue read with ``read()``. Everything downstream (meter, recorder, analysis)
cannot tell the two apart, which is what lets IT support and the tests run the real analysis
on a file.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from techcheck.checks.audio import backend
from techcheck.checks.audio.analysis import MIN_SAMPLERATE
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.safefile import os_error_text

log = logging.getLogger("techcheck.audio")

BlockCallback = Callable[[np.ndarray], None]
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".aiff", ".aif", ".au", ".w64", ".rf64", ".caf"}
#: Blocks kept when nobody reads the queue (about 10 s at 20 ms blocks); older ones are dropped.
QUEUE_BLOCKS = 500


def is_file_spec(spec: str | int | Path | None) -> bool:
    """Whether ``spec`` names a file rather than a device (a path, or an audio suffix)."""
    if spec is None or isinstance(spec, int):
        return False
    if isinstance(spec, Path):
        return True
    text = spec.strip()
    if text.lower() == "default" or text.lstrip("-").isdigit():
        return False
    p = Path(text)
    return p.suffix.lower() in AUDIO_SUFFIXES or "/" in text or "\\" in text or p.is_file()


def probe_audio_file(path: str | Path) -> None:
    """Raise ``AudioProblem('bad_file')`` unless ``path`` is an audio file the analysis can
    use; reads only the header, so the CLI can refuse a bad ``--microphone`` before running."""
    import soundfile as sf

    p = Path(path)
    try:
        exists, regular = p.exists(), p.is_file()
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise AudioProblem("bad_file", f"{p}: {os_error_text(exc)}", str(p)) from None
    if not exists:
        raise AudioProblem("bad_file", f"{p} does not exist", str(p))
    if not regular:
        raise AudioProblem("bad_file", f"{p} is not a file", str(p))
    try:
        info = sf.info(str(p))
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioProblem("bad_file", f"{p.name} is not an audio file that can be read "
                           f"(WAV, FLAC, Ogg): {exc}", str(p)) from None
    except OSError as exc:
        raise AudioProblem("bad_file", f"cannot read {p}: {exc}", str(p)) from None
    if info.samplerate < MIN_SAMPLERATE:
        raise AudioProblem("bad_file", f"{p.name} is sampled at {info.samplerate} Hz; speech "
                           f"needs at least {MIN_SAMPLERATE} Hz", str(p))


#: Samples read from an audio file at most (all channels together): one minute of 48 kHz
#: mono. The checks need seconds (the guided recording is 8 s), and the analysis holds about
#: 35 bytes per sample, so this keeps a file-as-microphone run under 200 MB (measured here);
#: a compressed file's size is no measure of its sound (a 1.3 MB FLAC held two hours of
#: silence and took 2.9 GB to read whole).
MAX_FILE_SAMPLES = 60 * 48_000


def read_audio_file(path: str | Path) -> tuple[np.ndarray, int]:
    """The file's first ``MAX_FILE_SAMPLES`` samples (all of a normal recording) as float32
    ``(frames, channels)`` and its sample rate, or ``AudioProblem('bad_file')`` saying what is
    wrong with it."""
    import soundfile as sf

    p = Path(path)
    probe_audio_file(p)
    try:
        channels = max(1, sf.info(str(p)).channels)
        data, fs = sf.read(str(p), frames=max(1, MAX_FILE_SAMPLES // channels),
                           dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioProblem("bad_file", f"{p.name} is not an audio file that can be read "
                           f"(WAV, FLAC, Ogg): {exc}", str(p)) from None
    except OSError as exc:
        raise AudioProblem("bad_file", f"cannot read {p}: {exc}", str(p)) from None
    if data.shape[0] == 0:
        raise AudioProblem("bad_file", f"{p.name} contains no sound", str(p))
    return data, int(fs)


class InputSource(ABC):
    """A running input. ``read`` returns the next block (or None on timeout / after the end);
    ``error`` is set when it failed while running (e.g. the device disappeared)."""

    samplerate: int
    channels: int
    blocksize: int
    name: str
    is_file: bool = False
    details: dict[str, Any]

    def __init__(self, callback: BlockCallback | None) -> None:
        self._callback = callback
        self._queue: queue.Queue[np.ndarray] = queue.Queue(QUEUE_BLOCKS)
        self.error: AudioProblem | None = None
        self.finished = False
        self.blocks = 0
        self.overflows = 0
        self.last_block_at = time.monotonic()
        self.started_at = time.monotonic()

    def _deliver(self, block: np.ndarray) -> None:
        self.blocks += 1
        self.last_block_at = time.monotonic()
        if self._callback is not None:
            try:
                self._callback(block)
            except Exception:  # a faulty consumer must not kill the audio thread
                log.exception("input callback failed")
            return
        try:
            self._queue.put_nowait(block)
        except queue.Full:
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait()
            self._queue.put_nowait(block)

    def read(self, timeout: float | None = None) -> np.ndarray | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def silent_for(self) -> float:
        """Seconds since the last block arrived (a live stream delivers every ~20 ms)."""
        return time.monotonic() - self.last_block_at

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> InputSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DeviceInput(InputSource):
    """A PortAudio input stream, float32, low latency."""

    def __init__(self, device: backend.AudioDevice, samplerate: int, blocksize: int,
                 channels: int | None, callback: BlockCallback | None) -> None:
        super().__init__(callback)
        sd = backend.sounddevice()
        self.device = device
        self.name = device.name
        self.samplerate = int(samplerate)
        self.blocksize = int(blocksize)
        # PipeWire/PulseAudio report 32-64 placeholder channels: ask for at most two, enough to
        # tell a dead channel of a stereo microphone
        self.channels = max(1, min(2, device.max_input_channels) if channels is None else channels)
        self.details = {"device": device.name, "index": device.index, "hostapi": device.hostapi,
                        "samplerate": self.samplerate, "channels": self.channels}
        self._closing = False
        self._guard: backend.StreamGuard | None = backend.StreamGuard().__enter__()
        try:
            self._stream = sd.InputStream(
                device=device.index, samplerate=self.samplerate, blocksize=self.blocksize,
                channels=self.channels, dtype="float32", latency="low",
                callback=self._on_audio, finished_callback=self._on_finished)
            self._stream.start()
        except Exception as exc:
            self._guard.__exit__()
            self._guard = None
            raise backend.classify(exc, device.name) from None
        self.details["latency_s"] = round(float(self._stream.latency), 4)

    def _on_audio(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        if status and status.input_overflow:
            self.overflows += 1
        self._deliver(indata.copy())

    def _on_finished(self) -> None:
        if not self._closing:
            self.error = AudioProblem("disconnected", "the input stream stopped", self.name)

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        try:
            self._stream.abort(ignore_errors=True)
            self._stream.close(ignore_errors=True)
        except Exception as exc:  # a dead server makes closing fail too
            log.debug("closing the input stream: %s", exc)
        finally:
            if self._guard is not None:
                self._guard.__exit__()
                self._guard = None


class FileInput(InputSource):
    """A WAV/FLAC file played into the pipeline in blocks, paced in real time (demo mode, GUI)
    or as fast as the consumer takes them (analysis of a file)."""

    is_file = True

    def __init__(self, path: str | Path, blocksize: int, callback: BlockCallback | None,
                 realtime: bool, loop: bool, channels: int | None = None) -> None:
        super().__init__(callback)
        data, fs = read_audio_file(path)
        if channels is not None and channels != data.shape[1]:
            data = (data.mean(axis=1, keepdims=True) if channels == 1
                    else np.repeat(data[:, :1], channels, axis=1))
        self.data = data
        self.samplerate = fs
        self.channels = data.shape[1]
        # keep ~20 ms blocks whatever the file's rate, so the meter's rate stays the same
        self.blocksize = max(1, round(blocksize * fs / 48000)) if blocksize else 960
        self.name = Path(path).name
        self.details = {"file": str(path), "samplerate": fs, "channels": self.channels,
                        "duration_s": round(data.shape[0] / fs, 3)}
        self._realtime, self._loop = realtime, loop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._pump, name="audio-file", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        start = time.monotonic()
        sent = 0
        n = self.data.shape[0]
        pos = 0
        while not self._stop.is_set():
            if pos >= n:
                if not self._loop:
                    break
                pos = 0
            block = self.data[pos: pos + self.blocksize]
            pos += block.shape[0]
            if self._realtime:
                due = start + (sent + block.shape[0]) / self.samplerate
                delay = due - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    break
            elif self._callback is None:
                while not self._stop.is_set():  # never drop a file's blocks: wait for room
                    try:
                        self._queue.put(block, timeout=0.05)
                        break
                    except queue.Full:
                        continue
                sent += block.shape[0]
                self.blocks += 1
                self.last_block_at = time.monotonic()
                continue
            sent += block.shape[0]
            self._deliver(block)
        self.finished = True

    def read(self, timeout: float | None = None) -> np.ndarray | None:
        if self.finished and self._queue.empty():
            return None
        return super().read(timeout)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(1.0)


def open_input(spec: str | int | Path | None, samplerate: int = 48000, blocksize: int = 960, *,
               callback: BlockCallback | None = None, channels: int | None = None,
               realtime: bool = True, loop: bool = False) -> InputSource:
    """Start an input: ``spec`` is a device name (or part of one), an index, ``None``/``"default"``
    for the system's default microphone, or a path to a WAV/FLAC file.

    Blocks go to ``callback`` (audio thread) or to the queue ``read()`` takes from. A file runs
    at its own sample rate, in real time unless ``realtime=False``. Raises ``AudioProblem``
    (``portaudio_missing``, ``unavailable``, ``permission``, ``busy``, ``bad_file``).
    """
    if is_file_spec(spec):
        return FileInput(Path(str(spec)), blocksize, callback, realtime, loop, channels)
    assert not isinstance(spec, Path)  # is_file_spec is true for every Path
    device = backend.resolve(spec, "input")
    return DeviceInput(device, samplerate, blocksize, channels, callback)
