"""Issue 20: on a computer with no camera and no microphone the app says so first, with the
fix, and offers the demo as a choice; a demo ends on its own neutral verdict, never on
"Ready for the interview". Every action through real input on widgets found by their
accessible names. The test machine has no camera, and no microphone unless a test starts the
private PipeWire server: what is missing is read from the window, not assumed."""

from __future__ import annotations

import pytest

from techcheck.app import demo
from techcheck.checks.model import Status
from tests.gui_fixtures import by_name, press, visible_widgets

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

READINESS = ("Ready for the interview", "Ready, with warnings", "Ready so far", "Not ready yet")


def _missing_or_skip(w) -> tuple[str, ...]:
    missing = w.missing_devices()
    if not missing:
        pytest.skip("this computer has a camera and a microphone: nothing is missing")
    return missing


def _visible_texts(w) -> list[str]:
    from PySide6.QtWidgets import QLabel

    texts = [lab.text() for lab in visible_widgets(w, QLabel)]
    return texts + [w.steps.item(i).text() for i in range(w.steps.count())]


@pytest.mark.slow
def test_start_says_what_is_missing_and_the_demo_is_a_choice_ending_on_its_own_verdict(
        make_window, qtbot):
    from PySide6.QtWidgets import QGroupBox

    from techcheck.app.gui import settings as S

    w = make_window(demo_mode="auto", language="en")
    missing = _missing_or_skip(w)
    # nothing stands in silently: no demo until the person asks for one
    assert not w.session.demo and not w.banner.isVisible()
    press(qtbot, by_name(w, "Start the check"))
    assert not w.run_all.active and w.current_key() == "start" and not w.session.results
    box = by_name(w, demo.MISSING[missing], QGroupBox)
    assert box.isAncestorOf(w.start.missing_title) and w.start.missing_title.status() is Status.WARN
    assert w.start.missing_title.word.text() == demo.MISSING[missing]
    fix = w.start.missing_text.text()
    assert fix.startswith("Plug in your webcam or headset") and "Look again" in fix
    assert "says nothing about your own devices" in fix
    by_name(w, "Look for the camera and microphone again")
    by_name(w, "Check my devices anyway")
    choice = by_name(w, "See how it works with a sample video")
    assert choice.hasFocus()  # where the keyboard is after pressing Start
    press(qtbot, choice)
    assert w.session.demo and w.banner.isVisible() and w.run_all.active
    assert w.start.demo.currentData() == "on"
    assert w.settings.get(S.DEMO_MODE) == "auto"  # this sitting only: next time it is offered

    def done() -> bool:
        for panel in (getattr(p, "panel", None) for p in w.pages.values()):
            if panel is not None and panel.question.isVisible():
                press(qtbot, panel.yes_button if panel.yes_button.isVisible()
                      else panel.no_button)
        return not w.run_all.active and w.current_key() == "results"

    qtbot.waitUntil(done, timeout=120_000)
    assert all(p.id in w.session.results for p in w.session.plugins)
    res = w.pages["results"]
    assert res.verdict.word.text() == "Demo finished"
    assert res.verdict.status() is Status.TIP  # neutral: not the pass colour of readiness
    # the computer check looked at this computer, the connection at a test server on it
    assert res.summary.text() == (
        "The camera, microphone and speaker checks ran on sample media and the connection "
        "check against a test server on this computer; the computer and screen sharing checks "
        "looked at this computer itself. This says nothing about your own devices.")
    row = w.visible_keys().index("results")
    assert w.steps.item(row).text() == "Results\nDemo finished"
    shown = _visible_texts(w)
    assert not [t for t in shown if any(r in t for r in READINESS)], shown
    # a demo is not kept as a run of this computer, nor compared with one
    qtbot.waitUntil(lambda: not w.keeper.unsaved and w.keeper.task is None, timeout=10_000)
    assert w.session.saved_run is None and not w.pages["results"].compare_box.isVisible()


def test_with_demo_mode_off_the_fix_is_said_without_a_demo(make_window, qtbot):
    from PySide6.QtWidgets import QAbstractButton

    w = make_window(demo_mode="off", language="en")
    _missing_or_skip(w)
    press(qtbot, by_name(w, "Start the check"))
    assert not w.run_all.active and w.start.missing_box.isVisible()
    names = {b.accessibleName() for b in visible_widgets(w, QAbstractButton)}
    assert "See how it works with a sample video" not in names
    assert "says nothing" not in w.start.missing_text.text()


def test_look_again_lists_the_devices_again(make_window, qtbot):
    w = make_window(demo_mode="auto", language="en")
    missing = _missing_or_skip(w)
    press(qtbot, by_name(w, "Look for the camera and microphone again"))
    # "Looking…" while a worker lists the devices again, then the same finding
    assert w.lister is not None and w.start.look_again_button.text() == "Looking…"
    assert not w.start.look_again_button.isEnabled()
    qtbot.waitUntil(lambda: w.lister is None, timeout=30_000)
    assert w.missing_devices() == missing and w.start.missing_box.isVisible()
    assert w.start.look_again_button.isEnabled()


def test_the_offer_is_in_swedish(make_window, qtbot):
    from PySide6.QtWidgets import QGroupBox

    w = make_window(demo_mode="auto", language="sv")
    missing = _missing_or_skip(w)
    press(qtbot, by_name(w, "Starta kontrollen"))
    titles = {"camera": "Ingen kamera hittades.", "microphone": "Ingen mikrofon hittades."}
    title = ("Ingen kamera och ingen mikrofon hittades." if len(missing) == 2
             else titles[missing[0]])
    by_name(w, title, QGroupBox)
    by_name(w, "Se hur det fungerar med en exempelvideo")
    assert w.start.missing_text.text().startswith("Anslut din webbkamera")


def test_leaving_demo_mode_clears_the_demos_results(make_window, qtbot):
    """Results judged on the samples never stand beside, or for, a check of the devices: turning
    demo mode off in the Start page's box (keyboard, as a person does) empties the results."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    from tests.gui_fixtures import click_step

    w = make_window(demo_mode="on", language="en")
    click_step(qtbot, w, "microphone")
    page = w.pages["microphone"]
    with qtbot.waitSignal(page.panel.all_finished, timeout=60_000):
        press(qtbot, by_name(w, "Check the microphone"))
    assert "microphone" in w.session.results
    click_step(qtbot, w, "results")
    assert w.pages["results"].verdict.word.text() == "Not finished yet"
    click_step(qtbot, w, "start")
    box = by_name(w, "Demo mode", QComboBox)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)  # On → Off
    assert box.currentData() == "off" and not w.session.demo
    assert not w.session.results and not w.banner.isVisible()
    # the samples left the pickers with demo mode, so what is missing is said again
    assert w.start.missing_box.isVisible() == bool(w.missing_devices())
    assert w.session.devices.camera is None or "demo" not in str(w.session.devices.camera)
    click_step(qtbot, w, "results")
    assert w.pages["results"].verdict.word.text() == "Nothing checked yet"
