"""The plug-in contract: subclass ``Check``, declare ``id``, ``title``, ``needs`` and a
``Limits`` dataclass, implement ``run``, and register the class under the entry-point group
``techcheck.checks``.
"""

from __future__ import annotations

import dataclasses
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from techcheck.checks.context import CheckContext
from techcheck.checks.measure import Measure, Side
from techcheck.checks.model import OPS, CheckResult, Finding, Metric, Status, Threshold, Value


@dataclasses.dataclass(frozen=True)
class NoLimits:
    """For checks whose profile section has no keys."""


@dataclasses.dataclass
class Device:
    """A device a check can use, as ``techcheck devices`` and the GUI's pickers show it."""

    kind: str  # camera | microphone | speaker
    index: int | str
    name: str
    default: bool = False
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class Check(ABC):
    """Base class of every check plug-in."""

    id: ClassVar[str]
    title: ClassVar[str]  # English, marked with N_
    needs: ClassVar[frozenset[str]] = frozenset()  # camera, microphone, speaker, network
    Limits: ClassVar[type] = NoLimits  # frozen dataclass; its fields are the profile's keys
    timeout_s: ClassVar[float] = 60.0  # the runner cancels the check after this long
    order: ClassVar[int] = 100  # position in a default run

    @abstractmethod
    def run(self, ctx: CheckContext) -> CheckResult:
        """Measure and judge. Poll ``ctx.cancel``; raise nothing for expected problems (a
        missing device is a finding with a fix); anything raised becomes an ``error`` result."""

    @classmethod
    def list_devices(cls) -> list[Device]:
        """Devices this check can use; checks without devices return nothing."""
        return []

    def result(self) -> ResultBuilder:
        return ResultBuilder(self.id, self.title)


