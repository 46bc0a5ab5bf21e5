"""The live level meter: one ``Level`` per block of samples, cheap enough for any audio thread.

The GUI calls ``LevelMeter.update`` from the input source's callback (20 ms blocks at 48 kHz
give 50 levels a second) and draws RMS and peak; the microphone check uses the same meter for
its progress reports, so the bar a person watches and the numbers in the report agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from techcheck.checks.audio.analysis import FLOOR_DB

#: A sample at or above this (-0.01 dBFS) counts as clipping on the meter.
CLIP_LEVEL = 0.999


@dataclass(frozen=True)
class Level:
    """What the meter shows for one block."""

    rms_dbfs: float  # RMS of the block, loudest channel, dBFS (FLOOR_DB for digital silence)
    peak_dbfs: float  # highest |sample| in the block, dBFS
    clipping: bool  # a sample reached full scale
    t: float  # seconds of audio since the meter started, at the end of this block
    peak_hold_dbfs: float = FLOOR_DB  # highest peak over the last ``hold_s`` seconds


class LevelMeter:
    """Turns blocks into ``Level`` s. Not thread-safe: one meter per stream."""

    def __init__(self, samplerate: float = 48000.0, hold_s: float = 1.5) -> None:
        self.samplerate = float(samplerate)
        self.hold_s = hold_s
        self.samples = 0
        self._hold = FLOOR_DB
        self._hold_t = 0.0

    def reset(self) -> None:
        self.samples = 0
        self._hold = FLOOR_DB
        self._hold_t = 0.0

    def update(self, block: np.ndarray) -> Level:
        b = np.asarray(block)
        if b.ndim == 1:
            b = b[:, None]
        n = b.shape[0]
        self.samples += n
        t = self.samples / self.samplerate
        if n == 0:
            return Level(FLOOR_DB, FLOOR_DB, False, t, self._hold)
        if np.issubdtype(b.dtype, np.integer):
            b = b.astype(np.float32) / float(np.iinfo(b.dtype).max)
        ms = float(np.max(np.einsum("ij,ij->j", b, b, dtype=np.float64))) / n
        peak = float(np.max(np.abs(b)))
        rms_db = 10.0 * np.log10(ms) if ms > 1e-12 else FLOOR_DB
        peak_db = 20.0 * np.log10(peak) if peak > 1e-6 else FLOOR_DB
        if peak_db >= self._hold or t - self._hold_t > self.hold_s:
            self._hold, self._hold_t = peak_db, t
        return Level(float(rms_db), float(peak_db), peak >= CLIP_LEVEL, t, self._hold)
