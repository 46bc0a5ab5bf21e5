"""The small bars next to each measured value in the HTML and PDF reports have a key (issue 23,
item 13: "grey bars without a legend"): their column is headed, and above the checks a key
says what the bar, the line, the red and the green areas stand for, in English and Swedish,
drawn in the gauges' own colours. Read back from the rendered files."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from techcheck.app.report import html, view
from techcheck.app.report.formats import WRITERS
from tests import report_samples as samples

KEY = {
    "en": ["Against the limit", "How to read the bars:", "the measured value, in its status colour",
           "the limit", "outside the limit", "the range of good values"],
    "sv": ["Mot gränsen", "Så läser du staplarna:", "det uppmätta värdet, i sin statusfärg",
           "gränsen", "utanför gränsen", "området med bra värden"],
}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_html_heads_the_bars_and_keys_them(lang):
    page = html.render(samples.report(), lang)
    head = re.search(r"<table class=\"metrics\"><thead><tr>(.*?)</tr>", page)
    assert head and f">{KEY[lang][0]}</th>" in head[1]  # the bars' column is named
    key = re.search(r'<p class="gauge-key">(.*?)</p>', page, re.S)
    assert key is not None
    text = re.sub(r"<[^>]+>", " ", key[1])
    for phrase in KEY[lang][1:]:
        assert phrase in text, phrase
    # each entry shows the colour the gauges use for it
    for colour in ("#1a7f37", "#1f2328", "#ffd8d3", "#aceebb"):
        assert colour in key[1]
    assert set(view.GAUGE_KEY) == {"value", "limit", "bad", "band"}


def test_a_report_without_measured_values_has_no_key():
    r = samples.report()
    for c in r.checks:
        c.metrics.clear()
    assert '<p class="gauge-key">' not in html.render(r, "en")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_pdf_heads_the_bars_and_keys_them(lang, tmp_path: Path):
    path = tmp_path / f"r-{lang}.pdf"
    WRITERS["pdf"](samples.report(), path, lang)
    body = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    body = re.sub(r"\s+", " ", body)
    for phrase in KEY[lang]:
        assert phrase in body, phrase
