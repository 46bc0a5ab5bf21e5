"""The result model shared by every check, the runner, the CLI, the GUI and the reports.

Kept as plain dataclasses with explicit ``to_dict``/``from_dict`` so that the JSON report format
(``techcheck.report/1``, see ``docs/report-format.md``) is written in exactly one place.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from techcheck.checks import renamed
from techcheck.checks.i18n import translate

SCHEMA_ID = "techcheck.report/1"
SCHEMA_VERSION = 1


class Status(enum.StrEnum):
    """Outcome of a finding or a check. Order of severity: pass < tip < skipped < warn < fail <
    error. A ``tip`` is cosmetic advice (docs/verdicts.md): it is shown with its fix but never
    changes a check's status or the verdict."""

    PASS = "pass"
    TIP = "tip"
    SKIPPED = "skipped"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @staticmethod
    def worst(statuses: list[Status] | tuple[Status, ...]) -> Status:
        return max(statuses, key=lambda s: s.severity, default=Status.PASS)


_SEVERITY = {Status.PASS: 0, Status.TIP: 1, Status.SKIPPED: 2, Status.WARN: 3, Status.FAIL: 4,
             Status.ERROR: 5}


class LimitStatus(enum.StrEnum):
    """What a profile makes of a condition that has no number (``*_status`` limits): ignore
    it, warn, or fail. Values are those of ``Status``, so ``Status(limit)`` converts."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class ItemOf:
    """In a limit's type, ``Annotated[str, ItemOf("tiers")]``: the value must be one of the
    items of the key ``tiers`` of the same section. For a choice whose names the profile itself
    defines (Zoom calls a tier "HQ", Meet "HD"), which a closed ``enum`` cannot list; the
    profile loader reads it from the type, as it reads an ``enum``'s members."""

    key: str


@dataclass(frozen=True)
class SameLengthAs:
    """In a limit's type, ``Annotated[tuple[float, ...], SameLengthAs("tiers")]``: one item per
    item of the key ``tiers`` of the same section (checked by the profile loader)."""

    key: str


@dataclass(frozen=True)
class Between:
    """In a limit's type, ``Annotated[float, Between(5, 1000)]``: the value (each item of a
    list) must lie in [low, high], checked by the profile loader with the file, line and key.
    For the keys that set how a check runs (phase lengths, probe intervals), where 0 would
    flood the network or end a phase before it measured and an hour would hang the run; the
    reason for each pair of numbers is written beside the field."""

    low: float
    high: float


@dataclass(frozen=True)
class Checked:
    """In a limit's type, ``Annotated[str, Checked(problem)]``: ``problem(value)`` (for a list,
    each item) returns a sentence saying why the value cannot be used, or None; the profile
    loader refuses the profile with it (a server address that is no server)."""

    problem: Callable[[Any], str | None]


#: The name of one of the profile's video tiers (``[network] tiers``).
TierName = Annotated[str, ItemOf("tiers")]
#: One number per video tier, in the order of ``tiers``.
PerTier = Annotated[tuple[float, ...], SameLengthAs("tiers")]


class ExitCode(enum.IntEnum):
    """The exit statuses the command line promises (README, "Exit status"): the
    monitoring-plugin convention for a verdict (0 ok, 1 warning, 2 critical) and 3 for a run
    that could not happen (bad arguments, an unreadable profile or report, an internal error);
    4 for a demo run (``Verdict.DEMO``).
    One declaration: the README's table is tested against it (tests/unit/test_runsetup.py)."""

    READY = 0
    READY_WITH_WARNINGS = 1
    NOT_READY = 2
    COULD_NOT_RUN = 3
    #: A demo run: every check ran on sample media, so nothing is said about this computer's
    #: devices. Not 0-2, which judge the devices, and not 3: the demo did run.
    DEMO = 4


class Verdict(enum.StrEnum):
    READY = "ready"
    READY_WITH_WARNINGS = "ready_with_warnings"
    NOT_READY = "not_ready"
    #: Sample media stood in for the devices (demo mode): the checks ran, but no verdict on the
    #: person's own devices exists, so no surface may show readiness.
    DEMO = "demo"

    @property
    def exit_code(self) -> ExitCode:
        """The verdict's exit status (``ExitCode`` has the member of the same name)."""
        return ExitCode[self.name]


Value = float | int | str | bool | None
Threshold = float | int | str | list[float] | None


#: The comparisons a graded value is held to: what must hold between value and limit for a pass.
OPS = ("<", "<=", ">", ">=", "==", "between")


@dataclass
class Metric:
    """A measured number. Graded metrics also carry the limit that was actually applied (moved by
    any hysteresis), the comparison that had to hold for a pass and how they fared, so a report
    can say "≥ 5 Mbit/s" and draw the good side of a gauge without guessing.

    ``op`` is ``None`` for ungraded metrics and in reports saved before it existed
    (docs/report-format.md: readers infer the direction for those only)."""

    value: Value
    unit: str = ""
    threshold: Threshold = None
    status: Status | None = None
    op: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "unit": self.unit}
        if self.threshold is not None:
            d["threshold"] = self.threshold
        if self.op is not None:
            d["op"] = self.op
        if self.status is not None:
            d["status"] = self.status.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Metric:
        st = d.get("status")
        op = d.get("op")
        return cls(d.get("value"), d.get("unit", ""), d.get("threshold"),
                   Status(st) if st else None, op if op in OPS else None)