class ResultBuilder:
    """Collects metrics and findings while a check runs and builds its ``CheckResult``."""

    def __init__(self, check_id: str, title: str) -> None:
        self._r = CheckResult(id=check_id, title=title)
        #: the findings a declared measure gave: id(finding) -> (measure, codes that explain it)
        self._from: dict[int, tuple[str, tuple[str, ...]]] = {}

    def metric(
        self,
        name: str,
        value: Value,
        unit: str = "",
        *,
        threshold: Threshold = None,
        status: Status | None = None,
        op: str | None = None,
    ) -> None:
        """Record a metric. A metric with a limit says how the value had to compare with it for a
        pass (``op``: ``<=``, ``>=``…; a ``[low, high]`` limit is ``between``), so no reader has
        to guess which side is good. Every built-in check gives it (tests/unit/test_metric_op.py);
        a third-party plug-in written before ``op`` existed still works, and the report infers
        the side for its metrics as it does for old files (docs/report-format.md)."""
        if isinstance(value, float):
            value = round(value, 4)
        if isinstance(threshold, list | tuple):
            op = op or "between"
        if op is not None and op not in OPS:
            raise ValueError(f"metric {name!r}: unknown comparison {op!r}; use one of "
                             f"{', '.join(OPS)}")
        self._r.metrics[name] = Metric(value, unit, threshold, status,
                                       op if threshold is not None else None)

    def detail(self, name: str, value: Any) -> None:
        self._r.details[name] = value

    def finding(
        self,
        code: str,
        status: Status,
        message: str,
        fix: str = "",
        *,
        value: Value = None,
        threshold: Threshold = None,
        unit: str = "",
        op: str | None = None,
        **params: Any,
    ) -> Finding:
        if isinstance(value, float):
            value = round(value, 4)
        params.setdefault("value", value)
        params.setdefault("threshold", threshold)
        params.setdefault("unit", unit)
        f = Finding(code, status, message, fix, value, threshold, unit, op, params)
        self._r.findings.append(f)
        return f

    def record(self, measure: Measure, value: Value) -> None:
        """Record a measure that has no limit (a core count, a sample rate) by its
        declaration, so its unit and label are the declared ones."""
        self.metric(measure.name, value, measure.unit)

    def grade(
        self,
        measure: Measure,
        value: Value,
        limits: Any = None,
        *,
        shown: float | None = None,
        variant: str | None = None,
        per_limit: Mapping[str, tuple[Any, Any]] | None = None,
        decided: tuple[Grade | None, Side | None] | None = None,
        shift: float = 0.0,
        metric: bool = True,
        finding: bool = True,
        **params: Any,
    ) -> Status | None:
        """Grade ``value`` by its declared ``measure`` (checks/measure.py), the one way a check
        grades: record the metric held to the limit that decided its status (the crossed
        limit; the pass limits when it passes) and, when it did not pass, add the declared
        finding held to that same limit, so row and sentence always quote one number.

        ``limits`` is the check's ``Limits`` (the measure is bound to it; leave it out for a
        measure already bound). A value that is None or a word ("unknown") was not measured:
        the metric shows it with the pass limits and no status, and nothing is graded (a NaN
        or an infinity is recorded as None: it is no measurement either).
        ``shown`` is the metric's value when it differs from the graded one (a rise in delay
        shown as at least 0); ``variant`` picks another declared message; ``per_limit`` holds
        message parameters that depend on the limit crossed, as (first, second). ``decided``
        is a grade already reached by a windowed judge with hysteresis (the camera), with the
        side that went wrong, and ``shift`` how far that hysteresis moved the pass limits.
        Returns the status given (None when not measured)."""
        m = measure.bind(limits)  # numbers stay numbers: a bound measure binds to itself
        if not m.graded:
            raise ValueError(f"measure {m.name!r} has no limits: record it, do not grade it")
        if isinstance(value, float) and not math.isfinite(value):
            value = None  # NaN or infinity is no measurement: never graded as a number
        if value is None or isinstance(value, str | bool):
            if metric:
                self.metric(m.name, value, m.unit, threshold=m.pass_limits(), op=m.pass_op)
            return None
        g, side = decided if decided is not None else grade_measure(m, float(value))
        status = g.status if g is not None else Status.PASS
        if metric:
            threshold: Threshold
            op: str | None
            if g is not None:
                threshold, op = g.limit, g.op
            else:
                threshold, op = m.pass_limits(shift), m.pass_op
            self.metric(m.name, value if shown is None else shown, m.unit, threshold=threshold,
                        status=status, op=op)
        if finding and g is not None and side is not None:
            message, fix = side.texts(variant)
            f = self.graded_finding(g, side.code, message, fix, unit=m.unit, per_limit=per_limit,
                                    **params)
            if f is not None:
                self._from[id(f)] = (m.name, m.explained_by)
        return status

    def graded(
        self,
        name: str,
        value: float,
        unit: str,
        *,
        warn: float,
        fail: float | None = None,
        higher_is_better: bool,
        code: str,
        message: str,
        fix: str,
        levels: tuple[Status, Status] = (Status.WARN, Status.FAIL),
        shown: float | None = None,
        per_limit: Mapping[str, tuple[Any, Any]] | None = None,
        **params: Any,
    ) -> Status:
        """For a third-party plug-in without declarations (built-in checks declare their
        measures and use ``grade``): grade ``value``, record it as a metric held to the limit
        that decided its status, and when it is not a pass add the finding held to that same
        limit. ``warn``/``fail`` are the first and second limit (``fail`` None: only one);
        ``levels`` the statuses crossing them gives; ``shown`` and ``per_limit`` as for
        ``grade``. Returns the status given."""
        side = Side(code, warn, fail, message, fix, levels=levels)
        measure = Measure(name, unit, low=side if higher_is_better else None,
                          high=None if higher_is_better else side)
        status = self.grade(measure, value, {}, shown=shown, per_limit=per_limit, **params)
        return status or Status.PASS

    def graded_finding(
        self,
        g: Grade,
        code: str,
        message: str,
        fix: str,
        *,
        unit: str,
        per_limit: Mapping[str, tuple[Any, Any]] | None = None,
        **params: Any,
    ) -> Finding | None:
        """The finding for a grade that is not a pass, held to the limit it crossed; None for
        a pass. For the sites whose metric is not the plain one ``graded`` records (two-sided
        limits, a metric shown without a finding): they ``assess`` and record the metric
        themselves, and the finding still comes from here."""
        if g.status is Status.PASS:
            return None
        for key, (first, second) in (per_limit or {}).items():
            params[key] = second if g.second else first
        return self.finding(code, g.status, message, fix, value=g.value, threshold=g.limit,
                            unit=unit, op=g.op, **params)

    def build(self) -> CheckResult:
        """The result, without the findings another measure's finding explains (its fix also
        fixes them: the declaration's ``explained_by``), whatever order they were graded in."""
        findings = self._r.findings
        origin = {id(f): self._from.get(id(f), ("", ())) for f in findings}
        keep = []
        for f in findings:
            name, explained_by = origin[id(f)]
            if explained_by and any(
                    g.code in explained_by and origin[id(g)][0] != name for g in findings):
                continue
            keep.append(f)
        self._r.findings = keep
        self._r.recompute_status()
        return self._r


