"""Worker functions (for ``tasks.run_task``) behind the live views: camera preview with the
camera check's per-frame analysis, the microphone's level, recording and playback.

They import the check modules (OpenCV, sounddevice) only when a page asks, which keeps start-up
fast, and they always release the device in ``finally``."""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from techcheck.app.gui.tasks import TaskContext

log = logging.getLogger("techcheck.gui")

MAX_FPS = 30.0


@dataclass
class Frame:
    image: Any  # numpy BGR
    analysis: Any  # checks.camera.live.LiveAnalysis or None
    info: Any
    t: float


class DeviceProblem(Exception):
    """A device that cannot be used; ``kind`` selects the text in ``techcheck.app.gui.problems``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind, self.detail = kind, detail


def camera_preview(spec: str | int | None, limits: Any, seed: Any = None):
    """Frames with the camera check's analysis; ``seed`` (a ``LiveAnalysis.states``) starts the
    judge from the verdicts a check just reached, so the hints agree with its card."""

    def work(ctx: TaskContext) -> None:
        try:
            from techcheck.checks.camera.live import FrameAnalyser
            from techcheck.checks.camera.source import open_camera
        except ImportError as exc:
            raise DeviceProblem("missing_module", str(exc)) from exc
        src = open_camera(spec, realtime=True, loop=True)  # a file (demo) plays like a camera
        try:
            analyser = FrameAnalyser(limits, seed=seed)
            misses, last = 0, 0.0
            while not ctx.cancelled:
                frame, t = src.read()
                if frame is None:
                    misses += 1
                    if misses > 60:
                        raise DeviceProblem("disconnected", "no pictures for 2 s")
                    ctx.cancel.sleep(0.03)
                    continue
                misses = 0
                analysis = analyser.analyse(frame, t)
                ctx.latest(Frame(frame, analysis, getattr(src, "info", None), t))
                wait = 1.0 / MAX_FPS - (time.monotonic() - last)
                if wait > 0:
                    ctx.cancel.sleep(wait)
                last = time.monotonic()
        finally:
            src.close()
            log.debug("camera preview released %r", spec)

    return work


@dataclass
class Recording:
    samples: Any  # numpy float32, (frames, channels)
    samplerate: int


@dataclass
class LevelReading:
    rms_dbfs: float
    peak_dbfs: float
    clipping: bool
    t: float
    #: the check's measures over the last ``livelevel.window_seconds`` (None until measured),
    #: and how many times the window was measured: a new number means new measures to judge
    window: Any = None
    window_n: int = 0


def microphone_level(spec: str | int | None, record_s: float = 0.0, limits: Any = None):
    """Shows the level; when ``record_s`` > 0 also returns that many seconds as a
    ``Recording``. A file (demo mode) loops so the meter keeps moving.

    With the microphone check's ``limits`` it also measures, every ``livelevel.UPDATE_S`` of
    audio, what the check measures over as many seconds as the check records (active speech
    level and clipping, by ``analysis.analyse``), for the page to judge as the check does."""

    def work(ctx: TaskContext) -> Any:
        try:
            import numpy as np

            from techcheck.checks.audio.analysis import analyse
            from techcheck.checks.audio.livelevel import UPDATE_S, LevelMeasures, window_seconds
            from techcheck.checks.audio.meter import LevelMeter
            from techcheck.checks.audio.source import open_input
        except ImportError as exc:
            raise DeviceProblem("missing_module", str(exc)) from exc
        from techcheck.checks.audio.source import is_file_spec

        looping = is_file_spec(spec)
        src = open_input(spec, samplerate=48000, blocksize=960, loop=looping)
        fs = float(src.samplerate)
        meter = LevelMeter(fs)
        blocks: list[Any] = []
        recent: deque[Any] = deque()  # the last window_seconds of blocks
        held = 0  # samples in ``recent``
        span = int(window_seconds(limits) * fs) if limits is not None else 0
        every = int(UPDATE_S * fs)
        due = every
        window, window_n = None, 0
        start = time.monotonic()
        try:
            while not ctx.cancelled:
                block = src.read(timeout=0.1)
                if block is None:
                    if isinstance(error := getattr(src, "error", None), BaseException):
                        raise error
                    if getattr(src, "finished", False):
                        return None
                    continue
                lvl = meter.update(block)
                if span:
                    b = np.array(block, copy=True)
                    recent.append(b)
                    held += b.shape[0]
                    while held - recent[0].shape[0] >= span:
                        held -= recent.popleft().shape[0]
                    due -= b.shape[0]
                    if due <= 0:
                        due = every
                        a = analyse(np.concatenate(recent)[-span:], fs,
                                    min_speech_s=float(limits.min_speech_s), level_only=True)
                        window, window_n = LevelMeasures.of(a), window_n + 1
                ctx.latest(LevelReading(lvl.rms_dbfs, lvl.peak_dbfs, lvl.clipping, lvl.t,
                                        window, window_n))
                if record_s > 0:
                    blocks.append(np.array(block, copy=True))
                    if time.monotonic() - start >= record_s:
                        return Recording(np.concatenate(blocks), int(src.samplerate))
        finally:
            src.close()
            log.debug("microphone released %r", spec)
        return None

    return work


def play(samples: Any, samplerate: int, device: str | int | None):
    def work(ctx: TaskContext) -> None:
        from techcheck.checks.audio.playback import play as _play

        return _play(samples, samplerate, device=device, cancel=ctx.cancel)

    return work
