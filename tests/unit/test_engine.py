"""The result model, verdicts, translation of findings and the runner's containment."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

import pytest

from techcheck.checks.base import Check, assess
from techcheck.checks.context import CancelToken, CheckContext, Progress
from techcheck.checks.i18n import N_, translate
from techcheck.checks.model import CheckResult, Finding, Report, Status, Verdict, verdict_for
from techcheck.checks.profile import Profile
from techcheck.checks.registry import Plugin
from techcheck.checks.runner import build_report, run_checks, run_one


@dataclass(frozen=True)
class _Limits:
    level: float = 1.0


class _Base(Check):
    title = N_("Computer")
    Limits: ClassVar[type] = _Limits


class Good(_Base):
    id = "good"

    def run(self, ctx: CheckContext) -> CheckResult:
        r = self.result()
        ctx.progress(Progress(self.id, 0.5, "half"))
        r.metric("x", 1.0, "ms", threshold=ctx.limits(self.id).level, status=Status.PASS)
        return r.build()


class Warns(_Base):
    id = "warns"

    def run(self, ctx: CheckContext) -> CheckResult:
        r = self.result()
        r.finding("warns.thing", Status.WARN, N_("The battery is at {value:.0f} % (want at least "
                  "{threshold:.0f} % when not plugged in)."), value=12.0, threshold=50.0, unit="%")
        return r.build()


class Crashes(_Base):
    id = "crashes"

    def run(self, ctx: CheckContext) -> CheckResult:
        raise RuntimeError("boom in the plug-in")


class Hangs(_Base):
    id = "hangs"
    timeout_s = 0.3

    def run(self, ctx: CheckContext) -> CheckResult:
        ctx.cancel.sleep(30)  # wakes when the runner cancels it
        raise AssertionError("not reached")


class Stubborn(_Base):
    """Ignores cancel entirely: the runner must still come back."""

    id = "stubborn"
    timeout_s = 0.2

    def run(self, ctx: CheckContext) -> CheckResult:
        time.sleep(3)
        return self.result().build()


def plugin(cls: type[Check]) -> Plugin:
    return Plugin(cls.id, f"tests:{cls.__name__}", "tests", cls)


def context(**kw) -> CheckContext:
    schemas = {c.id: _Limits for c in (Good, Warns, Crashes, Hangs, Stubborn)}
    return CheckContext(profile=Profile("t", "T", schemas=schemas), **kw)


def test_status_order_and_verdict():
    assert Status.worst([Status.PASS, Status.WARN, Status.SKIPPED]) is Status.WARN
    assert Status.worst([]) is Status.PASS
    mk = lambda s: CheckResult("a", "A", s)  # noqa: E731
    assert verdict_for([mk(Status.PASS), mk(Status.SKIPPED)]) is Verdict.READY
    assert verdict_for([mk(Status.PASS), mk(Status.WARN)]) is Verdict.READY_WITH_WARNINGS
    assert verdict_for([mk(Status.WARN), mk(Status.FAIL)]) is Verdict.NOT_READY
    assert verdict_for([mk(Status.ERROR)]) is Verdict.NOT_READY
    assert [v.exit_code for v in Verdict] == [0, 1, 2, 4]  # ready, warnings, not ready, demo


def test_grade_boundaries():
    def grade(value: float, **kw) -> Status:  # the one grading path
        return assess(value, **kw).status

    assert grade(50, warn=50, fail=20, higher_is_better=True) is Status.PASS
    assert grade(49.9, warn=50, fail=20, higher_is_better=True) is Status.WARN
    assert grade(19, warn=50, fail=20, higher_is_better=True) is Status.FAIL
    assert grade(70, warn=70, fail=90, higher_is_better=False) is Status.PASS
    assert grade(91, warn=70, fail=90, higher_is_better=False) is Status.FAIL


def test_finding_translates_with_swedish_decimal_comma():
    f = Finding("system.low_memory", Status.WARN,
                N_("The computer has {value:.1f} GiB of memory; video apps ask for at least "
                   "{threshold:.0f} GiB."), params={"value": 3.5, "threshold": 4.0})
    assert f.text("en") == "The computer has 3.5 GiB of memory; video apps ask for at least 4 GiB."
    assert f.text("sv") == "Datorn har 3,5 GiB minne; videoappar kräver minst 4 GiB."
    # An unknown text stays English, a missing parameter stays visible instead of crashing.
    assert translate("Not in any catalogue {x}", "sv", {"y": 1}) == "Not in any catalogue {x}"


def test_report_round_trip_keeps_templates_for_rerendering():
    ctx = context(lang="en")
    results = run_checks([plugin(Good), plugin(Warns)], ctx)
    report = build_report(results, ctx)
    data = json.loads(json.dumps(report.to_dict()))
    again = Report.from_dict(data)
    assert again.verdict is Verdict.READY_WITH_WARNINGS
    assert again.to_dict("sv")["checks"][1]["findings"][0]["message"].startswith("Batteriet är på 12 %")
    assert data["checks"][0]["metrics"]["x"] == {"value": 1.0, "unit": "ms", "threshold": 1.0,
                                                 "status": "pass"}
    assert data["created"][-6] in "+-" or data["created"].endswith("Z")


def test_crash_is_contained_and_logged(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.ERROR, logger="techcheck")
    results = run_checks([plugin(Crashes), plugin(Good)], context())
    assert [r.status for r in results] == [Status.ERROR, Status.PASS]
    assert results[0].error == "RuntimeError: boom in the plug-in"
    assert "Traceback" in caplog.text and "boom in the plug-in" in caplog.text


def test_timeout_cancels_the_check_and_the_next_one_runs():
    start = time.monotonic()
    results = run_checks([plugin(Hangs), plugin(Good)], context())
    assert results[0].status is Status.ERROR and "did not finish" in (results[0].error or "")
    assert results[1].status is Status.PASS
    assert time.monotonic() - start < 2.0


def test_a_check_that_ignores_cancel_does_not_hang_the_run():
    start = time.monotonic()
    r = run_one(plugin(Stubborn), context())
    assert r.status is Status.ERROR
    assert time.monotonic() - start < 2.9  # timeout 0.2 s + grace 2 s, not the 3 s it sleeps


def test_cancel_is_prompt_and_marks_the_rest_skipped():
    token = CancelToken()
    ctx = context(cancel=token)

    class Long(_Base):
        id = "hangs"
        timeout_s = 60

        def run(self, ctx: CheckContext) -> CheckResult:
            ctx.cancel.sleep(60)
            return self.result().build()

    threading.Timer(0.2, token.cancel).start()
    start = time.monotonic()
    results = run_checks([plugin(Long), plugin(Good)], ctx)
    assert time.monotonic() - start < 1.0
    assert [r.status for r in results] == [Status.SKIPPED, Status.SKIPPED]


def test_broken_plugin_entry_becomes_an_error_result():
    broken = Plugin("broken", "nowhere:Nothing", "x", None, "the plug-in could not be loaded: "
                    "ModuleNotFoundError: No module named 'nowhere'")
    r = run_one(broken, context())
    assert r.status is Status.ERROR and "ModuleNotFoundError" in (r.error or "")
