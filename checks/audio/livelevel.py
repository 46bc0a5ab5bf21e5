"""The microphone's level judged the way the microphone check judges it, for the live meter.

The hint under the meter used to compare each 20 ms block's RMS with a zone of its own, so it
flipped between "quiet", "good" and "loud" every second and could say "quiet" while the card
below said "passed". Here the live view judges what the check judges: the ITU-T P.56 active
speech level and the share of clipped samples, measured by ``analysis.analyse`` over the last
``window_seconds`` (as long as the check's own recording), graded by ``assess`` against the
same profile limits. On top of that the live verdict has hysteresis (``SPEECH_LEVEL_MARGIN_DB``):
it changes only when the level is clearly past a limit, so a steady voice at a limit does not
flicker, and a verdict seeded from the check's result (``LevelMeasures.from_result``) holds
until the voice clearly changes.

Pure Python: the GUI thread calls ``judge_level``; the numbers come from a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from techcheck.checks.base import Grade, assess
from techcheck.checks.model import Status

#: How far past a speech-level limit the live level must go to change the verdict. Active
#: speech level of one talker reading varies by about ±1 dB between sentences (ITU-T P.56's
#: own repeatability is of that order), so 1 dB keeps a steady voice in one state.
SPEECH_LEVEL_MARGIN_DB = 1.0
#: Statuses past the first and the second limit (docs/verdicts.md): the speech level is advice
#: past the first (call apps' AGC corrects about ±6 dB, RFC 7874), a warning past the second;
#: clipping is a warning at once.
TIP_WARN = (Status.TIP, Status.WARN)
WARN_ONLY = (Status.WARN, Status.WARN)
#: How often the worker measures its window again, seconds of audio.
UPDATE_S = 0.5


def window_seconds(lim: Any) -> float:
    """The check's recording: ``quiet_s`` of room, then ``speech_s`` of reading. The live view
    measures the same length, so a person who reads the sentence at the meter gets the level
    the check would measure."""
    return float(lim.quiet_s) + float(lim.speech_s)


@dataclass(frozen=True)
class LevelMeasures:
    """What the level is judged on, for one window (the check's recording, or the live
    window): the numbers ``analysis.analyse`` gives."""

    speech_level_dbfs: float | None  # P.56 active speech level; None when too little speech
    speech_s: float
    clip_ratio: float  # share of samples stuck at the ceiling, 0..1
    clip_level_dbfs: float
    peak_dbfs: float

    @classmethod
    def of(cls, a: Any) -> LevelMeasures:
        """From an ``analysis.AudioAnalysis``."""
        return cls(a.speech_level_dbfs, a.speech_s, a.clip_ratio, a.clip_level_dbfs,
                   a.peak_dbfs)

    @classmethod
    def from_result(cls, result: Any) -> LevelMeasures | None:
        """From the microphone check's result (its metrics), or None when it measured no
        level (the microphone could not be opened, or delivered silence)."""
        metrics = getattr(result, "metrics", None) or {}

        def value(name: str) -> float | None:
            m = metrics.get(name)
            v = getattr(m, "value", None)
            return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None

        clip, peak = value("clipping"), value("peak")
        if clip is None or peak is None:
            return None
        return cls(value("speech_level"), value("speech_seconds") or 0.0, clip / 100.0,
                   peak, peak)


@dataclass(frozen=True)
class LevelVerdict:
    """The judged level: what the hint says and the meter's colour."""

    status: Status | None  # None: no speech heard yet
    kind: str  # "waiting" | "good" | "quiet" | "loud" | "clipping"
    measures: LevelMeasures | None
    #: the speech level's grade when it did not pass (the limit applied, hysteresis included)
    speech: Grade | None = None
    clipping: Grade | None = None
    #: which speech-level limit is crossed: 0 none, ±1 the first (low/high), ±2 the second
    crossed: int = 0
    #: how far the hysteresis moved the speech-level limits (> 0 more lenient)
    shift: float = 0.0
    #: the pass zone the level was held to (the first limits, moved by ``shift``)
    zone: tuple[float, float] = (0.0, 0.0)

    @property
    def level_dbfs(self) -> float | None:
        return self.measures.speech_level_dbfs if self.measures is not None else None


