"""The person sees what is judged (issue 23 item 8): in the one-click check the Camera page shows
the live picture with its guides for as long as the camera check looks, with a countdown and
a sentence of what it judges, and the Microphone page shows the live meter for as long as the
microphone check listens; the Start page shows a live self-view, as a video service's
pre-join screen does, and gives the camera up before anything else opens it.

Everything through real input on the real window: the sample video is a real file read by
``cv2.VideoCapture``, the sample voice a real WAV file, and the buttons are pressed by their
accessible names."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from techcheck.app.gui import tasks
from techcheck.app.gui.widgets.video import VideoView
from techcheck.checks.audio import measures as M
from tests.gui_fixtures import by_name, click_step, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

#: The least time the person must see the live picture, and hear-and-see the meter.
CAMERA_SEEN_S = 3.5
MICROPHONE_SEEN_S = 4.0


def _selfview_holds_camera() -> bool:
    """The Start page's worker still runs (it closes the camera before its thread ends)."""
    return any(t.name == "start-selfview" and t._thread.isRunning()
               for t in tasks.running_tasks())


def _watch_run(qtbot, w) -> dict:
    """Follow the one-click check every 50 ms as a person watching the screen would."""
    cam, mic = w.pages["camera"], w.pages["microphone"]
    seen: dict = {"camera": [], "microphone": [], "judging": set(), "listening": set(),
                  "tags": set(), "selfview_running_on_camera": False}

    def step() -> bool:
        now, key = time.monotonic(), w.current_key()
        if key == "camera" and cam.isVisible():
            seen["camera"].append((now, cam.video.frames_shown))
            if cam.judging.isVisible():
                seen["judging"].add(cam.judging.text())
            seen["tags"].add(cam.video._tag)
            if _selfview_holds_camera():
                seen["selfview_running_on_camera"] = True
        elif key == "microphone" and mic.isVisible():
            seen["microphone"].append((now, mic.meter.updates))
            if mic.listening.isVisible():
                seen["listening"].add(mic.listening.text())
        return not w.run_all.active and w.current_key() == "results"

    qtbot.waitUntil(step, timeout=120_000)
    return seen


def _moving_span(samples: list[tuple[float, int]]) -> float:
    """Seconds between the first and the last new picture (or meter reading) on the page."""
    times = [t for (_t0, n0), (t, n) in itertools.pairwise(samples) if n > n0]
    return times[-1] - times[0] if len(times) > 1 else 0.0


@pytest.mark.slow
def test_one_click_shows_the_picture_and_the_meter_while_they_are_judged(make_window, qtbot):
    w = make_window(demo_mode="on", language="en", paced=True)
    press(qtbot, by_name(w, "Start the check"))
    seen = _watch_run(qtbot, w)
    camera_span = _moving_span(seen["camera"])
    mic_span = _moving_span(seen["microphone"])
    print("camera live", round(camera_span, 2), "s; microphone meter", round(mic_span, 2), "s")
    # the live picture stays up while the camera check looks: seconds, not a flash
    assert camera_span >= CAMERA_SEEN_S, camera_span
    # ... with the sentence of what is judged and a countdown that moves
    assert any("looking at the sample video" in t for t in seen["judging"]), seen["judging"]
    counts = {t for t in seen["tags"] if t.startswith("Checking:")}
    assert len(counts) >= 3, counts
    # the time shown is the time the check looked: its own frames span as long
    cam_result = w.session.results["camera"]
    frames = cam_result.metrics["frames"].value
    fps = cam_result.details["source"]["fps"]
    assert frames / fps >= CAMERA_SEEN_S, (frames, fps)
    # the meter moves while the microphone check listens, for the whole recording it judges
    assert mic_span >= MICROPHONE_SEEN_S, mic_span
    heard = w.session.results["microphone"].metrics[M.DURATION.name].value
    assert mic_span <= heard + 1.0, (mic_span, heard)  # no pause added after the work
    assert any("listening to the sample recording" in t and "s left" in t
               for t in seen["listening"]), seen["listening"]
    # the self-view gave the camera up before the check opened it
    assert not seen["selfview_running_on_camera"]
    # the countdowns are gone once the checks are done
    assert not w.pages["camera"].judging.isVisibleTo(w.pages["camera"])
    assert not w.pages["microphone"].listening.isVisibleTo(w.pages["microphone"])


def _frames_seen(qtbot, view: VideoView, count: int) -> list[np.ndarray]:
    got: list[np.ndarray] = []

    def more() -> bool:
        if view._frame is not None and (not got or view._frame is not got[-1]):
            got.append(view._frame)
        return len(got) >= count

    qtbot.waitUntil(more, timeout=30_000)
    return got


