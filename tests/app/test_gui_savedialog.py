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


def _preview_ready(qtbot, w, page: str):
    """The page's call preview once it is built (after the page is painted) and can save."""
    slot = w.pages[page].preview_slot
    qtbot.waitUntil(lambda: slot.view is not None and slot.view.save_button.isEnabled(),
                    timeout=10_000)
    return slot.view


def _save_preview(qtbot, w, view, typed: str, look) -> list[str]:
    """The call preview's "Spara för IT-support…" by mouse, then its file dialog; waits until
    the files are written (or the view says why not)."""
    seen = answer_file_dialog(qtbot, typed, look)
    press(qtbot, by_name(w, "Spara förhandsvisningen åt IT-supporten"))
    def done() -> None:
        assert seen and view.saver is None, (seen, view.saver, view.play_note.text())
        assert view.play_note.text().startswith(
            ("Sparat i", "Allt kunde inte", "Förhandsvisningen kunde")), view.play_note.text()

    qtbot.waitUntil(done, timeout=60_000)
    return seen


@pytest.mark.slow
def test_preview_save_dialog_text_filter_swedish_name_and_the_reports_folder(
        make_window, qtbot, tmp_path, gui_settings):
    """Issue 23, item 13 for the interviewer's view: "Save for IT support" offered only "All
    Files (*)" in the working directory with an English name, and forgot the folder. Now: a
    text filter, a Swedish name with the date, and one remembered folder for everything the
    person saves (the preview's files, then the report, then the preview on the Connection
    page all open where the last save went)."""
    from techcheck.app.gui import settings as S

    w = make_window(demo_mode="on", language="sv")
    press(qtbot, by_name(w, "Starta kontrollen"))
    qtbot.waitUntil(lambda: w.current_key() == "results" and not w.run_all.active,
                    timeout=120_000)
    view = _preview_ready(qtbot, w, "results")
    out = tmp_path / "till IT"
    out.mkdir()
    today = date.today().isoformat()

    # 1. on Results: the text filter, the Swedish name, Documents (nothing remembered yet)
    first: dict = {}
    seen = _save_preview(qtbot, w, view, str(out / "forhandsvisning"), _what_it_shows(first))
    assert seen == ["Spara förhandsvisningen åt IT-supporten"], seen
    assert first["filters"] == ["Text, med bilden och ljudet bredvid (*.txt)"], first
    assert first["selected"] == first["filters"][0]
    assert first["name"] == f"TechCheck-intervjuarens-vy-{today}.txt"
    assert first["folder"] == _documents()
    names = sorted(p.name for p in out.iterdir())
    assert names == ["forhandsvisning.avi", "forhandsvisning.txt", "forhandsvisning.wav"], names
    # where it was saved, and which files, in the person's language
    assert view.play_note.text() == (
        f"Sparat i {out}: forhandsvisning.avi, forhandsvisning.wav, forhandsvisning.txt")
    text = (out / "forhandsvisning.txt").read_text(encoding="utf-8")
    assert text.startswith("Ungefär så skarp")  # the numbers file is Swedish too
    assert gui_settings.get(S.SAVE_FOLDER) == str(out)

    # 2. the report's export opens in the same folder
    second: dict = {}
    _export(qtbot, w, "PDF-dokument…", "rapport", _what_it_shows(second))
    assert second["folder"] == out
    assert (out / "rapport.pdf").read_bytes().startswith(b"%PDF")

    # 3. the same view on the Connection page has the person's settings too
    click_step(qtbot, w, "network")
    view = _preview_ready(qtbot, w, "network")
    third: dict = {}
    _save_preview(qtbot, w, view, "andra", _what_it_shows(third))
    assert third["folder"] == out
    assert (out / "andra.txt").is_file() and (out / "andra.avi").is_file()


def _downloads() -> Path:
    from PySide6.QtCore import QStandardPaths

    where = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return Path(where) if where and Path(where).is_dir() else Path.home()


def test_open_invitation_dialog_lists_invitations_first_and_remembers_its_folder(
        make_window, qtbot, tmp_path, gui_settings):
    """The Start page's "Öppna en inbjudningsfil" by mouse: the dialog lists invitations first
    (then every file: a mail program may rename one), opens in Downloads the first time and
    where the last invitation came from after that, also in a new window; saving a report
    elsewhere does not move it (files come from elsewhere than where the person saves)."""
    from datetime import datetime, timedelta

    from techcheck.app import invitation as invitations
    from techcheck.app.gui import settings as S

    when = (datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0)
    mail = tmp_path / "mejl"  # typed by QTest: ASCII only
    mail.mkdir()
    path = mail / "acme.toml"
    path.write_text(invitations.create(
        profile="teams", when=when, contact="Anna Berg, anna.berg@example.com",
        company="Exempel AB", position="Utvecklare").to_toml(), encoding="utf-8")
    gui_settings.set(S.SAVE_FOLDER, str(tmp_path))  # reports go elsewhere

    def open_by_mouse(w, typed: str) -> dict:
        shown: dict = {}
        seen = answer_file_dialog(qtbot, typed, _what_it_shows(shown))
        press(qtbot, by_name(w, "Öppna en inbjudningsfil från rekryteraren"))
        qtbot.waitUntil(lambda: bool(seen) and w.invitations.task is None, timeout=10_000)
        assert seen == ["Öppna en inbjudan"], seen
        qtbot.waitUntil(lambda: w.session.invitation is not None, timeout=5000)
        return shown

    w = make_window(demo_mode="on", language="sv")
    first = open_by_mouse(w, str(path))
    assert first["filters"] == ["TechCheck-inbjudningar (*.toml)", "Alla filer (*)"], first
    assert first["selected"] == "TechCheck-inbjudningar (*.toml)"
    assert first["folder"] == _downloads() and first["name"] == ""
    assert w.session.invitation.company == "Exempel AB"
    assert gui_settings.get(S.OPEN_FOLDER) == str(mail)
    assert gui_settings.get(S.SAVE_FOLDER) == str(tmp_path)  # the reports' folder unchanged

    w.close()
    again = make_window()
    second = open_by_mouse(again, "acme.toml")  # a bare name: the folder it opened in
    assert second["folder"] == mail
