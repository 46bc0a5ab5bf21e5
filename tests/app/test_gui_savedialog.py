"""The report's save dialog (issue 23, item 13): one filter per format with the menu's choice
selected, a default name in the person's language that every system accepts, the folder of the
last export remembered in the person's settings, and a format picked in the dialog itself.

Driven as a person does: the Results page's "Export the report" menu by mouse, then Qt's own
file dialog (offscreen there is no native one) found as the active modal window, its name
typed and Return pressed (``tests.gui_fixtures.answer_file_dialog``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.gui_fixtures import answer_file_dialog, by_name, click_step, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _documents() -> Path:
    from PySide6.QtCore import QStandardPaths

    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def _export(qtbot, w, menu_text: str, typed: str, look) -> None:
    """Results → Exportera rapporten → ``menu_text`` → in the dialog ``look``, then the name."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMenu

    res = w.pages["results"]
    res.export_note.clear()
    press(qtbot, by_name(w, "Exportera rapporten"))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text() == menu_text)
    seen = answer_file_dialog(qtbot, typed, look)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: bool(seen) and res.exporter is None
                    and res.export_note.text().startswith(("Sparad:", "Rapporten kunde inte")),
                    timeout=60_000)
    assert seen == ["Exportera rapporten"], seen
    assert res.export_note.text().startswith("Sparad:"), res.export_note.text()


def _what_it_shows(into: dict):
    from PySide6.QtWidgets import QLineEdit

    def look(dialog) -> None:
        into.update(filters=dialog.nameFilters(), selected=dialog.selectedNameFilter(),
                    folder=Path(dialog.directory().absolutePath()),
                    name=dialog.findChild(QLineEdit, "fileNameEdit").text())

    return look


@pytest.mark.slow
def test_export_dialog_filters_swedish_name_and_remembered_folder(make_window, qtbot, tmp_path,
                                                                  gui_settings):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    from techcheck.app.gui import settings as S

    w = make_window(demo_mode="on", language="sv")
    click_step(qtbot, w, "system")
    qtbot.waitUntil(lambda: "system" in w.session.results
                    and not w.pages["system"].panel.running, timeout=60_000)
    click_step(qtbot, w, "results")
    out = tmp_path / "rapporter"
    out.mkdir()
    today = date.today().isoformat()

    # 1. PDF from the menu: every format offered, PDF selected, a Swedish name with the date
    first: dict = {}
    _export(qtbot, w, "PDF-dokument…", str(out / "min rapport"), _what_it_shows(first))
    assert first["filters"] == ["PDF-dokument (*.pdf)", "Webbsida (*.html *.htm)",
                                "Ren text (*.txt)", "Data för IT-support (*.json)"], first
    assert first["selected"] == "PDF-dokument (*.pdf)"
    assert first["name"] == f"TechCheck-rapport-{today}.pdf"
    assert first["folder"] == _documents()  # nothing remembered yet
    written = out / "min rapport.pdf"  # the dialog added the chosen format's suffix
    assert written.read_bytes().startswith(b"%PDF")
    assert gui_settings.get(S.SAVE_FOLDER) == str(out)

    # 2. HTML: the dialog opens where the last report went; a bare name lands there
    second: dict = {}
    _export(qtbot, w, "Webbsida (HTML)…", "andra", _what_it_shows(second))
    assert second["folder"] == out
    assert second["selected"] == "Webbsida (*.html *.htm)"
    assert second["name"] == f"TechCheck-rapport-{today}.html"
    assert (out / "andra.html").read_text(encoding="utf-8").lstrip().lower().startswith(
        "<!doctype html")

    # 3. Chosen PDF in the menu, plain text picked in the dialog's type list by keyboard:
    #    the file is text, named .txt
    third: dict = {}

    def pick_text(dialog) -> None:
        combo = dialog.findChild(QComboBox, "fileTypeCombo")
        combo.setFocus()
        while not combo.currentText().startswith("Ren text"):
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        _what_it_shows(third)(dialog)

    _export(qtbot, w, "PDF-dokument…", "tredje", pick_text)
    assert third["selected"] == "Ren text (*.txt)"
    text = (out / "tredje.txt").read_text(encoding="utf-8")
    assert not text.startswith("%PDF") and "TechCheck" in text
    assert not (out / "tredje.pdf").exists()

    # 4. A new window (the app started again) opens the dialog in the same folder
    w.close()
    again = make_window()
    click_step(qtbot, again, "system")
    qtbot.waitUntil(lambda: "system" in again.session.results
                    and not again.pages["system"].panel.running, timeout=60_000)
    click_step(qtbot, again, "results")
    fourth: dict = {}
    _export(qtbot, again, "Data för IT-support (JSON)…", "fjarde", _what_it_shows(fourth))
    assert fourth["folder"] == out and fourth["selected"] == "Data för IT-support (*.json)"
    assert (out / "fjarde.json").read_text(encoding="utf-8").lstrip().startswith("{")


def test_file_names_every_system_accepts():
    from techcheck.app.gui.filedialog import safe_file_name

    assert safe_file_name("TechCheck-rapport-2026-12-06") == "TechCheck-rapport-2026-12-06"
    assert safe_file_name('Rapport: "Acme" 12/6 <kl 14:00>?*|\\') == (
        "Rapport- -Acme- 12-6 -kl 14-00-----")
    assert safe_file_name("rapport. . ") == "rapport"  # Windows drops trailing dots and spaces
    assert safe_file_name("CON") == "TechCheck-CON" and safe_file_name("lpt1.txt") == (
        "TechCheck-lpt1.txt")
    assert safe_file_name("\x00\x1f") == "--"
    assert safe_file_name("...") == "TechCheck"
    assert len(safe_file_name("å" * 400)) == 120
