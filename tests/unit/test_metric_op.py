"""A graded metric says how it was compared with its limit, and the report uses that instead of
guessing (issue 12.5); reports saved before metrics carried ``op`` still load and render."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from techcheck.app.report import jsonio, view
from techcheck.checks.base import ResultBuilder
from techcheck.checks.model import Metric, Report, Status
from tests import report_samples as samples

ROOT = Path(__file__).resolve().parents[2]


def _metric_calls_without_op() -> list[str]:
    """``metric(...)`` calls in the built-in checks that give a limit but no comparison."""
    missing = []
    for path in sorted((ROOT / "checks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "metric"):
                continue
            kw = {k.arg for k in node.keywords}
            if "threshold" in kw and "op" not in kw:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_every_built_in_metric_with_a_limit_says_how_it_was_compared():
    assert _metric_calls_without_op() == []


def test_the_system_check_records_the_battery_limit_with_its_side():
    r = samples.loaded_system_result()
    battery = r.metrics["battery"]
    assert battery.op == ">=" and battery.threshold is not None
    assert Metric.from_dict(json.loads(json.dumps(battery.to_dict()))) == battery


def test_graded_records_the_comparison_and_a_band_is_between():
    b = ResultBuilder("x", "X")
    b.graded("speed", 2.0, "Mbit/s", warn=3.0, fail=1.0, higher_is_better=True,
             code="x.slow", message="slow", fix="")
    b.metric("level", -20.0, "dBFS", threshold=[-28.0, -16.0], status=Status.PASS)
    b.metric("plain", 3.0, "")
    r = b.build()
    assert r.metrics["speed"].op == ">=" and r.metrics["speed"].threshold == 3.0
    assert r.metrics["level"].op == "between"
    assert r.metrics["plain"].op is None and "op" not in r.metrics["plain"].to_dict()
    with pytest.raises(ValueError, match="unknown comparison"):
        b.metric("bad", 1.0, "", threshold=2.0, op="=>")


def _one_metric_report(metric: dict) -> dict:
    d = samples.report(system=None).to_dict("en")
    d["checks"] = [{"id": "network", "title": "Connection", "status": "pass", "duration_s": 1.0,
                    "metrics": {"latency": metric}, "findings": []}]
    d["verdict"] = "ready"
    return d


def test_the_view_uses_the_metrics_own_comparison(tmp_path: Path):
    # A value exactly at its limit passes; no status or finding tells the side, only op does.
    d = _one_metric_report({"value": 100.0, "unit": "ms", "threshold": 100.0, "op": "<=",
                            "status": "pass"})
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    rep = jsonio.read(path)
    row = view.build(rep, "en").checks[0].metrics[0]
    assert row.limit == "≤\u00a0100\u00a0ms"
    assert row.gauge is not None and row.gauge.higher_is_better is False
    # The saved op wins over what the status would suggest (a ">=" metric with the value above).
    d = _one_metric_report({"value": 150.0, "unit": "ms", "threshold": 100.0, "op": ">=",
                            "status": "pass"})
    row = view.build(Report.from_dict(d), "en").checks[0].metrics[0]
    assert row.limit.startswith("≥") and row.gauge.higher_is_better is True


def test_a_report_saved_before_metrics_carried_op_still_loads_and_infers(tmp_path: Path):
    old = samples.report().to_dict("en")
    for c in old["checks"]:
        for m in c["metrics"].values():
            m.pop("op", None)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    rep = jsonio.read(path)
    assert all(m.op is None for c in rep.checks for m in c.metrics.values())
    v = view.build(rep, "en")
    rows = {(s.id, m.name): m for s in v.checks for m in s.metrics}
    # inferred as before: from the matching finding's op, or from the graded status
    assert rows[("network", "upload")].limit.startswith("≥")  # finding op (too slow)
    assert rows[("network", "bufferbloat")].limit.startswith("≤")  # finding op (too much)
    assert rows[("network", "download")].limit.startswith("≥")  # passes, above its limit
    assert rows[("microphone", "noise_floor")].limit.startswith("≤")  # passes, below it
    # and the same rows as the new file, which carries op
    new = {(s.id, m.name): m.limit for s in view.build(samples.report(), "en").checks
           for m in s.metrics}
    assert {k: r.limit for k, r in rows.items()} == new
