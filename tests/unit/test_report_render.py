"""HTML, PDF and text reports rendered from recorded results (real model, real system check):
the HTML's structure, that it references nothing outside itself, and the PDF read back with
poppler (``pdftotext``, ``pdftoppm``, ``pdfimages``) in English and Swedish."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from techcheck.app.report import checklist, html, text, view
from techcheck.app.report.formats import WRITERS
from techcheck.checks.model import Status
from tests import report_samples as samples


def _upload() -> float:
    return samples.network_result().metrics["upload"].value  # type: ignore[return-value]


def _download() -> float:
    return samples.network_result().metrics["download"].value  # type: ignore[return-value]


def _cpu_load() -> float:
    return samples.loaded_system_result().metrics["cpu_load"].value  # type: ignore[return-value]

INVITATION = {"format": "techcheck.invitation/1", "company": "Acme AB",
              "position": "Backend developer", "when": "2026-12-01T10:00+01:00",
              "contact": "Anna Berg, anna.berg@acme.example", "profile": "teams",
              "server": "https://speed.acme.example/", "stun": "stun.acme.example:3478",
              "file": "acme-invite.toml", "sha256": "0123456789abcdef" * 4}

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def full_report():
    return samples.report(snapshot=True, extra={
        "invitation": INVITATION,
        "checklist": checklist.to_extra(checklist.items(["invitation_sent", "room_booked"]))})


@pytest.fixture(scope="module")
def real_report():
    """A report whose only check is the real system check on this machine."""
    r = samples.ready_report()
    r.checks = [samples.real_system_result()]
    return r


# --- HTML ---------------------------------------------------------------------------------------

VOID = {"meta", "br", "img", "hr", "input", "link", "source", "col", "wbr", "area", "base"}
SVG_VOID = {"path", "circle", "rect", "line", "polygon", "polyline", "ellipse"}


class Tree(HTMLParser):
    """Checks nesting while collecting tags, attributes, text and CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.css: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.css.append(data)
        else:
            self.text.append(data)

    def attrs_of(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    def classes(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if name in (a.get("class") or "").split()]


def parse(doc: str) -> Tree:
    tree = Tree()
    tree.feed(doc)
    tree.close()
    assert not tree.errors, tree.errors[:5]
    assert not tree.stack, f"unclosed: {tree.stack}"
    return tree


def assert_self_contained(doc: str, tree: Tree) -> None:
    forbidden_tags = {"script", "link", "iframe", "object", "embed", "base", "frame", "audio",
                      "video", "source", "form"}
    assert not forbidden_tags & {t for t, _ in tree.tags}
    for tag, attrs in tree.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            if value is None:
                continue
            v = value.strip().lower()
            if name in ("src", "href", "xlink:href", "srcset", "poster", "action", "data",
                        "background"):
                assert v.startswith(("data:", "#")), f"<{tag} {name}={value[:60]!r}>"
            assert not re.match(r"^(https?:|//|file:|ftp:|javascript:)", v), (tag, name, value)
    css = "\n".join(tree.css)
    assert "@import" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):
        assert url.strip("'\" ").startswith("data:"), url
    # The one meta that names URLs forbids loading anything at all.
    csp = [a for a in tree.attrs_of("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_html_is_well_formed_and_self_contained(full_report, artifacts: Path):
    doc = html.render(full_report, "en")
    (artifacts / "report-full-en.html").write_text(doc, encoding="utf-8")
    tree = parse(doc)
    assert_self_contained(doc, tree)
    assert tree.attrs_of("html")[0]["lang"] == "en"
    assert len(tree.attrs_of("h1")) == 1
    articles = [a for a in tree.attrs_of("article")]
    assert [a["id"] for a in articles] == [f"check-{c.id}" for c in full_report.checks]
    body = " ".join(" ".join(tree.text).split())
    assert "Not ready" in body and "Fix what is listed below before the interview." in body
    assert "1 December 2026, 09:35 (UTC+01:00)" in body
    assert "Invitation from Acme AB" in body and "checked 25 minutes before the interview" in body
    assert "Intel(R) Core(TM) i5-8250U" in body and "(4 cores, 8 threads)" in body
    # every measured value against its limit, and a gauge drawn for graded numbers (the
    # recorded slow uplink: tests/make_report_samples.py)
    assert f"{_upload():.2f} Mbit/s" in body and "≥ 1.2 Mbit/s" in body
    assert re.search("[-\u2212]28 to [-\u2212]16 dBFS", body), body  # the speech level's band
    gauges = tree.classes("gauge")
    assert len(gauges) >= 10 and all(g.get("role") == "img" and g.get("aria-label")
                                     for g in gauges)
    # the fix of every problem, in the list of what to fix
    for c in full_report.checks:
        for f in c.findings:
            if f.status is not Status.PASS and f.fix:
                assert " ".join(f.fix_text("en").split()) in body
    # never colour alone: every badge carries its word next to the icon
    for st, word in (("fail", "Failed"), ("warn", "Warning"), ("pass", "Passed"),
                     ("error", "Could not run")):
        assert tree.classes(f"st-{st}"), st
        assert word in body
    # the snapshot is inline, and the privacy statement says it is there
    imgs = tree.attrs_of("img")
    assert len(imgs) == 1 and imgs[0]["src"].startswith("data:image/jpeg;base64,/9j/")
    assert "one still picture from the camera" in body
    assert "Interviewer's preparation" in body and "Quiet room booked" in body


def test_html_without_invitation_has_no_url_at_all(real_report):
    doc = html.render(real_report, "en")
    tree = parse(doc)
    assert_self_contained(doc, tree)
    assert not re.search(r"https?:|//", doc)
    assert tree.attrs_of("img") == []
    assert "no picture, no sound and no video" in doc


def test_html_escapes_what_the_report_holds(full_report):
    r = samples.report(extra={"invitation": {**INVITATION, "company": "<script>x</script>",
                                             "contact": '" onload="alert(1)'}})
    doc = html.render(r, "en")
    tree = parse(doc)
    assert_self_contained(doc, tree)
    assert "&lt;script&gt;x&lt;/script&gt;" in doc


INJECTED = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>',
            "' onmouseover='alert(3)", "</style><script>alert(4)</script>",
            "{{ 7*7 }}{% raw %}", "&amp;<!--"]


@pytest.mark.parametrize("payload", INJECTED)
def test_html_template_escapes_injected_markup_everywhere(payload):
    """Whatever a report holds (an invitation from outside, a re-rendered JSON file) comes out
    as text: in element text, in attributes, in the title; and it is never run as a template."""
    r = samples.report(extra={"invitation": {**INVITATION, "company": payload,
                                             "position": payload, "contact": payload,
                                             "note": payload, "file": payload + ".toml"}})
    r.app_version = payload  # goes into an attribute (<meta name="generator" content=…>)
    doc = html.render(r, "en")
    tree = parse(doc)
    assert_self_contained(doc, tree)
    assert {t for t, _ in tree.tags} <= {t for t, _ in parse(html.render(
        samples.report(extra={"invitation": INVITATION}), "en")).tags}  # no new kinds of tag
    body = "".join(tree.text)
    assert payload in body  # shown as the text it is ({{ 7*7 }} is not evaluated)
    generator = next(a for a in tree.attrs_of("meta") if a.get("name") == "generator")
    assert generator["content"] == f"TechCheck {payload}"


def test_html_swedish(full_report, artifacts: Path):
    doc = html.render(full_report, "sv")
    (artifacts / "report-full-sv.html").write_text(doc, encoding="utf-8")
    tree = parse(doc)
    body = " ".join(" ".join(tree.text).split())
    assert tree.attrs_of("html")[0]["lang"] == "sv"
    for phrase in ("Inte redo", "Åtgärda det som listas nedan före intervjun.", "Att åtgärda",
                   "1 december 2026 kl. 09:35",
                   f"Processorn är belastad till {_cpu_load():.0f} %", "Åtgärd:",
                   "Nedladdning", f"{_download():.1f} Mbit/s".replace(".", ","), "≥ 1,2 Mbit/s",
                   "Vad rapporten innehåller", "Tyst rum bokat", "Underkänt"):
        assert phrase in body, phrase


def test_snapshot_is_left_out_unless_it_is_a_small_jpeg():
    r = samples.report(snapshot=True)
    cam = r.check("camera")
    assert view.snapshot(cam) is not None
    cam.details["snapshot_jpeg_b64"] = "PHN2Zz48L3N2Zz4="  # "<svg></svg>": not a JPEG
    assert view.snapshot(cam) is None
    cam.details["snapshot_jpeg_b64"] = "not base64!"
    assert view.snapshot(cam) is None
    assert "<img" not in html.render(r, "en")


def test_gauge_geometry():
    from techcheck.checks.model import Metric

    g = view.gauge(Metric(2.3, "Mbit/s", 3.2, Status.FAIL), True)
    assert g and g.value < g.limit and g.higher_is_better is True
    g = view.gauge(Metric(93.0, "%", 70.0, Status.FAIL), False)
    assert g and g.value == pytest.approx(0.93) and g.limit == pytest.approx(0.70)
    g = view.gauge(Metric(-50.0, "dBm", -67.0, Status.PASS), None)
    assert g and 0 < g.limit < g.value < 1
    g = view.gauge(Metric(68.0, "", [80.0, 180.0], Status.WARN), None)
    assert g and g.band and g.value < g.band[0] < g.band[1]
    assert view.gauge(Metric("wired", ""), None) is None
    assert view.direction(Metric(700.0, "MiB", 1024.0, Status.WARN)) is True
    assert view.direction(Metric(30.0, "%", 70.0, Status.PASS)) is False


def test_numbers_and_times_by_language():
    assert view.number(3456.5, "en") == "3,456" or view.number(3456.5, "en") == "3,457"
    assert view.number(3456.5, "sv") in ("3\u00a0456", "3\u00a0457")
    assert view.number(2.25, "sv") == "2,2" or view.number(2.25, "sv") == "2,3"
    assert view.number(0.0, "en") == "0" and view.number(-4.1, "en") == "-4.1"
    assert view.number(-4.1, "sv") == "\u22124,1"  # each language's own minus sign (CLDR)
    assert view.quantity(80136.0, "MiB", "en") == "78.3\u00a0GiB"
    assert view.when("2026-12-01T10:00:00+01:00", "sv") == "1 december 2026 kl. 10:00 (UTC+01:00)"
    assert view.when("2026-06-01T08:05:00+00:00", "en") == "1 June 2026, 08:05 (UTC)"
    assert view.span(25 * 60, "en") == "25 minutes" and view.span(6 * 86400, "sv") == "6 dagar"


def test_text_summary_names_the_invitation_and_checklist(full_report):
    out = text.render(full_report, "en")
    assert "Invitation from Acme AB:" in out and "Interview: 1 December 2026, 10:00" in out
    assert "[x] Quiet room booked" in out and "[ ] CV and application read" in out
    assert "\u00a0" not in out


# --- PDF ----------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True, timeout=60)
    return " ".join(out.stdout.split())


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_pdf_content_and_pages(full_report, artifacts: Path, lang: str):
    path = artifacts / f"report-full-{lang}.pdf"
    WRITERS["pdf"](full_report, path, lang)
    assert path.read_bytes().startswith(b"%PDF-")
    body = pdf_text(path)
    expected = {
        "en": ["Not ready", "Fix what is listed below before the interview.", "What to fix",
               "Fix: Close programs you do not need before the interview.", "Free memory",
               "≥ 1,024 MiB", "≤ 90 %", "Upload", f"{_upload():.2f} Mbit/s",
               "Invitation from Acme AB",
               "What this report holds", "Camera picture", "Quiet room booked", "Page 1 of"],
        "sv": ["Inte redo", "Åtgärda det som listas nedan före intervjun.", "Att åtgärda",
               "Åtgärd: Stäng program du inte behöver före intervjun.", "Ledigt minne",
               "≥ 1 024 MiB", "≤ 90 %", "Uppladdning",
               f"{_upload():.2f} Mbit/s".replace(".", ","), "Inbjudan från Acme AB",
               "Vad rapporten innehåller", "Kamerabild", "Tyst rum bokat", "Sida 1 av",
               "Kontrollerad 1 december 2026 kl. 09:35"],
    }[lang]
    for phrase in expected:
        assert phrase in body, phrase
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("DejaVuSans" in r[0] for r in rows)
    assert all(r[-5] == "yes" for r in rows)  # the "emb" column: every font embedded
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout.strip().splitlines()[2:]
    assert len(images) == 1  # the snapshot
    # the pages as pictures: look at them in tests/artifacts; check the verdict box is there
    prefix = artifacts / f"report-full-{lang}-page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(prefix)], check=True,
                   timeout=60)
    pages = sorted(artifacts.glob(f"report-full-{lang}-page-*.png"))
    assert 2 <= len(pages) <= 5
    import cv2

    first = cv2.imread(str(pages[0]))
    assert first is not None and first.shape[0] > first.shape[1]  # portrait A4
    tint = np.array([0xE9, 0xEB, 0xFF])  # "not ready" box: #ffebe9 in BGR
    top = first[: first.shape[0] // 4]
    assert (np.abs(top.astype(int) - tint).sum(axis=2) < 12).mean() > 0.03


@needs_poppler
def test_pdf_of_the_real_system_check(real_report, tmp_path: Path):
    path = tmp_path / "real.pdf"
    WRITERS["pdf"](real_report, path, "sv")
    body = pdf_text(path)
    assert "Dator" in body and "Processorbelastning" in body and "Ledigt diskutrymme" in body
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout.strip().splitlines()[2:]
    assert images == []  # no snapshot unless the user added one
    assert "ingen bild, inget ljud och ingen video" in body


def test_every_format_writes_atomically_next_to_the_target(full_report, tmp_path: Path):
    for fmt, writer in WRITERS.items():
        target = tmp_path / f"r.{fmt}"
        writer(full_report, target, "en")
        assert target.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"r.{f}" for f in WRITERS)


