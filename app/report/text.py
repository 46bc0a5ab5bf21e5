"""The plain-text summary: what the CLI prints and what a candidate pastes into an email."""

from __future__ import annotations

from app.report import view  # the same facts the HTML and PDF show
from checks.i18n import N_, translate
from checks.model import Report, Status, Verdict

VERDICT_TEXT = {
    Verdict.READY: N_("READY: everything needed for the interview works."),
    Verdict.READY_WITH_WARNINGS: N_("READY WITH WARNINGS: it will work, but fix what is listed."),
    Verdict.NOT_READY: N_("NOT READY: fix what is listed before the interview."),
}
STATUS_MARK = {
    Status.PASS: N_("PASS"), Status.TIP: N_("TIP"), Status.WARN: N_("WARN"), Status.FAIL: N_("FAIL"),
    Status.SKIPPED: N_("SKIPPED"), Status.ERROR: N_("ERROR"),
}


def render(report: Report, lang: str | None = None) -> str:
    lang = lang or report.lang

    def t(s: str, **kw) -> str:
        return translate(s, lang, kw or None)

    v = view.build(report, lang)
    lines = [
        t("TechCheck readiness report"),
        t("Profile: {name}", name=translate(report.profile.get("title", "?"), lang)),
        t("Created: {created}", created=view.when(report.created, lang)),
    ]
    if v.invitation_title:
        lines.append(f"{v.invitation_title}:")
        lines += [f"  {f.label}: {f.value}" for f in v.invitation if f.label and f.value]
    lines += ["", t(VERDICT_TEXT[report.verdict])]
    if v.demo_note:
        lines.append(v.demo_note)
    if v.not_checked:
        lines.append(t(N_("Not checked: {names}."), names=", ".join(v.not_checked)))
    lines.append("")
    for c in report.checks:
        mark = t(STATUS_MARK[c.status])
        lines.append(f"[{mark:^7}] {t(c.title)}")
        if c.error:
            lines.append(f"          {t(c.error)}")
        for f in c.findings:
            if f.status is Status.PASS:
                continue
            lines.append(f"  - {t(STATUS_MARK[f.status])}: {f.text(lang)}")
            if f.fix:
                lines.append(f"    {t('Fix')}: {f.fix_text(lang)}")
    if v.checklist:
        lines += ["", v.labels["checklist"] + ":"]
        lines += [f"  [{'x' if r.done else ' '}] {r.label}" for r in v.checklist]
    return "\n".join(lines).replace("\u00a0", " ") + "\n"
