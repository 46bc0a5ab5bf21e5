"""Runs the selected checks in order, each in its own thread with a timeout, and builds the report.

A check that raises becomes an ``error`` result (traceback in the log) and the others still
run; a check that overruns its timeout is cancelled and reported as an error; a cancelled run
marks what did not finish as ``skipped``. The runner itself never raises for a check's sake.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from techcheck.checks import machine, version
from techcheck.checks.context import Cancelled, CheckContext
from techcheck.checks.i18n import N_
from techcheck.checks.model import CheckResult, Report, Status
from techcheck.checks.registry import Plugin

log = logging.getLogger("techcheck.runner")

#: Extra time a check gets after its timeout's cancel before the runner gives up on it.
GRACE_S = 2.0


@dataclass
class RunEvents:
    """Callbacks the CLI and the GUI use to follow a run."""

    started: Callable[[Plugin], None] = lambda p: None
    finished: Callable[[CheckResult], None] = lambda r: None


def run_one(plugin: Plugin, ctx: CheckContext, timeout_s: float | None = None) -> CheckResult:
    """Run a single check; always returns a result."""
    if plugin.cls is None:
        return CheckResult(plugin.id, plugin.title, Status.ERROR, error=plugin.error)
    if ctx.cancel.cancelled:
        return CheckResult(plugin.id, plugin.cls.title, Status.SKIPPED, error=N_("Cancelled."))

    timeout = timeout_s if timeout_s is not None else plugin.cls.timeout_s
    token = ctx.cancel.child()
    sub = replace(ctx, cancel=token)
    box: dict[str, CheckResult | BaseException] = {}

    def target() -> None:
        try:
            box["result"] = plugin.cls().run(sub)  # type: ignore[misc]
        except BaseException as exc:
            box["error"] = exc
            box["tb"] = traceback.format_exc()  # type: ignore[assignment]

    start = time.monotonic()
    thread = threading.Thread(target=target, name=f"check-{plugin.id}", daemon=True)
    thread.start()
    deadline = start + timeout
    while thread.is_alive() and time.monotonic() < deadline and not ctx.cancel.cancelled:
        thread.join(0.05)
    if thread.is_alive():
        token.cancel()
        thread.join(GRACE_S)
    duration = time.monotonic() - start
    title = plugin.cls.title

    if "result" in box:
        result = box["result"]
        assert isinstance(result, CheckResult)
        result.duration_s = duration
        if not result.title:
            result.title = title
        result.recompute_status()
        return result
    if ctx.cancel.cancelled:
        return CheckResult(plugin.id, title, Status.SKIPPED, duration, error=N_("Cancelled."))
    err = box.get("error")
    if err is None or isinstance(err, Cancelled):
        log.error("check %s did not finish within %.0f s", plugin.id, timeout)
        return CheckResult(plugin.id, title, Status.ERROR, duration,
                           error=f"did not finish within {timeout:.0f} s")
    log.error("check %s failed:\n%s", plugin.id, box.get("tb"))
    return CheckResult(plugin.id, title, Status.ERROR, duration,
                       error=f"{type(err).__name__}: {err}")


def run_checks(
    plugins: list[Plugin], ctx: CheckContext | Callable[[Plugin], CheckContext],
    events: RunEvents | None = None
) -> list[CheckResult]:
    """Run ``plugins`` in order. ``ctx`` is the context every check runs in, or a function
    giving each check its own (``techcheck.app.runsetup``: e.g. the demo's network duration)."""
    context_for = _same(ctx) if isinstance(ctx, CheckContext) else ctx
    events = events or RunEvents()
    results = []
    for plugin in plugins:
        events.started(plugin)
        log.info("running check %s", plugin.id)
        result = run_one(plugin, context_for(plugin))
        log.info("check %s: %s in %.2f s", plugin.id, result.status.value, result.duration_s)
        results.append(result)
        events.finished(result)
    return results


def _same(ctx: CheckContext) -> Callable[[Plugin], CheckContext]:
    def context_for(_plugin: Plugin) -> CheckContext:
        return ctx

    return context_for


def build_report(results: list[CheckResult], ctx: CheckContext, **extra: Any) -> Report:
    return Report(
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        app_version=version(),
        profile=ctx.profile.summary(),
        machine=machine.summary(),
        checks=results,
        lang=ctx.lang,
        extra={k: v for k, v in extra.items() if v is not None},
    )
