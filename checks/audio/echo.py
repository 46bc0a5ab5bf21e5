"""The echo test: a known sound goes out of the speaker; if the microphone hears it, the
interviewer will hear themselves unless the call app's echo canceller removes it all.

The test sound is three soft chime notes (pleasant, tells the person the speaker works)
followed by a logarithmic sweep (flat energy over 300-6000 Hz, which makes the
cross-correlation peak sharp). The echo is found by GCC-PHAT: cross-correlation with every
frequency weighted equally, so the peak stays sharp through a coloured loudspeaker-room-
microphone path; its prominence over the rest of the correlation decides whether it is there.

How loud the echo is, is the echo return loss as ITU-T G.168 defines it (clause 3: the level
of the signal sent towards the echo path minus the level of the echo that comes back): the
power of the whole echo, the room's reflections included, not only of the direct sound. In a
real room the reflections carry most of it: on the measured classroom response of the speaker
corpus (docs/benchmarks.md) the direct sound alone read 16.5 dB quieter than the echo was.
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
    return_loss_db: float | None  # how much quieter the echo is than what was played (G.168)
    prominence: float  # correlation peak over the correlation's spread (robust z-score)
    correlation: float  # normalised correlation of played and recorded at the delay, 0..1
    level_dbfs: float  # RMS level of the recording
    direct_loss_db: float | None = None  # the same for the direct sound alone (peak lag)
    band_prominence: float = 0.0  # the lower of the peak's prominences in the band's halves


@dataclass(frozen=True)
class CrossSpectrum:
    """What an echo search starts from: the two signals as float64 vectors, their spectra on
    a common FFT length (long enough for every lag) and the cross-spectrum ``R·conj(P)``."""

    played: np.ndarray
    recorded: np.ndarray
    nfft: int
    P: np.ndarray
    R: np.ndarray
    cross: np.ndarray
    mag: np.ndarray  # |cross|


def recording_level(recorded: np.ndarray) -> float:
    """RMS level of the recording, dBFS."""
    r = np.asarray(recorded, dtype=np.float64).reshape(-1)
    return amplitude_db(float(np.sqrt(np.mean(r**2)))) if r.size else FLOOR_DB


def cross_spectrum(played: np.ndarray, recorded: np.ndarray) -> CrossSpectrum | None:
    """The cross-spectrum of ``recorded`` against ``played``; None when either is silent
    (there is nothing to find)."""
    p = np.asarray(played, dtype=np.float64).reshape(-1)
    r = np.asarray(recorded, dtype=np.float64).reshape(-1)
    if not r.any() or not p.any():
        return None
    nfft = 1 << (p.size + r.size - 1).bit_length()
    P = np.fft.rfft(p, nfft)
    R = np.fft.rfft(r, nfft)
    cross = R * np.conj(P)
    return CrossSpectrum(p, r, nfft, P, R, cross, np.abs(cross))


def find_echo(played: np.ndarray, recorded: np.ndarray, fs: float, *,
              max_delay_s: float = 0.6, min_prominence: float = 12.0,
              min_band_prominence: float = 3.5) -> Echo:
    """Where (if anywhere) ``played`` occurs in ``recorded``.

    The echo counts as found when the GCC-PHAT peak stands ``min_prominence`` robust standard
    deviations above the rest (noise alone peaks near 4-7) and stands at the same lag,
    ``min_band_prominence`` above the rest, in the lower and in the upper half of the test
    sound's band. A loudspeaker gives back the whole sweep; a voice in the room can match a
    piece of it (a rising vowel looks like part of a sweep: up to 19.9 on the speaker corpus
    with no echo at all, but at most 3.1 in the weaker half), never both halves. Echoes through
    a phone's microphone, whose response leaves one half weak, stood at 3.4-3.8 there: the
    margin is thin (docs/benchmarks.md). The peak's sign does not matter: a loudspeaker or
    microphone wired the other way round inverts the echo.
    """
    s = cross_spectrum(played, recorded)
    if s is None:
        return Echo(False, None, None, 0.0, 0.0, recording_level(recorded))
    p, r, P, R, cross, mag, nfft = s.played, s.recorded, s.P, s.R, s.cross, s.mag, s.nfft
    level = recording_level(r)
    # PHAT: every frequency the test sound carries weighs the same. Frequencies it does not
    # carry (below and above the sweep, between the chime's partials) hold only the room's
    # sound: weighed the same, they bury the peak (a small device microphone's response makes
    # that worse), so they weigh nothing.
    power = np.abs(P) ** 2
    carried = power >= 1e-3 * power.max()
    cross = np.where(carried, cross / np.maximum(mag, mag.max() * 1e-9), 0.0)
    lags = min(int(max_delay_s * fs), r.size - 1)
    window = np.abs(np.fft.irfft(cross, nfft)[: lags + 1])
    k = int(np.argmax(window))
    prominence = peak_prominence(window, k, int(0.002 * fs))
    freqs = np.fft.rfftfreq(nfft, 1.0 / fs)
    band = freqs[carried]
    split = math.sqrt(float(band.min()) * float(band.max())) if band.size else 0.0
    near = int(0.0005 * fs)
    halves = []
    for part in (freqs < split, freqs >= split):
        sub = np.abs(np.fft.irfft(np.where(part, cross, 0.0), nfft)[: lags + 1])
        j = max(0, k - near) + int(np.argmax(sub[max(0, k - near): k + near + 1]))
        halves.append(peak_prominence(sub, j, int(0.002 * fs)))
    seg = r[k: k + p.size]
    pp = p[: seg.size]
    denom = math.sqrt(float(np.dot(seg, seg)) * float(np.dot(pp, pp)))
    corr = abs(float(np.dot(seg, pp))) / denom if denom > 0 else 0.0
    found = prominence >= min_prominence and min(halves) >= min_band_prominence
    if not found:
        return Echo(False, None, None, prominence, corr, level, None, min(halves))
    gain = float(np.dot(seg, pp)) / float(np.dot(pp, pp))
    direct = -20.0 * math.log10(abs(gain)) if gain != 0 else None
    loss = _return_loss(P, R, nfft, k, p.size, fs)
    return Echo(True, 1000.0 * k / fs, loss if loss is not None else direct, prominence, corr,
                level, direct, min(halves))


def peak_prominence(cc: np.ndarray, k: int, guard: int) -> float:
    """How far ``cc[k]`` stands above the rest of ``cc`` (outside ``guard`` samples around it),
    in robust standard deviations (median absolute deviation)."""
    rest = np.concatenate([cc[: max(0, k - guard)], cc[k + guard + 1:]])
    if not rest.size:
        return 0.0
    med = float(np.median(rest))
    spread = 1.4826 * float(np.median(np.abs(rest - med)))
    return (float(cc[k]) - med) / spread if spread > 0 else 0.0


#: How much of the echo path counts: the direct sound and the first 100 ms of reflections, where
#: a small room's echo energy arrives (the measured classroom response holds all but 2.6 dB of
#: its echo there); later taps would mostly add the room's noise to the estimate.
ECHO_WINDOW_S = 0.1


def _return_loss(P: np.ndarray, R: np.ndarray, nfft: int, k: int, n_played: int,
                 fs: float) -> float | None:
    """Echo return loss (dB) of the echo path that starts at lag ``k``: the path is estimated by
    regularised deconvolution of the recording by what was played, the played sound is sent
    through its first ``ECHO_WINDOW_S``, and the power that comes out is compared with the
    power that went in. The room's noise also passes the deconvolution; its share is measured
    on windows of negative lag (before anything was played, where no echo can be) and taken
    off (at most 10 dB of it), so a noisy room does not read as a louder echo."""
    power = np.abs(P) ** 2
    h = np.fft.irfft(R * np.conj(P) / (power + 1e-3 * float(power.max())), nfft)
    start = max(0, k - int(0.002 * fs))
    length = k + int(ECHO_WINDOW_S * fs) - start
    gap = int(0.01 * fs)

    def out_power(taps: np.ndarray) -> float:
        return float(np.sum(np.abs(np.fft.rfft(taps, nfft) * P) ** 2))

    window = out_power(h[start: start + length])
    noise = [out_power(h[nfft - j * length - gap: nfft - (j - 1) * length - gap])
             for j in range(1, 6) if j * length + gap <= n_played]
    # The quietest noise window: a voice in the room lands in some windows and not in others,
    # and taking off more than the window's noise would make a real echo vanish. At most 10 dB
    # is taken off: an echo found by its peak is there, and a noisy room errs towards "louder".
    echo = max(window - min(noise), 0.1 * window) if noise else window
    # what a lossless path would give back through the same regularised estimate (the
    # regularisation shrinks the weakest frequencies a little; the reference shrinks alike)
    shrink = power / (power + 1e-3 * float(power.max()))
    sent = float(np.sum(power * shrink ** 2))
    if sent <= 0:
        return None
    return 10.0 * math.log10(sent / max(echo, sent * 1e-12))