@pytest.mark.slow
def test_every_metric_of_the_built_in_checks_has_a_label():
    """A report must not fall back to raw keys ("face_light") for our own checks: every metric
    the built-in checks produce on the demo media and stand-ins is declared, with its label
    (checks/measure.py); tests/unit/test_measures.py holds the declarations to the recorded runs."""
    from techcheck.app import demo
    from techcheck.checks import registry
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.measure import declared
    from techcheck.checks.profile import load_profile
    from techcheck.checks.runner import run_checks

    every = registry.discover()
    plugins = [p for p in every
               if p.id in ("system", "camera", "microphone", "speaker", "network")]
    profile = demo.local_profile(load_profile("generic", registry.limit_schemas(every)))
    server = demo.start_server()
    try:
        ctx = CheckContext(profile=profile, duration=3.0, devices=Devices(
            camera=str(demo.camera_clip()), microphone=str(demo.voice_clip()),
            speaker=demo.speaker_standin(), server=server.url, stun=server.stun))
        results = run_checks(plugins, ctx)
    finally:
        server.stop()
    unlabelled = [f"{r.id}.{m}" for r in results for m in r.metrics
                  if m not in declared(r.id) or not declared(r.id)[m].label]
    assert len(results) == 5 and all(r.metrics for r in results)
    assert unlabelled == []


