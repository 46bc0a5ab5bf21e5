"""The HTML report: one self-contained file a candidate can mail and a recruiter can open anywhere.

Everything is inside the file: the CSS (``resources/templates/report.css``), the status icons
and the gauges as inline SVG, the optional camera snapshot as a ``data:`` URI. No scripts, no
fonts, no links to anything outside, and a Content-Security-Policy that forbids loading
anything if a future edit slips. Status is never shown by colour alone: an icon shape and a
word go with it. The layout prints on A4.
"""

from __future__ import annotations

import base64
from functools import cache
from html import escape
from string import Template

import resources
from app.report import view
from app.report.view import ChecklistRow, CheckSection, Fact, FindingRow, Gauge, MetricRow
from checks.model import Report, Status

#: Colours of the statuses (also in report.css, where the page uses them as CSS variables).
COLOUR = {
    Status.PASS: "#1a7f37", Status.WARN: "#bf8700", Status.FAIL: "#cf222e",
    Status.ERROR: "#8250df", Status.SKIPPED: "#59636e",
}
TINT = {
    Status.PASS: "#dafbe1", Status.WARN: "#fff8c5", Status.FAIL: "#ffebe9",
    Status.ERROR: "#fbefff", Status.SKIPPED: "#eff2f5",
}
_BANG = ('<path d="M10 6.2v5.3" stroke="#fff" stroke-width="2.3" stroke-linecap="round"/>'
         '<circle cx="10" cy="14.6" r="1.3" fill="#fff"/>')
#: One shape per status, so the icons differ for people who do not see the colours.
ICON_SHAPES = {
    Status.PASS: '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
                 '<path d="M5.6 10.4l3 3 5.8-6.6" fill="none" stroke="#fff" stroke-width="2.3" '
                 'stroke-linecap="round" stroke-linejoin="round"/>',
    Status.WARN: '<path d="M10 2.2L18.6 17.4H1.4z" fill="currentColor" stroke="currentColor" '
                 'stroke-width="1.6" stroke-linejoin="round"/>' + _BANG.replace("6.2", "7.4"),
    Status.FAIL: '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
                 '<path d="M6.6 6.6l6.8 6.8M13.4 6.6l-6.8 6.8" stroke="#fff" stroke-width="2.3" '
                 'stroke-linecap="round"/>',
    Status.ERROR: '<path d="M6.4 1h7.2L19 6.4v7.2L13.6 19H6.4L1 13.6V6.4z" fill="currentColor"/>'
                  + _BANG,
    Status.SKIPPED: '<circle cx="10" cy="10" r="8.1" fill="none" stroke="currentColor" '
                    'stroke-width="1.8"/><path d="M6 10h8" stroke="currentColor" '
                    'stroke-width="2.3" stroke-linecap="round"/>',
}
BOX_DONE = ('<rect x="1.5" y="1.5" width="17" height="17" rx="3" fill="#1a7f37"/>'
            '<path d="M5.6 10.4l3 3 5.8-6.6" fill="none" stroke="#fff" stroke-width="2.3" '
            'stroke-linecap="round" stroke-linejoin="round"/>')
BOX_OPEN = ('<rect x="2" y="2" width="16" height="16" rx="3" fill="#fff" stroke="#59636e" '
            'stroke-width="1.6"/>')


@cache
def _template(name: str) -> str:
    return resources.path("templates", name).read_text(encoding="utf-8")


def render(report: Report, lang: str | None = None) -> str:
    v = view.build(report, lang)
    return Template(_template("report.html")).substitute(
        lang=v.lang,
        version=_e(report.app_version or "?"),
        title=_e(v.title),
        css=_template("report.css"),
        verdict_status=v.verdict_status.value,
        verdict_icon=icon(v.verdict_status, 52),
        verdict_word=_e(v.verdict_word),
        verdict_sentence=_e(v.verdict_sentence),
        demo_note=f'<p class="demo-note">{_e(v.demo_note)}</p>' if v.demo_note else "",
        counts="".join(f'<li>{icon(st, 14)}{_e(text)}</li>' for st, text in v.counts),
        facts=_facts(v.facts),
        machine=_facts(v.machine),
        invitation=_invitation(v.invitation_title, v.invitation),
        to_fix_title=_e(v.labels["to_fix"]),
        to_fix=_to_fix(v.to_fix, v.labels),
        checks_title=_e(v.labels["checks"]),
        checks="\n".join(_check(c, v.labels) for c in v.checks),
        checklist=_checklist(v.checklist, v.labels["checklist"]),
        privacy_title=_e(v.labels["privacy"]),
        privacy="".join(f"<p>{_e(p)}</p>" for p in v.privacy),
        footer=_e(v.footer),
    )


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def icon(status: Status, size: int = 18) -> str:
    """The status icon as inline SVG; decorative, because the status word is always beside it."""
    return (f'<svg class="icon st-{status.value}" width="{size}" height="{size}" '
            f'viewBox="0 0 20 20" aria-hidden="true" focusable="false">'
            f'{ICON_SHAPES[status]}</svg>')


def _badge(status: Status, word: str) -> str:
    return f'<span class="badge st-{status.value}">{icon(status, 15)}{_e(word)}</span>'


def _facts(facts: list[Fact]) -> str:
    return "".join(f"<dt>{_e(f.label)}</dt><dd>{_e(f.value)}</dd>" for f in facts)


def _invitation(title: str, facts: list[Fact]) -> str:
    if not facts and not title:
        return ""
    return (f'<section class="invitation"><h2>{_e(title)}</h2><dl>{_facts(facts)}</dl>'
            f"</section>")


