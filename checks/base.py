"""The plug-in contract: subclass ``Check``, declare ``id``, ``title``, ``needs`` and a
``Limits`` dataclass, implement ``run``, and register the class under the entry-point group
``techcheck.checks``.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from checks.context import CheckContext
from checks.model import OPS, CheckResult, Finding, Metric, Status, Threshold, Value


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
        to guess which side is good. Every built-in check gives it (tests/test_metric_op.py);
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

    def graded(
        self,
        name: str,
        value: float,
        unit: str,
        *,
        warn: float,
        fail: float,
        higher_is_better: bool,
        code: str,
        message: str,
        fix: str,
        levels: tuple[Status, Status] = (Status.WARN, Status.FAIL),
        **params: Any,
    ) -> Status:
        """The common case in one call: grade ``value``, record it as a metric against the first
        limit, and when it is not a pass add the finding held to the limit it crossed.

        ``warn`` and ``fail`` are the first and the second limit; ``levels`` are the statuses
        crossing them gives (docs/verdicts.md: e.g. ``(TIP, WARN)`` for a measure that is
        advice at first and only noticeable further out). Returns the status given."""
        crossed = grade(value, warn=warn, fail=fail, higher_is_better=higher_is_better)
        st = {Status.PASS: Status.PASS, Status.WARN: levels[0], Status.FAIL: levels[1]}[crossed]
        self.metric(name, value, unit, threshold=warn, status=st,
                     op=">=" if higher_is_better else "<=")
        if st is not Status.PASS:
            self.finding(code, st, message, fix, value=value,
                         threshold=warn if crossed is Status.WARN else fail, unit=unit,
                         op=">=" if higher_is_better else "<=", **params)
        return st

    def build(self) -> CheckResult:
        self._r.recompute_status()
        return self._r


def grade(
    value: float,
    *,
    warn: float,
    fail: float,
    higher_is_better: bool,
) -> Status:
    """Grade ``value`` against a warn and a fail limit.

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
