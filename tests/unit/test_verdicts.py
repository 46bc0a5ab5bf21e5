"""The severity policy (docs/verdicts.md): every finding code of every check is in its table
with the statuses it may have and a reason; tips never change a verdict; reports show them."""

from __future__ import annotations

import re
from pathlib import Path

from techcheck.checks.model import CheckResult, Finding, Report, Status, Verdict, verdict_for
from tests.verdict_policy import policy, violations

ROOT = Path(__file__).resolve().parents[2]
#: A finding code as the checks write it: "<check>.<what>" in a string literal.
CODE = re.compile(r"""["']((?:camera|microphone|speaker|network|system|screen)\.[a-z][a-z_0-9]*)["']""")


def codes_in_source() -> dict[str, str]:
    """Every finding code literal in checks/, with the file it is in."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "checks").rglob("*.py")):
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, str(path.relative_to(ROOT)))
    return found


def test_every_code_a_check_can_produce_is_in_the_table_and_nothing_else():
    table, source = policy(), codes_in_source()
    assert len(table) >= 60
    missing = {c: p for c, p in source.items() if c not in table}
    assert not missing, f"finding codes without a severity in docs/verdicts.md: {missing}"
    stale = sorted(set(table) - set(source))
    assert not stale, f"docs/verdicts.md lists codes no check produces: {stale}"


def test_every_row_has_statuses_and_a_reason():
    for code, (statuses, why) in policy().items():
        assert statuses and Status.ERROR not in statuses and Status.SKIPPED not in statuses, code
        assert len(why) > 15, f"{code}: give a one-line reason"


def test_only_nothing_seen_or_heard_or_no_device_fails():
    """The policy's fail list is short: what stops the interview."""
    fails = {c for c, (st, _) in policy().items() if Status.FAIL in st}
    camera_fails = {c for c in fails if c.startswith("camera.")}
    assert camera_fails == {"camera.unavailable", "camera.busy", "camera.permission",
                            "camera.disconnected", "camera.file_not_found",
                            "camera.unreadable_file", "camera.black_frames", "camera.frozen"}
    mic_fails = {c for c in fails if c.startswith("microphone.")}
    assert mic_fails == {"microphone.unavailable", "microphone.permission", "microphone.busy",
                         "microphone.disconnected", "microphone.bad_file", "microphone.silent"}
    assert "camera.low_resolution" not in fails


def test_camera_rules_give_only_the_statuses_the_table_allows():
    from techcheck.checks.camera.limits import CameraLimits
    from techcheck.checks.camera.rules import build_rules, stream_rules
    from techcheck.checks.profile import generic_limits

    lim = generic_limits("camera", CameraLimits)
    table = policy()
    for rule in build_rules(lim) + stream_rules(lim):
        for side in (rule.low, rule.high):
            if side is not None:
                assert set(side.levels) <= table[side.code][0], (side.code, side.levels)


def test_camera_errors_fail_as_the_table_says():
    from techcheck.checks.camera import source

    errors = [c for c in vars(source).values()
              if isinstance(c, type) and issubclass(c, source.CameraError)]
    assert len(errors) >= 5
    for cls in errors:
        assert table_allows(cls.code, Status.FAIL), cls.code


def table_allows(code: str, status: Status) -> bool:
    return status in policy()[code][0]


def _result(*statuses: Status) -> CheckResult:
    r = CheckResult("camera", "Camera", findings=[
        Finding("camera.off_center", s, "You are off to the side.", "Move to the centre.")
        for s in statuses])
    r.recompute_status()
    return r


def test_tips_never_change_a_check_or_the_verdict():
    only_tips = _result(Status.TIP, Status.TIP)
    assert only_tips.status is Status.PASS
    assert verdict_for([only_tips]) is Verdict.READY
    assert _result(Status.TIP, Status.WARN).status is Status.WARN
    assert verdict_for([_result(Status.TIP, Status.WARN)]) is Verdict.READY_WITH_WARNINGS
    assert Status.PASS.severity < Status.TIP.severity < Status.WARN.severity
    assert not violations(only_tips)
    assert violations(_result(Status.FAIL)) == [
        "camera.off_center is fail, the policy allows ['tip', 'warn']"]


def test_reports_show_a_tip_as_advice_in_every_format(tmp_path):
    import json

    import jsonschema

    from techcheck.app.report import html, pdf, text
    from techcheck.resources import path as resource_path

    rep = Report("2026-11-30T20:00:00+00:00", "test", {"name": "generic", "title": "Any"}, {},
                 [_result(Status.TIP)])
    assert rep.verdict is Verdict.READY
    out = text.render(rep, "en")
    # A camera-only report: "ready so far", never "ready for the interview".
    assert "READY SO FAR: Everything that was checked works." in out
    assert "TIP: You are off to the side." in out
    assert "TIPS:" in text.render(rep, "sv")
    page = html.render(rep, "en")
    listed = page[page.index('<ol class="fix-list">'):]
    assert "<b>Tip:</b> You are off to the side." in listed and "Move to the centre." in listed
    assert "#0969da" in page  # the tip's own colour, not a warning's
    pdf.write(rep, tmp_path / "r.pdf", "en")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    schema = json.loads(resource_path("schemas", "report-1.schema.json").read_text("utf-8"))
    jsonschema.validate(rep.to_dict(), schema)
    back = Report.from_dict(json.loads(json.dumps(rep.to_dict())))
    assert back.checks[0].findings[0].status is Status.TIP and back.verdict is Verdict.READY
