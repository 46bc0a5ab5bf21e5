"""The windowed judge: turns per-frame measures into steady verdicts. Each measure is the
median (or, for shares of black and frozen frames, the mean) over the last ``window_s``
seconds, graded against its rule with hysteresis, so a blink, a hand passing the face or one
noisy frame never flips a verdict, and a value hovering at a limit does not flicker between
states in the live preview.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from techcheck.checks.base import Grade, grade_measure
from techcheck.checks.camera.rules import Rule, Side
from techcheck.checks.model import Status


@dataclass
class MetricState:
    """The verdict on one measure: status, the window's value, and which side failed."""

    name: str
    status: Status
    value: float | None
    side: Side | None = None  # the way it went wrong; None when it passes or was not measured
    op: str = ""  # how the value must compare with the threshold to pass: ">=" or "<="
    #: Which limit was crossed: PASS (none), WARN (the side's first) or FAIL (its second). The
    #: status the report shows is the side's ``levels`` entry for it (docs/verdicts.md).
    level: Status = Status.PASS
    #: How far the hysteresis moved the limits when this verdict was reached or kept (> 0: more
    #: lenient, < 0: stricter), so the report shows the limit that was really applied.
    shift: float = 0.0

    @property
    def threshold(self) -> float | None:
        """The limit the value was held to: the pass limit of the side that went wrong (a value
        on the wrong side of it is exactly what the finding says), or for the second level the
        second limit; moved by the hysteresis shift that was applied."""
        if self.side is None:
            return None
        first, second, _levels = self.side.bound()
        limit = first if self.level is Status.WARN else second
        # a positive shift is more lenient: lower for a ">=" side, higher for "<="
        return limit - self.shift if self.op == ">=" else limit + self.shift

    def grade(self) -> Grade | None:
        """The verdict as the one grading path records it (``ResultBuilder.graded_finding``):
        the status, the limit applied (moved by the hysteresis that kept or reached the
        verdict) and which of the side's limits it was; None when it passes or was not
        measured (the metric then shows ``pass_limits``)."""
        if self.side is None or self.value is None or self.threshold is None:
            return None
        return Grade(self.value, self.status, self.threshold, self.level is Status.FAIL, self.op)


def pass_limits(rule: Rule, shift: float = 0.0) -> float | list[float] | None:
    """What a passing value was held to, for the report (``Measure.pass_limits``)."""
    return rule.pass_limits(shift)


def _grade(rule: Rule, value: float, shift: float) -> tuple[Status, Side | None]:
    """Which limit ``value`` crosses: PASS, WARN (a side's first limit) or FAIL (its second);
    ``shift`` > 0 makes every limit more lenient by that much, < 0 stricter. Graded by
    ``grade_measure``, the rule every check grades by; the hysteresis compares which limit
    was crossed, not the status the side gives it (two limits may give the same status)."""
    g, side = grade_measure(rule, value, shift)
    if g is None:
        return Status.PASS, None
    return (Status.FAIL if g.second else Status.WARN), side


def judge_once(rule: Rule, value: float) -> MetricState:
    """Grade one value against ``rule`` without a window or hysteresis (whole-run measures)."""
    return _state(rule, value, *_grade(rule, value, 0.0))


def _state(rule: Rule, value: float, level: Status, side: Side | None,
           shift: float = 0.0) -> MetricState:
    side = side if level is not Status.PASS else None
    op = "" if side is None else (">=" if side == rule.low else "<=")  # equal: bound anew
    status = Status.PASS if side is None else side.status(level)
    return MetricState(rule.name, status, value, side, op, level, shift)


