"""The recorded sentence as it would arrive: band-limited to the Opus bandwidth the bitrate
allows, cut into 20 ms packets, some lost, and the gaps concealed.

Concealment follows what decoders do when a packet is missing (Opus packet loss concealment,
RFC 6716 section 4.4): the last packet's sound is repeated, quieter each time, and after a few
packets in a row it fades to silence. Packet edges are cross-faded over 2.5 ms (the overlap of
Opus's CELT layer, RFC 6716 section 4.3.7) so concealment does not add clicks above the band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from techcheck.checks.callmodel.plan import AUDIO_PACKET_MS, CallPlan, LossSchedule

#: Each concealed packet in a row is this much quieter than the one before (about -3 dB).
CONCEAL_DECAY = 0.7
#: After this many lost packets in a row the concealment is silence (80 ms).
CONCEAL_MAX = 4
CROSSFADE_MS = 2.5
#: The band edge is a raised-cosine roll-off over the last 10 % below the cut-off.
ROLLOFF = 0.10


@dataclass
class ModelledAudio:
    """The sentence as it would arrive (mono float32 at ``samplerate``) and what happened."""

    samples: np.ndarray
    samplerate: int
    cutoff_hz: float
    packets: int
    lost: int

    @property
    def seconds(self) -> float:
        return self.samples.size / self.samplerate


def band_limit(signal: np.ndarray, samplerate: int, cutoff_hz: float) -> np.ndarray:
    """``signal`` with nothing above ``cutoff_hz`` (a zero-phase FFT filter with a short
    raised-cosine edge, so speech below the cut-off is untouched)."""
    x = np.asarray(signal, dtype=np.float64)
    if cutoff_hz >= samplerate / 2 or x.size == 0:
        return x.astype(np.float32)
    n = x.size
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(n, 1.0 / samplerate)
    start = cutoff_hz * (1.0 - ROLLOFF)
    gain = np.ones_like(f)
    edge = (f > start) & (f < cutoff_hz)
    gain[edge] = 0.5 * (1.0 + np.cos(np.pi * (f[edge] - start) / (cutoff_hz - start)))
    gain[f >= cutoff_hz] = 0.0
    return np.fft.irfft(spec * gain, n).astype(np.float32)


def conceal(signal: np.ndarray, samplerate: int, lost: np.ndarray) -> np.ndarray:
    """Replace each lost 20 ms packet of ``signal`` by the last received one, decaying."""
    size = round(samplerate * AUDIO_PACKET_MS / 1000.0)
    fade = max(1, round(samplerate * CROSSFADE_MS / 1000.0))
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, fade))  # 0 → 1
    out = signal.astype(np.float32).copy()
    last: np.ndarray | None = None
    run = 0
    for i, gone in enumerate(lost):
        a, b = i * size, min((i + 1) * size, signal.size)
        if a >= b:
            break
        if not gone:
            last = signal[a:b]
            run = 0
            continue
        run += 1
        if last is None or run > CONCEAL_MAX:
            fill = np.zeros(b - a, dtype=np.float32)
        else:
            fill = (np.resize(last, b - a) * (CONCEAL_DECAY ** run)).astype(np.float32)
        # Cross-fade into the fill and out of it again, so no edge clicks.
        k = min(fade, b - a)
        fill = fill.astype(np.float32)
        fill[:k] = out[a:a + k] * (1 - ramp[:k]) + fill[:k] * ramp[:k]
        out[a:b] = fill
        if b < signal.size and (i + 1 >= lost.size or not lost[i + 1]):
            k2 = min(fade, signal.size - b)
            out[b:b + k2] = fill[-1] * (1 - ramp[:k2]) + signal[b:b + k2] * ramp[:k2]
    return out


def model_audio(signal: np.ndarray, samplerate: int, plan: CallPlan,
                seed: int = 0) -> ModelledAudio:
    """The recorded ``signal`` ((n,) or (n, channels), float) as the other side hears it."""
    x = np.asarray(signal, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if x.ndim != 1 or x.size == 0 or samplerate <= 0:
        raise ValueError("the recording is empty or not a sound signal")
    limited = band_limit(x, samplerate, plan.audio_cutoff_hz)
    size = round(samplerate * AUDIO_PACKET_MS / 1000.0)
    packets = -(-limited.size // size)
    lost = LossSchedule(plan.audio_loss, seed=seed).take(packets)
    out = conceal(limited, samplerate, lost)
    np.clip(out, -1.0, 1.0, out=out)
    return ModelledAudio(out, samplerate, min(plan.audio_cutoff_hz, samplerate / 2),
                         packets, int(lost.sum()))
