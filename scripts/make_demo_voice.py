"""Re-creates resources/demo/voice.wav, the voice the GUI's demo mode plays into the microphone
meter and the microphone check: the English prompt sentence spoken by espeak-ng, set to the
RFC 7874 target of -22 dBFS active speech level, over soft room noise (-56 dBFS, pink-ish).

Run: .venv/bin/python scripts/make_demo_voice.py   (needs the Debian package espeak-ng)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from techcheck.checks.audio.analysis import active_speech_level, one_pole  # noqa: E402
from techcheck.checks.audio.microphone import SENTENCES  # noqa: E402

SPEECH_DBFS, NOISE_DBFS = -22.0, -56.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "voice.wav"
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(raw), SENTENCES["en"]],
                       check=True)
        speech, fs = sf.read(str(raw), dtype="float64")
    speech *= 10 ** ((SPEECH_DBFS - active_speech_level(speech, fs).level_dbfs) / 20)
    pad = np.zeros(int(0.8 * fs))
    voice = np.concatenate([pad, speech, pad])
    rng = np.random.default_rng(4)
    noise = one_pole(rng.standard_normal(voice.size), 0.9)  # tilted towards low frequencies
    noise -= noise.mean()
    noise *= 10 ** (NOISE_DBFS / 20) / np.sqrt(np.mean(noise**2))
    out = ROOT / "resources" / "demo" / "voice.wav"
    sf.write(str(out), np.clip(voice + noise, -1, 1), fs, subtype="PCM_16")
    print(f"{out}: {voice.size / fs:.1f} s at {fs} Hz")


if __name__ == "__main__":
    main()
