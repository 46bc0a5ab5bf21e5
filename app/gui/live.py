"""Worker functions (for ``tasks.run_task``) behind the live views: camera preview with the
camera check's per-frame analysis, the microphone's level, recording and playback.

They import the check modules (OpenCV, sounddevice) only when a page asks, which keeps start-up
fast, and they always release the device in ``finally``."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from techcheck.app.gui.tasks import TaskContext

log = logging.getLogger("techcheck.gui")

MAX_FPS = 30.0
#: How far a sample file played in real time may fall behind its own pace before it goes on
#: from now instead of racing through the frames it missed (a paused or starved worker).
MAX_LAG_S = 0.25


@dataclass
class Frame:
    image: Any  # numpy BGR
    analysis: Any  # checks.camera.live.LiveAnalysis or None: the latest, held between runs
    info: Any
    t: float
    analysed: bool = False  # ``analysis`` was made from this very frame


class DeviceProblem(Exception):
    """A device that cannot be used; ``kind`` selects the text in ``techcheck.app.gui.problems``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail or kind)
        self.kind, self.detail = kind, detail


class Pace:
    """What the camera preview's worker is asked for, set from the GUI thread and read by the
    worker (plain attributes and a ``threading.Event``: safe across the two threads).

    ``analyses_hz``: the most analyses (face detection, mesh, light and scene measures) per
    second of the stream; None analyses every frame, as the camera check does. Every frame
    is still shown, with the latest analysis held until the next.

    ``shown``: somebody can see the picture. While it is off (window minimised or hidden,
    page not shown) the worker neither reads, decodes nor analyses a frame.

    ``frames`` and ``analyses`` count what the worker did, for the tests and benchmarks."""

    def __init__(self, analyses_hz: float | None = None) -> None:
        self.analyses_hz = analyses_hz
        self._shown = threading.Event()
        self._shown.set()
        self.frames = 0
        self.analyses = 0

    @property
    def shown(self) -> bool:
        return self._shown.is_set()

    def show(self, on: bool) -> None:
        if on:
            self._shown.set()
        else:
            self._shown.clear()

    def wait_shown(self, timeout_s: float) -> bool:
        return self._shown.wait(timeout_s)


class Schedule:
    """When the next analysis is due. At most one per ``1 / max_hz`` seconds of the stream's
    own clock, and never more than ``max_share`` of the worker's wall time: on a starved
    computer an analysis that takes longer than frames arrive makes the next ones wait (the
    frames are shown without a new analysis) instead of a queue of frames building up behind
    it. The share leaves the worker a quarter of its time for reading and decoding: the
    analyses with a full-picture face search (every 0.5 s, several times the cost of following
    the face) then cost a 25 fps stream no analysis on an idle machine, as a half share did
    (docs/benchmarks.md). Pure bookkeeping over the times it is given."""

    def __init__(self, max_hz: float | None, max_share: float = 0.75) -> None:
        self.interval = 1.0 / max_hz if max_hz else 0.0
        self.max_share = max_share
        self._next_t: float | None = None  # stream time
        self._next_wall = 0.0

    def due(self, t: float, wall: float) -> bool:
        """Analyse the frame of stream time ``t``, read at ``wall`` (monotonic seconds)?"""
        if self._next_t is not None and t < self._next_t - self.interval:
            self._next_t = None  # the stream started over (a new camera, a looped file)
        return (self._next_t is None or t >= self._next_t) and wall >= self._next_wall

    def ran(self, t: float, start: float, end: float) -> None:
        """An analysis of the frame at ``t`` ran from ``start`` to ``end`` (wall seconds)."""
        # Due times step by the interval from the last due time, not from the frame that met
        # it: frames come on their own grid (25 fps gives analyses 0.12 and 0.16 s apart for
        # 8 a second), and any span of the stream holds at most one more than its share.
        on_grid = self._next_t is not None and t - self._next_t < self.interval
        self._next_t = (self._next_t if on_grid and self._next_t is not None else t) \
            + self.interval
        self._next_wall = start + (end - start) / self.max_share


def camera_preview(spec: str | int | None, limits: Any, seed: Any = None,
                   pace: Pace | None = None):
    """Frames with the camera check's analysis; ``seed`` (a ``LiveAnalysis.states``) starts the
    judge from the verdicts a check just reached, so the hints agree with its card; ``pace``
    bounds the analyses and pauses the worker while nobody sees the picture."""
    pace = pace or Pace()

    def work(ctx: TaskContext) -> None:
        try:
            from techcheck.checks.camera.live import FrameAnalyser
            from techcheck.checks.camera.source import open_camera
        except ImportError as exc:
            raise DeviceProblem("missing_module", str(exc)) from exc
        src = open_camera(spec, realtime=True, loop=True)  # a file (demo) plays like a camera
        try:
            analyser = FrameAnalyser(limits, seed=seed)
            schedule = Schedule(pace.analyses_hz)
            misses, last, held = 0, 0.0, None
            while not ctx.cancelled:
                if not pace.shown:  # nobody sees it: no reading, decoding or analysing
                    pace.wait_shown(0.1)
                    src.rebase()  # a file goes on from where it stopped, not in a rush
                    continue
                frame, t = src.read()
                if frame is None:
                    misses += 1
                    if misses > 60:
                        raise DeviceProblem("disconnected", "no pictures for 2 s")
                    ctx.cancel.sleep(0.03)
                    continue
                misses = 0
                pace.frames += 1
                start = time.monotonic()
                fresh = schedule.due(t, start)
                if fresh:
                    held = analyser.analyse(frame, t)
                    schedule.ran(t, start, time.monotonic())
                    pace.analyses += 1
                else:  # shown with the last analysis; the stream's rate and motion go on
                    analyser.skip(frame, t)
                ctx.latest(Frame(frame, held, getattr(src, "info", None), t, fresh))
                if src.behind_s() > MAX_LAG_S:
                    src.rebase()
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
