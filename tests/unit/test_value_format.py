"""Every surface writes a measure's values as the measure declares them (issue 23, item 13):
a count is "1", never "1.0"; a range whose ends are equal reads "exactly 1", never "1.0 to
1.0"; an angle has no space before its degree sign ("4°", SI Brochure 5.4.3); a value and its
limit share one unit ("74.8 GiB", "≥ 2 GiB"). Over the recorded real runs
(tests/data/report_samples.json) in English and Swedish, through the report view every
renderer and the app's Details page share, and read back from the text, HTML and PDF files."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from techcheck.app.report import html, text, view
from techcheck.app.report.formats import WRITERS
from techcheck.checks import l10n
from techcheck.checks.measure import declared
from techcheck.checks.model import Report
from tests import report_samples as samples

LANGS = ("en", "sv")
#: A number, a space of any kind and a degree sign: "0.42 °".
SPACED_DEGREE = re.compile(r"\d[\s\u00a0\u202f]+°")
#: "1.0 to 1.0", "1,0 till 1,0": a range whose two ends are written alike.
SAME_ENDS = re.compile(r"^(\S+) (?:to|till) \1\b")


def _rows(lang: str):
    for name in samples.recorded_names():
        r = samples.recorded(name)
        section = view.check_section(r, "en", lang)
        for row in section.metrics:
            yield name, r, row


@pytest.mark.parametrize("lang", LANGS)
def test_a_count_is_a_whole_number_and_an_equal_range_says_exactly(lang):
    faces = [row for _, r, row in _rows(lang) if r.id == "camera" and row.name == "faces"]
    assert faces, "the recorded camera runs report the faces in view"
    for row in faces:
        assert row.value == "1", row.value  # was "1.0" / "1,0"
        assert row.limit == {"en": "exactly 1", "sv": "exakt 1"}[lang], row.limit


@pytest.mark.parametrize("lang", LANGS)
def test_every_row_follows_its_measures_declaration(lang):
    """Declared decimals hold for the value, a limit never has more, no degree is spaced, no
    range has equal ends."""
    sep = l10n.symbols(lang)[0]
    seen_declared = 0
    for name, r, row in _rows(lang):
        where = f"{name}/{row.name}: {row.value!r} {row.limit!r}"
        assert not SPACED_DEGREE.search(row.value + " " + row.limit), where
        assert not SAME_ENDS.search(row.limit), where
        decl = declared(r.id).get(row.name)
        if decl is None or decl.decimals is None or not isinstance(
                r.metrics[row.name].value, int | float):
            continue
        seen_declared += 1
        digits = re.search(rf"\d(?:{re.escape(sep)}(\d+))?", row.value)
        assert digits is not None and len(digits[1] or "") == decl.decimals, where
        for n in re.findall(rf"\d+{re.escape(sep)}(\d+)", row.limit):
            assert len(n) <= decl.decimals and not n.endswith("0"), where
    assert seen_declared >= 8  # faces and the three angles in each recorded camera run


@pytest.mark.parametrize("lang", LANGS)
def test_angles_have_no_space_before_the_degree_sign(lang):
    angles = [row for _, r, row in _rows(lang) if r.metrics[row.name].unit == "°"]
    assert len(angles) >= 6
    for row in angles:
        assert re.fullmatch(r"\d+°", row.value), row.value  # "0°", not "0.42 °"
        assert re.fullmatch(r"≤\u00a0\d+°", row.limit), row.limit  # "≤ 9°", not "≤ 9.0 °"


@pytest.mark.parametrize("lang", LANGS)
def test_a_value_and_its_limit_share_one_unit(lang):
    r = samples.recorded("system_busy_laptop")
    rows = {row.name: row for row in view.check_section(r, "en", lang).metrics}
    disk = rows["disk_free"]
    assert disk.value.endswith("GiB") and disk.limit.endswith("GiB"), (disk.value, disk.limit)
    assert disk.limit == "≥\u00a02\u00a0GiB"  # not "≥ 2,048 MiB" against "74.8 GiB"
    mem = rows["memory_free"]
    assert mem.value.endswith("MiB") and mem.limit.endswith("MiB")


def test_l10n_writes_limits_as_people_state_them():
    assert l10n.limit(None, [1.0, 1.0], "", "en") == "exactly 1"
    assert l10n.limit(None, [1.0, 1.0], "", "sv") == "exakt 1"
    assert l10n.limit(None, [0.21, 0.61], "", "sv") == "0,21 till 0,61"
    assert l10n.limit(None, [-1.0, 33.0], "", "sv") == "\u22121 till 33"
    assert l10n.limit("<=", 9.0, "°", "en", 0) == "≤\u00a09°"
    assert l10n.limit(">=", 1.2, "Mbit/s", "sv") == "≥\u00a01,2\u00a0Mbit/s"
    assert l10n.quantity(0.42, "°", "en") == "0.42°"
    assert l10n.quantity(0.42, "°", "sv", 0) == "0°"
    assert l10n.quantity(1.0, "", "en", 0) == "1"


def test_a_finding_does_not_repeat_a_value_its_sentence_says():
    """"The processor is 99 % busy … (measured 99.0 %, limit ≤ 90 %)" said it twice."""
    for lang in LANGS:
        section = view.check_section(samples.recorded("system_busy_laptop"), "en", lang)
        cpu = next(f for f in section.findings if f.code == "system.high_cpu")
        assert cpu.measured == "", cpu.measured
        section = view.check_section(samples.recorded("speaker_heard"), "en", lang)
        echo = next(f for f in section.findings if f.measured)  # its sentence has no number
        assert "30" in echo.measured


def _report() -> Report:
    r = samples.report()
    r.checks.append(samples.recorded("camera_backlit"))
    return r


@pytest.mark.parametrize("lang", LANGS)
def test_text_and_html_reports_write_the_declared_format(lang):
    """The text report shows findings only (their numbers from the same path); the HTML shows
    every measured value with its limit."""
    r = _report()
    page = re.sub(r"<[^>]+>", " ", html.render(r, lang)).replace("\u00a0", " ")
    for body in (text.render(r, lang), page):
        assert not SPACED_DEGREE.search(body)
        assert not re.search(r"1[.,]0 (?:to|till) 1[.,]0", body)
    assert {"en": "exactly 1", "sv": "exakt 1"}[lang] in page
    assert "≤ 9°" in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_writes_the_declared_format(lang, tmp_path: Path):
    path = tmp_path / f"r-{lang}.pdf"
    WRITERS["pdf"](_report(), path, lang)
    body = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    assert not SPACED_DEGREE.search(body), re.findall(r".{20}°", body)
    assert not re.search(r"1[.,]0 +(?:to|till) +1[.,]0", body)
    assert {"en": "exactly 1", "sv": "exakt 1"}[lang] in body
    assert re.search(r"≤ 9°", body)
