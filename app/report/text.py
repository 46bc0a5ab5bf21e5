"""The plain-text summary: what the CLI prints and what a candidate pastes into an email."""

from __future__ import annotations

from techcheck.app.report import view  # the same facts and sentences the HTML and PDF show
from techcheck.app.termtext import clean
from techcheck.checks.i18n import N_, translate
from techcheck.checks.model import Report, Status

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
        v.title,
        t("Profile: {name}", name=translate(report.profile.get("title", "?"), lang)),
        t("Created: {created}", created=view.when(report.created, lang)),
    ]
    if v.invitation_title:
        lines.append(f"{v.invitation_title}:")
        lines += [f"  {f.label}: {f.value}" for f in v.invitation if f.label and f.value]
    # The verdict in the view's words, as the HTML and the PDF say it (one source: a partial run
    # names what was not checked instead of claiming that everything needed works).
    lines += ["", f"{v.verdict_word.upper()}: {v.verdict_sentence}"]
    lines.append("")
    for c, s in zip(report.checks, v.checks, strict=True):
        mark = t(STATUS_MARK[c.status])
        lines.append(f"[{mark:^7}] {s.title}")
        if c.error:
            lines.append(f"          {s.note}")
        for f, row in zip(c.findings, s.findings, strict=True):
            if f.status is Status.PASS:
                continue
            lines.append(f"  - {t(STATUS_MARK[f.status])}: {row.message}")
            if row.fix:
                lines.append(f"    {v.labels['fix']}: {row.fix}")
    if v.checklist:
        lines += ["", v.labels["checklist"] + ":"]
        lines += [f"  [{'x' if r.done else ' '}] {r.label}" for r in v.checklist]
    # A report's strings can carry terminal control codes (OSC 52 writes the clipboard): the
    # text report is for terminals and text files alike, so it carries none (issue 21).
    return clean("\n".join(lines).replace("\u00a0", " ")) + "\n"
