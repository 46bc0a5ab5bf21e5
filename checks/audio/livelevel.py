"""The microphone's level judged the way the microphone check judges it, for the live meter.

The hint under the meter used to compare each 20 ms block's RMS with a zone of its own, so it
flipped between "quiet", "good" and "loud" every second and could say "quiet" while the card
below said "passed". Here the live view judges what the check judges: the ITU-T P.56 active
speech level and the share of clipped samples, measured by ``analysis.analyse`` over the last
``window_seconds`` (as long as the check's own recording), graded by the same declarations
(``measures.SPEECH_LEVEL`` and ``measures.CLIPPING``, bound to the same profile limits). On top
of that the live verdict has the declared hysteresis (``SPEECH_LEVEL.margin``, through
``judge.hold``, the step the camera's live window uses too): it changes only when the level is
clearly past a limit, so a steady voice at a limit does not flicker, and a verdict seeded from
the check's result (``LevelMeasures.from_result``) holds until the voice clearly changes.

Pure Python: the GUI thread calls ``judge_level``; the numbers come from a worker.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from techcheck.checks.audio import measures as M
from techcheck.checks.base import Grade, grade_measure
from techcheck.checks.camera.judge import MetricState, hold
from techcheck.checks.model import Status

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

        clip, peak = value(M.CLIPPING.name), value(M.PEAK.name)
        if clip is None or peak is None:
            return None
        return cls(value(M.SPEECH_LEVEL.name), value(M.SPEECH_SECONDS.name) or 0.0,
                   clip / M.CLIPPING.scale, peak, peak)  # the report's % back to a share


@dataclass(frozen=True)
class LevelVerdict:
    """The judged level: what the hint says and the meter's colour."""

    status: Status | None  # None: no speech heard yet
    kind: str  # "waiting" | "good" | "quiet" | "loud" | "clipping"
    measures: LevelMeasures | None
    #: the speech level's verdict (hysteresis included); None before speech was heard
    speech_state: MetricState | None = None
    clipping: Grade | None = None  # the clipped share's grade when it did not pass
    #: the pass zone: the declared first limits, as the card quotes them
    zone: tuple[float, float] = (0.0, 0.0)
    hint: str = ""  # the declaration's short text (N_), shown through the catalogue

    @property
    def level_dbfs(self) -> float | None:
        return self.measures.speech_level_dbfs if self.measures is not None else None

    @property
    def speech(self) -> Grade | None:
        """The speech level's grade when it did not pass: the limit applied and its status."""
        return self.speech_state.grade() if self.speech_state is not None else None

    @property
    def limit(self) -> float | None:
        """The speech-level limit the hint quotes: the declared one (the card's) while the
        level is past it, and the one the hysteresis holds it to only while the level is back
        within the margin, so the hint never names a limit its own number meets."""
        g, st = self.speech, self.speech_state
        if g is None or st is None:
            return None
        declared = g.limit + st.shift if g.op == ">=" else g.limit - st.shift
        past = g.value < declared if g.op == ">=" else g.value > declared
        return declared if past else g.limit

    @property
    def crossed(self) -> int:
        """Which speech-level limit is crossed: 0 none, -1/-2 the low side's first/second,
        +1/+2 the high side's."""
        st = self.speech_state
        if st is None or st.side is None:
            return 0
        n = 2 if st.level is Status.FAIL else 1
        return -n if st.op == ">=" else n


def judge_level(m: LevelMeasures | None, lim: Any,
                prev: LevelVerdict | None = None) -> LevelVerdict:
    """Judge one window's measures against the ``[microphone]`` limits ``lim``.

    Without ``prev`` this is the check's judgement of its recording (no hysteresis: the same
    declarations graded as ``ResultBuilder.grade`` grades them); with it, the live verdict that
    ``prev`` was keeps until the level is the declared margin past a limit. A window without
    enough speech keeps ``prev`` (the level of the voice last heard): silence between
    sentences says nothing about the level."""
    speech_m = M.SPEECH_LEVEL.bind(lim)
    zone = speech_m.pass_limits()
    if m is None or m.speech_level_dbfs is None:
        if prev is not None and prev.status is not None:
            return prev
        return LevelVerdict(None, "waiting", m, zone=(zone[0], zone[1]))  # type: ignore[index]
    st = hold(speech_m, float(m.speech_level_dbfs),
              prev.speech_state if prev is not None else None)
    clip_m = M.CLIPPING.bind(lim)
    clipping, clip_side = grade_measure(clip_m, m.clip_ratio * 100.0)
    verdict = LevelVerdict(Status.worst([st.status] + ([clipping.status] if clipping else [])),
                           "good", m, st, clipping, (zone[0], zone[1]),  # type: ignore[index]
                           speech_m.ok_hint)
    if clipping is not None and clip_side is not None:
        return dataclasses.replace(verdict, kind="clipping", hint=clip_side.hint)
    if st.side is not None:
        return dataclasses.replace(verdict, kind="quiet" if st.op == ">=" else "loud",
                                   hint=st.side.hint)
    return verdict

