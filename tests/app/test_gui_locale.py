"""The app writes numbers, units and dates the way its language does, through the same path
as every report (techcheck.checks.l10n), and every visible text follows a language switch,
the status lines written once included (issue 20, item 6). Driven as a person: the one-click
check, the side list, the language box and the buttons, by accessible name."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QMenu

from tests.gui_fixtures import answer_file_dialog, by_name, click_step, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

#: Text that is not a number in a sentence: web addresses, IP addresses and version numbers
#: ("127.0.0.1", "6.11.3"), file names and paths.
NOT_NUMBERS = re.compile(r"\S+://\S+|\d+(?:\.\d+){2,}|(?:[A-Za-z]:)?[/\\]\S+|\S+\.(?:pdf|html"
                         r"|txt|json|wav|avi|toml|log)\b")
#: A number written the English way: a decimal point between digits ("7.5", "7070.35") or a
#: comma between thousands ("23,404").
ENGLISH_NUMBER = re.compile(r"\d\.\d|\d,\d{3}(?!\d)")
RAW_BOOL = re.compile(r"\b(True|False)\b")


def _visible_texts(w) -> list[str]:
    """What a person can read on the current page: labels, buttons, and every cell of the
    tables of measured values."""
    QApplication.processEvents()
    page = w.current_page()
    texts = [lab.text() for lab in page.findChildren(QLabel) if lab.isVisible()]
    texts += [b.text() for b in page.findChildren(QAbstractButton) if b.isVisible()]
    if w.current_key() == "details":  # every column but the value (checked by its meaning)
        table = page.metrics
        texts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in (0, 1, 3, 4, 5) if table.item(r, c) is not None]
    return texts


def _swedish_number(text: str) -> float:
    """A number as a Swede writes it ("23 404,5", "−3,935") read back."""
    return float(text.replace("\u00a0", "").replace("\u2212", "-").replace(",", "."))


def _check_metric_values(w) -> list[str]:
    """Each value in Details' table of measured values, read the Swedish way, is the value
    measured: "23,404" for 23404 would read back as 23.404. Truth values are words."""
    page, wrong, seen = w.pages["details"], [], 0
    metrics = {(r.id, name): m for r in w.session.ordered_results()
               for name, m in r.metrics.items()}
    by_name_ = {name: m for (_, name), m in metrics.items()}
    for row in range(page.metrics.rowCount()):
        name, shown = page.metrics.item(row, 1).text(), page.metrics.item(row, 2).text()
        m = by_name_.get(name)
        if isinstance(m.value, bool):
            wrong += [] if shown in ("Ja", "Nej") else [f"{name}: {shown!r}"]
        elif isinstance(m.value, int | float):
            seen += 1
            # a share the measure declares as a percentage is shown in per cent, and its unit
            # column says so (Measure.shown_as): 0.485 of the picture reads "48" "%"
            unit = page.metrics.item(row, 3).text()
            value = m.value * 100 if unit == "%" and m.unit == "" else m.value
            ok = re.fullmatch(r"\u2212?\d{1,3}(\u00a0\d{3})*(,\d+)?", shown) and abs(
                _swedish_number(shown) - value) <= max(1e-3 * abs(value), 0.6)
            wrong += [] if ok else [f"{name}: {shown!r} for {m.value!r}"]
    assert seen >= 10, "the table must have held measured numbers"
    return wrong


def _choose_language(qtbot, w, label: str, name: str, code: str) -> None:
    """Start page → the language box (found by its accessible name) → arrow keys until it
    shows ``label``, as a keyboard user chooses."""
    click_step(qtbot, w, "start")
    box = by_name(w, name, QComboBox)
    box.setFocus()
    for _ in range(box.count() + 1):
        if box.currentText() == label:
            break
        key = Qt.Key.Key_Down if box.currentIndex() < box.findText(label) else Qt.Key.Key_Up
        qtbot.keyClick(box, key)
    assert box.currentText() == label and w.session.lang == code


def _one_click_check(qtbot, w, start_name: str) -> None:
    press(qtbot, by_name(w, start_name))
    qtbot.waitUntil(lambda: not w.run_all.active and w.current_key() == "results",
                    timeout=180_000)


@pytest.mark.slow
def test_swedish_app_writes_every_number_the_swedish_way(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="on", role="it", language="sv")
    _one_click_check(qtbot, w, "Starta kontrollen")
    english, raw, numbers = [], [], []
    for key in w.visible_keys():
        click_step(qtbot, w, key)
        if key == "network":
            slot = w.pages["network"].preview_slot
            qtbot.waitUntil(lambda s=slot: s.view is not None and s.view.isVisible()
                            and bool(s.view.numbers.text()), timeout=30_000)
        texts = _visible_texts(w)
        if key == "network":  # what the graphs paint: legends and axis values
            for graph in (w.pages["network"].throughput, w.pages["network"].latency):
                texts += [graph.legend(k) for k in graph.series] + graph.axis_texts()
        for text in texts:
            plain = NOT_NUMBERS.sub(" ", text)
            english += [f"{key}: {text!r}"] if ENGLISH_NUMBER.search(plain) else []
            raw += [f"{key}: {text!r}"] if RAW_BOOL.search(text) else []
            numbers += re.findall(r"\d,\d", plain)
        shots = os.environ.get("TECHCHECK_SHOTS")
        if shots and key in ("network", "details"):
            w.grab().save(str(Path(shots) / f"sv-{key}.png"))
    assert english == [], english
    assert _check_metric_values(w) == []
    assert raw == [], raw
    assert len(numbers) >= 5, "the walk must have seen Swedish decimal numbers"
    # the Connection page's call preview in particular ("7070.35", "50.0 Mbit/s" before)
    numbers_row = w.pages["network"].preview_slot.view.numbers.text()
    assert re.search(r"\d(\u00a0\d{3})*(,\d+)?\u00a0Mbit/s", numbers_row), numbers_row


@pytest.mark.slow
def test_switching_language_rewrites_the_status_lines(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="on", role="it", language="sv")
    _one_click_check(qtbot, w, "Starta kontrollen")
    # Results → Exportera rapporten → Ren text…, in Swedish
    res = w.pages["results"]
    press(qtbot, by_name(w, "Exportera rapporten"))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text() == "Ren text…")
    out = tmp_path / "rapport.txt"
    seen = answer_file_dialog(qtbot, str(out))
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: bool(seen) and res.exporter is None
                    and res.export_note.text().startswith("Sparad:"), timeout=60_000)
    assert out.exists()
    # Details → Kopiera diagnostik, in Swedish
    click_step(qtbot, w, "details")
    press(qtbot, by_name(w, "Kopiera diagnostik till urklipp"))
    copied = w.pages["details"].copy_note
    assert copied.text().startswith("Kopierade")
    count = re.search(r"Kopierade ([\d\u00a0]+) tecken", copied.text())
    assert count and "\u00a0" in count[1], copied.text()  # "19 352", not "19352"
    # the language box, to English: both lines follow
    _choose_language(qtbot, w, "English", "Språk", "en")
    assert res.export_note.text() == f"Saved: {out}"
    assert copied.text().startswith("Copied ") and "tecken" not in copied.text()
    # and nothing Swedish is left anywhere: every page, every label and button
    left = []
    for key in w.visible_keys():
        click_step(qtbot, w, key)
        left += [f"{key}: {t!r}" for t in _visible_texts(w) if re.search("[åäöÅÄÖ]", t)]
    assert left == [], left
    # and back
    _choose_language(qtbot, w, "Svenska", "Language", "sv")
    assert res.export_note.text() == f"Sparad: {out}"
    assert copied.text().startswith("Kopierade")