def hold(rule: Rule, value: float, prev: MetricState | None) -> MetricState:
    """Grade ``value`` by ``rule`` with hysteresis against the verdict ``prev`` (None, or a
    skipped one: grade it as it is). A new verdict only when the value is ``rule.margin`` past
    a limit: clearly worse (graded with limits more lenient by the margin), clearly better
    (stricter by it), or clearly wrong the other way; within the margin ``prev`` is kept. Every
    live view judges through this step (the camera's window, the microphone's level meter), so
    a value hovering at a limit does not flicker and a verdict seeded from a check's result
    holds until the value clearly changes."""
    if prev is None or prev.status is Status.SKIPPED:
        return _state(rule, value, *_grade(rule, value, 0.0))
    lenient = _grade(rule, value, rule.margin)
    strict = _grade(rule, value, -rule.margin)
    if lenient[0].severity > prev.level.severity or (
            lenient[0] is not Status.PASS and prev.side is not None and lenient[1] != prev.side):
        return _state(rule, value, *lenient, rule.margin)  # clearly worse, or the other way
    if strict[0].severity < prev.level.severity:
        return _state(rule, value, *strict, -rule.margin)  # clearly better than before
    # Within the margin: keep the verdict. A kept pass was held to the lenient limits (it had
    # to get clearly worse to change), a kept problem to the strict ones (it had to get
    # clearly better): that is the limit the report shows.
    shift = rule.margin if prev.level is Status.PASS else -rule.margin
    return _state(rule, value, prev.level, prev.side, shift)


class WindowJudge:
    """Medians over a sliding time window, graded with hysteresis. Feed it one dict of measures
    per frame (``None`` = not measurable in this frame, e.g. no face)."""

    def __init__(self, rules: list[Rule], window_s: float, min_share: float = 0.3) -> None:
        self.rules = {r.name: r for r in rules}
        self.window_s = window_s
        self.min_share = min_share  # a measure needs values in this share of the window
        self._times: deque[float] = deque()
        # per measure: the times and values of the frames that had it (two deques: sorting a
        # deque of floats is several times faster than unpacking tuples every frame)
        self._at: dict[str, deque[float]] = {n: deque() for n in self.rules}
        self._values: dict[str, deque[float]] = {n: deque() for n in self.rules}
        self._state: dict[str, MetricState] = {}
        self._worst: dict[str, MetricState] = {}

    def reset(self) -> None:
        self._clear_window()
        self._state.clear()
        self._worst.clear()

    def seed(self, states: dict[str, MetricState]) -> None:
        """Start from verdicts reached before (a check's, for the preview that follows it):
        each measure keeps its verdict until its window's value is clearly past a limit."""
        self._state.update({n: s for n, s in states.items()
                            if n in self.rules and s.status is not Status.SKIPPED})

    def _clear_window(self) -> None:
        self._times.clear()
        for q in (*self._at.values(), *self._values.values()):
            q.clear()

    @property
    def span_s(self) -> float:
        """Seconds of frames in the window now."""
        return self._times[-1] - self._times[0] if len(self._times) > 1 else 0.0

    def push(self, t: float, values: dict[str, float | None]) -> dict[str, MetricState]:
        if self._times and t < self._times[-1]:  # a file looped or a new stream: start over
            self._clear_window()
        self._times.append(t)
        oldest = t - self.window_s
        while self._times[0] < oldest:
            self._times.popleft()
        for name, rule in self.rules.items():
            at, q = self._at[name], self._values[name]
            v = values.get(name)
            if v is not None:
                at.append(t)
                q.append(float(v))
            while at and at[0] < oldest:
                at.popleft()
                q.popleft()
            self._update(name, rule, q)
        return self._state

    def states(self, *, worst_for_sticky: bool = False) -> dict[str, MetricState]:
        """The current verdicts; with ``worst_for_sticky`` the sticky rules (stream stalls)
        report the worst state they reached instead of the last."""
        out = dict(self._state)
        if worst_for_sticky:
            for name, st in self._worst.items():
                if self.rules[name].sticky:
                    out[name] = st
        return out

    def _update(self, name: str, rule: Rule, q: deque[float]) -> None:
        if not q or len(q) < self.min_share * len(self._times):
            self._state[name] = MetricState(name, Status.SKIPPED, None)
            return
        vals = sorted(q)  # a few dozen values: sorting beats numpy's per-call overhead
        n = len(vals)
        if rule.aggregate == "mean":
            value = sum(vals) / n
        else:
            value = vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2
        st = hold(rule, value, self._state.get(name))
        self._state[name] = st
        worst = self._worst.get(name)
        if worst is None or st.status.severity > worst.status.severity:
            self._worst[name] = st