def test_a_partial_run_never_claims_everything_works(tmp_path):
    """`run --only camera` passes, but the report must not say "everything needed works"."""
    from techcheck.app import demo
    from techcheck.app.report import html, text
    from techcheck.checks import registry
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.profile import load_profile
    from techcheck.checks.runner import build_report, run_checks

    every = registry.discover()
    ctx = CheckContext(profile=load_profile("generic", registry.limit_schemas(every)),
                       devices=Devices(camera=str(demo.camera_clip())), lang="sv")
    report = build_report(run_checks([p for p in every if p.id == "camera"], ctx), ctx)
    assert report.verdict.value == "ready"
    summary = text.render(report, "en")
    assert "Not checked: Computer, Microphone, Speakers, Internet connection." in summary
    page = html.render(report, "sv")
    assert "Inte kontrollerat: Dator, Mikrofon, Högtalare" in page
    assert "Allt som behövs för intervjun fungerar" not in page


@pytest.mark.slow
def test_every_format_says_the_views_verdict_sentence(tmp_path: Path):
    """One source for the verdict (issue 12.5): the text, HTML and PDF all say the view's
    sentence, and the text summary of a partial run never claims that everything needed works,
    whatever the verdict."""
    from techcheck.app.report import pdf
    from techcheck.checks.model import CheckResult, Finding, Report

    def partial(status: Status) -> Report:
        findings = [] if status is Status.PASS else [
            Finding("camera.too_dark", status, "Your face is dark.", "Turn on a lamp.")]
        cam = CheckResult("camera", "Camera", status, 1.0, findings=findings)
        return Report("2026-11-30T20:00:00+00:00", "test", {"name": "generic", "title": "Any"},
                      {}, [cam])

    for status in (Status.PASS, Status.WARN, Status.FAIL):
        rep = partial(status)
        for lang in ("en", "sv"):
            v = view.build(rep, lang)
            summary = text.render(rep, lang)
            assert f"{v.verdict_word.upper()}: {v.verdict_sentence}" in summary
            assert "Not checked" in v.verdict_sentence or "Inte kontrollerat" in v.verdict_sentence
            assert "everything needed" not in summary.lower()
            assert "allt som behövs" not in summary.lower()
            # nor does its word: "ready so far", not "ready for the interview"
            assert "for the interview" not in v.verdict_word and "intervjun" not in v.verdict_word
            page = html.render(rep, lang)
            assert f'<p class="verdict-sentence">{v.verdict_sentence}</p>' in page
            if shutil.which("pdftotext"):
                pdf.write(rep, tmp_path / f"r-{status}-{lang}.pdf", lang)
                words = pdf_text(tmp_path / f"r-{status}-{lang}.pdf")
                assert " ".join(v.verdict_sentence.split()) in words