@pytest.mark.slow
def test_start_page_shows_a_moving_sample_picture_and_gives_the_camera_up(make_window, qtbot):
    w = make_window(demo_mode="on", language="en", paced=True)
    assert w.current_key() == "start"
    view = by_name(w, "Live picture of you", VideoView)
    assert view.width() >= 320 and view.height() >= 180
    frames = _frames_seen(qtbot, view, 12)
    # a moving picture from the video file, not one still
    assert any(not np.array_equal(frames[0], f) for f in frames[1:])
    assert view._tag == "Sample video, not your camera"  # never passed off as the person
    assert w.start.selfview.caption.isVisible()
    assert "sample video" in w.start.selfview.caption.text()
    # a step away releases the camera at once: one owner of the device at a time
    click_step(qtbot, w, "camera")
    assert w.start.selfview.task is None and not _selfview_holds_camera()
    qtbot.waitUntil(lambda: w.pages["camera"].video.frames_shown > 3, timeout=30_000)
    # back on Start the picture comes back
    click_step(qtbot, w, "start")
    assert w.pages["camera"].preview is None
    before = view.frames_shown
    qtbot.waitUntil(lambda: view.frames_shown > before + 5, timeout=30_000)


def test_start_page_without_a_camera_says_so_with_the_fix(make_window, qtbot):
    w = make_window(demo_mode="off", language="en", paced=True)
    if w.session.device_lists.get("camera"):
        pytest.skip("this computer has a camera")
    sv = w.start.selfview
    qtbot.waitUntil(lambda: sv.state == "problem", timeout=30_000)
    # words, not a black box
    assert not sv.video.isVisible()
    assert sv.problem.isVisible() and sv.problem.word.text() == "No camera was found."
    assert sv.fix.isVisible() and sv.fix.text().startswith("How to fix it: Plug in a webcam")
    # in Swedish too
    box = by_name(w, "Language", QComboBox)
    box.setFocus()
    while box.currentText() != "Svenska":
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: sv.fix.text().startswith("Så åtgärdar du det:"), timeout=10_000)
    assert sv.problem.word.text() == "Ingen kamera hittades."


@pytest.mark.slow
def test_the_meter_and_countdown_follow_a_real_microphone_while_it_is_judged(
        make_window, qtbot, virtual_microphone, tmp_path):
    """The real path: PortAudio through the private PipeWire server, a voice played into its
    virtual microphone while the microphone check records, the check's questions answered."""
    from tests.gui_fixtures import write_wav

    w = make_window(demo_mode="off", language="en", paced=True)
    click_step(qtbot, w, "microphone")
    page = w.pages["microphone"]
    press(qtbot, by_name(w, "Check the microphone"))
    seen: list[tuple[float, int, str]] = []

    def look() -> None:
        if page.listening.isVisible():
            seen.append((time.monotonic(), page.meter.updates, page.listening.text()))
            # never "read the sentence aloud" from the live hint while asked to stay quiet
            assert not page.level.isVisible()

    def answer(prefix: str) -> None:
        def asked() -> bool:
            look()
            return (page.panel.question.isVisible()
                    and page.panel.question_text.text().startswith(prefix))

        qtbot.waitUntil(asked, timeout=20_000)
        press(qtbot, by_name(w, "Ready"))

    answer("Stay quiet")
    answer("Now read this sentence")
    virtual_microphone.play(write_wav(tmp_path / "voice.wav", seconds=8.0))

    def recorded() -> bool:
        look()
        if page.panel.question.isVisible():  # "Play the recording back…?": no
            press(qtbot, by_name(w, "Answer no"))
        return "microphone" in w.session.results and not page.panel.running

    qtbot.waitUntil(recorded, timeout=60_000)
    assert any(s[2].startswith("TechCheck is listening to the room while you stay quiet")
               for s in seen), {s[2] for s in seen}
    speaking = [s for s in seen if s[2].startswith("TechCheck is listening: how loud your voice")]
    assert speaking, {s[2] for s in seen}
    lefts = sorted({int(s[2].rsplit(" ", 3)[-3]) for s in speaking}, reverse=True)
    assert len(lefts) >= 4 and lefts[-1] <= 1, lefts  # counts down the seconds it records
    assert _moving_span([(t, n) for t, n, _text in speaking]) >= MICROPHONE_SEEN_S
    assert not page.listening.isVisible() and page.level.isVisible()
    assert w.session.results["microphone"].metrics[M.SPEECH_LEVEL.name].value is not None