def _fix_item(f: FindingRow, labels: dict[str, str], where: bool) -> str:
    """A finding; in the list of what to fix (``where``) with its check and its fix."""
    head = f'<span class="where">{_e(f.check_title)} · </span>' if where else ""
    measured = f' <span class="measured">({_e(f.measured)})</span>' if f.measured else ""
    fix = (f'<p class="fix"><b>{_e(labels["fix"])}:</b> {_e(f.fix)}</p>'
           if f.fix and where else "")
    return (f"<li>{icon(f.status, 18)}<div><p>{head}<b>{_e(f.status_word)}:</b> "
            f"{_e(f.message)}{measured}</p>{fix}</div></li>")


def _to_fix(rows: list[FindingRow], labels: dict[str, str]) -> str:
    if not rows:
        return f'<p class="ok-line">{icon(Status.PASS, 18)}{_e(labels["nothing_to_fix"])}</p>'
    return ('<ol class="fix-list">' + "".join(_fix_item(f, labels, True) for f in rows)
            + "</ol>")


def _check(c: CheckSection, labels: dict[str, str]) -> str:
    parts = [
        f'<article class="check" id="check-{_e(c.id)}">',
        f'<div class="check-head">{icon(c.status, 22)}<h3>{_e(c.title)}</h3>'
        f'<span class="took">{_e(c.duration)}</span>{_badge(c.status, c.status_word)}</div>',
    ]
    if c.note:
        parts.append(f'<p class="note">{_e(c.note)}</p>')
    if c.metrics:
        parts.append(
            '<table class="metrics"><thead><tr>'
            f'<th scope="col">{_e(labels["metric"])}</th><th scope="col">{_e(labels["measured"])}'
            f'</th><th scope="col">{_e(labels["limit"])}</th><th scope="col"></th>'
            f'<th scope="col">{_e(labels["status"])}</th></tr></thead><tbody>'
            + "".join(_metric(m) for m in c.metrics)
            + "</tbody></table>"
        )
    shown = [f for f in c.findings if f.status is not Status.PASS] or c.findings
    if shown:
        parts.append('<ul class="findings">'
                     + "".join(_fix_item(f, labels, False) for f in shown) + "</ul>")
    if c.snapshot_jpeg:
        data = base64.b64encode(c.snapshot_jpeg).decode("ascii")
        parts.append(
            f'<figure class="snapshot"><img src="data:image/jpeg;base64,{data}" '
            f'alt="{_e(labels["snapshot"])}"><figcaption><b>{_e(labels["snapshot"])}</b><br>'
            f'{_e(labels["snapshot_note"])}</figcaption></figure>'
        )
    parts.append("</article>")
    return "\n".join(parts)


def _metric(m: MetricRow) -> str:
    st = (f'{icon(m.status, 14)} {_e(m.status_word)}' if m.status else "")
    bar = gauge_svg(m.gauge, m.status, f"{m.label}: {m.value}"
                    + (f" ({m.limit})" if m.limit else "")) if m.gauge else ""
    return (f"<tr><td>{_e(m.label)}</td><td class=\"num\">{_e(m.value)}</td>"
            f"<td class=\"num\">{_e(m.limit)}</td><td class=\"bar\">{bar}</td>"
            f"<td class=\"st st-{m.status.value if m.status else 'none'}\">{st}</td></tr>")


def gauge_svg(g: Gauge, status: Status | None, label: str, width: int = 150) -> str:
    """A small bar: the measured value against its limit, the bad side of the limit tinted;
    or a dot on a scale with the band of good values tinted."""
    w, h, y, bh = width, 18, 5, 8
    colour = COLOUR.get(status, "#8c959f") if status else "#8c959f"
    out = [f'<svg class="gauge" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="{_e(label)}">',
           f'<rect x="0" y="{y}" width="{w}" height="{bh}" rx="4" fill="#eef1f4"/>']
    x = round(g.value * w, 1)
    if g.band is not None:
        a, b = (round(f * w, 1) for f in g.band)
        out.append(f'<rect x="{a}" y="{y}" width="{max(b - a, 1)}" height="{bh}" fill="#aceebb"/>')
        out.append(f'<circle cx="{min(max(x, 5), w - 5)}" cy="{y + bh / 2}" r="5" '
                   f'fill="{colour}" stroke="#fff" stroke-width="1.5"/>')
    else:
        if g.limit is not None and g.higher_is_better is not None:
            lx = round(g.limit * w, 1)
            bx, bw = (0, lx) if g.higher_is_better else (lx, w - lx)
            out.append(f'<rect x="{bx}" y="{y}" width="{bw}" height="{bh}" fill="#ffd8d3"/>')
        out.append(f'<rect x="0" y="{y}" width="{max(x, 2)}" height="{bh}" rx="4" '
                   f'fill="{colour}"/>')
        if g.limit is not None:
            lx = min(max(round(g.limit * w, 1), 1), w - 1)
            out.append(f'<line x1="{lx}" y1="1" x2="{lx}" y2="{h - 1}" stroke="#1f2328" '
                       f'stroke-width="2"/>')
    out.append("</svg>")
    return "".join(out)


def _checklist(rows: list[ChecklistRow], title: str) -> str:
    if not rows:
        return ""
    items = "".join(
        f'<li><svg class="icon" width="18" height="18" viewBox="0 0 20 20" aria-hidden="true">'
        f'{BOX_DONE if r.done else BOX_OPEN}</svg>{_e(r.label)} '
        f'<span class="word">({_e(r.word)})</span></li>'
        for r in rows
    )
    return f'<section><h2>{_e(title)}</h2><ul class="checklist">{items}</ul></section>'