@dataclasses.dataclass(frozen=True)
class Grade:
    """How a value fared against its limits: the status it gets and the limit that decided it,
    which is what its metric and finding show (docs/verdicts.md: a value is never shown past
    its limit as a pass)."""

    value: float
    status: Status
    limit: float  # the limit crossed; the first limit when the value passes
    second: bool  # True when the second (the further) limit was crossed
    op: str  # how a passing value compares with the limit: ">=" or "<="


def grade_measure(m: Measure, value: float, shift: float = 0.0) -> tuple[Grade | None, Side | None]:
    """Grade ``value`` by a bound measure: each side by ``assess``, the worst crossed limit
    wins (a second limit over a first); ``shift`` > 0 makes every limit more lenient by that
    much, < 0 stricter (hysteresis). (None, None) when it passes."""
    worst: tuple[int, Grade | None, Side | None] = (0, None, None)
    for side, higher_is_better in m.sides():
        move = -shift if higher_is_better else shift
        first, second, levels = side.bound()
        g = assess(value, warn=first + move, fail=second + move,
                   higher_is_better=higher_is_better, levels=levels)
        crossed = 0 if g.status is Status.PASS else 2 if g.second else 1
        if crossed > worst[0]:
            worst = (crossed, g, side)
    return worst[1], worst[2]


def assess(
    value: float,
    *,
    warn: float,
    fail: float | None = None,
    higher_is_better: bool,
    levels: tuple[Status, Status] = (Status.WARN, Status.FAIL),
) -> Grade:
    """Grade ``value`` against its first limit (``warn``) and optional second (``fail``);
    crossing them gives ``levels[0]`` and ``levels[1]``. The one grading rule every check uses,
    through ``ResultBuilder.graded`` or, for unusual metrics, ``graded_finding``."""
    if fail is None:
        fail = -math.inf if higher_is_better else math.inf
    crossed = _crossed(value, warn=warn, fail=fail, higher_is_better=higher_is_better)
    status = {Status.PASS: Status.PASS, Status.WARN: levels[0], Status.FAIL: levels[1]}[crossed]
    second = crossed is Status.FAIL
    return Grade(value, status, fail if second else warn, second,
                 ">=" if higher_is_better else "<=")


def _crossed(
    value: float,
    *,
    warn: float,
    fail: float,
    higher_is_better: bool,
) -> Status:
    """Which limit ``value`` crosses: PASS (none), WARN (``warn``) or FAIL (``fail``). Private:
    checks grade through ``assess`` (and ``ResultBuilder.graded``), the one path.

    ``higher_is_better``: below ``fail`` fails, below ``warn`` warns; otherwise the reverse.
    Limits are inclusive on the good side: a value equal to ``warn`` passes.
    """
    if higher_is_better:
        if value < fail:
            return Status.FAIL
        if value < warn:
            return Status.WARN
        return Status.PASS
    if value > fail:
        return Status.FAIL
    if value > warn:
        return Status.WARN
    return Status.PASS
