"""Hostile and broken report files (issue 13): each ends quickly, in bounded memory, with the
report's verdict or a sentence naming the file and the problem (exit 3), never "internal error".

The attack files in ``tests/attacks/`` are the ones the issue reproduced on main.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.i18n import MAX_TEXT, translate
from tests.hostile import ATTACKS, assert_bounded, run_measured

# --- item 1: format-string injection ------------------------------------------------------------


@pytest.mark.parametrize("name", ["format-width.json", "format-width-memoryerror.json"])
def test_a_huge_width_in_a_template_is_not_filled(name: str, tmp_path: Path):
    html, txt = tmp_path / "r.html", tmp_path / "r.txt"
    m = run_measured("report", str(ATTACKS / name), "--html", str(html), "--text", str(txt),
                     tmp=tmp_path)
    assert m.returncode == 2, m.stderr  # the report's own verdict: not ready
    assert_bounded(m, tmp_path)
    assert html.stat().st_size < 200_000 and txt.stat().st_size < 20_000
    assert "Busy {value:&gt;" in html.read_text() or "Busy {value:>" in html.read_text()


@pytest.mark.parametrize(("name", "shown"), [
    ("format-attribute.json", "Leak {value.__class__.__mro__} here"),
    ("format-index.json", "Leak {value[0]} here"),
])
def test_attribute_and_index_lookups_are_shown_not_evaluated(name: str, shown: str,
                                                             tmp_path: Path):
    m = run_measured("report", str(ATTACKS / name), tmp=tmp_path)
    assert m.returncode == 2, m.stderr
    assert_bounded(m, tmp_path)
    assert shown in m.stdout
    assert "class" not in m.stdout.replace(shown, "")


def test_safe_fill_keeps_what_the_catalogue_uses():
    assert translate("{value:.1f} of {threshold:.0f}", "en", {"value": 2.25, "threshold": 5}) \
        == "2.2 of 5"
    assert translate("{value:.0%}", "en", {"value": 0.25}) == "25%"
    assert translate("{value:,.0f} MiB", "sv", {"value": 12345.0}) == "12\u00a0345 MiB"
    assert translate("{v:>6}|", "en", {"v": "ab"}) == "    ab|"
    # what is not allowed stays as written, whatever the value
    for tpl in ("{v!r}", "{v.real}", "{v[0]}", "{v:>300}", "{v:.{p}f}", "{v:x}", "{0}"):
        assert translate(tpl, "en", {"v": 3, "p": 2}) == tpl


def test_long_texts_are_shortened_visibly():
    out = translate("{m}", "en", {"m": "x" * 10_000_000})
    assert len(out) == MAX_TEXT and out.endswith("…(shortened)")
    assert translate("{m}", "sv", {"m": "x" * 5000}).endswith("…(förkortat)")
    assert translate("{n:.1f}", "en", {"n": 10**4000}) == "{n:.1f}"  # too large to write out
