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
            out.append((name, m.findtext("source"), tr.text, tr.get("type")))
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


def test_qm_is_compiled_from_the_ts(tools, tmp_path):
    built = tools.release(tools.ts_file("sv"), tmp_path / "sv.qm")
    shipped = tools.ts_file("sv").with_suffix(".qm")
    assert shipped.read_bytes() == built.read_bytes(), "run: python scripts/translations.py release"


def test_translator_loads_in_the_app(qapp):
    from PySide6.QtCore import QCoreApplication

    from app.gui import i18n

    try:
        i18n.install("sv")
        assert QCoreApplication.translate("Status", "Passed") == "Godkänd"
        assert i18n.ct("Computer") == "Dator"  # check texts come from checks.i18n
    finally:
        i18n.install("en")
    assert QCoreApplication.translate("Status", "Passed") == "Passed"
