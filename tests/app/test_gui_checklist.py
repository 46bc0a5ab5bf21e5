"""The recruiter's preparation checklist reaches Results and the reports (issue 23 item 9):
unticked items count as the step list shows them, the Start page speaks to a recruiter, and
the Preparation page has a primary action."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox

from tests.gui_fixtures import by_name, click_step, press

# the offscreen platform cannot resize a native window to its size hints
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

CHECKLIST = ("Invitation with the time and the joining link sent", "CV and application read",
             "Questions and assessment criteria ready", "Quiet room booked")


def _check_the_computer(qtbot, w) -> None:
    click_step(qtbot, w, "system")
    qtbot.waitUntil(lambda: "system" in w.session.results
                    and not w.pages["system"].panel.running, timeout=60_000)


@pytest.mark.slow
def test_results_show_the_checklist_and_count_unticked_items(make_window, qtbot):
    from techcheck.app.gui.reporting import make_report
    from techcheck.checks.model import Status, Verdict

    w = make_window(demo_mode="off", role="recruiter", language="en")
    _check_the_computer(qtbot, w)
    click_step(qtbot, w, "results")
    res = w.pages["results"]
    card = by_name(w, "Interviewer's preparation", QGroupBox)
    assert "✗ Quiet room booked: Not done" in res.checklist_rows.text()
    assert "4 preparation items not ticked yet." in res.summary.text()
    # the report counts them as the app does: never "ready" with the preparation undone
    assert make_report(w.session).verdict is not Verdict.READY
    assert make_report(w.session).checklist_undone == 4
    assert w.pages["checklist"].status() is Status.WARN

    click_step(qtbot, w, "checklist")
    for name in CHECKLIST:
        press(qtbot, by_name(w, name))
    assert w.pages["checklist"].status() is Status.PASS
    click_step(qtbot, w, "results")
    assert card.isVisible()
    assert "✓ Quiet room booked: Done" in res.checklist_rows.text()
    assert "not ticked" not in res.summary.text()
    report = make_report(w.session)
    assert report.checklist_undone == 0
    system = w.session.results["system"].status
    if system in (Status.PASS, Status.TIP):  # the computer passed: ticking all makes it ready
        assert report.verdict is Verdict.READY


@pytest.mark.slow
def test_the_checklist_card_is_swedish(make_window, qtbot):
    w = make_window(demo_mode="off", role="recruiter", language="sv")
    _check_the_computer(qtbot, w)
    click_step(qtbot, w, "results")
    by_name(w, "Intervjuarens förberedelser", QGroupBox)
    assert "✗ Tyst rum bokat: Inte klart" in w.pages["results"].checklist_rows.text()
    assert "4 förberedelser är inte avbockade ännu." in w.pages["results"].summary.text()


def test_no_checklist_card_for_a_candidate(make_window, qtbot):
    w = make_window(demo_mode="on", role="candidate", language="en")
    click_step(qtbot, w, "results")
    assert not w.pages["results"].checklist_box.isVisible()


def test_preparation_page_starts_the_check(make_window, qtbot):
    w = make_window(demo_mode="on", role="recruiter", language="en")
    click_step(qtbot, w, "checklist")
    button = by_name(w, "Start the check")
    assert button is w.pages["checklist"].primary
    press(qtbot, button)
    assert w.run_all.active and w.current_key() == "camera"
    press(qtbot, next(x for x in w.findChildren(QAbstractButton)
                      if x.isVisible() and x.accessibleName() == "Cancel the check"))
    qtbot.waitUntil(lambda: not w.run_all.active
                    and not any(p.busy() for p in w.pages.values()), timeout=30_000)


@pytest.mark.parametrize(("lang", "candidate", "recruiter"), [
    ("en", "Get ready for your video interview", "Get ready to hold a video interview"),
    ("sv", "Gör dig redo för din videointervju", "Gör dig redo att hålla en videointervju"),
])
def test_start_page_speaks_to_a_recruiter(make_window, qtbot, lang, candidate, recruiter):
    w = make_window(demo_mode="on", role="candidate", language=lang)
    assert w.start.heading.text() == candidate
    role = by_name(w, "Your role" if lang == "en" else "Din roll", QComboBox)
    role.setFocus()
    qtbot.keyClick(role, Qt.Key.Key_Down)  # candidate → recruiter
    assert w.session.role == "recruiter"
    assert w.start.heading.text() == recruiter
    assert "your video interview" not in w.start.intro.text()
