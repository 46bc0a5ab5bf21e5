"""Where the PDF puts its words (issue 23, item 3), read back from the rendered file with
poppler's ``pdftotext -bbox``: every line of the verdict box, the demo's included, starts in the
text column right of the verdict's icon, and no measurement name is cut short ("Överexponerad
del av ansik…" in Swedish): a long one wraps. English and Swedish."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import report_samples as samples

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="poppler-utils not installed")

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def _words(path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page: (x_min, y_min, x_max, word), in reading order."""
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return [[(float(m[0]), float(m[1]), float(m[2]), html.unescape(m[4]))
             for m in WORD.findall(page)] for page in PAGE.findall(out)]


def _demo_report(lang: str):
    return samples.report(extra={"demo": True}, lang=lang)


VERDICT = {"en": ("Demo", "Profile"), "sv": ("Demon", "Profil")}
OVEREXPOSED = {"en": "Blown-out face area", "sv": "Överexponerad del av ansiktet"}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_verdict_box_keeps_to_its_text_column(tmp_path, artifacts, lang):
    from techcheck.app.report.formats import WRITERS

    path = artifacts / f"report-demo-{lang}.pdf"
    WRITERS["pdf"](_demo_report(lang), path, lang)
    first = _words(path)[0]
    head, after = VERDICT[lang]
    start = next(i for i, w in enumerate(first) if w[3] == head)
    end = next(i for i, w in enumerate(first) if w[3] == after and i > start)
    column = first[start][0]
    box = first[start:end]
    assert len(box) > 8, box  # the word, the demo sentence and the counts
    strays = [w for w in box if w[0] < column - 0.5]
    assert not strays, f"left of the text column at x={column}: {strays}"
    assert column > 60, column  # right of the 14 mm icon, not at the page margin


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_no_measurement_name_is_cut(tmp_path, lang):
    from techcheck.app.report.formats import WRITERS
    from techcheck.app.report.view import build

    report = _demo_report(lang)
    path = tmp_path / f"r-{lang}.pdf"
    WRITERS["pdf"](report, path, lang)
    words = [w[3] for page in _words(path) for w in page]
    cut = [w for w in words if w.endswith("…")]
    assert not cut, cut
    text = " ".join(words)
    labels = [m.label for c in build(report, lang).checks for m in c.metrics]
    assert OVEREXPOSED[lang] in labels
    missing = [label for label in labels if " ".join(label.split()) not in text]
    assert not missing, missing
