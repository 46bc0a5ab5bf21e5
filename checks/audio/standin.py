"""A stand-in speaker whose echo path is known, for demo mode and for testing the echo test.

On a computer with no sound card the speaker check has nothing to play on. The stand-in is an
output device spec, ``simulated`` (or ``simulated:delay=60ms,loss=46dB``), that the audio
backend accepts wherever it accepts a speaker: what is "played" into it comes back to the
"microphone" ``delay`` later and ``loss`` quieter, on top of a quiet room's noise. The speaker
check then runs unchanged — chime and sweep out, recording in, ``find_echo`` over the
recording — and measures the configured delay and loss, so the analysis is exercised for real
and a wrong analysis shows up as a wrong number.

The default path is a headset's. 3GPP TS 26.131 / TS 26.132 (terminal acoustic characteristics,
clause "Acoustic echo control") ask handset and headset terminals for an echo loss of at least
46 dB, and a wired headset on a desktop sound system has a round trip of a few tens of
milliseconds: so the defaults are 46 dB and 60 ms, well past the speaker check's 30 dB limit.
The room sits at -70 dBFS, a quiet room through a decent microphone (ACX's audiobook
submission requirements ask for a noise floor at or below -60 dB RMS); the person is listening,
not talking, while the test sound plays. A loud path such as ``simulated:loss=6dB`` is a
laptop's speakers next to its microphone and gives the ``speaker.echo_risk`` finding.

Pure numpy: no PortAudio, so it works on a machine without the sound library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

#: The device spec that names the stand-in (case-insensitive), alone or with ``:key=value,…``.
SPEC = "simulated"
#: The "host API" the stand-in reports, so a report never mistakes it for a real device.
HOSTAPI = "TechCheck demo (simulated)"
NAME = "Sample speaker (demo mode)"

_PARAM = re.compile(r"^\s*(delay|loss|noise)\s*=\s*(-?\d+(?:\.\d+)?)\s*(ms|db|dbfs)?\s*$",
                    re.IGNORECASE)


class BadSpec(ValueError):
    """A ``simulated:…`` spec that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class EchoPath:
    """The known echo path: output back into the input ``delay_ms`` later, ``loss_db`` quieter,
    over noise at ``noise_dbfs`` RMS."""

    delay_ms: float = 60.0
    loss_db: float = 46.0
    noise_dbfs: float = -70.0

    def spec(self) -> str:
        """The device spec that stands for this path (parses back to it)."""
        return (f"{SPEC}:delay={self.delay_ms:g}ms,loss={self.loss_db:g}dB,"
                f"noise={self.noise_dbfs:g}dBFS")

    def describe(self) -> dict[str, float]:
        return {"delay_ms": self.delay_ms, "loss_db": self.loss_db,
                "noise_dbfs": self.noise_dbfs}


def is_standin(spec: object) -> bool:
    """Whether ``spec`` names the stand-in (without checking its parameters)."""
    if not isinstance(spec, str):
        return False
    head = spec.strip().lower()
    return head == SPEC or head.startswith(SPEC + ":")


def parse(spec: object) -> EchoPath | None:
    """The echo path ``spec`` names, ``None`` when it names something else (a real device).
    Raises ``BadSpec`` for a stand-in spec with parameters that cannot be read."""
    if not is_standin(spec):
        return None
    text = str(spec).strip()
    rest = text[len(SPEC) + 1:] if ":" in text else ""
    values = {"delay": EchoPath.delay_ms, "loss": EchoPath.loss_db, "noise": EchoPath.noise_dbfs}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        m = _PARAM.match(part)
        if m is None:
            raise BadSpec(f"{text!r} is not understood: write {SPEC} or "
                          f"{SPEC}:delay=60ms,loss=46dB,noise=-70dBFS")
        values[m.group(1).lower()] = float(m.group(2))
    path = EchoPath(values["delay"], values["loss"], values["noise"])
    if not 0 <= path.delay_ms <= 1000:
        raise BadSpec(f"{text!r}: the delay must be 0 to 1000 ms")
    if not -20 <= path.loss_db <= 120:
        raise BadSpec(f"{text!r}: the loss must be -20 to 120 dB")
    if not -140 <= path.noise_dbfs <= -20:
        raise BadSpec(f"{text!r}: the noise must be -140 to -20 dBFS")
    return path


def echo_through(signal: np.ndarray, samplerate: int, path: EchoPath, frames: int,
                 rng: np.random.Generator | None = None) -> np.ndarray:
    """What the microphone records (mono float32, ``frames`` long) while ``signal`` plays into
    the stand-in: a quiet room (white noise at ``path.noise_dbfs``: the person is listening,
    not talking) plus the signal, ``path.delay_ms`` later (to the nearest sample) and
    ``path.loss_db`` quieter."""
    s = np.asarray(signal, dtype=np.float64)
    s = s.mean(axis=1) if s.ndim == 2 else s.reshape(-1)
    rng = rng or np.random.default_rng()
    rec = rng.normal(0.0, 10 ** (path.noise_dbfs / 20.0), frames)
    start = round(path.delay_ms * samplerate / 1000.0)
    if start < frames:
        part = s[: frames - start]
        rec[start: start + part.size] += part * 10 ** (-path.loss_db / 20.0)
    return rec.astype(np.float32)

