"""The GUI's Qt translations: the .ts covers every text in app/gui, every message is translated
into Swedish, placeholders match, and the shipped .qm is what lrelease makes of the .ts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def tools():
    import importlib.util

    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" / "translations.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _messages(ts: Path) -> list[tuple[str, str, str | None, str | None]]:
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for m in ctx.iter("message"):
            tr = m.find("translation")
            forms = [f.text or "" for f in tr.iter("numerusform")]
            text = " | ".join(forms) if forms else tr.text  # plural forms: all of them
            out.append((name, m.findtext("source"), text, tr.get("type")))
    return out


def test_ts_lists_every_text_of_the_gui(tools, tmp_path):
    fresh = tools.update(out=tmp_path / "fresh_sv.ts")
    wanted = {(c, s) for c, s, _, _ in _messages(fresh)}
    have = {(c, s) for c, s, _, _ in _messages(tools.ts_file("sv"))}
    assert len(wanted) > 150
    assert wanted - have == set(), "run: python scripts/translations.py update"


def test_swedish_is_complete_with_matching_placeholders(tools):
    for ctx, src, tr, kind in _messages(tools.ts_file("sv")):
        assert kind not in ("unfinished", "vanished", "obsolete"), (ctx, src)
        assert tr and tr.strip(), (ctx, src)
        assert set(re.findall(r"\{\w+", src)) == set(re.findall(r"\{\w+", tr)), (ctx, src, tr)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_qm_is_compiled_from_the_ts(tools, tmp_path, lang):
    built = tools.release(tools.ts_file(lang), tmp_path / f"{lang}.qm")
    shipped = tools.ts_file(lang).with_suffix(".qm")
    assert shipped.read_bytes() == built.read_bytes(), "run: python scripts/translations.py release"


def _numerus(ts: Path) -> dict[str, list[str]]:
    out = {}
    for m in ET.parse(ts).getroot().iter("message"):
        if m.get("numerus") == "yes":
            out[m.findtext("source")] = [f.text or "" for f in m.iter("numerusform")]
    return out


def test_counts_have_real_plural_forms_in_both_languages(tools, tmp_path):
    """"3 check(s)" is not a sentence: every count in the GUI goes through Qt's plural forms,
    and English (the source language) has its own file with the singular and plural."""
    fresh = _numerus(tools.update(out=tmp_path / "fresh_en.ts", lang="en"))
    assert len(fresh) >= 4
    for lang in ("en", "sv"):
        have = _numerus(tools.ts_file(lang))
        assert set(fresh) <= set(have), f"run: python scripts/translations.py update ({lang})"
        for src in fresh:
            one, many = have[src]
            assert "%n" in one and "%n" in many and "(s)" not in one + many, (lang, src)
    assert not [src for ctx, src, _, _ in _messages(tools.ts_file("sv"))
                if re.search(r"\(s\)|\(er\)", src) and src not in fresh], "a count without %n"


def test_plural_forms_in_the_running_app(qapp):
    from PySide6.QtCore import QCoreApplication

    from techcheck.app.gui import i18n

    tr = QCoreApplication.translate
    try:
        for lang, one, many in (("en", "1 check has not run yet.", "3 checks have not run yet."),
                                ("sv", "1 kontroll har inte körts än.",
                                 "3 kontroller har inte körts än.")):
            i18n.install(lang)
            assert tr("ResultsPage", "%n check(s) have not run yet.", "", 1) == one
            assert tr("ResultsPage", "%n check(s) have not run yet.", "", 3) == many
    finally:
        i18n.install("en")


def test_translator_loads_in_the_app(qapp):
    from PySide6.QtCore import QCoreApplication

    from techcheck.app.gui import i18n
    from techcheck.app.gui.widgets.status import status_word, verdict_word
    from techcheck.checks.model import Status, Verdict

    try:
        i18n.install("sv")
        assert QCoreApplication.translate("Status", "Not checked yet") == "Inte kontrollerad ännu"
        assert i18n.ct("Computer") == "Dator"  # check texts come from checks.i18n
        # Status and verdict words are the reports' own (one source), in the app's language.
        assert status_word(Status.PASS) == "Godkänt"
        assert verdict_word(Verdict.NOT_READY) == "Inte redo ännu"
    finally:
        i18n.install("en")
    assert QCoreApplication.translate("Status", "Not checked yet") == "Not checked yet"
    assert status_word(Status.PASS) == "Passed"
