"""What got better or worse between two runs, in plain words ("Upload fell from 12.1 to
2.3 Mbit/s"), for ``techcheck compare`` and for the GUI's "since last time" view.

A change is *worse* or *better* when a status got worse or better (the verdict, a check, a
finding, a graded metric), or when a graded metric moved by a noticeable amount towards or
away from its limit. Small wobbles (under 10 % of the value and 5 % of the limit) and changes
of ungraded numbers (core counts, totals) are left out: they are noise to the reader.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypeGuard

from techcheck.app.report import labels
from techcheck.app.report.view import (
    STATUS_WORD,
    VERDICT_WORD,
    direction,
    english,
    number,
    quantity,
    shown_metric,
    when,
)
from techcheck.checks import l10n
from techcheck.checks.i18n import N_, translate
from techcheck.checks.model import CheckResult, Metric, Report, Status

BETTER, WORSE, INFO = "better", "worse", "info"
#: Relative change of a graded metric below which it counts as unchanged.
MIN_CHANGE = 0.10
#: ... and as a fraction of its limit.
MIN_CHANGE_OF_LIMIT = 0.05


@dataclass
class Change:
    #: verdict, check, metric, finding_new, finding_resolved, finding, added, removed, profile
    kind: str
    direction: str  # better | worse | info
    text: str  # one translated sentence
    check: str = ""
    metric: str = ""
    code: str = ""
    old: Any = None
    new: Any = None
    unit: str = ""


@dataclass
class Comparison:
    old_created: str
    new_created: str
    lang: str
    changes: list[Change] = field(default_factory=list)

    @property
    def worse(self) -> list[Change]:
        return [c for c in self.changes if c.direction == WORSE]

    @property
    def better(self) -> list[Change]:
        return [c for c in self.changes if c.direction == BETTER]

    @property
    def other(self) -> list[Change]:
        return [c for c in self.changes if c.direction == INFO]

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old_created, "new": self.new_created, "lang": self.lang,
                "worse": len(self.worse), "better": len(self.better),
                "changes": [asdict(c) for c in self.changes]}


def _t(text: str, lang: str, **params: Any) -> str:
    return translate(text, lang, params or None)


def _status_word(st: Status, lang: str) -> str:
    return _t(STATUS_WORD[st], lang).lower()


def _by_severity(old: Status, new: Status) -> str:
    if new.severity == old.severity:
        return INFO
    return WORSE if new.severity > old.severity else BETTER


#: A demo run (sample media stood in for the devices) next to a run of the person's own
#: devices: any "better" or "worse" between them would compare the samples with the devices.
DEMO_SIDE = {
    (True, False): N_("The earlier run was a demo on sample media, so it cannot be compared with "
                      "this check of your own devices."),
    (False, True): N_("This run was a demo on sample media, so it cannot be compared with the "
                      "earlier check of your own devices. It says nothing about your own "
                      "devices."),
    (True, True): N_("Both runs were demos on sample media: they say nothing about your own "
                     "devices."),
}


def compare(old: Report, new: Report, lang: str = "en") -> Comparison:
    """Changes from ``old`` to ``new``: worse first, then better, then the rest. Where one
    side is a demo run the comparison is that sentence alone (``DEMO_SIDE``)."""
    out: list[Change] = []
    if old.demo or new.demo:
        out.append(Change("demo", INFO, _t(DEMO_SIDE[old.demo, new.demo], lang),
                          old=old.verdict.value, new=new.verdict.value))
        if old.demo is not new.demo:
            return Comparison(old.created, new.created, lang, out)
    if old.profile.get("name") != new.profile.get("name"):
        out.append(Change("profile", INFO, _t(
            N_("The runs used different profiles ({old} and {new}), so the limits may differ."),
            lang, old=_t(str(old.profile.get("title", "?")), lang),
            new=_t(str(new.profile.get("title", "?")), lang)),
            old=old.profile.get("name"), new=new.profile.get("name")))
    if old.verdict is not new.verdict:
        sev = {"ready": 0, "ready_with_warnings": 1, "not_ready": 2}
        d = WORSE if sev[new.verdict.value] > sev[old.verdict.value] else BETTER
        out.append(Change("verdict", d, _t(N_("Overall: now {new} (was {old})."), lang,
                                           new=_t(VERDICT_WORD[new.verdict], lang),
                                           old=_t(VERDICT_WORD[old.verdict], lang)),
                          old=old.verdict.value, new=new.verdict.value))
    olds = {c.id: c for c in old.checks}
    news = {c.id: c for c in new.checks}
    for cid, nc in news.items():
        title = _t(english(nc.title, new.lang), lang)
        oc = olds.get(cid)
        if oc is None:
            out.append(Change("added", INFO, _t(N_("{check} was not checked last time."), lang,
                                                check=title), check=cid))
            continue
        if oc.status is not nc.status:
            out.append(Change("check", _by_severity(oc.status, nc.status), _t(
                N_("{check}: now {new} (was {old})."), lang, check=title,
                new=_status_word(nc.status, lang), old=_status_word(oc.status, lang)),
                check=cid, old=oc.status.value, new=nc.status.value))
        out += _metrics(oc, nc, lang)
        out += _findings(oc, nc, old.lang, lang)
    for cid, oc in olds.items():
        if cid not in news:
            out.append(Change("removed", INFO, _t(N_("{check} was not checked this time."),
                                                  lang, check=_t(english(oc.title, old.lang),
                                                                 lang)), check=cid))
    order = {WORSE: 0, BETTER: 1, INFO: 2}
    out.sort(key=lambda c: order[c.direction])  # stable: keeps check order within a group
    return Comparison(old.created, new.created, lang, out)


def _num(x: Any) -> TypeGuard[int | float]:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _metrics(oc: CheckResult, nc: CheckResult, lang: str) -> list[Change]:
    out = []
    for name, nm in nc.metrics.items():
        om = oc.metrics.get(name)
        if om is None or om.value == nm.value:
            continue
        label = _t(labels.metric_label(nc.id, name), lang)
        if _num(om.value) and _num(nm.value):
            change = _numeric(nc.id, name, label, om, nm, lang)
            if change:
                out.append(change)
        elif om.unit == nm.unit:
            d = (_by_severity(om.status, nm.status) if om.status and nm.status else INFO)
            old, new = (shown_metric(nc.id, name, x.value, None, x.unit) for x in (om, nm))
            out.append(Change("metric", d, _t(N_("{metric} changed from {old} to {new}."), lang,
                                              metric=label,
                                              old=quantity(old.value, old.unit, lang, old.decimals),
                                              new=quantity(new.value, new.unit, lang,
                                                           new.decimals)),
                              check=nc.id, metric=name, old=om.value, new=nm.value,
                              unit=nm.unit))
    return out


def _numeric(check: str, name: str, label: str, om: Metric, nm: Metric,
             lang: str) -> Change | None:
    ov, nv = float(om.value), float(nm.value)  # type: ignore[arg-type]
    if om.unit != nm.unit:
        return None
    graded = om.status is not None and nm.status is not None
    if graded and om.status is not nm.status:
        d = _by_severity(om.status, nm.status)  # type: ignore[arg-type]
    else:
        hib = direction(nm) if direction(nm) is not None else direction(om)
        if not graded or hib is None:
            return None
        delta = abs(nv - ov)
        thr = nm.threshold if _num(nm.threshold) else None
        if delta < MIN_CHANGE * max(abs(ov), abs(nv)) or (
                thr is not None and delta < MIN_CHANGE_OF_LIMIT * abs(float(thr))):
            return None
        d = BETTER if (nv > ov) == hib else WORSE
    template = N_("{metric} rose from {old} to {new}.") if nv > ov else N_(
        "{metric} fell from {old} to {new}.")
    old, new = (shown_metric(check, name, x, None, nm.unit) for x in (ov, nv))
    digits = _decimals(old.value, new.value) if new.decimals is None else new.decimals
    return Change("metric", d, _t(template, lang, metric=label,
                                  old=number(old.value, lang, digits),
                                  new=_with_unit(number(new.value, lang, digits), new.unit)),
                  check=check, metric=name, old=om.value, new=nm.value, unit=nm.unit)


def _decimals(a: float, b: float) -> int:
    """One precision for both numbers, so "12.1 to 2.3" and not "12 to 2.3"."""
    if float(a).is_integer() and float(b).is_integer():
        return 0
    m = min(abs(a), abs(b)) or max(abs(a), abs(b))
    return 0 if m >= 100 else 1 if m >= 1 else 2


def _with_unit(text: str, unit: str) -> str:
    return l10n.with_unit(text, unit)


def _findings(oc: CheckResult, nc: CheckResult, old_lang: str, lang: str) -> list[Change]:
    out = []
    olds = {f.code: f for f in oc.findings}
    news = {f.code: f for f in nc.findings}
    for code, nf in news.items():
        of = olds.get(code)
        if of is None:
            if nf.status is not Status.PASS:
                out.append(Change("finding_new", WORSE, _t(N_("New: {message}"), lang,
                                                           message=nf.text(lang)),
                                  check=nc.id, code=code, new=nf.status.value))
        elif of.status is not nf.status:
            out.append(Change("finding", _by_severity(of.status, nf.status), _t(
                N_("{message} (now {new}, was {old})"), lang, message=nf.text(lang),
                new=_status_word(nf.status, lang), old=_status_word(of.status, lang)),
                check=nc.id, code=code, old=of.status.value, new=nf.status.value))
    for code, of in olds.items():
        if code not in news and of.status is not Status.PASS:
            out.append(Change("finding_resolved", BETTER, _t(N_("Resolved: {message}"), lang,
                                                              message=of.text(lang)),
                              check=nc.id, code=code, old=of.status.value))
    return out


def render_text(c: Comparison) -> str:
    """The comparison as the CLI prints it."""
    lang = c.lang
    lines = [_t(N_("Compared with the run of {when}:"), lang, when=when(c.old_created, lang))]
    if not c.changes:
        lines.append(_t(N_("Nothing that matters has changed."), lang))
    for title, items, mark in ((N_("Worse"), c.worse, "✗"), (N_("Better"), c.better, "✓"),
                               (N_("Other changes"), c.other, "•")):
        if items:
            lines += ["", _t(title, lang) + ":"]
            lines += [f"  {mark} {ch.text}" for ch in items]
    return "\n".join(lines) + "\n"
