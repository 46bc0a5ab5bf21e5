"""Real speech and the impairments the audio tests mix into it, in known amounts.

Speech comes from Debian packages: the alsa-utils voice clips (48 kHz recordings of a person)
and espeak-ng sentences in English and Swedish. Noise and hum are generated with an exact
RMS, so "noise at -50 dBFS" is -50.00 dBFS before it goes through the sound server.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pytest

ALSA_SOUNDS = Path("/usr/share/sounds/alsa")
SENTENCES = {
    "en": "Good morning, my name is Alex. I work in customer support.",
    "sv": "God morgon, jag heter Alex. Jag jobbar med kundtjänst.",
}


@cache
def alsa_voice(names: tuple[str, ...] = ("Front_Center", "Front_Left")) -> np.ndarray:
    """Clips from alsa-utils joined with 0.2 s gaps, mono float32 at 48 kHz."""
    import soundfile as sf

    parts = []
    for n in names:
        path = ALSA_SOUNDS / f"{n}.wav"
        if not path.exists():
            pytest.skip(f"{path} missing (Debian package alsa-utils)")
        data, fs = sf.read(str(path), dtype="float32", always_2d=True)
        assert fs == 48000
        parts += [data.mean(axis=1), np.zeros(9600, np.float32)]
    return np.concatenate(parts[:-1])


@cache
def espeak(lang: str) -> tuple[np.ndarray, int]:
    """An espeak-ng sentence (22050 Hz) as mono float32. Written to a folder of its own: test
    workers running side by side (pytest-xdist) must not share one file name."""
    import soundfile as sf

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng missing (scripts/debian-packages.txt)")
    with tempfile.TemporaryDirectory(prefix="techcheck-espeak-") as tmp:
        out = Path(tmp) / f"{lang}.wav"
        subprocess.run(["espeak-ng", "-v", lang, "-s", "150", "-w", str(out), SENTENCES[lang]],
                       check=True, capture_output=True, timeout=30)
        data, fs = sf.read(str(out), dtype="float32", always_2d=True)
    return data.mean(axis=1), int(fs)


def espeak48(lang: str) -> np.ndarray:
    """The espeak-ng sentence at 48 kHz, resampled here (scipy's polyphase filter keeps its
    whole band, up to 11 kHz). What is played at espeak's own 22050 Hz goes through the sound
    server's resampler, whose top edge moves with the server's rate matching: measured at
    9.3-9.65 kHz, across the profile's 9.5 kHz tip."""
    from scipy.signal import resample_poly

    v, fs = espeak(lang)
    assert fs == 22050, fs
    return resample_poly(v, 320, 147).astype(np.float32)


def white_noise(n: int, dbfs: float, seed: int = 7) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal(n)
    return (x * 10 ** (dbfs / 20) / np.sqrt(np.mean(x**2))).astype(np.float32)


def hum(n: int, fs: int, dbfs: float, f0: float = 50.0, harmonics=(1, 3, 5)) -> np.ndarray:
    """Mains hum whose total power (all harmonics) is ``dbfs``."""
    t = np.arange(n) / fs
    x = sum(np.sin(2 * np.pi * f0 * k * t + k) for k in harmonics)
    return (x * 10 ** (dbfs / 20) / np.sqrt(np.mean(x**2))).astype(np.float32)


@dataclass
class Take:
    """A signal to play into the microphone and what the analysis must find in it."""

    signal: np.ndarray
    samplerate: int
    speech_dbfs: float | None = None  # P.56 level of the speech as mixed
    noise_dbfs: float | None = None
    hum_dbfs: float | None = None
    expect: set[str] = field(default_factory=set)
    forbid: set[str] = field(default_factory=set)


def mix(speech: np.ndarray | None, fs: int, *, gain_db: float = 0.0,
        noise_dbfs: float | None = None, hum_dbfs: float | None = None, hum_f0: float = 50.0,
        clip: bool = False, lead_s: float = 1.0, tail_s: float = 0.3,
        seconds: float | None = None) -> Take:
    """Quiet lead-in, speech scaled by ``gain_db``, noise and hum under all of it, then
    (optionally) clipping at full scale as an overdriven converter does."""
    from techcheck.checks.audio.analysis import active_speech_level

    if speech is None:
        n = int((seconds or 3.0) * fs)
        voice = np.zeros(n, np.float32)
        level = None
    else:
        s = speech * np.float32(10 ** (gain_db / 20))
        level = active_speech_level(s, fs).level_dbfs
        voice = np.concatenate([np.zeros(int(lead_s * fs), np.float32), s,
                                np.zeros(int(tail_s * fs), np.float32)])
    x = voice.astype(np.float64)
    if noise_dbfs is not None:
        x = x + white_noise(x.size, noise_dbfs)
    if hum_dbfs is not None:
        x = x + hum(x.size, fs, hum_dbfs, hum_f0)
    if clip:
        x = np.clip(x, -1.0, 1.0)
    return Take(x.astype(np.float32), fs, level, noise_dbfs, hum_dbfs)
