"""The speaker check's echo analysis as it was before the speaker corpus (docs/benchmarks.md),
kept only as the benchmark's baseline: the return loss of the direct sound alone, GCC-PHAT over
every frequency, and a plain-correlation gate. Not used by the product."""

from __future__ import annotations

import math

import numpy as np

from techcheck.checks.audio.analysis import FLOOR_DB, amplitude_db
from techcheck.checks.audio.echo import Echo


def find_echo_before(played: np.ndarray, recorded: np.ndarray, fs: float, *,
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