@dataclass
class Finding:
    """One thing a check found, with the measured value, the limit it was held to and a fix.

    ``message`` and ``fix`` are English templates marked with ``N_`` in the check; ``params``
    fill them. Keeping template and parameters lets a saved report be re-rendered in Swedish.
    """

    code: str
    status: Status
    message: str
    fix: str = ""
    value: Value = None
    threshold: Threshold = None
    unit: str = ""
    op: str | None = None  # how value was compared with threshold: <=, >=, <, >, between
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return translate(self.message, lang, self._params(lang))

    def fix_text(self, lang: str = "en") -> str:
        return translate(self.fix, lang, self._params(lang)) if self.fix else ""

    def _params(self, lang: str) -> dict[str, Any]:
        """The parameters with the words its check declares for them read as their texts
        (a server's "timeout": "no answer in time"; ``measure.param_words``)."""
        from techcheck.checks.measure import param_words, worded  # measure imports this

        words = param_words(self.code.split(".", 1)[0])
        return worded(self.params, words, lambda t: translate(t, lang)) if words else \
            self.params

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status.value,
            "message": self.text(lang),
            "fix": self.fix_text(lang),
            "value": self.value,
            "threshold": self.threshold,
            "unit": self.unit,
            "op": self.op,
            "template": {"message": self.message, "fix": self.fix, "params": self.params},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        tpl = d.get("template") or {}
        return cls(
            code=d["code"],
            status=Status(d["status"]),
            message=tpl.get("message", d.get("message", "")),
            fix=tpl.get("fix", d.get("fix", "")),
            value=d.get("value"),
            threshold=d.get("threshold"),
            unit=d.get("unit", ""),
            op=d.get("op"),
            params=dict(tpl.get("params") or {}),
        )


@dataclass
class CheckResult:
    id: str
    title: str
    status: Status = Status.PASS
    duration_s: float = 0.0
    metrics: dict[str, Metric] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # one line for the user; the traceback goes to the log

    def recompute_status(self) -> Status:
        """A check's status is its worst finding; an error or skip set by the runner stays. Tips
        are advice, not problems: a check with only tips passes."""
        if self.status in (Status.ERROR, Status.SKIPPED) and not self.findings:
            return self.status
        self.status = Status.worst([f.status for f in self.findings if f.status is not Status.TIP])
        return self.status

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "title": translate(self.title, lang),
            "status": self.status.value,
            "duration_s": round(self.duration_s, 3),
            "metrics": {k: m.to_dict() for k, m in self.metrics.items()},
            "findings": [f.to_dict(lang) for f in self.findings],
            "details": self.details,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckResult:
        return cls(
            id=d["id"],
            title=d.get("title", d["id"]),
            status=Status(d["status"]),
            duration_s=float(d.get("duration_s", 0.0)),
            # A report saved before a metric was renamed reads as if written today.
            metrics={renamed.metric_name(k): Metric.from_dict(v)
                     for k, v in d.get("metrics", {}).items()},
            findings=[Finding.from_dict(f) for f in d.get("findings", [])],
            details=dict(d.get("details") or {}),
            error=d.get("error"),
        )


def verdict_for(results: list[CheckResult], demo: bool = False, undone: int = 0) -> Verdict:
    """Worst of the checks. An error counts as not ready: we could not confirm it works. Tips
    never count (docs/verdicts.md). A demo run (``demo``: sample media stood in for the
    devices) is ``Verdict.DEMO`` whatever its checks found: they judged the samples.
    ``undone``: items of the interviewer's preparation checklist not ticked; each counts as
    a warning, as the app's step list shows it (issue 23)."""
    if demo:
        return Verdict.DEMO
    worst = Status.worst([r.status for r in results if r.status is not Status.TIP])
    if worst in (Status.FAIL, Status.ERROR):
        return Verdict.NOT_READY
    if worst is Status.WARN or undone:
        return Verdict.READY_WITH_WARNINGS
    return Verdict.READY


@dataclass
class Report:
    created: str
    app_version: str
    profile: dict[str, Any]
    machine: dict[str, Any]
    checks: list[CheckResult]
    lang: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. invitation, checklist, options

    @property
    def demo(self) -> bool:
        """Whether sample media stood in for the devices: the ``demo`` field, or the
        ``options.demo`` flag the app wrote before that field existed."""
        options = self.extra.get("options")
        return bool(self.extra.get("demo")) or (isinstance(options, dict)
                                                and options.get("demo") is True)

    @property
    def verdict(self) -> Verdict:
        """Computed, never read from the file: a report saved in demo mode before
        ``Verdict.DEMO`` existed (``"verdict": "ready"``) loads as a demo run."""
        return verdict_for(self.checks, demo=self.demo, undone=self.checklist_undone)

    @property
    def checklist_undone(self) -> int:
        """How many items of the interviewer's checklist (``extra["checklist"]``, as
        ``app.report.checklist.to_extra`` writes it) are not ticked; 0 without one."""
        data = self.extra.get("checklist")
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return 0
        return sum(1 for i in items[:50] if isinstance(i, dict) and i.get("done") is not True)

    def check(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        d: dict[str, Any] = {
            "schema": SCHEMA_ID,
            "created": self.created,
            "app_version": self.app_version,
            "lang": lang,
            "profile": self.profile,
            "verdict": self.verdict.value,
            "machine": self.machine,
            "checks": [c.to_dict(lang) for c in self.checks],
        }
        d.update(self.extra)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        known = {"schema", "created", "app_version", "lang", "profile", "verdict", "machine", "checks"}
        return cls(
            created=d["created"],
            app_version=d.get("app_version", ""),
            profile=dict(d.get("profile") or {}),
            machine=dict(d.get("machine") or {}),
            checks=[CheckResult.from_dict(c) for c in d.get("checks", [])],
            lang=d.get("lang", "en"),
            extra={k: v for k, v in d.items() if k not in known},
        )
