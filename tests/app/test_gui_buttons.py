"""Every button a person can see, on every page, pressed with a real mouse click: each one
must do something the person can see. A button that is not in EFFECTS fails the test, so a new
button comes with its proof."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu

from tests.gui_fixtures import click_step, press

# the offscreen platform cannot raise windows or grab the keyboard for a popup menu
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _close_dialog_later(seen: list[str]) -> None:
    """Close the modal dialog the press opens (it runs its own event loop)."""

    def close() -> None:
        target = QApplication.activeModalWidget()
        if target is None:
            QTimer.singleShot(50, close)
            return
        seen.append(type(target).__name__)
        target.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(100, close)


def _idle(qtbot, w) -> None:
    """Wait until no check of the window runs (a press may have started one), answering
    what a check asks as a person would ("Ready", "Yes, I heard it")."""

    def idle() -> bool:
        for p in w.pages.values():
            panel = getattr(p, "panel", None)
            if panel is not None and panel.question.isVisible():
                press(qtbot, panel.yes_button if panel.yes_button.isVisible()
                      else panel.no_button)
        return not w.run_all.active and not any(
            getattr(p, "panel", None) is not None and p.panel.running for p in w.pages.values())

    qtbot.waitUntil(idle, timeout=90_000)


def effect_opens_file_dialog(qtbot, w, page, b) -> None:
    seen: list[str] = []
    _close_dialog_later(seen)
    press(qtbot, b)
    assert "QFileDialog" in seen


def effect_starts_everything(qtbot, w, page, b) -> None:
    if w.missing_devices():  # no camera or microphone: said first, nothing starts (issue 20)
        press(qtbot, b)
        assert not w.run_all.active and w.current_key() == "start"
        assert w.start.missing_box.isVisible() and w.focusWidget() is w.start.demo_offer_button
        return
    press(qtbot, b)
    _cancel_everything(qtbot, w)


def _cancel_everything(qtbot, w) -> None:
    assert w.run_all.active and w.current_key() == "camera"
    press(qtbot, next(x for x in w.findChildren(QAbstractButton)
                      if x.isVisible() and x.accessibleName() == "Cancel the check"))
    _idle(qtbot, w)
    assert not w.run_all.active


def effect_looks_again(qtbot, w, page, b) -> None:
    press(qtbot, b)
    assert w.lister is not None and b.text() == "Looking…" and not b.isEnabled()
    qtbot.waitUntil(lambda: w.lister is None and b.isEnabled(), timeout=30_000)


def effect_takes_the_demo(qtbot, w, page, b) -> None:
    """The demo starts on the samples; then, by keyboard, demo mode back to "offered"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    press(qtbot, b)
    assert w.session.demo and w.banner.isVisible()
    _cancel_everything(qtbot, w)
    click_step(qtbot, w, "start")
    box = next(x for x in w.findChildren(QComboBox) if x.accessibleName() == "Demo mode")
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)  # On → Offered when no camera or microphone is found
    assert box.currentData() == "auto" and not w.session.demo and w.start.missing_box.isVisible()


def effect_checks_anyway(qtbot, w, page, b) -> None:
    press(qtbot, b)
    assert not w.session.demo  # the person's own (missing) devices, no samples
    _cancel_everything(qtbot, w)


def effect_previous_step(qtbot, w, page, b) -> None:
    before = w.visible_keys().index(w.current_key())
    press(qtbot, b)
    assert w.visible_keys().index(w.current_key()) == before - 1


def effect_next_step(qtbot, w, page, b) -> None:
    before, name = w.visible_keys().index(w.current_key()), b.accessibleName()
    press(qtbot, b)
    now = w.current_key()
    assert w.visible_keys().index(now) == before + 1
    assert name == f"Next step: {w.pages[now].title()}"


def effect_snapshot_box(qtbot, w, page, b) -> None:
    before = (b.isChecked(), w.session.snapshot)
    press(qtbot, b)
    assert (b.isChecked(), w.session.snapshot) == (not before[0], not before[1])
    press(qtbot, b)  # back to the default: off


def effect_runs_the_pages_check(qtbot, w, page, b) -> None:
    press(qtbot, b)
    assert page.panel.running and page.panel.progress.isVisible()
    _idle(qtbot, w)
    assert page.panel.cards.count() >= 1  # its result is on the page
    assert all(p.id in w.session.results for p in page.panel.plugins())


def effect_cancels(qtbot, w, page, b) -> None:
    press(qtbot, b)
    _idle(qtbot, w)
    assert not page.panel.cancel_button.isVisible()


def effect_records(qtbot, w, page, b) -> None:
    press(qtbot, b)
    assert not b.isEnabled() and "Recording" in page.record_note.text()
    qtbot.waitUntil(lambda: b.isEnabled(), timeout=20_000)


def effect_plays_test_sound(qtbot, w, page, b) -> None:
    before = page.play_note.text()
    press(qtbot, b)
    qtbot.waitUntil(lambda: page.play_note.text() != before, timeout=20_000)
    qtbot.waitUntil(lambda: page.player is None, timeout=20_000)


