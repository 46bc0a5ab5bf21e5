"""The echo test: a known sound goes out of the speaker; if the microphone hears it, the
interviewer will hear themselves unless the call app's echo canceller removes it all.

The test sound is three soft chime notes (pleasant, tells the person the speaker works)
followed by a logarithmic sweep (flat energy over 300-6000 Hz, which makes the
cross-correlation peak sharp). The echo is found by GCC-PHAT: cross-correlation with every
frequency weighted equally, so the peak stays sharp through a coloured loudspeaker-room-
microphone path; its prominence over the rest of the correlation decides whether it is there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from techcheck.checks.audio.analysis import FLOOR_DB, amplitude_db


def chime_and_sweep(fs: int = 48000, level_dbfs: float = -18.0) -> np.ndarray:
    """Chime (C5, E5, G5) then a 0.8 s log sweep, peak at ``level_dbfs``."""
    parts = []
    for f in (523.25, 659.25, 783.99):
        t = np.arange(int(0.22 * fs)) / fs
        env = np.minimum(1.0, t / 0.005) * np.exp(-t / 0.08)
        tone = np.sin(2 * np.pi * f * t) + 0.3 * np.sin(2 * np.pi * 2 * f * t)
        parts.append(env * tone)
    parts.append(np.zeros(int(0.05 * fs)))
    dur = 0.8
    t = np.arange(int(dur * fs)) / fs
    f1, f2 = 300.0, 6000.0
    k = math.log(f2 / f1)
    sweep = np.sin(2 * np.pi * f1 * dur / k * (np.exp(t * k / dur) - 1.0))
    fade = np.minimum(1.0, np.minimum(t, dur - t) / 0.02)
    parts.append(sweep * fade)
    s = np.concatenate(parts)
    s *= 10 ** (level_dbfs / 20.0) / np.max(np.abs(s))
    return s.astype(np.float32)


@dataclass(frozen=True)
class Echo:
    found: bool
    delay_ms: float | None  # output-to-input round trip when found
    return_loss_db: float | None  # how much quieter the echo is than what was played
    prominence: float  # correlation peak over the correlation's spread (robust z-score)
    correlation: float  # normalised correlation of played and recorded at the delay, 0..1
    level_dbfs: float  # RMS level of the recording


def find_echo(played: np.ndarray, recorded: np.ndarray, fs: float, *,
              max_delay_s: float = 0.6, min_prominence: float = 12.0) -> Echo:
    """Where (if anywhere) ``played`` occurs in ``recorded``.

    The echo counts as found when the GCC-PHAT peak stands ``min_prominence`` robust standard
    deviations above the rest (noise alone peaks near 4-5) and the plain correlation at that
    lag is positive and above 0.05.
    """
    p = np.asarray(played, dtype=np.float64).reshape(-1)
    r = np.asarray(recorded, dtype=np.float64).reshape(-1)
    level = amplitude_db(float(np.sqrt(np.mean(r**2)))) if r.size else FLOOR_DB
    if not r.any() or not p.any():
        return Echo(False, None, None, 0.0, 0.0, level)
    n = p.size + r.size
    nfft = 1 << (n - 1).bit_length()
    P = np.fft.rfft(p, nfft)
    R = np.fft.rfft(r, nfft)
    cross = R * np.conj(P)
    mag = np.abs(cross)
    cross /= np.maximum(mag, mag.max() * 1e-6)
    cc = np.fft.irfft(cross, nfft)
    lags = min(int(max_delay_s * fs), r.size - 1)
    window = cc[: lags + 1]
    k = int(np.argmax(window))
    guard = int(0.002 * fs)
    rest = np.concatenate([window[: max(0, k - guard)], window[k + guard + 1:]])
    med = float(np.median(rest)) if rest.size else 0.0
    spread = 1.4826 * float(np.median(np.abs(rest - med))) if rest.size else 0.0
    prominence = (float(window[k]) - med) / spread if spread > 0 else 0.0
    seg = r[k: k + p.size]
    pp = p[: seg.size]
    denom = math.sqrt(float(np.dot(seg, seg)) * float(np.dot(pp, pp)))
    corr = float(np.dot(seg, pp)) / denom if denom > 0 else 0.0
    found = prominence >= min_prominence and corr > 0.05
    if not found:
        return Echo(False, None, None, prominence, max(0.0, corr), level)
    gain = float(np.dot(seg, pp)) / float(np.dot(pp, pp))
    loss = -20.0 * math.log10(abs(gain)) if gain != 0 else None
    return Echo(True, 1000.0 * k / fs, loss, prominence, corr, level)
