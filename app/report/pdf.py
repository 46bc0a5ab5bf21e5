"""The PDF report: the same content as the HTML one, laid out for A4 paper.

Drawn with fpdf2 (pure Python, no Qt, no browser: it works in a headless CLI, in CI and in a
frozen app) using the bundled DejaVu Sans, so å, ä, ö, ≤, ≥ and − render on every system.
Icons and gauges are vector shapes, the status word is always printed next to the icon, and
the text stays selectable (``pdftotext`` reads it back, which the tests rely on).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from techcheck import resources
from techcheck.app import brand as branding
from techcheck.app.atomicfile import write_atomic
from techcheck.app.brand import Brand
from techcheck.app.report import view
from techcheck.app.report.view import CheckSection, Fact, FindingRow, Gauge, MetricRow, ReportView
from techcheck.checks.i18n import N_, shorten, translate
from techcheck.checks.model import Report, Status

log = logging.getLogger("techcheck.report")

FONT = "DejaVu"
RGB = tuple[int, int, int]


def _hex(h: str) -> RGB:
    return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)


INK, MUTED, LINE, WASH = _hex("#1f2328"), _hex("#59636e"), _hex("#d1d9e0"), _hex("#f6f8fa")
COLOUR = {
    Status.PASS: _hex("#1a7f37"), Status.WARN: _hex("#9a6700"), Status.FAIL: _hex("#cf222e"),
    Status.ERROR: _hex("#8250df"), Status.SKIPPED: _hex("#59636e"), Status.TIP: _hex("#0969da"),
}
ICON_COLOUR = {**COLOUR, Status.WARN: _hex("#bf8700")}
TINT = {
    Status.PASS: _hex("#dafbe1"), Status.WARN: _hex("#fff8c5"), Status.FAIL: _hex("#ffebe9"),
    Status.ERROR: _hex("#fbefff"), Status.SKIPPED: _hex("#eff2f5"), Status.TIP: _hex("#ddf4ff"),
}
WHITE: RGB = (255, 255, 255)


class _Doc(FPDF):
    def __init__(self, v: ReportView) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.v = v
        fonts = resources.path("fonts")
        self.add_font(FONT, "", fonts / "DejaVuSans.ttf")
        self.add_font(FONT, "B", fonts / "DejaVuSans-Bold.ttf")
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        page = self.v.labels["page"].format(n=self.page_no(), total="{nb}")
        self.cell(0, 4, f"{self.v.title} · {self.v.verdict_word}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, page, align="R")

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin


#: fpdf2 lays out about 10,000 characters of wrapped text a second here (its line breaking
#: measures each line again for every character added), so the PDF holds at most this many
#: characters of finding texts, each at most ``PDF_FIELD`` long; the rest is named in one line
#: pointing to the HTML and JSON reports, which hold everything. Limits: docs/input-limits.md.
PDF_BUDGET = 10_000
PDF_FIELD = 600
PDF_FACT = 300
PDF_METRICS = 120
MORE_METRICS = N_("…and {n} more measurements, left out of the PDF to keep it short: the HTML "
                  "and JSON reports have them all.")
MORE = N_("…and {n} more findings, left out of the PDF to keep it short: the HTML and JSON "
          "reports have them all.")


def _within_budget(v: ReportView) -> ReportView:
    """``v`` with long texts shortened and findings beyond ``PDF_BUDGET`` left out."""
    def short(text: str, limit: int = PDF_FIELD) -> str:
        return shorten(text, limit, v.lang)

    budget = [PDF_BUDGET]
    left_out = [0]

    def fit(rows: list[FindingRow]) -> list[FindingRow]:
        kept = []
        for f in rows:
            f = replace(f, message=short(f.message), fix=short(f.fix), measured=short(
                f.measured, 200), check_title=short(f.check_title, 200))
            cost = len(f.message) + len(f.fix) + len(f.measured) + 50
            if cost > budget[0]:
                left_out[0] += 1
                continue
            budget[0] -= cost
            kept.append(f)
        return kept

    def facts(rows: list[Fact]) -> list[Fact]:
        return [Fact(short(f.label, 100), short(f.value, PDF_FACT)) for f in rows]

    rows = [PDF_METRICS]

    def metrics(ms: list[MetricRow]) -> list[MetricRow]:
        kept = ms[: max(0, rows[0])]
        rows[0] -= len(ms)
        return kept

    to_fix = fit(v.to_fix)
    checks = [replace(c, title=short(c.title, 200), note=short(c.note), findings=fit(c.findings),
                      metrics=metrics(c.metrics)) for c in v.checks]
    labels = dict(v.labels)
    more = []
    if left_out[0]:
        more.append(translate(MORE, v.lang, {"n": left_out[0]}))
    if rows[0] < 0:
        more.append(translate(MORE_METRICS, v.lang, {"n": -rows[0]}))
    if more:
        labels["more"] = "\n".join(more)
    return replace(v, labels=labels, to_fix=to_fix, checks=checks, facts=facts(v.facts),
                   machine=facts(v.machine), invitation=facts(v.invitation),
                   invitation_title=short(v.invitation_title, 200),
                   checklist=[replace(r, label=short(r.label, 200)) for r in v.checklist])


def render(report: Report, lang: str | None = None) -> bytes:
    v = _within_budget(view.build(report, lang))
    pdf = _Doc(v)
    pdf.set_title(f"{v.title} — {v.verdict_word}")
    pdf.set_author("TechCheck")
    pdf.set_creator(f"TechCheck {report.app_version}")
    pdf.set_lang(v.lang)
    with contextlib.suppress(TypeError, ValueError):  # a damaged date is not worth failing for
        pdf.set_creation_date(datetime.fromisoformat(report.created))
    pdf.add_page()
    _header(pdf, v, branding.from_report(report))
    _verdict(pdf, v)
    _facts(pdf, v)
    if v.invitation:
        _invitation(pdf, v)
    _to_fix(pdf, v)
    _heading(pdf, v.labels["checks"])
    if any(c.metrics for c in v.checks):
        _gauge_key(pdf, v)
    for c in v.checks:
        _check(pdf, v, c)
    if v.checklist:
        _checklist(pdf, v)
    _privacy(pdf, v)
    return bytes(pdf.output())


def write(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    return write_atomic(path, render(report, lang))


# --- pieces -------------------------------------------------------------------------------------


def icon(pdf: FPDF, status: Status, x: float, y: float, size: float) -> None:
    """The status icon at (x, y) top-left: a distinct shape per status, white glyph inside."""
    r = size / 2
    cx, cy = x + r, y + r
    pdf.set_fill_color(*ICON_COLOUR[status])
    pdf.set_draw_color(*ICON_COLOUR[status])
    lw = max(0.25, size * 0.11)
    if status is Status.PASS:
        pdf.circle(cx, cy, r, style="F")
        _glyph(pdf, [(cx - r * .45, cy + r * .05), (cx - r * .12, cy + r * .38),
                     (cx + r * .48, cy - r * .32)], lw)
    elif status is Status.FAIL:
        pdf.circle(cx, cy, r, style="F")
        _glyph(pdf, [(cx - r * .38, cy - r * .38), (cx + r * .38, cy + r * .38)], lw)
        _glyph(pdf, [(cx + r * .38, cy - r * .38), (cx - r * .38, cy + r * .38)], lw)
    elif status is Status.WARN:
        pdf.polygon([(cx, y + size * .04), (x + size, y + size * .92), (x, y + size * .92)],
                    style="F")
        _bang(pdf, cx, y + size * .36, y + size * .62, y + size * .76, size, lw)
    elif status is Status.TIP:  # an "i" in a circle
        pdf.circle(cx, cy, r, style="F")
        _glyph(pdf, [(cx, cy - r * .1), (cx, cy + r * .5)], lw)
        pdf.set_fill_color(*WHITE)
        pdf.circle(cx, cy - r * .45, lw * .7, style="F")
    elif status is Status.ERROR:
        k = r * 0.41
        pdf.polygon([(cx - k, y), (cx + k, y), (x + size, cy - k), (x + size, cy + k),
                     (cx + k, y + size), (cx - k, y + size), (x, cy + k), (x, cy - k)], style="F")
        _bang(pdf, cx, y + size * .26, y + size * .58, y + size * .74, size, lw)
    else:
        pdf.set_line_width(size * .09)
        pdf.circle(cx, cy, r * .9, style="D")
        pdf.set_line_width(lw)
        pdf.line(cx - r * .4, cy, cx + r * .4, cy)
    pdf.set_line_width(0.2)


def _glyph(pdf: FPDF, points: list[tuple[float, float]], lw: float) -> None:
    pdf.set_draw_color(*WHITE)
    pdf.set_line_width(lw)
    with pdf.local_context(stroke_cap_style="ROUND", stroke_join_style="ROUND"):
        pdf.polyline(points)


def _bang(pdf: FPDF, cx: float, top: float, bottom: float, dot: float, size: float,
          lw: float) -> None:
    pdf.set_draw_color(*WHITE)
    pdf.set_fill_color(*WHITE)
    pdf.set_line_width(lw)
    with pdf.local_context(stroke_cap_style="ROUND"):
        pdf.line(cx, top, cx, bottom)
    pdf.circle(cx, dot + size * .03, size * .065, style="F")


def _height(pdf: FPDF, w: float, line_h: float, text: str) -> float:
    """How tall ``text`` wraps to in width ``w`` in the current font."""
    height = pdf.multi_cell(w, line_h, text, dry_run=True, output="HEIGHT", align="L")
    assert isinstance(height, int | float)  # what output="HEIGHT" gives
    return float(height)


def _text(pdf: FPDF, size: float, bold: bool = False, colour: RGB = INK) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)


def _header(pdf: _Doc, v: ReportView, brand: Brand | None = None) -> None:
    if brand is not None:
        _brand(pdf, brand)
    _text(pdf, 8, True, MUTED)
    pdf.cell(0, 4, "TECHCHECK", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    _text(pdf, 17, True)
    pdf.cell(0, 9, v.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    if brand is not None and brand.welcome:
        _text(pdf, 9.5)
        pdf.multi_cell(pdf.width, 5, brand.welcome, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    accent = brand.accent if brand is not None else ""
    pdf.set_draw_color(*(_hex(accent) if accent else LINE))
    pdf.set_line_width(0.8 if accent else 0.2)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + pdf.width, pdf.get_y() + 1)
    pdf.set_line_width(0.2)
    pdf.ln(5)


#: The logo's box in the PDF, in mm: as high as the organisation's name line and at most four
#: times as wide (the app's box has the same proportions, app/gui/widgets/brand.py).
LOGO_H, LOGO_W = 11.0, 44.0


def _brand(pdf: _Doc, brand: Brand) -> None:
    """The organisation's logo (PNG or SVG, already validated by app.brand) fitted into its
    ``LOGO_W`` × ``LOGO_H`` box and clipped to it, and the name beside it, above the report's
    own title. Clipped because an SVG may draw far outside its own viewBox (a PDF does not
    clip an image's paths by itself): a logo must not lay a "Verified ready" bar under the
    title or cover the What-to-fix list (issue 21)."""
    y, x = pdf.get_y(), pdf.l_margin
    if brand.logo:
        # fpdf2's SVG reader logs a warning for each element it does not draw (<title>,
        # <desc>): metadata, not part of the picture, and not the user's concern.
        logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
        try:
            w, h = _logo_size(brand.logo)
            with pdf.rect_clip(x, y, w, h):
                pdf.image(io.BytesIO(brand.logo), x=x, y=y, w=w, h=h)
            x += w + 4
        except Exception as exc:  # a logo fpdf2 cannot draw must not lose the whole PDF
            log.warning("cannot place the brand's logo: %s", exc)
    pdf.set_xy(x, y + 2)
    _text(pdf, 13, True, _hex(brand.text_colour))
    pdf.cell(0, 7, brand.name, align="L")
    pdf.set_xy(pdf.l_margin, y + 14)


def _logo_size(logo: bytes) -> tuple[float, float]:
    """The logo's width and height in mm once fitted into ``LOGO_W`` × ``LOGO_H`` with its
    proportions kept, as fpdf2 reads them (placed once at ``LOGO_H`` high on a page of its
    own, which is then dropped)."""
    probe = FPDF(unit="mm", format="A4")
    probe.add_page()
    info = probe.image(io.BytesIO(logo), x=0, y=0, h=LOGO_H)
    ratio = float(info.rendered_width) / LOGO_H
    if not ratio > 0:
        raise ValueError("the logo has no width")
    w = min(LOGO_W, LOGO_H * ratio)
    return w, w / ratio


def _verdict(pdf: _Doc, v: ReportView) -> None:
    st = v.verdict_status
    x, y, w = pdf.l_margin, pdf.get_y(), pdf.width
    _text(pdf, 11)
    sentence_h = _height(pdf, w - 30, 5.2, v.verdict_sentence)
    h = 8 + 10 + sentence_h + 8
    pdf.set_fill_color(*TINT[st])
    pdf.set_draw_color(*COLOUR[st])
    pdf.set_line_width(0.6)
    pdf.rect(x, y, w, h, style="DF", round_corners=True, corner_radius=3)
    pdf.set_line_width(0.2)
    icon(pdf, st, x + 6, y + (h - 14) / 2, 14)
    pdf.set_xy(x + 25, y + 4)
    _text(pdf, 20, True, COLOUR[st])
    pdf.cell(w - 30, 10, v.verdict_word, new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")
    _text(pdf, 11)
    pdf.multi_cell(w - 30, 5.2, v.verdict_sentence, new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")
    pdf.set_y(pdf.get_y() + 1.5)
    cx = x + 25
    _text(pdf, 8.5, False, INK)
    for status, text in v.counts:
        icon(pdf, status, cx, pdf.get_y() + 0.6, 3.2)
        pdf.set_x(cx + 4)
        tw = pdf.get_string_width(text)
        pdf.cell(tw + 5, 4.4, text)
        cx += tw + 9
    pdf.set_y(y + h + 5)


def _fact_rows(pdf: _Doc, facts: list[Fact], x: float, w: float, label_w: float) -> float:
    for f in facts:
        pdf.set_x(x)
        _text(pdf, 9, False, MUTED)
        y = pdf.get_y()
        pdf.cell(label_w, 5, f.label)
        _text(pdf, 9)
        pdf.multi_cell(w - label_w, 5, f.value, new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")
        pdf.set_y(max(pdf.get_y(), y + 5))
    return pdf.get_y()


def _label_width(pdf: _Doc, facts: list[Fact]) -> float:
    _text(pdf, 9)
    return max((pdf.get_string_width(f.label) for f in facts), default=10) + 4


def _facts(pdf: _Doc, v: ReportView) -> None:
    half = (pdf.width - 8) / 2
    y = pdf.get_y()
    left = _fact_rows(pdf, v.facts, pdf.l_margin, half, _label_width(pdf, v.facts))
    pdf.set_y(y)
    right = _fact_rows(pdf, v.machine, pdf.l_margin + half + 8, half,
                       _label_width(pdf, v.machine))
    pdf.set_y(max(left, right) + 3)


def _invitation(pdf: _Doc, v: ReportView) -> None:
    x, w = pdf.l_margin, pdf.width
    lw = _label_width(pdf, v.invitation)
    _text(pdf, 9)
    h = 6 + 6 + sum(max(5.0, _height(pdf, w - 8 - lw, 5, f.value)) for f in v.invitation) + 3
    if pdf.will_page_break(h):
        pdf.add_page()
    y = pdf.get_y()
    pdf.set_fill_color(*WASH)
    pdf.set_draw_color(*LINE)
    pdf.rect(x, y, w, h, style="DF", round_corners=True, corner_radius=2)
    pdf.set_xy(x + 4, y + 3)
    _text(pdf, 10.5, True)
    pdf.cell(w - 8, 6, v.invitation_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    _fact_rows(pdf, v.invitation, x + 4, w - 8, lw)
    pdf.set_y(y + h + 3)


def _heading(pdf: _Doc, text: str) -> None:
    if pdf.will_page_break(22):
        pdf.add_page()
    pdf.ln(2)
    _text(pdf, 13, True)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(1)


def _finding(pdf: _Doc, v: ReportView, f: FindingRow, where: bool, x: float, w: float,
             shade: bool) -> None:
    """One finding: icon, "<Status>: message (measured)", then, in the list of what to fix
    (``where``), its check and "Fix: …"."""
    head = (f"{f.check_title} · " if where else "") + f"{f.status_word}: "
    body = f.message + (f"  ({f.measured})" if f.measured else "")
    fix = f"{v.labels['fix']}: {f.fix}" if f.fix and where else ""
    tw = w - 10
    _text(pdf, 9.5)
    h = _height(pdf, tw, 4.8, head + body)
    if fix:
        h += 1 + _height(pdf, tw, 4.8, fix)
    h += 4
    if pdf.will_page_break(h):
        pdf.add_page()
    y = pdf.get_y()
    if shade:
        pdf.set_fill_color(*WASH)
        pdf.rect(x, y, w, h, style="F", round_corners=True, corner_radius=1.5)
    icon(pdf, f.status, x + 2, y + 2.3, 4.2)
    pdf.set_xy(x + 8, y + 2)
    _text(pdf, 9.5, True, COLOUR[f.status])
    pdf.write(4.8, head)
    _text(pdf, 9.5)
    # write() wraps at the right margin and returns to the left margin: narrow them for it.
    old = pdf.l_margin, pdf.r_margin
    pdf.set_left_margin(x + 8)
    pdf.set_right_margin(pdf.w - (x + w) + 2)
    pdf.write(4.8, f.message)
    if f.measured:
        _text(pdf, 8.5, False, MUTED)
        pdf.write(4.8, f"  ({f.measured})")
    pdf.ln(4.8)
    if fix:
        pdf.set_y(pdf.get_y() + 1)
        _text(pdf, 9.5, True)
        pdf.write(4.8, f"{v.labels['fix']}: ")
        _text(pdf, 9.5)
        pdf.write(4.8, f.fix)
        pdf.ln(4.8)
    pdf.set_left_margin(old[0])
    pdf.set_right_margin(old[1])
    pdf.set_y(y + h + (1.5 if shade else 0))


def _to_fix(pdf: _Doc, v: ReportView) -> None:
    _heading(pdf, v.labels["to_fix"])
    if not v.to_fix:
        icon(pdf, Status.PASS, pdf.l_margin, pdf.get_y() + 0.5, 4.5)
        pdf.set_x(pdf.l_margin + 7)
        _text(pdf, 10)
        pdf.cell(0, 5.5, v.labels["nothing_to_fix"], new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(2)
        return
    for i, f in enumerate(v.to_fix):
        if i:
            pdf.set_draw_color(*LINE)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.width, pdf.get_y())
        _finding(pdf, v, f, True, pdf.l_margin, pdf.width, False)
    if v.labels.get("more"):
        _text(pdf, 9.5, False, MUTED)
        pdf.multi_cell(pdf.width, 5, v.labels["more"], new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                       align="L")


COLS = (50.0, 30.0, 32.0, 38.0, 28.0)  # measurement, measured, limit, gauge, status = 178 mm
ROW_H = 5.4
LABEL_LINE_H = 4.2  # a wrapped measurement name's line (9 pt)
LABEL_LINES = 3


def _check(pdf: _Doc, v: ReportView, c: CheckSection) -> None:
    shown = [f for f in c.findings if f.status is not Status.PASS] or c.findings
    need = 14 + (7 + ROW_H * min(len(c.metrics), 6) if c.metrics else 0) + (
        14 if shown else 0)
    if pdf.will_page_break(need):
        pdf.add_page()
    x, w = pdf.l_margin, pdf.width
    y = pdf.get_y()
    pdf.set_draw_color(*LINE)
    pdf.line(x, y, x + w, y)
    icon(pdf, c.status, x, y + 2.6, 5.5)
    pdf.set_xy(x + 8, y + 2)
    _text(pdf, 12, True)
    pdf.cell(w - 70, 7, c.title)
    _badge(pdf, c.status, c.status_word, c.duration, x + w, y + 2.4)
    pdf.set_y(y + 10)
    if c.note:
        _text(pdf, 9.5, False, MUTED)
        pdf.multi_cell(w, 5, c.note, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(1)
    if c.metrics:
        _metrics(pdf, v, c.metrics)
    for f in shown:
        _finding(pdf, v, f, False, x, w, True)
    if c.snapshot_jpeg:
        _snapshot(pdf, v, c.snapshot_jpeg)
    pdf.ln(3)


def _badge(pdf: _Doc, status: Status, word: str, took: str, right: float, y: float) -> None:
    _text(pdf, 9, True, COLOUR[status])
    bw = pdf.get_string_width(word) + 10
    bx = right - bw
    pdf.set_fill_color(*TINT[status])
    pdf.rect(bx, y, bw, 6, style="F", round_corners=True, corner_radius=3)
    icon(pdf, status, bx + 1.6, y + 1.2, 3.6)
    pdf.set_xy(bx + 6, y)
    pdf.cell(bw - 6, 6, word)
    _text(pdf, 7.5, False, MUTED)
    tw = pdf.get_string_width(took)
    pdf.set_xy(bx - tw - 3, y)
    pdf.cell(tw, 6, took)


def _metrics(pdf: _Doc, v: ReportView, rows: list[MetricRow]) -> None:
    x = pdf.l_margin
    heads = (v.labels["metric"], v.labels["measured"], v.labels["limit"], v.labels["gauge"],
             v.labels["status"])
    _text(pdf, 7.5, True, MUTED)
    cx = x
    for head, cw in zip(heads, COLS, strict=True):
        pdf.set_xy(cx, pdf.get_y())
        pdf.cell(cw, 5, head)
        cx += cw
    pdf.ln(5)
    pdf.set_draw_color(*LINE)
    pdf.line(x, pdf.get_y(), x + sum(COLS), pdf.get_y())
    for m in rows:
        _text(pdf, 9)
        # a long measurement name wraps (a Swedish one is often longer than the column)
        # rather than being cut: the row grows, and the numbers stay on its first line
        label = _wrap(pdf, m.label, COLS[0] - 2, LABEL_LINES)
        row_h = max(ROW_H, len(label) * LABEL_LINE_H + (ROW_H - LABEL_LINE_H))
        if pdf.will_page_break(row_h):
            pdf.add_page()
            _text(pdf, 9)
        y = pdf.get_y()
        pdf.set_xy(x, y + (ROW_H - LABEL_LINE_H) / 2)
        pdf.multi_cell(COLS[0], LABEL_LINE_H, "\n".join(label), new_x=XPos.LEFT,
                       new_y=YPos.NEXT, align="L")
        pdf.set_xy(x + COLS[0], y)
        pdf.cell(COLS[1], ROW_H, _fit(pdf, m.value, COLS[1] - 2))
        pdf.cell(COLS[2], ROW_H, _fit(pdf, m.limit, COLS[2] - 2))
        gx = x + sum(COLS[:3])
        if m.gauge:
            gauge(pdf, m.gauge, m.status, gx, y + 1.3, COLS[3] - 6, 2.8)
        sx = gx + COLS[3]
        if m.status:
            icon(pdf, m.status, sx, y + 1.0, 3.4)
            _text(pdf, 8.5, False, COLOUR[m.status])
            pdf.set_xy(sx + 4.5, y)
            pdf.cell(COLS[4] - 4.5, ROW_H, _fit(pdf, m.status_word, COLS[4] - 5))
        pdf.set_y(y + row_h)
        pdf.set_draw_color(238, 241, 244)
        pdf.line(x, pdf.get_y(), x + sum(COLS), pdf.get_y())
    pdf.ln(1.5)


def _wrap(pdf: FPDF, text: str, width: float, max_lines: int) -> list[str]:
    """``text`` broken into lines that fit ``width`` in the current font, at most
    ``max_lines`` of them (the last shortened with an ellipsis when more would be needed)."""
    text = text[:PDF_FIELD]
    lines = pdf.multi_cell(width, LABEL_LINE_H, text, dry_run=True, output="LINES", align="L")
    assert isinstance(lines, list)  # what output="LINES" gives
    if len(lines) <= max_lines:
        return [str(line) for line in lines] or [""]
    kept = [str(line) for line in lines[:max_lines - 1]]
    rest = " ".join(str(line) for line in lines[max_lines - 1:])
    return [*kept, _fit(pdf, rest, width)]


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` in the current font."""
    text = text[:200]  # no table cell holds more; measuring is per character
    if pdf.get_string_width(text) <= width:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits, found in log(n) measurements
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pdf.get_string_width(text[:mid] + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def gauge(pdf: FPDF, g: Gauge, status: Status | None, x: float, y: float, w: float,
          h: float) -> None:
    colour = ICON_COLOUR[status] if status else (140, 149, 159)
    pdf.set_fill_color(238, 241, 244)
    pdf.rect(x, y, w, h, style="F", round_corners=True, corner_radius=h / 2)
    if g.band is not None:
        a, b = g.band
        pdf.set_fill_color(172, 238, 187)
        pdf.rect(x + a * w, y, max((b - a) * w, 0.3), h, style="F")
        pdf.set_fill_color(*colour)
        pdf.set_draw_color(*WHITE)
        pdf.set_line_width(0.4)
        pdf.circle(x + min(max(g.value * w, h * .6), w - h * .6), y + h / 2, h * .6, style="DF")
        pdf.set_line_width(0.2)
        return
    if g.limit is not None and g.higher_is_better is not None:
        lx = g.limit * w
        pdf.set_fill_color(255, 216, 211)
        if g.higher_is_better:
            pdf.rect(x, y, lx, h, style="F")
        else:
            pdf.rect(x + lx, y, w - lx, h, style="F")
    pdf.set_fill_color(*colour)
    pdf.rect(x, y, max(g.value * w, 0.6), h, style="F", round_corners=True,
             corner_radius=min(h / 2, max(g.value * w, 0.6) / 2))
    if g.limit is not None:
        lx = x + min(max(g.limit * w, 0.3), w - 0.3)
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.5)
        pdf.line(lx, y - 0.9, lx, y + h + 0.9)
        pdf.set_line_width(0.2)


def _gauge_key(pdf: _Doc, v: ReportView) -> None:
    """What the bars in the "against the limit" column stand for, drawn with the gauge's own
    colours, on one line (two when a language needs them)."""
    _text(pdf, 8.5, False, MUTED)
    x0, right, h, pad = pdf.l_margin, pdf.l_margin + pdf.width, 4.5, pdf.c_margin
    y = pdf.get_y()
    head = v.labels["gauge_key"]
    pdf.set_xy(x0 - pad, y)
    pdf.cell(pdf.get_string_width(head) + 2 * pad, h, head)
    x = x0 + pdf.get_string_width(head) + 3
    for part in ("value", "limit", "bad", "band"):
        label = v.labels[f"gauge_{part}"]
        sw = 1.0 if part == "limit" else 7.0  # the swatch's width
        need = sw + 1.5 + pdf.get_string_width(label) + 5
        if x + need > right:
            x, y = x0, y + h
        sy = y + h / 2 - 1.2
        if part == "value":
            pdf.set_fill_color(238, 241, 244)
            pdf.rect(x, sy, sw, 2.4, style="F", round_corners=True, corner_radius=1.2)
            pdf.set_fill_color(*ICON_COLOUR[Status.PASS])
            pdf.rect(x, sy, 4.5, 2.4, style="F", round_corners=True, corner_radius=1.2)
        elif part == "limit":
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.5)
            pdf.line(x + 0.5, sy - 0.9, x + 0.5, sy + 3.3)
            pdf.set_line_width(0.2)
        else:
            pdf.set_fill_color(*((255, 216, 211) if part == "bad" else (172, 238, 187)))
            pdf.rect(x, sy, sw, 2.4, style="F")
        pdf.set_xy(x + sw + 1.5 - pad, y)
        _text(pdf, 8.5, False, MUTED)
        pdf.cell(pdf.get_string_width(label) + 2 * pad, h, label)
        x += need
    pdf.set_xy(x0, y + h + 2)


