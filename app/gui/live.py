"""Worker functions (for ``tasks.run_task``) behind the live views: camera preview with the
camera check's per-frame analysis, the microphone's level, recording and playback.

They import the check modules (OpenCV, sounddevice) only when a page asks, which keeps start-up
fast, and they always release the device in ``finally``."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from app.gui.tasks import TaskContext

log = logging.getLogger("techcheck.gui")

MAX_FPS = 30.0


@dataclass
class Frame:
    image: Any  # numpy BGR
    analysis: Any  # checks.camera.live.LiveAnalysis or None
    info: Any
    t: float


class DeviceProblem(Exception):
    """A device that cannot be used, with the fix to show next to it."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.fix = fix


def camera_preview(spec: str | int | None, limits: Any):
    def work(ctx: TaskContext) -> None:
        try:
            from checks.camera.live import FrameAnalyser
            from checks.camera.source import open_camera
        except ImportError as exc:
            raise DeviceProblem("The camera check is not part of this version.", str(exc)) from exc
        src = open_camera(spec)
        try:
            analyser = FrameAnalyser(limits)
            misses, last = 0, 0.0
            while not ctx.cancelled:
                frame, t = src.read()
                if frame is None:
                    misses += 1
                    if misses > 60:
                        raise DeviceProblem("The camera stopped sending pictures.",
                                            "Check that no other app took the camera, then "
                                            "choose it again.")
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
class LevelReading:
    rms_dbfs: float
    peak_dbfs: float
    clipping: bool
    t: float


def microphone_level(spec: str | int | None, record_s: float = 0.0):
    """Shows the level; when ``record_s`` > 0 also returns that many seconds of samples."""

    def work(ctx: TaskContext) -> Any:
        try:
            import numpy as np

            from checks.audio.meter import LevelMeter
            from checks.audio.source import open_input
        except ImportError as exc:
            raise DeviceProblem("The microphone check is not part of this version.",
                                str(exc)) from exc
        src = open_input(spec, samplerate=48000, blocksize=960)
        meter = LevelMeter()
        blocks: list[Any] = []
        start = time.monotonic()
        try:
            while not ctx.cancelled:
                block = src.read()
                if block is None:
                    ctx.cancel.sleep(0.01)
                    continue
                lvl = meter.update(block)
                ctx.latest(LevelReading(lvl.rms_dbfs, lvl.peak_dbfs, lvl.clipping, lvl.t))
                if record_s > 0:
                    blocks.append(np.array(block, copy=True))
                    if time.monotonic() - start >= record_s:
                        return np.concatenate(blocks) if blocks else None
        finally:
            src.close()
            log.debug("microphone released %r", spec)
        return None

    return work


def play(samples: Any, samplerate: int, device: str | int | None):
    def work(ctx: TaskContext) -> None:
        from checks.audio.playback import play as _play

        return _play(samples, samplerate, device=device, cancel=ctx.cancel)

    return work
