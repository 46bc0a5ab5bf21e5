"""Results as a person reads it (issue 23 item 10): the checks with nothing to fix in one line,
the rest in the side list's order and names, a re-run that shows it is checking and then when
and what it found, and no old verdict while "Check everything again" runs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFrame, QLabel

from tests.gui_fixtures import by_name, click_step, press, visible_widgets

# the offscreen platform cannot resize a native window to its size hints
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _steps(w) -> dict[str, str]:
    return {w.steps.item(i).data(Qt.ItemDataRole.UserRole): w.steps.item(i).text()
            for i in range(w.steps.count())}


def _run_page(qtbot, w, key: str, button: str) -> None:
    click_step(qtbot, w, key)
    panel = w.pages[key].panel
    if not panel.running and not any(p.id in w.session.results for p in panel.plugins()):
        press(qtbot, by_name(w, button))
    qtbot.waitUntil(lambda: not panel.running and any(
        p.id in w.session.results for p in panel.plugins()), timeout=60_000)


@pytest.mark.parametrize(("lang", "name"), [("en", "Internet connection"),
                                            ("sv", "Internetanslutning")])
def test_a_check_has_one_name_in_the_side_list_and_on_results(make_window, qtbot, lang, name):
    from techcheck.checks.i18n import translate

    w = make_window(demo_mode="on", language=lang)
    plugin = next(p for p in w.session.plugins if p.id == "network")
    assert translate(plugin.cls.title, lang) == name
    assert _steps(w)["network"].splitlines()[0] == name
    click_step(qtbot, w, "speaker")
    assert by_name(w, ("Next step: " if lang == "en" else "Nästa steg: ") + name)


@pytest.mark.slow
def test_passing_checks_fold_into_one_line_and_the_others_keep_their_cards(make_window, qtbot):
    """The sample media pass the camera and microphone checks on any computer, however busy
    (this test ran the system check before and skipped itself whenever the load made that
    warn); the demo connection's verdict sentence ("Good enough for …") keeps it a card. A
    failed check's card: test_check_again_shows_it_is_checking_then_when_and_what."""
    from techcheck.app.gui.widgets.findings import nothing_to_fix

    w = make_window(demo_mode="on", language="en")
    _run_page(qtbot, w, "camera", "Check the camera")
    _run_page(qtbot, w, "microphone", "Check the microphone")
    _run_page(qtbot, w, "network", "Check the connection")
    click_step(qtbot, w, "results")
    res = w.pages["results"]
    results = w.session.ordered_results()
    passed = [r for r in results if nothing_to_fix(r)]
    assert [r.id for r in passed] == ["camera", "microphone"], \
        [(r.id, r.status, [f.code for f in r.findings]) for r in results]
    page_labels = [lab.text() for lab in visible_widgets(res, QLabel)]
    assert "Nothing to fix." not in page_labels  # no card that only says so
    line = by_name(res, "Nothing to fix: " + ", ".join(r.title for r in passed), QFrame)
    # a line per check with nothing to fix, not a card each
    assert line.isVisible() and line.height() < 45 * len(passed)
    for r in passed:
        assert by_name(line, f"Check {r.title} again").text() == "Check again"
    # the cards follow the steps' order, not a severity sort
    shown = [c.result.id for c in sorted(res.cards.values(), key=lambda c: c.y())]
    assert shown == [r.id for r in results if not nothing_to_fix(r)] == ["network"]


@pytest.mark.slow
def test_check_again_shows_it_is_checking_then_when_and_what(make_window, qtbot):
    w = make_window(demo_mode="off", language="en")
    _run_page(qtbot, w, "camera", "Check the camera")  # no camera here: it fails at once
    if "camera" in w.session.results and w.session.results["camera"].status.value == "pass":
        pytest.skip("this computer has a working camera")
    click_step(qtbot, w, "results")
    res = w.pages["results"]
    before = w.session.results["camera"]
    press(qtbot, by_name(w, "Check Camera again"))
    assert res.recheck_note.isVisible()
    assert res.recheck_note.text() == "Checking Camera again…"
    qtbot.waitUntil(lambda: w.session.results["camera"] is not before
                    and w._rerun_page is None, timeout=30_000)
    text = res.recheck_note.text()
    assert text.startswith("Camera checked again at ") and text.endswith(": Failed"), text
    assert res.recheck_note.isVisible()


@pytest.mark.slow
def test_check_everything_again_clears_the_old_results(make_window, qtbot):
    w = make_window(demo_mode="on", language="en")
    _run_page(qtbot, w, "system", "Check the computer")
    click_step(qtbot, w, "results")
    res = w.pages["results"]
    assert res.cards or res.passed_row.isVisible()
    press(qtbot, by_name(w, "Check everything again"))
    assert w.run_all.active
    assert _steps(w)["system"].splitlines() == ["Computer"]  # no old status beside it
    assert not res.cards and not res.passed_row.isVisible()
    assert res.step_status() == (None, "Nothing checked yet")
    press(qtbot, next(x for x in w.findChildren(QAbstractButton)
                      if x.isVisible() and x.accessibleName() == "Cancel the check"))
    qtbot.waitUntil(lambda: not w.run_all.active
                    and not any(p.busy() for p in w.pages.values()), timeout=30_000)


@pytest.mark.slow
def test_switching_demo_mode_leaves_no_old_result_on_a_step(make_window, qtbot):
    from PySide6.QtWidgets import QComboBox

    from techcheck.app.gui.widgets.findings import ResultCard

    w = make_window(demo_mode="on", language="en")
    _run_page(qtbot, w, "camera", "Check the camera")  # the sample video
    # the card is drawn when the page hears of the result, a moment after the session has it
    qtbot.waitUntil(lambda: bool(visible_widgets(w.pages["camera"], ResultCard)), timeout=10_000)
    click_step(qtbot, w, "start")
    demo = by_name(w, "Demo mode", QComboBox)
    demo.setFocus()
    qtbot.keyClick(demo, Qt.Key.Key_Down)  # "On" → "Off: use my devices"
    assert not w.session.demo and not w.session.results
    click_step(qtbot, w, "camera")
    assert not visible_widgets(w.pages["camera"], ResultCard)  # the sample's verdict is gone
    click_step(qtbot, w, "results")
    assert not w.pages["results"].cards and not w.pages["results"].passed_buttons
