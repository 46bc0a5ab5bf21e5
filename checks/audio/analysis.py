"""Pure analysis of a microphone recording: numpy arrays in, numbers out.

Nothing here knows about devices, files or time: the check, the GUI, the tests and the
benchmark feed the same arrays through the same functions. Signals are float in [-1, 1]
(0 dBFS = a full-scale sine's peak), shaped ``(n,)`` or ``(n, channels)``.

What is measured and why:
- *Active speech level* (ITU-T P.56 method B): the level of the speech itself, pauses excluded,
  which is what RFC 7874 and conferencing AGCs target (about -22 dBFS). A plain RMS would call
  a good talker with long pauses "too quiet".
- *Voice activity* from frame energy in the speech band (250-4000 Hz) with a threshold that
  adapts to this recording's own noise floor, so the check does not depend on the person
  starting to talk when told to.
- *Noise floor* over the frames the VAD calls silence (exact digital zeros excluded: they are a
  stream starting up or a mute, not room noise), *speech-to-noise ratio*, *peak*, *clipping*
  (runs of samples stuck at the peak), *DC offset*, *mains hum* (50/60 Hz and harmonics, above the
  neighbouring spectrum) and *silent or dead channels*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: Level reported for digital silence instead of -inf (keeps JSON and arithmetic finite).
FLOOR_DB = -120.0
#: One step of a 16-bit converter: peaks at or below this are "no signal" (WebRTC's mute test).
LSB16 = 1.0 / 32768.0
#: P.56 method B constants: envelope time constant, hangover, margin between level and threshold.
P56_TIME_CONSTANT_S = 0.03
P56_HANGOVER_S = 0.2
P56_MARGIN_DB = 15.9
#: Clipping: samples within this of the peak, in runs of at least CLIP_RUN, at a peak of at least
#: CLIP_FLOOR_DBFS (below that, repeated values near the top are quantisation, not clipping).
CLIP_TOLERANCE = 4e-5
CLIP_RUN = 3
CLIP_FLOOR_DBFS = -6.0
#: VAD frames and speech band.
FRAME_S = 0.02
SPEECH_BAND_HZ = (250.0, 4000.0)
#: Lowest sample rate a recording may have: narrowband telephone speech is sampled at 8 kHz
#: (ITU-T G.711); the windows, filters and hum harmonics here need at least that.
MIN_SAMPLERATE = 8000


def to_float(x: np.ndarray) -> np.ndarray:
    """Integer PCM to float in [-1, 1]; float input is returned as float32/64 unchanged."""
    if np.issubdtype(x.dtype, np.integer):
        info = np.iinfo(x.dtype)
        scale = float(max(abs(info.min), info.max))
        if info.min == 0:  # unsigned 8-bit WAV
            return (x.astype(np.float32) - (info.max + 1) / 2) / ((info.max + 1) / 2)
        return x.astype(np.float32) / scale
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float32)


def power_db(p: float) -> float:
    """Mean square → dBFS (a full-scale square wave is 0 dBFS; a full-scale sine -3.01)."""
    return 10.0 * math.log10(p) if p > 1e-12 else FLOOR_DB


def amplitude_db(a: float) -> float:
    return 20.0 * math.log10(a) if a > 1e-6 else FLOOR_DB


def one_pole(x: np.ndarray, g: float, y0: float = 0.0) -> np.ndarray:
    """Exact y[n] = g*y[n-1] + (1-g)*x[n], vectorised in chunks (numpy has no IIR filter).

    Inside a chunk of L samples the filter is a scaled cumulative sum; chunk boundaries carry
    the state. L is chosen so that g**-L stays far from overflow.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.size
    if n == 0:
        return x.copy()
    L = int(max(16, min(4096, math.floor(30.0 / max(-math.log(g), 1e-9)))))
    pad = (-n) % L
    xs = np.concatenate([x, np.zeros(pad)]).reshape(-1, L)
    k = np.arange(L, dtype=np.float64)
    up = g ** -(k)  # g^-k
    down = g ** k  # g^k
    local = (1.0 - g) * np.cumsum(xs * up, axis=1) * down  # zero initial state per chunk
    gk1 = g ** (k + 1)  # effect of the previous chunk's last output on this chunk
    gl = g**L
    carry = np.empty(xs.shape[0])
    state = y0
    ends = local[:, -1]
    for i in range(xs.shape[0]):  # one step per chunk: ~n/L iterations
        carry[i] = state
        state = ends[i] + gl * state
    y = local + carry[:, None] * gk1[None, :]
    return y.reshape(-1)[:n]


