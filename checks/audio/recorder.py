"""Collects blocks from an ``InputSource`` into one recording, with live levels on the way and
a watchdog: a device that stops delivering (unplugged, sound server gone) is reported as
``disconnected`` instead of the check waiting forever."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.meter import Level, LevelMeter
from techcheck.checks.audio.source import InputSource
from techcheck.checks.context import CancelToken

#: A live input delivers a block every ~20 ms; this long without one means it is gone.
STALL_S = 1.0


class Recorder:
    """Accumulates a source's blocks. Call ``record_for`` as often as needed; ``audio`` is
    everything so far (the queue keeps filling between calls, e.g. while the person reads a
    question, so nothing in between is lost up to the queue's ~10 s)."""

    def __init__(self, source: InputSource, *, on_level: Callable[[Level], None] | None = None,
                 level_every_s: float = 0.05, stall_s: float = STALL_S,
                 max_seconds: float = 120.0) -> None:
        self.source = source
        self.meter = LevelMeter(source.samplerate)
        self.on_level = on_level
        self.level_every_s = level_every_s
        self.stall_s = stall_s
        self.max_frames = int(max_seconds * source.samplerate)
        self.blocks: list[np.ndarray] = []
        self.frames = 0
        self._last_level_t = -1.0

    @property
    def seconds(self) -> float:
        return self.frames / self.source.samplerate

    def record_for(self, seconds: float | None, cancel: CancelToken | None = None) -> None:
        """Take blocks until ``seconds`` more audio arrived (``None``: until a file ends)."""
        fs = self.source.samplerate
        want = None if seconds is None else self.frames + round(seconds * fs)
        while want is None or self.frames < want:
            if cancel is not None:
                cancel.raise_if_cancelled()
            block = self.source.read(timeout=0.05)
            if block is None:
                if self.source.is_file and self.source.finished:
                    return
                if self.source.error is not None:
                    raise self.source.error
                if not self.source.is_file and self.source.silent_for() > self.stall_s:
                    raise AudioProblem("disconnected", f"no sound data for "
                                       f"{self.source.silent_for():.1f} s", self.source.name)
                continue
            self._take(block)

    def _take(self, block: np.ndarray) -> None:
        self.blocks.append(block)
        self.frames += block.shape[0]
        while self.frames > self.max_frames and len(self.blocks) > 1:
            self.frames -= self.blocks.pop(0).shape[0]
        level = self.meter.update(block)
        if self.on_level is not None and level.t - self._last_level_t >= self.level_every_s:
            self._last_level_t = level.t
            self.on_level(level)

    def drain(self) -> None:
        """Take what is already queued without waiting."""
        while True:
            block = self.source.read(timeout=0)
            if block is None:
                return
            self._take(block)

    def audio(self) -> np.ndarray:
        if not self.blocks:
            return np.zeros((0, self.source.channels), dtype=np.float32)
        return np.concatenate(self.blocks, axis=0)


def record(source: InputSource, seconds: float | None, *, cancel: CancelToken | None = None,
           on_level: Callable[[Level], None] | None = None, skip_s: float = 0.0) -> np.ndarray:
    """Record ``seconds`` (or a whole file) from ``source``; ``skip_s`` first drops the start-up
    transient some devices deliver (a click, an AGC settling)."""
    rec = Recorder(source, on_level=on_level)
    if skip_s > 0 and not source.is_file:
        deadline = time.monotonic() + skip_s
        while time.monotonic() < deadline:
            source.read(timeout=0.02)
            if source.silent_for() > rec.stall_s:
                break
    rec.record_for(seconds, cancel)
    return rec.audio()