def effect_rechecks_one(qtbot, w, page, b) -> None:
    """A card's (or a passed check's line's) "Check Computer again" on Results: that check
    runs again, the page says so and stays."""
    buttons = {cid: card.rerun_button for cid, card in page.cards.items()} | page.passed_buttons
    check_id = next(cid for cid, button in buttons.items() if button is b)
    before = w.session.results[check_id]
    press(qtbot, b)
    assert b.text() == "Checking…" and not b.isEnabled()
    assert page.recheck_note.text().startswith("Checking ")
    _idle(qtbot, w)
    qtbot.waitUntil(lambda: w.session.results[check_id] is not before, timeout=60_000)
    assert w.current_key() == "results"
    assert check_id in page.cards or check_id in page.passed_buttons
    assert " again at " in page.recheck_note.text()


def effect_export_menu(qtbot, w, page, b) -> None:
    press(qtbot, b)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    items = [a.text() for a in menu.actions()]
    menu.close()
    assert items == ["PDF document…", "Web page (HTML)…", "Plain text…",
                     "Data for IT support (JSON)…"]


def effect_copies_diagnostics(qtbot, w, page, b) -> None:
    QGuiApplication.clipboard().clear()
    press(qtbot, b)
    assert QGuiApplication.clipboard().text().startswith("TechCheck diagnostics")
    assert "Copied" in page.copy_note.text()


def effect_checklist_item(qtbot, w, page, b) -> None:
    before = page.status()
    press(qtbot, b)
    assert b.isChecked()
    assert page.status() != before or before is not None
    press(qtbot, b)
    assert not b.isChecked()


Effect = Callable[..., None]
EFFECTS: dict[str, Effect] = {
    "Open an invitation file from the recruiter": effect_opens_file_dialog,
    "Start the check": effect_starts_everything,
    "Look for the camera and microphone again": effect_looks_again,
    "See how it works with a sample video": effect_takes_the_demo,
    "Check my devices anyway": effect_checks_anyway,
    "Previous step": effect_previous_step,
    "Add a still picture of me to the report": effect_snapshot_box,
    "Check the camera": effect_runs_the_pages_check,
    "Check the microphone": effect_runs_the_pages_check,
    "Check the speakers": effect_runs_the_pages_check,
    "Check the connection": effect_runs_the_pages_check,
    "Check the computer": effect_runs_the_pages_check,
    "Check again": effect_runs_the_pages_check,
    "Cancel the check": effect_cancels,
    "Record 5 seconds": effect_records,
    "Play a test sound": effect_plays_test_sound,
    "Check everything": effect_starts_everything,
    "Check everything again": effect_starts_everything,
    "Export the report": effect_export_menu,
    "Copy diagnostics to the clipboard": effect_copies_diagnostics,
}
CHECKLIST = ("Invitation with the time and the joining link sent", "CV and application read",
             "Questions and assessment criteria ready", "Quiet room booked")


def _effect(name: str) -> Effect | None:
    if name in EFFECTS:
        return EFFECTS[name]
    if name.startswith("Next step: "):
        return effect_next_step
    if name in CHECKLIST:
        return effect_checklist_item
    if name.startswith("Check ") and name.endswith(" again"):  # a card on Results
        return effect_rechecks_one
    return None


def _buttons(w) -> list[QAbstractButton]:
    return [b for b in w.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()]


PAGES = [("candidate", k) for k in ("start", "camera", "microphone", "speaker", "network",
                                     "system", "results")] + [("recruiter", "checklist"),
                                                              ("it", "details"),
                                                              ("nodevices", "start")]


@pytest.mark.slow
@pytest.mark.parametrize(("role", "key"), PAGES, ids=[f"{k}-{r}" if r == "nodevices" else k
                                                      for r, k in PAGES])
def test_every_visible_button_does_what_it_says(make_window, qtbot, role, key):
    # "nodevices": a newcomer's Start page on this computer without camera or microphone
    demo_mode = "auto" if role == "nodevices" else "on"
    w = make_window(demo_mode=demo_mode, role="candidate" if role == "nodevices" else role,
                    language="en")
    if role == "nodevices" and not w.missing_devices():
        pytest.skip("this computer has a camera and a microphone: nothing is missing")
    if key == "results":  # a result to export
        click_step(qtbot, w, "system")
        _idle(qtbot, w)
    click_step(qtbot, w, key)
    _idle(qtbot, w)
    names = [b.accessibleName() for b in _buttons(w)]
    unknown = [n for n in names if _effect(n) is None]
    assert not unknown, f"buttons without a proven effect on {key}: {unknown}"
    pressed = []
    for name in names:
        click_step(qtbot, w, key)  # every press starts from the page as a person sees it
        _idle(qtbot, w)
        button = next((b for b in _buttons(w) if b.accessibleName() == name), None)
        if button is None:  # e.g. "Check the camera" became "Check again"
            continue
        page = w.pages[key]
        _effect(name)(qtbot, w, page, button)
        pressed.append(name)
    assert len(pressed) >= 2, pressed  # at least the page's own action and a way on