def _snapshot(pdf: _Doc, v: ReportView, jpeg: bytes) -> None:
    w = 52
    if pdf.will_page_break(w * 0.75 + 4):
        pdf.add_page()
    y = pdf.get_y() + 2
    try:
        info = pdf.image(io.BytesIO(jpeg), x=pdf.l_margin, y=y, w=w)
    except Exception as exc:  # a damaged picture must not lose the whole PDF
        log.warning("cannot place the camera snapshot: %s", exc)
        return
    pdf.set_xy(pdf.l_margin + w + 4, y + float(info.rendered_height) - 9)
    _text(pdf, 9, True)
    pdf.cell(0, 4.5, v.labels["snapshot"], new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")
    _text(pdf, 8.5, False, MUTED)
    pdf.cell(0, 4.5, v.labels["snapshot_note"])
    pdf.set_y(y + float(info.rendered_height) + 2)


def _checklist(pdf: _Doc, v: ReportView) -> None:
    _heading(pdf, v.labels["checklist"])
    for row in v.checklist:
        y = pdf.get_y()
        x = pdf.l_margin
        if row.done:
            pdf.set_fill_color(*COLOUR[Status.PASS])
            pdf.rect(x, y + 0.8, 4, 4, style="F", round_corners=True, corner_radius=0.8)
            _glyph(pdf, [(x + .9, y + 2.9), (x + 1.8, y + 3.8), (x + 3.2, y + 1.8)], 0.5)
        else:
            pdf.set_draw_color(*MUTED)
            pdf.set_line_width(0.35)
            pdf.rect(x + .2, y + 1, 3.6, 3.6, style="D", round_corners=True, corner_radius=0.8)
        pdf.set_line_width(0.2)
        pdf.set_xy(x + 6.5, y)
        _text(pdf, 9.5)
        pdf.write(5.6, row.label + " ")
        _text(pdf, 8.5, False, MUTED)
        pdf.write(5.6, f"({row.word})")
        pdf.ln(5.6)


def _privacy(pdf: _Doc, v: ReportView) -> None:
    _text(pdf, 8.5)
    h = 12 + sum(_height(pdf, pdf.width, 4.2, p)
                 for p in v.privacy) + 8
    if pdf.will_page_break(h):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_draw_color(*LINE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.width, pdf.get_y())
    pdf.ln(2)
    _text(pdf, 10, True)
    pdf.cell(0, 6, v.labels["privacy"], new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    for p in v.privacy:
        _text(pdf, 8.5, False, MUTED)
        pdf.multi_cell(pdf.width, 4.2, p, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(0.8)
    pdf.ln(1.5)
    _text(pdf, 7.5, False, MUTED)
    pdf.multi_cell(pdf.width, 4, v.footer, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