def running_max(x: np.ndarray, window: int) -> np.ndarray:
    """max(x[i-window+1 .. i]) for every i (van Herk / Gil-Werman, O(n))."""
    n = x.size
    if window <= 1 or n == 0:
        return x.copy()
    pad = (-(n + window - 1)) % window
    xp = np.concatenate([np.full(window - 1, -np.inf), x, np.full(pad, -np.inf)])
    blocks = xp.reshape(-1, window)
    pre = np.maximum.accumulate(blocks, axis=1).reshape(-1)
    suf = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    # the window ending at x[i] is xp[i .. i+window-1]: at most two blocks
    return np.maximum(suf[:n], pre[window - 1: window - 1 + n])


@dataclass(frozen=True)
class ActiveLevel:
    level_dbfs: float  # ITU-T P.56 active speech level; FLOOR_DB for silence
    activity: float  # fraction of the signal counted as active, 0..1


def active_speech_level(x: np.ndarray, fs: float) -> ActiveLevel:
    """ITU-T P.56 method B active speech level of a mono float signal.

    The envelope (two one-pole smoothers of |x|, 30 ms) and the 200 ms hangover run on 1 ms
    blocks, which changes nothing measurable for a 30 ms envelope and makes the cost a few
    numpy passes. Thresholds are 6 dB apart from full scale down to -90 dBFS; the level is
    interpolated where "level minus threshold" crosses the 15.9 dB margin.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.size
    total = float(np.dot(x, x))
    if n == 0 or total <= 0.0:
        return ActiveLevel(FLOOR_DB, 0.0)
    d = max(1, round(fs / 1000.0))
    nb = n // d
    if nb < 4:
        return ActiveLevel(power_db(total / n), 1.0)
    blocks = np.abs(x[: nb * d]).reshape(nb, d)
    mean_abs = blocks.mean(axis=1)
    g = math.exp(-d / (fs * P56_TIME_CONSTANT_S))
    q = one_pole(one_pole(mean_abs, g), g)
    held = running_max(q, round(P56_HANGOVER_S * fs / d) + 1)
    thresholds_db = np.arange(0.0, -91.0, -6.0)[::-1]  # low → high
    c = 10.0 ** (thresholds_db / 20.0)
    # blocks active for threshold j: held >= c[j]; count via histogram of held over thresholds
    counts = np.array([np.count_nonzero(held >= cj) for cj in c], dtype=np.float64) * d
    prev = None
    for cdb, a in zip(thresholds_db, counts, strict=True):
        if a <= 0:
            break
        adb = 10.0 * math.log10(total / a)
        delta = adb - cdb
        if delta <= P56_MARGIN_DB:
            if prev is None:
                level = adb
            else:
                pa, pdelta = prev
                t = (pdelta - P56_MARGIN_DB) / (pdelta - delta) if pdelta != delta else 0.0
                level = pa + t * (adb - pa)
            activity = min(1.0, total / (10.0 ** (level / 10.0)) / n)
            return ActiveLevel(level, activity)
        prev = (adb, delta)
    if prev is None:
        return ActiveLevel(FLOOR_DB, 0.0)
    return ActiveLevel(prev[0], min(1.0, total / (10.0 ** (prev[0] / 10.0)) / n))


@dataclass(frozen=True)
class Vad:
    """Per-frame voice activity of one recording."""

    frame_s: float
    speech: np.ndarray  # bool per frame
    silence: np.ndarray  # bool per frame: clearly no speech and not digital zeros
    zeros: np.ndarray  # bool per frame: exact digital silence
    band_db: np.ndarray  # speech-band level per frame, dBFS
    full_power: np.ndarray  # full-band mean square per frame (DC removed)
    threshold_db: float

    @property
    def speech_s(self) -> float:
        return float(np.count_nonzero(self.speech)) * self.frame_s

    @property
    def silence_s(self) -> float:
        return float(np.count_nonzero(self.silence)) * self.frame_s


def _fill_gaps(mask: np.ndarray, max_gap: int) -> np.ndarray:
    """Close runs of False no longer than ``max_gap`` between True frames."""
    out = mask.copy()
    idx = np.flatnonzero(mask)
    if idx.size < 2:
        return out
    gaps = np.diff(idx)
    for start, gap in zip(idx[:-1], gaps, strict=True):
        if 1 < gap <= max_gap + 1:
            out[start + 1: start + gap] = True
    return out


def _drop_short(mask: np.ndarray, min_run: int) -> np.ndarray:
    """Remove runs of True shorter than ``min_run`` (clicks and taps are not speech)."""
    if min_run <= 1 or not mask.any():
        return mask
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(m))
    out = mask.copy()
    for s, e in zip(edges[::2], edges[1::2], strict=True):
        if e - s < min_run:
            out[s:e] = False
    return out


def voice_activity(x: np.ndarray, fs: float, *, min_range_db: float = 8.0) -> Vad:
    """Find speech and silence frames without trusting when the person was asked to talk.

    Speech-band (250-4000 Hz, Hann-windowed FFT) level per 20 ms frame; the threshold sits
    between this recording's own floor (10th percentile) and its loud frames (95th), at least
    6 dB above the floor. A recording whose loud frames are less than ``min_range_db`` above its
    floor is stationary (noise, hum, a tone): no speech. Gaps under 200 ms inside speech are
    closed and bursts under 60 ms dropped.
    """
    x = np.asarray(x, dtype=np.float64)
    fl = max(16, round(fs * FRAME_S))
    nf = x.size // fl
    frame_s = fl / fs
    if nf == 0:
        e = np.zeros(0, dtype=bool)
        return Vad(frame_s, e, e, e, np.zeros(0), np.zeros(0), FLOOR_DB)
    frames = x[: nf * fl].reshape(nf, fl)
    zeros = ~frames.any(axis=1)
    centred = frames - frames.mean(axis=1, keepdims=True)
    full_power = np.einsum("ij,ij->i", centred, centred) / fl
    win = np.hanning(fl)
    spec = np.fft.rfft(frames * win, axis=1)
    freqs = np.fft.rfftfreq(fl, 1.0 / fs)
    band = (freqs >= SPEECH_BAND_HZ[0]) & (freqs <= min(SPEECH_BAND_HZ[1], fs / 2))
    pw = spec[:, band]
    band_power = 2.0 * (pw.real**2 + pw.imag**2).sum(axis=1) / (fl * float(np.dot(win, win)))
    band_db = 10.0 * np.log10(np.maximum(band_power, 1e-12))
    live = ~zeros
    if not live.any():
        e = np.zeros(nf, dtype=bool)
        return Vad(frame_s, e, e, np.asarray(zeros), band_db, full_power, FLOOR_DB)
    floor = float(np.percentile(band_db[live], 10))
    top = float(np.percentile(band_db[live], 95))
    threshold = floor + max(6.0, 0.4 * (top - floor))
    if top - floor < min_range_db:
        speech = np.zeros(nf, dtype=bool)
        threshold = top + 1.0
    else:
        speech = live & (band_db > threshold)
        speech = _drop_short(_fill_gaps(speech, round(0.2 / frame_s)), round(0.06 / frame_s))
    near_speech = running_max(speech.astype(np.float64), round(0.1 / frame_s) + 1) > 0
    near_speech |= running_max(speech[::-1].astype(np.float64), round(0.1 / frame_s) + 1)[::-1] > 0
    silence = live & ~near_speech & (band_db < floor + 3.0) if speech.any() else live.copy()
    if speech.any() and not silence.any():
        silence = live & ~near_speech
    return Vad(frame_s, speech, np.asarray(silence), np.asarray(zeros), band_db, full_power,
               threshold)


@dataclass(frozen=True)
class Clipping:
    ratio: float  # fraction of samples stuck at the peak
    level_dbfs: float  # where the signal clips (its peak)
    samples: int


def clipped_samples(x: np.ndarray) -> np.ndarray:
    """Which samples of a mono signal are clipped: within ``CLIP_TOLERANCE`` of its peak, in
    runs of ``CLIP_RUN`` or more, at a peak of at least ``CLIP_FLOOR_DBFS``. What a converter or
    a gain stage does when driven past full scale: a clean signal touches its peak for one or
    two samples, a clipped one sits there."""
    a = np.abs(np.asarray(x))  # float32 stays float32: half the memory traffic
    if a.size == 0:
        return np.zeros(0, dtype=bool)
    peak = float(a.max())
    if amplitude_db(peak) < CLIP_FLOOR_DBFS:
        return np.zeros(a.size, dtype=bool)
    near = a >= peak - CLIP_TOLERANCE
    m = np.concatenate([[0], near.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(m))
    starts, ends = edges[::2], edges[1::2]
    long_ = (ends - starts) >= CLIP_RUN
    # +1 at each long run's start, -1 after its end: the running sum marks the runs
    step = np.zeros(a.size + 1, dtype=np.int32)
    np.add.at(step, starts[long_], 1)
    np.add.at(step, ends[long_], -1)
    return np.cumsum(step[:-1]) > 0


def clipping(x: np.ndarray) -> Clipping:
    """The share of samples stuck at the peak (``clipped_samples``) and where it clips."""
    a = np.asarray(x)
    if a.size == 0:
        return Clipping(0.0, FLOOR_DB, 0)
    peak_db = amplitude_db(float(np.abs(a).max()))
    count = int(np.count_nonzero(clipped_samples(a)))
    return Clipping(count / a.size, peak_db, count)


def clipped_stretches(clipped: np.ndarray, speech: np.ndarray, frame: int) -> np.ndarray:
    """``clipped`` (per sample) widened to the whole stretch of speech each clip is in (the VAD's
    ``speech`` frames of ``frame`` samples): the words around a clip were spoken as loudly,
    and a voice loud enough to clip is loud enough for its harmonics to stand on the mains
    grid, so none of that stretch is evidence of hum."""
    out = clipped.copy()
    if not speech.any() or not clipped.any():
        return out
    nf = speech.size
    hit = np.zeros(nf, dtype=bool)
    usable = min(clipped.size, nf * frame)
    hit[: usable // frame] = clipped[: usable // frame * frame].reshape(-1, frame).any(axis=1)
    m = np.concatenate([[0], speech.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(m))
    for s, e in zip(edges[::2], edges[1::2], strict=True):
        if hit[s:e].any():
            out[s * frame: e * frame] = True
    return out


@dataclass(frozen=True)
class Hum:
    frequency_hz: float | None  # 50 or 60 when found
    level_dbfs: float  # power of the hum above the neighbouring spectrum, all harmonics
    harmonics: int  # how many of the first ten stand out
    #: False when no part of the recording could be judged (every window held clipping)
    measured: bool = True


def hum_window(fs: float, n: int) -> int:
    """Samples per hum window: 0.5 s (2 Hz bins), or 0.25 s for recordings under 2 s."""
    return round(fs * (0.5 if n >= 2 * fs else 0.25))


def mains_hum(x: np.ndarray, fs: float, weights: np.ndarray | None = None,
              keep: np.ndarray | None = None) -> Hum:
    """Mains hum: energy at 50 or 60 Hz and their first ten harmonics above the spectrum next
    to them, from a calibrated periodogram (a sine of amplitude A sums to A²/2) averaged over
    ``hum_window`` windows. ``weights`` (one per window, e.g. "mostly silence") lets speech be
    left out; without them the median over windows keeps speech from counting as hum.
    ``keep`` (one bool per window) drops windows outright: clipping turns every voiced sound
    into a comb of harmonics, some of them on the mains grid, so a clipped window is not
    evidence of hum. With no window kept the hum is not measured."""
    x = np.asarray(x, dtype=np.float64)
    wl = hum_window(fs, x.size)
    nw = x.size // wl
    if nw == 0:
        return Hum(None, FLOOR_DB, 0)
    segs = x[: nw * wl].reshape(nw, wl)
    if keep is not None and keep.size == nw:
        if not keep.any():
            return Hum(None, FLOOR_DB, 0, measured=False)
        segs = segs[keep]
        weights = weights[keep] if weights is not None and weights.size == nw else None
        nw = segs.shape[0]
    segs = segs - segs.mean(axis=1, keepdims=True)
    win = np.hanning(wl)
    spec = np.fft.rfft(segs * win, axis=1)
    p = 2.0 * (spec.real**2 + spec.imag**2) / (wl * float(np.dot(win, win)))
    if weights is not None and weights.size == nw and weights.sum() > 0:
        pm = (p * weights[:, None]).sum(axis=0) / weights.sum()
    else:
        pm = np.median(p, axis=0) if nw >= 3 else p.mean(axis=0)
    res = fs / wl
    best = Hum(None, FLOOR_DB, 0)
    best_power = 0.0
    for f0 in (50.0, 60.0):
        total, count = 0.0, 0
        for k in range(1, 11):
            f = k * f0
            if f > fs / 2 - 50:
                break
            c = round(f / res)
            lobe = pm[max(0, c - 2): c + 3]
            nb = np.concatenate([pm[max(0, c - 12): max(0, c - 5)], pm[c + 6: c + 13]])
            if lobe.size == 0 or nb.size == 0:
                continue
            bg = float(np.median(nb))
            excess = float(lobe.sum()) - bg * lobe.size
            if excess > 0 and float(lobe.max()) > 4.0 * bg:  # 6 dB above its neighbours
                total += excess
                count += 1
        if count and total > best_power:
            best_power = total
            best = Hum(f0, power_db(total), count)
    return best


#: Audio band: the long-term spectrum of active speech in 250 Hz bands; a cut-off is a drop of
#: at least BAND_DROP_DB from the kilohertz below an edge to the bands above it (past a 250 Hz
#: transition), with the speech above it no more than BAND_EMPTY_DB over the pauses' floor.
#: Speech's own long-term spectrum falls about 6-12 dB per octave above 1 kHz (Byrne et al.,
#: "An international comparison of long-term average speech spectra", JASA 96(4), 1994): never
#: 25 dB within a kilohertz, which the anti-alias filter of a lower sample rate does (ITU-T
#: G.712 asks 25 dB past 4.6 kHz of an 8 kHz telephone channel; resamplers give 60+ dB).
BAND_STEP_HZ = 250.0
BAND_LOWEST_EDGE_HZ = 2500.0
BAND_DROP_DB = 25.0
BAND_EMPTY_DB = 6.0
#: ... or the speech above the edge is this far below the speech under it: what a resampler's
#: stop band lets through (scipy's and sox's default filters stop 60 dB and more).
BAND_LEAK_DB = 45.0
#: ... or it is flat within this (a noise floor's shape; a voice's spectrum keeps falling).
BAND_FLAT_DB = 3.0
#: How far under the speech below it the spectrum has fallen at the edge reported.
BAND_EDGE_DB = 15.0
#: Transitions tried between the bands below an edge and above it, in 250 Hz bands (0.25-1.75
#: kHz): a steep filter (sox, PipeWire) or a gentle one (scipy's resample_poly).
BAND_GAPS = (1, 3, 5, 7)
#: Speech frames (20 ms) the long-term spectrum is averaged over at most: 10 s of speech.
BAND_MAX_FRAMES = 500


@dataclass(frozen=True)
class Band:
    """Where the energy of the speech stops."""

    #: the highest frequency speech reaches, Hz: a clear cut-off's edge, or half the sample
    #: rate when there is none; None when it could not be told (too little speech, or speech
    #: too close to the noise for a cut-off to show)
    top_hz: float | None
    cutoff: bool  # a clear cut-off below half the sample rate was found
    drop_db: float  # the steepest drop found, from the band below an edge to the bands above

    @property
    def measured(self) -> bool:
        return self.top_hz is not None


def _bands_db(p: np.ndarray, freqs: np.ndarray, nyq: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean power per ``BAND_STEP_HZ`` band from 0 to ``nyq``, in dB, and the bands' lower
    edges."""
    edges = np.arange(0.0, nyq, BAND_STEP_HZ)
    idx = np.minimum((freqs // BAND_STEP_HZ).astype(int), edges.size - 1)
    total = np.bincount(idx, weights=p, minlength=edges.size)
    count = np.maximum(np.bincount(idx, minlength=edges.size), 1)
    return 10.0 * np.log10(np.maximum(total / count, 1e-20)), edges


def speech_band(x: np.ndarray, fs: float, vad: Vad) -> Band:
    """The effective audio band of the speech in ``x`` (mono, the VAD's frames).

    The long-term spectrum of the active speech frames is compared, edge by edge, with itself
    above the edge and with the pauses' floor: a cut-off needs a drop of ``BAND_DROP_DB`` and
    speech above the edge that is no louder than the floor (nothing of the voice got through),
    so a voice with little high-frequency energy, whose spectrum slopes but stays above the
    floor, has no cut-off. Without a cut-off the band reaches half the sample rate, which is
    what an 8 or 16 kHz device delivers whatever the voice."""
    nyq = fs / 2.0
    none = Band(None, False, 0.0)
    fl = max(16, round(fs * FRAME_S))
    nf = min(vad.speech.size, x.size // fl)
    speech = np.flatnonzero(vad.speech[:nf])
    if speech.size < 10:
        return none
    if speech.size > BAND_MAX_FRAMES:  # evenly spread over the recording: bounded cost
        speech = speech[np.linspace(0, speech.size - 1, BAND_MAX_FRAMES).astype(int)]
    quiet = np.flatnonzero(vad.silence[:nf])
    if quiet.size > BAND_MAX_FRAMES // 2:
        quiet = quiet[np.linspace(0, quiet.size - 1, BAND_MAX_FRAMES // 2).astype(int)]
    win = np.hanning(fl)
    freqs = np.fft.rfftfreq(fl, 1.0 / fs)

    def ltas(rows: np.ndarray) -> np.ndarray:
        frames = x[(rows[:, None] * fl + np.arange(fl)[None, :])]
        frames = frames - frames.mean(axis=1, keepdims=True)
        s = np.fft.rfft(frames * win, axis=1)
        return np.asarray((s.real**2 + s.imag**2).mean(axis=0), dtype=np.float64)

    spectrum = ltas(speech)
    sp, edges = _bands_db(spectrum, freqs, nyq)
    smooth = max(1, round(BAND_STEP_HZ / (fs / fl)))
    if quiet.size >= 5:
        floor, _ = _bands_db(ltas(quiet), freqs, nyq)
    else:  # no pauses: the floor is unknown, so nothing above an edge may stand out of it
        floor = np.full_like(sp, -200.0)
    step = BAND_STEP_HZ
    best = (-np.inf, 0, 0.0, 0.0, 1)  # drop, edge index, level below, level above, gap
    for k in range(int(BAND_LOWEST_EDGE_HZ // step), edges.size - 2):
        lo = sp[max(0, k - 4): k]  # the kilohertz below the edge
        lo_db = 10.0 * np.log10(np.mean(10.0 ** (lo / 10.0)))
        for gap in BAND_GAPS:  # the transition: a resampler's filter is steep or gentle
            hi = slice(k + gap, min(edges.size, k + gap + 6))  # 1.5 kHz above the transition
            if hi.start >= edges.size:
                break
            hi_db = 10.0 * np.log10(np.mean(10.0 ** (sp[hi] / 10.0)))
            drop = lo_db - hi_db
            # nothing of the voice above the edge: no louder than the pauses there, flat as a
            # floor is, or so far below the voice that it is a resampler's leakage
            empty = drop >= BAND_LEAK_DB or quiet.size < 5 or \
                float(np.max(sp[hi] - floor[hi])) <= BAND_EMPTY_DB or \
                float(np.ptp(sp[hi])) <= BAND_FLAT_DB
            if empty and drop > best[0]:
                best = (drop, k, lo_db, hi_db, gap)
    drop, k, lo_db, hi_db, gap = best
    if drop >= BAND_DROP_DB:
        # the edge: the top of the last band above the midpoint between the levels
        # the edge: the highest frequency before the bands above where the spectrum (smoothed
        # over 250 Hz) is still within BAND_EDGE_DB of the level below (a filter's stop band
        # starts there, whatever its slope; a quiet stretch of the voice below does not count)
        mid = lo_db - BAND_EDGE_DB
        fine = 10.0 * np.log10(np.maximum(np.convolve(
            spectrum, np.ones(smooth) / smooth, mode="same"), 1e-20))
        above = np.flatnonzero((freqs >= edges[k] - 1000.0) & (freqs < edges[k] + gap * step)
                               & (fine >= mid))
        top = float(freqs[above[-1]]) if above.size else float(edges[k])
        return Band(min(top, nyq), True, float(drop))
    # No cut-off. The band reaches half the sample rate only if a cut-off could have shown:
    # the speech just below the lowest edge looked at stands BAND_DROP_DB above the floor.
    k0 = int(BAND_LOWEST_EDGE_HZ // step)
    probe = slice(max(0, k0 - 4), k0 + 4)
    if quiet.size >= 5 and float(np.mean(sp[probe] - floor[probe])) < BAND_DROP_DB:
        return Band(None, False, float(max(drop, 0.0)))
    return Band(nyq, False, float(max(drop, 0.0)))


@dataclass(frozen=True)
class AudioAnalysis:
    """Everything the microphone check judges, for one recording."""

    samplerate: float
    duration_s: float
    channels: int
    peak_dbfs: float
    rms_dbfs: float
    speech_level_dbfs: float | None  # P.56 active speech level; None without speech
    activity: float
    speech_s: float
    silence_s: float
    zeros_s: float  # exact digital silence inside the recording
    noise_floor_dbfs: float | None
    snr_db: float | None
    clip_ratio: float
    clip_level_dbfs: float
    dc_offset: float  # mean as a fraction of full scale, largest channel
    hum: Hum
    #: where the speech's energy stops; not measured by ``level_only``
    band: Band = Band(None, False, 0.0)
    channel_states: list[str] = field(default_factory=list)  # ok | silent | dead
    channel_peaks_dbfs: list[float] = field(default_factory=list)

    @property
    def has_speech(self) -> bool:
        return self.speech_level_dbfs is not None

    @property
    def silent(self) -> bool:
        return bool(self.channel_states) and all(s == "silent" for s in self.channel_states)


def channel_states(x2: np.ndarray) -> tuple[list[str], list[float]]:
    """``silent`` when a channel never leaves zero (±1 LSB of 16-bit), ``dead`` when it carries
    next to nothing (40 dB or more below the loudest channel) while another one has sound."""
    peaks = np.abs(x2).max(axis=0) if x2.size else np.zeros(x2.shape[1])
    rms = np.sqrt(np.mean(x2.astype(np.float64) ** 2, axis=0)) if x2.size else peaks
    loudest = float(rms.max()) if rms.size else 0.0
    states = []
    for pk, r in zip(peaks, rms, strict=True):
        if pk <= LSB16:
            states.append("silent")
        elif loudest > 0 and r < loudest * 0.01:
            states.append("dead")
        else:
            states.append("ok")
    if "ok" in states:
        states = ["dead" if s == "silent" else s for s in states]
    return states, [amplitude_db(float(p)) for p in peaks]


def analyse(x: np.ndarray, fs: float, *, min_speech_s: float = 0.5,
            level_only: bool = False) -> AudioAnalysis:
    """Measure a whole recording. Channels that work are averaged; silent or dead ones are
    reported and left out so a dead right channel does not halve the measured level.

    ``level_only`` measures what the live meter judges (peak, clipping, speech and its level,
    by the very same code) and leaves hum unmeasured: twice a second over the last seconds of
    a live stream, the hum spectrum would cost more than the rest together."""
    if not fs >= MIN_SAMPLERATE:
        # Below it the analysis windows hold no samples (a 1 Hz file divided by zero).
        raise ValueError(f"sample rate {fs} Hz is below {MIN_SAMPLERATE} Hz")
    x = to_float(np.asarray(x))
    x2 = x[:, None] if x.ndim == 1 else x
    n, ch = x2.shape
    states, peaks = channel_states(x2)
    good = [i for i, s in enumerate(states) if s == "ok"]
    mono = x2[:, good].mean(axis=1) if good else x2.mean(axis=1)
    mono = mono.astype(np.float64)
    peak = float(np.abs(x2).max()) if n else 0.0
    dc = float(np.abs(x2.mean(axis=0)).max()) if n else 0.0
    rms = power_db(float(np.mean(mono**2))) if n else FLOOR_DB
    clipped = np.zeros(n, dtype=bool)
    clip = Clipping(0.0, FLOOR_DB, 0)
    for i in range(ch):  # the channel that clips most
        mask = clipped_samples(x2[:, i])
        clipped |= mask
        count = int(np.count_nonzero(mask))
        ratio = count / n if n else 0.0
        if i == 0 or ratio > clip.ratio:
            clip = Clipping(ratio, peaks[i], count)
    vad = voice_activity(mono, fs)
    fl = round(fs * FRAME_S)
    zeros_s = float(np.count_nonzero(vad.zeros)) * vad.frame_s
    noise = None
    if vad.silence.any():
        noise = power_db(float(vad.full_power[vad.silence].mean()))
    elif (~vad.zeros).any():
        noise = power_db(float(np.percentile(vad.full_power[~vad.zeros], 10)))
    speech_level = None
    activity = 0.0
    if vad.speech_s >= min_speech_s:
        al = active_speech_level(mono - mono.mean(), fs)
        # to the 0.1 dB every surface shows it with: the number judged is the number shown,
        # so "-28.0 dBFS" never fails a limit of -28 (P.56 itself repeats to about 0.1 dB)
        speech_level, activity = round(float(al.level_dbfs), 1), float(al.activity)
    snr = speech_level - noise if speech_level is not None and noise is not None else None
    # hum: judged on what is left once the windows that clip are removed, preferring windows
    # that are mostly silence so that speech harmonics cannot pose as hum either
    wl = hum_window(fs, mono.size)
    nw = mono.size // wl if wl and not level_only else 0
    weights = keep = None
    if nw:
        stretch = clipped_stretches(clipped, vad.speech, fl)
        keep = np.asarray(~stretch[: nw * wl].reshape(nw, wl).any(axis=1))
    if nw and vad.silence.size:
        per = max(1, wl // fl)
        sil = np.concatenate([vad.silence, np.zeros(max(0, nw * per - vad.silence.size), bool)])
        quiet = sil[: nw * per].reshape(nw, per).mean(axis=1) >= 0.8
        if keep is not None:
            quiet &= keep
        if quiet.sum() >= 2:
            weights = quiet.astype(np.float64)
    hum = mains_hum(mono, fs, weights, keep) if not level_only else \
        Hum(None, FLOOR_DB, 0, measured=False)
    band = speech_band(mono, fs, vad) if not level_only and vad.speech_s >= min_speech_s else \
        Band(None, False, 0.0)
    return AudioAnalysis(
        samplerate=fs, duration_s=n / fs if fs else 0.0, channels=ch,
        peak_dbfs=amplitude_db(peak), rms_dbfs=rms, speech_level_dbfs=speech_level,
        activity=activity, speech_s=vad.speech_s, silence_s=vad.silence_s, zeros_s=zeros_s,
        noise_floor_dbfs=noise, snr_db=snr, clip_ratio=clip.ratio,
        clip_level_dbfs=clip.level_dbfs, dc_offset=dc, hum=hum, band=band, channel_states=states,
        channel_peaks_dbfs=peaks,
    )
