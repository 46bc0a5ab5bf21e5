"""What a rendered report shows, worked out once for every format (HTML, PDF, text).

``build(report, lang)`` turns a ``Report`` into plain, already translated and formatted values:
the verdict, the header facts, one section per check with each metric against its limit (and
the geometry of a small gauge), the findings with their fixes, the optional camera snapshot,
the invitation, the interviewer's checklist and the privacy statement. The renderers only lay
these out, so the HTML, the PDF and the text can never disagree about what the report says.
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from techcheck.app import demo
from techcheck.app.report import checklist, labels
from techcheck.checks import l10n, renamed
from techcheck.checks.i18n import N_, catalogue, translate
from techcheck.checks.measure import Measure, declared
from techcheck.checks.model import SCHEMA_ID, CheckResult, Finding, Metric, Report, Status, Verdict

log = logging.getLogger("techcheck.report")

#: The camera check stores an opt-in snapshot here (base64 JPEG); absent unless the user asked.
SNAPSHOT_KEY = "snapshot_jpeg_b64"
SNAPSHOT_MAX_BYTES = 512 * 1024

STATUS_WORD = {
    Status.PASS: N_("Passed"),
    Status.TIP: N_("Tip"),
    Status.WARN: N_("Warning"),
    Status.FAIL: N_("Failed"),
    Status.SKIPPED: N_("Skipped"),
    Status.ERROR: N_("Could not run"),
}
#: One word per verdict for the app's banner and every report format alike.
VERDICT_WORD = {
    Verdict.READY: N_("Ready for the interview"),
    Verdict.READY_WITH_WARNINGS: N_("Ready, with warnings"),
    Verdict.NOT_READY: N_("Not ready yet"),
    Verdict.DEMO: demo.WORD,
}
VERDICT_SENTENCE = {
    Verdict.READY: N_("Everything needed for the interview works."),
    Verdict.READY_WITH_WARNINGS: N_("The interview will work, but fix what is listed below."),
    Verdict.NOT_READY: N_("Fix what is listed below before the interview."),
    Verdict.DEMO: demo.SENTENCE,
}
#: The checks every interview needs. A report without some of them (``run --only``) must not
#: claim that "everything needed" works: it says what was not checked.
CORE_CHECKS = {
    "system": N_("Computer"),
    "camera": N_("Camera"),
    "microphone": N_("Microphone"),
    "speaker": N_("Speakers"),
    "network": N_("Internet connection"),
}
PARTIAL_SENTENCE = {
    Verdict.READY: N_("Everything that was checked works. Not checked: {names}."),
    Verdict.READY_WITH_WARNINGS: N_("What was checked will work, but fix what is listed below. "
                                    "Not checked: {names}."),
    Verdict.NOT_READY: N_("Fix what is listed below before the interview. Not checked: {names}."),
    Verdict.DEMO: demo.SENTENCE,  # says nothing about any device, checked or not
}
#: The word for a report that lacks some of CORE_CHECKS: "ready for the interview" would claim
#: what was not checked.
PARTIAL_WORD = {
    Verdict.READY: N_("Ready so far"),
    Verdict.READY_WITH_WARNINGS: N_("Ready so far, with warnings"),
    Verdict.NOT_READY: N_("Not ready yet"),
    Verdict.DEMO: demo.WORD,
}
#: An invitation whose interview time had passed when the run was made (issue 23): said on
#: the Start page, before the verdict's sentence on Results and in every report, with what to
#: do; "Ready for the interview" would then read as if the interview were still ahead.
PAST_INTERVIEW = N_("The interview time in this invitation has passed ({span} ago). Check the "
                    "date in the invitation, or ask {contact} for the new time.")
PAST_READY_WORD = N_("Ready, but the interview time has passed")
#: Verdicts map onto the status whose colour and icon they share. A demo run takes the
#: neutral, informative "i" of a tip: neither the pass colour of readiness nor an alarm.
VERDICT_STATUS = {
    Verdict.READY: Status.PASS,
    Verdict.READY_WITH_WARNINGS: Status.WARN,
    Verdict.NOT_READY: Status.FAIL,
    Verdict.DEMO: Status.TIP,
}
OP_SIGN = l10n.OP_SIGN
#: What each part of a gauge (the small bar next to a measured value) stands for: the key
#: printed above the checks in HTML and PDF, so that no bar is a grey shape to guess at.
GAUGE_KEY = {
    "value": N_("the measured value, in its status colour"),
    "limit": N_("the limit"),
    "bad": N_("outside the limit"),
    "band": N_("the range of good values"),
}


@dataclass
class Gauge:
    """A bar on a scale from ``lo`` to ``hi``: the value's position, the limit or the band of
    good values, all as fractions 0..1 of the bar's width, and which side of the limit is good."""

    value: float
    limit: float | None = None
    band: tuple[float, float] | None = None
    higher_is_better: bool | None = None


