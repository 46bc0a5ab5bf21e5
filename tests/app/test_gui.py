"""The desktop app, offscreen: the worker helper, typed settings, and the whole wizard flow
in demo mode (file-backed camera and microphone, the network check against the local
measurement server), Swedish, keyboard-only use, accessible names, closing mid-check."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QPlainTextEdit,
    QTabWidget,
)

from techcheck.app.gui import settings as S
from techcheck.app.gui import tasks
from techcheck.checks.model import Status
from tests.gui_fixtures import by_name, click_step, export_via_dialog, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


# --- the worker helper ------------------------------------------------------------------------

def test_task_delivers_progress_and_result_on_the_gui_thread(qtbot, leak_guard):
    gui = threading.get_ident()
    seen: list[tuple[str, object, int]] = []

    def work(ctx):
        for i in range(3):
            ctx.progress(i)
        return threading.get_ident()

    t = tasks.run_task(work, name="t", on_progress=lambda v: seen.append(("p", v, threading.get_ident())),
                       on_result=lambda v: seen.append(("r", v, threading.get_ident())))
    with qtbot.waitSignal(t.finished, timeout=5000):
        pass
    assert [s[:2] for s in seen[:3]] == [("p", 0), ("p", 1), ("p", 2)]
    kind, worker_ident, _where = seen[3]
    assert kind == "r" and worker_ident != gui
    assert all(s[2] == gui for s in seen)  # every callback ran on the GUI thread


def test_task_error_is_reported_not_raised(qtbot, leak_guard):
    errors = []
    t = tasks.run_task(lambda ctx: 1 / 0, name="boom", on_error=errors.append)
    with qtbot.waitSignal(t.finished, timeout=5000):
        pass
    assert isinstance(errors[0].exception, ZeroDivisionError)
    assert "ZeroDivisionError" in errors[0].message


def test_task_cancel_stops_the_worker_promptly(qtbot, leak_guard):
    def work(ctx):
        ctx.cancel.sleep(30)  # raises Cancelled within 50 ms of cancel

    cancelled = []
    t = tasks.run_task(work, name="sleeper")
    t.cancelled.connect(lambda: cancelled.append(True))
    t.cancel()
    with qtbot.waitSignal(t.finished, timeout=3000):
        pass
    assert cancelled == [True]


def test_latest_values_are_coalesced(qtbot, leak_guard):
    got = []

    def work(ctx):
        for i in range(2000):
            ctx.latest(i)
        return None

    t = tasks.run_task(work, name="frames", on_latest=got.append)
    with qtbot.waitSignal(t.finished, timeout=5000):
        pass
    assert got and got == sorted(got)
    assert len(got) < 2000  # older values were dropped, not queued


def test_shutdown_joins_every_task(qtbot, leak_guard):
    for i in range(3):
        tasks.run_task(lambda ctx: ctx.cancel.sleep(30), name=f"long{i}")
    assert len(tasks.running_tasks()) == 3
    assert tasks.shutdown(timeout_s=3) == []
    assert tasks.running_tasks() == []


# --- settings ---------------------------------------------------------------------------------

def test_settings_are_typed_and_survive_garbage(tmp_path, qapp):
    qs = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    s = S.Settings(qs)
    assert s.get(S.ROLE) == "candidate" and s.get(S.DEMO_MODE) == "auto"
    s.set(S.ROLE, "it")
    assert s.get(S.ROLE) == "it"
    qs.setValue(S.ROLE.key, "hacker")  # a hand-edited file
    assert s.get(S.ROLE) == "candidate"
    with pytest.raises(ValueError):
        s.set(S.PLATFORM, "skype")


# --- the wizard -------------------------------------------------------------------------------

def _results_for(window, page: str):
    return [window.session.results[p.id] for p in window.session.plugins_for(page)
            if p.id in window.session.results]


@pytest.mark.slow
def test_whole_flow_in_demo_mode(make_window, qtbot, tmp_path):
    """Step by step through the wizard with the mouse: each page's live view, its own check
    button, Results with a re-check and an export through the file dialog, the IT page."""
    w = make_window(demo_mode="on", role="it", language="en")
    assert w.session.demo and w.banner.isVisible()
    assert w.visible_keys() == ["start", "camera", "microphone", "speaker", "network",
                                "system", "results", "details"]
    # camera: live frames from the sample clip, drawn with the overlay
    press(qtbot, by_name(w, "Next step: Camera"))
    cam = w.pages["camera"]
    assert w.current_key() == "camera"
    qtbot.waitUntil(lambda: cam.video.frames_shown >= 3, timeout=30_000)
    assert cam.last_analysis is not None
    # microphone: the level meter moves with the sample recording
    press(qtbot, by_name(w, "Next step: Microphone"))
    assert cam.preview is None  # the camera was released when its page was left
    mic = w.pages["microphone"]
    qtbot.waitUntil(lambda: mic.meter.updates >= 5, timeout=20_000)
    assert mic.meter.rms > -60
    press(qtbot, by_name(w, "Next step: Speakers"))
    assert mic.live is None  # the microphone was released
    # network: live samples from the local measurement server while the check runs
    press(qtbot, by_name(w, "Next step: Internet connection"))
    net = w.pages["network"]
    press(qtbot, by_name(w, "Check the connection"))
    qtbot.waitUntil(lambda: not net.panel.running, timeout=90_000)
    assert net.samples > 0
    assert net.server is not None and net.server.url.startswith("http://127.0.0.1")
    assert _results_for(w, "network")
    # system: runs by itself on arrival
    sysp = w.pages["system"]
    press(qtbot, by_name(w, "Next step: Computer"))
    qtbot.waitUntil(lambda: bool(_results_for(w, "system")) and not sysp.panel.running,
                    timeout=60_000)
    # results: one verdict, cards with fixes, re-check one, export
    press(qtbot, by_name(w, "Next step: Results"))
    res = w.pages["results"]
    assert res.verdict.word.text()
    from techcheck.checks.model import Verdict, verdict_for

    missing = [p for p in w.session.plugins if p.id not in w.session.results]
    if missing and verdict_for(w.session.ordered_results(),
                               demo=w.session.demo) is not Verdict.NOT_READY:
        # never "ready" while checks have not run: what ran is fine so far, nothing more
        assert res.verdict.status() is None
        assert res.verdict.word.text() == "Not finished yet"
    else:
        assert res.verdict.status() is not None
    assert "system" in res.cards or "system" in res.passed_buttons  # a card, or a passed line
    assert res.cards["network"].verdict_label is not None
    assert res.cards["network"].verdict_label.text()
    before = w.session.results["system"]
    press(qtbot, by_name(w, "Check Computer again"))
    qtbot.waitUntil(lambda: w.session.results["system"] is not before, timeout=60_000)
    out = tmp_path / "report.json"
    export_via_dialog(qtbot, w, "Data for IT support (JSON)…", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["demo"]["note"].startswith("Demo finished") and data["verdict"] == "demo"
    assert any(c["id"] == "system" for c in data["checks"])
    # IT support: every metric with its limit, the log, copy diagnostics
    press(qtbot, by_name(w, "Next step: Details"))
    det = w.pages["details"]
    assert det.metrics.rowCount() >= len(w.session.results["system"].metrics)
    shown = {det.metrics.item(i, 1).text(): det.metrics.item(i, 4).text()
             for i in range(det.metrics.rowCount())}
    # The limit is worded with its comparison, as the report words it (not the raw number).
    assert shown["cpu_load"][0] in "≤<" and shown["cpu_load"].endswith("%"), shown
    assert shown["memory_free"][0] in "≥>" and ("GiB" in shown["memory_free"]
                                               or "MiB" in shown["memory_free"]), shown
    assert shown["cpu_cores"] == "", shown
    press(qtbot, by_name(w, "Copy diagnostics to the clipboard"))
    from PySide6.QtGui import QGuiApplication

    text = QGuiApplication.clipboard().text()
    assert text.startswith("TechCheck diagnostics") and '"checks"' in text


@pytest.mark.slow
def test_export_failure_is_shown_inline_with_the_fix(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="on")
    click_step(qtbot, w, "system")
    qtbot.waitUntil(lambda: bool(_results_for(w, "system")) and not w.pages["system"].panel.running,
                    timeout=60_000)
    click_step(qtbot, w, "results")
    res = w.pages["results"]
    bad = tmp_path / "missing-folder" / "r.txt"
    export_via_dialog(qtbot, w, "Plain text…", bad)
    assert "does not exist" in res.export_note.text()
    assert res.export_note.isVisible()


def test_recruiter_checklist_goes_into_the_report(make_window):
    from techcheck.app.gui.reporting import make_report

    w = make_window(demo_mode="on", role="recruiter")
    assert "checklist" in w.visible_keys() and "details" not in w.visible_keys()
    page = w.pages["checklist"]
    page.boxes["invitation_sent"].setChecked(True)
    report = make_report(w.session)
    items = {i["id"]: i["done"] for i in report.extra["checklist"]["items"]}
    assert items["invitation_sent"] is True and items["room_booked"] is False
    assert page.status() is Status.WARN


@pytest.mark.slow
def test_swedish_everywhere(make_window, qtbot):
    w = make_window(demo_mode="on", language="sv")
    assert w.session.lang == "sv"
    assert w.start.heading.text() == "Gör dig redo för din videointervju"
    assert "Nästa" in w.next_button.text()
    sysp = w.pages["system"]
    with qtbot.waitSignal(sysp.panel.all_finished, timeout=60_000):
        w.go("system")
    # the check's own texts come from checks.i18n in the same language
    title = sysp.panel.findChildren(type(w.pages["results"].verdict.word))
    assert any(lab.text() == "Dator" for lab in title)
    w.set_language("en")
    assert w.start.heading.text() == "Get ready for your video interview"


def test_keyboard_only_walk_through(make_window, qtbot):
    w = make_window(demo_mode="on")
    w.start.start_button.setFocus()
    qtbot.keyClick(w.start.start_button, Qt.Key.Key_Space)
    assert w.current_key() == "camera"
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert w.current_key() == "microphone"
    qtbot.keyClick(w, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert w.current_key() == "camera"
    w.go("start")
    assert w.start.language_label.buddy() is w.start.language  # Alt+L reaches the box


def test_every_control_has_an_accessible_name(make_window):
    w = make_window(demo_mode="on", role="it")
    missing = []
    for key in w.visible_keys():
        w.go(key)
        page = w.pages[key]
        for cls in (QAbstractButton, QComboBox, QAbstractItemView, QPlainTextEdit, QTabWidget):
            for c in page.findChildren(cls):
                if c.isVisibleTo(page) and not (c.accessibleName() or getattr(c, "text", str)()):
                    missing.append(f"{key}: {type(c).__name__} {c.objectName()}")
    assert missing == []


def test_status_is_never_colour_alone(qapp):  # a QPixmap needs the application first
    from techcheck.app.gui.widgets.status import _pixmap, status_word

    words = {status_word(s) for s in Status}
    assert len(words) == len(Status)  # a distinct word for every status
    shapes = set()
    for s in Status:  # the outline (alpha) plus the light glyph drawn inside it
        img = _pixmap(s, 24, 1.0, False).toImage()
        mask = tuple((img.pixelColor(x, y).alpha() > 128, img.pixelColor(x, y).lightness() > 200)
                     for y in range(24) for x in range(24))
        shapes.add(mask)
    assert len(shapes) == len(Status)  # and a distinct shape (outline and glyph) for every status


def test_closing_mid_check_ends_cleanly(make_window, qtbot):
    w = make_window(demo_mode="on")
    click_step(qtbot, w, "network")
    page = w.current_page()
    press(qtbot, by_name(w, "Check the connection"))
    qtbot.waitUntil(lambda: page.panel.running, timeout=5000)
    w.close()  # leak_guard and make_window then assert nothing is left running
    assert not tasks.running_tasks()


def test_camera_error_is_shown_inline_with_a_fix(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="off")
    cam = w.pages["camera"]
    w.session.devices.camera = str(tmp_path / "no-such-clip.avi")
    w.go("camera")
    qtbot.waitUntil(lambda: cam.looks.status() is Status.FAIL, timeout=10_000)
    assert cam.preview is None
    assert cam.video._message  # message and fix drawn over the preview
    assert "\n" in cam.video._message


def test_cancel_stops_a_running_check(make_window, qtbot):
    w = make_window(demo_mode="on")
    click_step(qtbot, w, "network")
    page = w.pages["network"]
    press(qtbot, by_name(w, "Check the connection"))
    assert page.panel.progress.isVisible() and page.panel.message.text()
    press(qtbot, by_name(w, "Cancel the check"))
    qtbot.waitUntil(lambda: not page.panel.running, timeout=10_000)
    assert not page.panel.progress.isVisible()
    assert page.panel.run_button.isEnabled() and page.panel.run_button.isVisible()
    assert page.panel.run_button.accessibleName() in ("Check the connection", "Check again")


@pytest.mark.audio
@pytest.mark.slow
def test_microphone_page_meters_the_virtual_microphone(make_window, qtbot, virtual_microphone):
    """A real capture path: PortAudio → private PipeWire → the null sink's monitor."""
    from techcheck.app import demo

    w = make_window(demo_mode="off")
    mic = w.pages["microphone"]
    w.session.devices.microphone = None  # the system default: PipeWire's virtual microphone
    virtual_microphone.play(demo.voice_clip())
    w.go("microphone")
    mic.picker.setCurrentIndex(mic.picker.findData(None))
    qtbot.waitUntil(lambda: mic.meter.updates >= 20 and mic.meter.peak > -40, timeout=20_000)
    # judged as the check judges, once the window holds a second of speech
    qtbot.waitUntil(lambda: mic.level.status() is not None, timeout=20_000)
    assert mic.level.status() in (Status.PASS, Status.TIP, Status.WARN)
    assert mic.verdict is not None and mic.verdict.level_dbfs is not None
    w.go("speaker")
    assert mic.live is None  # released when the page was left


def test_microphone_check_samples_move_the_page_meter(make_window, qtbot):
    """While the microphone check records it holds the microphone, so the page meters the
    level samples the check reports (``Progress.data`` of kind "level", as
    ``checks/audio/microphone.py`` sends them through the panel). The page built each reading
    without its time stamp: a TypeError on every sample, and a meter that never moved."""
    w = make_window(demo_mode="on", language="en")
    w.go("microphone")
    mic = w.pages["microphone"]
    before = mic.meter.updates
    mic.panel.sample.emit({"kind": "level", "rms_dbfs": -24.0, "peak_dbfs": -9.0,
                           "clipping": False, "t": 0.5})
    assert mic.meter.updates == before + 1
    assert mic.meter.peak == pytest.approx(-9.0, abs=0.5)