def _speech(value: float, lim: Any, shift: float) -> tuple[int, Grade | None]:
    """Which speech-level limit ``value`` crosses with the limits moved by ``shift``, graded by
    ``assess`` exactly as the check grades (shift 0 is the check's own grading)."""
    low = assess(value, warn=lim.speech_level_low_tip_dbfs - shift,
                 fail=lim.speech_level_low_warn_dbfs - shift, higher_is_better=True,
                 levels=TIP_WARN)
    if low.status is not Status.PASS:
        return (-2 if low.second else -1), low
    high = assess(value, warn=lim.speech_level_high_tip_dbfs + shift,
                  fail=lim.speech_level_high_warn_dbfs + shift, higher_is_better=False,
                  levels=TIP_WARN)
    if high.status is not Status.PASS:
        return (2 if high.second else 1), high
    return 0, None


def _held(value: float, lim: Any, prev: int, margin: float) -> tuple[int, Grade | None, float]:
    """The crossing with hysteresis: a new state only when ``value`` is past the limit by
    ``margin`` (judged with lenient limits to get worse, strict ones to get better)."""
    lenient = _speech(value, lim, margin)
    strict = _speech(value, lim, -margin)
    if abs(lenient[0]) > abs(prev) or lenient[0] * prev < 0:
        return lenient[0], lenient[1], margin  # clearly worse, or clearly the other way
    if abs(strict[0]) < abs(prev):
        return strict[0], strict[1], -margin  # clearly better
    # Within the margin: keep the state. A kept pass was held to the lenient limits, a kept
    # problem to the strict ones: that is the limit quoted.
    for shift in ((margin, 0.0, -margin) if prev == 0 else (-margin, 0.0, margin)):
        crossed, g = _speech(value, lim, shift)
        if crossed == prev:
            return crossed, g, shift
    return lenient[0], lenient[1], margin  # unreachable for ordered limits


def judge_level(m: LevelMeasures | None, lim: Any,
                prev: LevelVerdict | None = None) -> LevelVerdict:
    """Judge one window's measures against the ``[microphone]`` limits ``lim``.

    Without ``prev`` this is the check's judgement of its recording (no hysteresis); with it,
    the live verdict that ``prev`` was keeps until the level is ``SPEECH_LEVEL_MARGIN_DB`` past
    a limit. A window without enough speech keeps ``prev`` (the level of the voice last
    heard): silence between sentences says nothing about the level."""
    if m is None or m.speech_level_dbfs is None:
        if prev is not None and prev.status is not None:
            return prev
        return LevelVerdict(None, "waiting", m,
                            zone=(lim.speech_level_low_tip_dbfs, lim.speech_level_high_tip_dbfs))
    value = float(m.speech_level_dbfs)
    if prev is None or prev.status is None:
        crossed, speech = _speech(value, lim, 0.0)
        shift = 0.0
    else:
        crossed, speech, shift = _held(value, lim, prev.crossed, SPEECH_LEVEL_MARGIN_DB)
    clip = assess(m.clip_ratio * 100.0, warn=lim.clip_ratio_warn * 100.0,
                  higher_is_better=False, levels=WARN_ONLY)
    clipping = clip if clip.status is not Status.PASS else None
    statuses = [g.status for g in (speech, clipping) if g is not None]
    kind = ("clipping" if clipping is not None else
            "quiet" if crossed < 0 else "loud" if crossed > 0 else "good")
    zone = (lim.speech_level_low_tip_dbfs - shift, lim.speech_level_high_tip_dbfs + shift)
    return LevelVerdict(Status.worst(statuses), kind, m, speech, clipping, crossed, shift, zone)