@dataclass
class MetricRow:
    name: str
    label: str
    value: str  # formatted, with unit
    limit: str  # e.g. "≥ 1,024 MiB"; empty when the metric is not graded
    status: Status | None
    status_word: str
    gauge: Gauge | None = None


@dataclass
class FindingRow:
    code: str
    status: Status
    status_word: str
    message: str
    fix: str
    check_title: str
    measured: str = ""  # "3.2 Mbit/s (limit ≥ 5 Mbit/s)"


@dataclass
class CheckSection:
    id: str
    title: str
    status: Status
    status_word: str
    duration: str
    metrics: list[MetricRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    note: str = ""  # why it could not run or was skipped
    snapshot_jpeg: bytes | None = None


@dataclass
class Fact:
    label: str
    value: str


@dataclass
class ChecklistRow:
    label: str
    done: bool
    word: str


@dataclass
class ReportView:
    lang: str
    title: str
    verdict: Verdict
    verdict_status: Status
    verdict_word: str
    verdict_sentence: str
    not_checked: list[str]  # titles of core checks the report does not contain
    counts: list[tuple[Status, str]]  # (status, "Passed: 3") for the statuses that occur
    facts: list[Fact]
    machine: list[Fact]
    invitation: list[Fact]
    invitation_title: str
    to_fix: list[FindingRow]
    checks: list[CheckSection]
    checklist: list[ChecklistRow]
    privacy: list[str]
    footer: str
    labels: dict[str, str]  # the fixed words renderers need, translated


def t(text: str, lang: str, **params: Any) -> str:
    return translate(text, lang, params or None)


# --- formatting -------------------------------------------------------------------------------


# One path for every surface: numbers, quantities, dates and lengths of time come from
# techcheck.checks.l10n (CLDR data through Babel), which the app uses as well.
number = l10n.number
quantity = l10n.quantity
when = l10n.when
span = l10n.span


def limit_text(op: str | None, threshold: Any, unit: str, lang: str,
               decimals: int | None = None, value: Any = None) -> str:
    """A metric's limit in every format (``l10n.limit``, the app's path too)."""
    return l10n.limit(op, threshold, unit, lang, decimals, value)


def decimals_of(check_id: str, name: str) -> int | None:
    """The precision a built-in check declares for a metric (``Measure.decimals``); None for a
    plug-in's metric or one declared without it (a sensible precision is picked)."""
    decl = declared(check_id).get(renamed.metric_name(name))
    return decl.decimals if decl is not None else None


@dataclass(frozen=True)
class Shown:
    """A measured value and its limit as a person reads them (``Measure.shown``: a fraction
    as a percentage, a size with "×", a recorded word as its text), with the precision its
    measure declares. The report file keeps them as measured."""

    value: Any
    threshold: Any
    unit: str
    decimals: int | None


def shown(measure: Measure | None, value: Any, threshold: Any, unit: str) -> Shown:
    if measure is None:
        return Shown(value, threshold, unit, None)
    v, shown_unit = measure.shown(value, unit)
    thr, _ = measure.shown(threshold, unit)
    return Shown(v, thr, shown_unit, measure.decimals)


def shown_metric(check_id: str, name: str, value: Any, threshold: Any = None,
                 unit: str = "") -> Shown:
    """A metric's value and limit as every surface writes them (the report's rows, the
    Details page, the comparison of two reports)."""
    return shown(declared(check_id).get(renamed.metric_name(name)), value, threshold, unit)


def measure_of_finding(check_id: str, f: Finding) -> Measure | None:
    """The declared measure a finding quotes: the one whose side gives its code with its
    message (two measures share "camera.busy_background"; only the clutter is a fraction),
    else the first with its code."""
    first = None
    for m in declared(check_id).values():
        for side, _ in m.sides():
            if side.code != f.code:
                continue
            if f.message == side.message or any(f.message == msg for _, msg, _ in side.variants):
                return m
            first = first or m
    return first


def english(text: str, lang: str) -> str:
    """The English template behind ``text`` when a report saved in ``lang`` stored it translated
    (check titles are stored translated), so it can be shown in another language."""
    if lang == "en" or not text:
        return text
    for en, tr in catalogue(lang).items():
        if tr == text:
            return en
    return text


# --- gauges -----------------------------------------------------------------------------------


def direction(metric: Metric, finding: Finding | None = None) -> bool | None:
    """Whether higher values are better: the metric's own comparison (``op``), which every graded
    metric carries. ``None`` for a band or an equality, and when it cannot be told.

    Reports saved before metrics carried ``op`` (``techcheck.report/1`` files from app versions
    up to 1.x, docs/report-format.md) are inferred, for those only: from the operator of
    ``finding`` (the caller's best match for the metric) or else from how the value was graded
    against the limit."""
    if metric.op is not None:
        return True if metric.op in (">=", ">") else False if metric.op in ("<=", "<") else None
    if finding is not None and finding.op in (">=", ">"):
        return True
    if finding is not None and finding.op in ("<=", "<"):
        return False
    v, thr = metric.value, metric.threshold
    if not _is_num(v) or not _is_num(thr) or metric.status is None or v == thr:
        return None
    good = metric.status is Status.PASS
    return (v > thr) == good  # type: ignore[operator]


def gauge(metric: Metric, higher_is_better: bool | None) -> Gauge | None:
    """The bar for a numeric metric with a numeric limit or band; ``None`` for other metrics."""
    v, thr = metric.value, metric.threshold
    if not _is_num(v):
        return None
    v = float(v)  # type: ignore[arg-type]
    if isinstance(thr, list | tuple) and len(thr) == 2 and all(_is_num(x) for x in thr):
        a, b = sorted(float(x) for x in thr)
        pad = (b - a) * 0.6 or 1.0
        lo, hi = min(a, v) - pad, max(b, v) + pad
        if a >= 0 and v >= 0:
            lo = max(0.0, lo)
        return Gauge(_frac(v, lo, hi), band=(_frac(a, lo, hi), _frac(b, lo, hi)))
    if not _is_num(thr):
        return None
    limit = float(thr)  # type: ignore[arg-type]
    if metric.unit == "%" and 0 <= v <= 100 and 0 <= limit <= 100:
        lo, hi = 0.0, 100.0
    elif v >= 0 and limit >= 0:
        lo, hi = 0.0, max(v, limit) * 1.25 or 1.0
    else:
        pad = max(abs(v - limit), abs(limit) * 0.25, 1.0) * 0.6
        lo, hi = min(v, limit) - pad, max(v, limit) + pad
    return Gauge(_frac(v, lo, hi), _frac(limit, lo, hi), higher_is_better=higher_is_better)


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _frac(x: float, lo: float, hi: float) -> float:
    return min(1.0, max(0.0, (x - lo) / (hi - lo))) if hi > lo else 0.5


# --- building the view --------------------------------------------------------------------------


def build(report: Report, lang: str | None = None) -> ReportView:
    lang = lang or report.lang
    verdict = report.verdict
    vstatus = VERDICT_STATUS[verdict]
    sections = [check_section(c, report.lang, lang) for c in report.checks]
    to_fix = sorted(
        (f for s in sections for f in s.findings if f.status is not Status.PASS),
        key=lambda f: -f.status.severity,
    )
    to_fix += [
        FindingRow(f"{s.id}.not_run", s.status, s.status_word, s.note or s.status_word, "",
                   s.title)
        for s in sections
        if s.status is Status.ERROR and not s.findings
    ]
    counts = []
    for st in (Status.PASS, Status.WARN, Status.FAIL, Status.ERROR, Status.SKIPPED):
        n = sum(1 for c in report.checks if c.status is st)
        if n:
            counts.append((st, f"{t(STATUS_WORD[st], lang)}: {n}"))

    profile_title = t(str(report.profile.get("title") or report.profile.get("name") or "?"), lang)
    facts = [
        Fact(t(N_("Profile"), lang), profile_title),
        Fact(t(N_("Checked"), lang), when(report.created, lang)),
    ]
    inv = report.extra.get("invitation")
    invitation, inv_title = _invitation(inv, report.created, lang) if isinstance(inv, dict) else (
        [], "")
    has_snapshot = any(s.snapshot_jpeg for s in sections)
    ran = {c.id for c in report.checks}
    not_checked = [t(title, lang) for cid, title in CORE_CHECKS.items() if cid not in ran]
    word, sentence = _verdict_texts(report, not_checked, lang)
    return ReportView(
        lang=lang,
        # a demo judged sample media: its report is not a readiness report
        title=t(N_("TechCheck demo report") if verdict is Verdict.DEMO
                else N_("TechCheck readiness report"), lang),
        verdict=verdict,
        verdict_status=vstatus,
        verdict_word=word,
        verdict_sentence=sentence,
        not_checked=not_checked,
        counts=counts,
        facts=facts,
        machine=_machine(report.machine, report.app_version, lang),
        invitation=invitation,
        invitation_title=inv_title,
        to_fix=to_fix,
        checks=sections,
        checklist=_checklist(report.extra.get("checklist"), lang),
        privacy=privacy(report, lang, has_snapshot),
        footer=t(N_("Made by TechCheck {version} on this computer · report format {schema}"),
                 lang, version=report.app_version or "?", schema=SCHEMA_ID),
        labels={k: t(v, lang) for k, v in {
            "summary": N_("Summary"), "to_fix": N_("What to fix"), "fix": N_("Fix"),
            "checks": N_("The checks"), "measured": N_("Measured"), "limit": N_("Limit"),
            "metric": N_("Measurement"), "status": N_("Status"), "computer": N_("Computer"),
            "privacy": N_("What this report holds"), "snapshot": N_("Camera picture"),
            "snapshot_note": N_("Included because you chose to add it."),
            "checklist": N_("Interviewer's preparation"), "nothing_to_fix":
            N_("Nothing to fix: every check passed."), "duration": N_("took {s}"),
            "findings": N_("Findings"), "page": N_("Page {n} of {total}"),
            # the bars' column and their key (GAUGE_KEY): no bar is left to be guessed
            "gauge": N_("Against the limit"), "gauge_key": N_("How to read the bars:"),
            **{f"gauge_{k}": text for k, text in GAUGE_KEY.items()},
        }.items()},
    )


def check_section(c: CheckResult, saved_lang: str, lang: str) -> CheckSection:
    """One check as every renderer shows it (metric values, limits with their operator, status
    words, findings); the GUI's details page uses it too, so no view words a limit its own way."""
    title = t(english(c.title, saved_lang), lang)
    word = t(STATUS_WORD[c.status], lang)
    metrics = []
    for name, m in c.metrics.items():
        op, hib = m.op, direction(m)
        if op is None and m.threshold is not None:  # saved before metrics carried their op
            op, hib = _legacy_op(c.id, name, m, c.findings)
        s = shown_metric(c.id, name, m.value, m.threshold, m.unit)
        metrics.append(MetricRow(
            name=name,
            label=t(labels.metric_label(c.id, name), lang),
            value=quantity(s.value, s.unit, lang, s.decimals),
            limit=limit_text(op if op != "between" and not isinstance(m.threshold, list)
                             else None, s.threshold, s.unit, lang, s.decimals, s.value),
            status=m.status,
            status_word=t(STATUS_WORD[m.status], lang) if m.status else "",
            gauge=gauge(m, hib),
        ))
    findings = [_finding(f, title, lang, c.id) for f in c.findings]
    note = ""
    if c.error:
        note = t(c.error, lang)
    elif c.status is Status.SKIPPED and not c.findings:
        note = t(N_("This check was not run."), lang)
    return CheckSection(
        id=c.id, title=title, status=c.status, status_word=word,
        duration=t(N_("took {s}"), lang, s=f"{number(c.duration_s, lang, 1)}\u00a0s"),
        metrics=metrics, findings=findings, note=note,
        snapshot_jpeg=snapshot(c),
    )


def _legacy_op(check_id: str, name: str, m: Metric,
               findings: list[Finding]) -> tuple[str | None, bool | None]:
    """The comparison of a metric from a report saved before metrics carried it: the side its
    declaration says is good (a one-sided measure of a built-in check), else the operator of
    the finding with the same value and unit, or else the side the graded status implies.
    Only old files take this path (docs/report-format.md); new metrics say it themselves."""
    decl = declared(check_id).get(renamed.metric_name(name))
    if decl is not None and decl.pass_op in (">=", "<=") and not isinstance(m.threshold, list):
        return decl.pass_op, decl.pass_op == ">="
    f = {(f.value, f.unit): f for f in findings}.get((m.value, m.unit))
    hib = direction(m, f)
    if f is not None and f.op:
        return f.op, hib
    return (None if hib is None else ">=" if hib else "<="), hib


def _finding(f: Finding, check_title: str, lang: str, check_id: str = "") -> FindingRow:
    message = f.text(lang)
    measured = ""
    if isinstance(f.value, int | float) and not isinstance(f.value, bool):
        s = shown(measure_of_finding(check_id, f), f.value, f.threshold, f.unit)
        lim = limit_text(f.op if f.op != "between" else None, s.threshold, s.unit, lang,
                         s.decimals, s.value)
        if not _says(message, s.value, lang):  # most messages say the value; repeat it if not
            value = quantity(s.value, s.unit, lang, s.decimals)
            measured = (t(N_("measured {value}, limit {limit}"), lang, value=value, limit=lim)
                        if lim else t(N_("measured {value}"), lang, value=value))
    return FindingRow(
        code=f.code, status=f.status, status_word=t(STATUS_WORD[f.status], lang),
        message=message, fix=f.fix_text(lang), check_title=check_title, measured=measured,
    )


def _says(message: str, value: float, lang: str) -> bool:
    """Whether ``message`` already states ``value``, at the precision its template chose
    ("89 ms" for 88.8, "99 %" for 99.0): a repeat "(measured 88.8 ms)" says nothing new."""
    plain = message.replace("\u00a0", " ")
    for digits in (None, 0, 1, 2):
        written = number(value, lang, digits).replace("\u00a0", " ")
        for grouped in (written, written.replace(" ", "").replace(",", "")
                        if lang == "en" else written.replace(" ", "")):
            i = plain.find(grouped)
            while i >= 0:  # a whole number in the text, not the "9" of "19"
                before = plain[i - 1] if i else " "
                after = plain[i + len(grouped)] if i + len(grouped) < len(plain) else " "
                if not (before.isdigit() or before in ".,") and not after.isdigit() \
                        and not (after in ".," and plain[i + len(grouped) + 1:][:1].isdigit()):
                    return True
                i = plain.find(grouped, i + 1)
    return False


def snapshot(c: CheckResult) -> bytes | None:
    """The opt-in camera snapshot as JPEG bytes, or ``None`` when absent or not a small JPEG."""
    raw = c.details.get(SNAPSHOT_KEY)
    if not isinstance(raw, str) or not raw:
        return None
    if len(raw) > SNAPSHOT_MAX_BYTES * 4 // 3 + 8:
        log.warning("snapshot in %s is too large; left out", c.id)
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        log.warning("snapshot in %s is not base64; left out", c.id)
        return None
    if not data.startswith(b"\xff\xd8\xff"):
        log.warning("snapshot in %s is not a JPEG; left out", c.id)
        return None
    return data


def _verdict_texts(report: Report, not_checked: list[str], lang: str) -> tuple[str, str]:
    """The verdict's word and sentence: of a partial run when core checks did not run, and
    after the note that the invitation's interview time had passed when the run was made."""
    verdict = report.verdict
    sentence = t(VERDICT_SENTENCE[verdict], lang)
    word = t(VERDICT_WORD[verdict], lang)
    if not_checked:
        sentence = t(PARTIAL_SENTENCE[verdict], lang, names=", ".join(not_checked))
        word = t(PARTIAL_WORD[verdict], lang)
    if verdict is Verdict.DEMO:  # what stood in, and what was this computer's own
        sentence = t(demo.sentence_of(report.extra.get("demo")), lang)
    inv = report.extra.get("invitation")
    note = None
    if isinstance(inv, dict) and verdict is not Verdict.DEMO:
        try:
            note = past_interview(datetime.fromisoformat(str(inv.get("when"))),
                                  datetime.fromisoformat(report.created),
                                  str(inv.get("contact") or ""), lang)
        except (TypeError, ValueError):  # a report without the time (or not a time) says none
            note = None
    if note is not None:
        sentence = f"{note} {sentence}"
        if verdict is Verdict.READY and not not_checked:
            word = t(PAST_READY_WORD, lang)
    return word, sentence


def past_interview(interview: datetime, at: datetime, contact: str, lang: str) -> str | None:
    """``PAST_INTERVIEW`` when the invitation's ``interview`` time is before ``at`` (the run's
    time in a report, now on screen), else None."""
    left = (interview - at).total_seconds()
    if left >= 0:
        return None
    return t(PAST_INTERVIEW, lang, span=span(left, lang),
             contact=contact or t(N_("the person who invited you"), lang))


def _machine(m: dict[str, Any], version: str, lang: str) -> list[Fact]:
    rows = []
    if m.get("os"):
        arch = f" · {m['arch']}" if m.get("arch") else ""
        rows.append(Fact(t(N_("System"), lang), f"{m['os']}{arch}"))
    if m.get("cpu"):
        cores = ""
        if m.get("cpu_cores"):
            cores = " " + t(N_("({cores} cores, {threads} threads)"), lang,
                            cores=m["cpu_cores"], threads=m.get("cpu_threads") or m["cpu_cores"])
        rows.append(Fact(t(N_("Processor"), lang), f"{m['cpu']}{cores}"))
    if isinstance(m.get("memory_gb"), int | float):
        rows.append(Fact(t(N_("Memory"), lang), quantity(float(m["memory_gb"]), "GiB", lang)))
    rows.append(Fact("TechCheck", version or "?"))
    return rows


def _invitation(inv: dict[str, Any], created: str, lang: str) -> tuple[list[Fact], str]:
    company = str(inv.get("company") or "")
    title = (t(N_("Invitation from {company}"), lang, company=company) if company
             else t(N_("Invitation"), lang))
    rows = []
    if inv.get("position"):
        rows.append(Fact(t(N_("Position"), lang), str(inv["position"])))
    if inv.get("when"):
        value = when(str(inv["when"]), lang)
        try:
            delta = (datetime.fromisoformat(str(inv["when"]))
                     - datetime.fromisoformat(created)).total_seconds()
            rel = (N_("checked {span} before the interview") if delta >= 0
                   else N_("checked {span} after the interview time"))
            value += " · " + t(rel, lang, span=span(delta, lang))
        except (TypeError, ValueError):
            pass
        rows.append(Fact(t(N_("Interview"), lang), value))
    if inv.get("contact"):
        rows.append(Fact(t(N_("Contact"), lang), str(inv["contact"])))
    if inv.get("server"):
        server = str(inv["server"])
        if inv.get("stun"):
            server += f" · STUN {inv['stun']}"
        rows.append(Fact(t(N_("Measurement server"), lang), server))
    if inv.get("note"):
        rows.append(Fact(t(N_("Note"), lang), str(inv["note"])))
    if inv.get("file"):
        digest = f" · SHA-256 {str(inv['sha256'])[:16]}" if inv.get("sha256") else ""
        rows.append(Fact(t(N_("Invitation file"), lang), f"{inv['file']}{digest}"))
    return rows, title


def _checklist(data: Any, lang: str) -> list[ChecklistRow]:
    return [
        ChecklistRow(t(item.label, lang), item.done,
                     t(N_("Done") if item.done else N_("Not done"), lang))
        for item in checklist.from_extra(data)
    ]


def privacy(report: Report, lang: str, has_snapshot: bool) -> list[str]:
    """Exactly what the report holds and what it does not, for the reader and the sender."""
    holds = [
        t(N_("the result of each check and the values it measured, with the limits they were "
             "held to"), lang),
        t(N_("a summary of the computer: operating system, processor and memory"), lang),
        t(N_("technical details for IT support, such as the names of the busiest programs and "
             "of network connections"), lang),
    ]
    if report.extra.get("invitation"):
        holds.append(t(N_("the invitation it was made for: company, contact and interview "
                          "time"), lang))
    if report.extra.get("checklist"):
        holds.append(t(N_("the interviewer's preparation checklist"), lang))
    if has_snapshot:
        holds.append(t(N_("one still picture from the camera, added because you asked for it"),
                       lang))
    lines = [t(N_("This report holds {items}."), lang, items="; ".join(holds))]
    lines.append(t(N_("It holds no name, user name, computer name or network address, no sound "
                      "and no video.") if has_snapshot else
                   N_("It holds no name, user name, computer name or network address, no "
                      "picture, no sound and no video."), lang))
    lines.append(t(N_("TechCheck made it on this computer and uploaded nothing: it goes only "
                      "where you send it."), lang))
    return lines
