"""The speaker check's echo analysis as it was before the speaker corpus (docs/benchmarks.md),
kept only as the benchmark's baseline: the return loss of the direct sound alone, GCC-PHAT over
every frequency, and a plain-correlation gate. Not used by the product."""

from __future__ import annotations

import math

import numpy as np

from techcheck.checks.audio.echo import Echo, cross_spectrum, peak_prominence, recording_level


def find_echo_before(played: np.ndarray, recorded: np.ndarray, fs: float, *,
              max_delay_s: float = 0.6, min_prominence: float = 12.0) -> Echo:
    """Where (if anywhere) ``played`` occurs in ``recorded``.

    The echo counts as found when the GCC-PHAT peak stands ``min_prominence`` robust standard
    deviations above the rest (noise alone peaks near 4-5) and the plain correlation at that
    lag is positive and above 0.05.
    """
    s = cross_spectrum(played, recorded)
    if s is None:
        return Echo(False, None, None, 0.0, 0.0, recording_level(recorded))
    p, r, cross, mag, nfft = s.played, s.recorded, s.cross.copy(), s.mag, s.nfft
    level = recording_level(r)
    cross /= np.maximum(mag, mag.max() * 1e-6)  # PHAT over every frequency (the old way)
    cc = np.fft.irfft(cross, nfft)
    lags = min(int(max_delay_s * fs), r.size - 1)
    window = cc[: lags + 1]
    k = int(np.argmax(window))
    prominence = peak_prominence(window, k, int(0.002 * fs))
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
