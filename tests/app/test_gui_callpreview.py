"""The "As they will see and hear you" view, driven as a person would: the demo camera clip
through the real camera source, the sliders moved with the keyboard (found by accessible
name), the numbers shown read back, and the play button heard through the private PipeWire
server (what the default output plays comes back on the default input)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSlider, QStyle, QStyleOptionSlider, QToolButton

from techcheck.checks import registry
from techcheck.checks.callmodel import Conditions
from techcheck.checks.profile import load_profile
from tests.conftest import ROOT
from tests.gui_fixtures import by_name

CLIP = str(ROOT / "resources" / "demo" / "camera.avi")
VOICE = ROOT / "resources" / "demo" / "voice.wav"

# The offscreen platform cannot pass size hints to a window manager; it says so once.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def generic_network_limits():
    return load_profile("generic", registry.limit_schemas(registry.discover())).limits("network")


@pytest.fixture
def preview(qtbot, leak_guard):
    from techcheck.app.gui.widgets.callpreview import CallPreview

    w = CallPreview()
    qtbot.addWidget(w)
    w.resize(900, 640)
    w.show()
    yield w
    w.stop()


def _numbers(w) -> str:
    """The label's text with its no-break spaces (between a number and its unit, as the one
    formatting path writes them: techcheck.checks.l10n) read as plain spaces."""
    return by_name(w, "Numbers the model used", QLabel).text().replace("\xa0", " ")


def _open_numbers(qtbot, w) -> str:
    """Open the details section with the mouse, as a person would, and read the numbers."""
    button = by_name(w, "The numbers behind it", QToolButton)
    if not button.isChecked():
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    label = by_name(w, "Numbers the model used", QLabel)
    assert label.isVisible()
    return _numbers(w)


def _drag_to_end(qtbot, slider: QSlider) -> None:
    """Press the slider's handle and drag it past the right end of its groove, by mouse."""
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                           QStyle.SubControl.SC_SliderHandle, slider)
    start = handle.center()
    qtbot.mousePress(slider, Qt.MouseButton.LeftButton, pos=start)
    for x in range(start.x(), slider.width() + 20, 15):
        qtbot.mouseMove(slider, QPoint(x, start.y()))
    qtbot.mouseMove(slider, QPoint(slider.width() + 20, start.y()))
    qtbot.mouseRelease(slider, Qt.MouseButton.LeftButton,
                       pos=QPoint(slider.width() + 20, start.y()))


def _mbps(label: QLabel) -> float:
    """The number of Mbit/s a slider's label shows, as the person reads it (English)."""
    import re

    text = label.text().replace("\xa0", " ")
    m = re.search(r"([\d,]+(?:\.\d+)?) Mbit/s", text)
    assert m, text
    return float(m.group(1).replace(",", ""))


def test_sliders_change_the_modelled_picture_and_numbers(qtbot, preview):
    voice, fs = sf.read(str(VOICE), dtype="float32")
    preview.set_inputs(generic_network_limits(), Conditions(0.8, 3.0, 30.0, 40.0), CLIP,
                       (voice, fs), None)
    preview.start()
    qtbot.waitUntil(lambda: preview.model_view.frames_shown >= 5, timeout=20_000)
    assert preview.model_view._frame.shape == (360, 640, 3)  # 0.8 Mbit/s: the 360p tier
    assert preview.live_view._frame.shape == (720, 1280, 3)
    assert preview.play_note.text() == ""  # a recording to play: no "record it first"
    before = _open_numbers(qtbot, preview)
    assert "Upload measured (what the link could carry): 0.80 Mbit/s" in before
    assert "Picture size: 640×360" in before and "Packet loss measured: 3.0 %" in before

    upload = by_name(preview, "What if: upload speed", QSlider)
    upload.setFocus()
    qtbot.keyClick(upload, Qt.Key.Key_PageUp)  # half a decade up: 0.8 → 2.5 Mbit/s
    after = _numbers(preview)
    assert after != before and "Picture size: 1280×720" in after
    assert "Upload you set to try: 2.5 Mbit/s" in after
    assert "Upload measured (what the link could carry): 0.80 Mbit/s" in after
    shown = preview.model_view.frames_shown
    qtbot.waitUntil(lambda: preview.model_view.frames_shown >= shown + 3
                    and preview.model_view._frame.shape == (720, 1280, 3), timeout=20_000)

    loss = by_name(preview, "What if: packet loss", QSlider)
    loss.setFocus()
    for _ in range(4):
        qtbot.keyClick(loss, Qt.Key.Key_Right)
    assert "Packet loss you set to try: 5.0 %" in _numbers(preview)
    assert "Loss to try: 5.0 %" in preview.loss_label.text().replace("&", "").replace("\xa0", " ")

    qtbot.mouseClick(by_name(preview, "Back to the measured values", QPushButton),
                     Qt.MouseButton.LeftButton)
    assert _numbers(preview) == before


def test_upload_slider_dragged_to_its_end_covers_the_measured_upload(qtbot, preview):
    """Issue 23, item 7: a loopback line measures thousands of Mbit/s; the slider used to stop
    at 50 while the text said 5386 were "used". Dragged to its end by mouse it now shows at
    least what was measured, and the text says what a call sends of the capacity."""
    measured = Conditions(5385.6, 0.0, 0.2, 0.2, download_mbps=13236.4)
    preview.set_inputs(generic_network_limits(), measured, CLIP, None, None)
    upload = by_name(preview, "What if: upload speed", QSlider)
    label = preview.upload_label
    assert label.buddy() is upload
    assert _mbps(label) == 5386 and "(measured)" in label.text()
    summary = by_name(preview, "How you will look to the interviewer", QLabel)
    said = summary.text().replace("\xa0", " ")
    assert said == ("This is roughly how sharp you will look to the interviewer on this "
                    "connection. It is enough for 1080p video: they will see you at 1920×1080. "
                    "Your upload could carry 5,386 Mbit/s; a call sends only about 4.0 Mbit/s "
                    "of it.")
    # to the bottom of the scale by keyboard: 0.05 Mbit/s, too slow even for 360p …
    upload.setFocus()
    qtbot.keyClick(upload, Qt.Key.Key_Home)
    assert _mbps(label) == 0.05
    assert "too slow even for 360p video" in summary.text()
    # … then the handle dragged by mouse to the end: at least what was measured
    _drag_to_end(qtbot, upload)
    assert upload.value() == upload.maximum()
    assert _mbps(label) >= measured.upload_mbps and "(measured)" not in label.text()
    said = summary.text().replace("\xa0", " ")
    assert "you set to try" in said and "enough for 1080p video" in said and "used" not in said


def test_sentence_sliders_and_numbers_write_a_value_alike(qtbot, preview):
    """Issue 23, item 13: the sentence wrote the upload the sliders set as "0.2 Mbit/s" where
    the slider's label wrote "0.20", and the label wrote a loss of "0.5 %" where the numbers
    wrote "0.50 %". Moved by keyboard, every surface now writes the one value one way."""
    preview.set_inputs(generic_network_limits(), Conditions(3.0, 0.0, 5.0, 40.0), CLIP, None,
                       None)
    upload = by_name(preview, "What if: upload speed", QSlider)
    upload.setFocus()
    qtbot.keyClick(upload, Qt.Key.Key_Home)
    for _ in range(12):  # 12 steps of 20 a decade above 0.05: 0.05 × 10^0.6 = 0.199 Mbit/s
        qtbot.keyClick(upload, Qt.Key.Key_Right)
    loss = by_name(preview, "What if: packet loss", QSlider)
    loss.setFocus()
    qtbot.keyClick(loss, Qt.Key.Key_Right)  # one step: 0.5 %

    def plain(label: QLabel) -> str:
        return label.text().replace("\xa0", " ").replace("&", "")

    assert plain(preview.upload_label) == "Upload to try: 0.20 Mbit/s"
    assert plain(preview.loss_label) == "Loss to try: 0.50 %"
    said = plain(by_name(preview, "How you will look to the interviewer", QLabel))
    assert "Of the 0.20 Mbit/s you set to try" in said, said
    numbers = _open_numbers(qtbot, preview)
    assert "Upload you set to try: 0.20 Mbit/s" in numbers
    assert "Packet loss you set to try: 0.50 %" in numbers

    from techcheck.app.gui import i18n

    i18n.install("sv")  # the same values in Swedish: decimal commas, one way
    try:
        assert plain(preview.upload_label) == "Uppladdning att prova: 0,20 Mbit/s"
        assert plain(preview.loss_label) == "Förlust att prova: 0,50 %"
        said = plain(preview.summary)
        assert "Av de 0,20 Mbit/s du valde att prova" in said, said
        assert "Uppladdning du valde att prova: 0,20 Mbit/s" in plain(preview.numbers)
    finally:
        i18n.install("en")


def test_plain_words_first_and_the_numbers_behind_a_button(qtbot, preview):
    """The candidate reads a sentence; bitrates and the JPEG stand-in wait in a details
    section that the mouse opens and closes."""
    preview.set_inputs(generic_network_limits(), Conditions(0.8, 3.0, 30.0, 40.0), CLIP, None,
                       None)
    summary = by_name(preview, "How you will look to the interviewer", QLabel).text()
    assert summary.startswith("This is roughly how sharp you will look to the interviewer on "
                              "this connection. It is enough for 360p video")
    for jargon in ("kbit/s", "JPEG", "bitrate", "Modelled"):
        assert jargon not in summary
    button = by_name(preview, "The numbers behind it", QToolButton)
    with pytest.raises(AssertionError, match="0 visible widgets"):  # closed at first
        by_name(preview, "Numbers the model used", QLabel)
    assert button.text() == "Show the numbers behind it"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    numbers = by_name(preview, "Numbers the model used", QLabel)
    assert button.text() == "Hide the numbers"
    shown = _numbers(preview)
    for row in ("Video quality modelled: 360p", "Picture size: 640×360", "Frame rate: 30 fps",
                "Video bitrate: ", "Modelled as JPEG at: ", "Audio bitrate: "):
        assert row in shown, shown
    assert "JPEG" in preview.note.text() and preview.note.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not numbers.isVisible()


def test_swedish_words_and_numbers(qtbot, preview):
    from techcheck.app.gui import i18n

    i18n.install("sv")
    try:
        preview.set_inputs(generic_network_limits(),
                           Conditions(5385.6, 0.0, 0.2, 0.2, download_mbps=13236.4), CLIP, None,
                           None)
        summary = preview.summary.text()
        assert summary.startswith("Ungefär så skarp kommer du att se ut för intervjuaren")
        assert "klarade 5\xa0386\xa0Mbit/s" in summary
        qtbot.mouseClick(by_name(preview, "Siffrorna bakom", QToolButton),
                         Qt.MouseButton.LeftButton)
        numbers = preview.numbers.text()
        assert "Uppmätt uppladdning (vad förbindelsen klarade): 5\xa0386\xa0Mbit/s" in numbers
        assert "Uppladdning att prova: 5\xa0386\xa0Mbit/s (uppmätt)" in \
            preview.upload_label.text().replace("&", "")
    finally:
        i18n.install("en")


def test_nothing_to_model_without_a_measured_connection(qtbot, preview):
    preview.set_inputs(generic_network_limits(), None, CLIP, None, None)
    preview.start()
    assert "could not be measured" in by_name(preview, "How you will look to the interviewer",
                                              QLabel).text()
    assert not by_name(preview, "What if: upload speed", QSlider).isEnabled()
    assert not by_name(preview, "Play the sentence as they will hear it", QPushButton).isEnabled()
    assert preview.stream is None  # no camera opened for nothing
    assert "Record the sentence on the Microphone page" in preview.play_note.text()


@pytest.mark.slow
def test_play_button_sounds_band_limited_through_the_speaker(qtbot, preview, pipewire_server):
    import sounddevice as sd

    voice, fs = sf.read(str(VOICE), dtype="float32")
    # 0.15 Mbit/s: 7.5 kbit/s of audio, Opus narrowband (4 kHz) by RFC 6716.
    preview.set_inputs(generic_network_limits(), Conditions(0.15, 0.0, 5.0, 40.0), CLIP,
                       (voice, fs), None)
    assert "Audio bandwidth: narrowband" in _open_numbers(qtbot, preview)
    heard: list[np.ndarray] = []
    stop = threading.Event()

    def listen() -> None:
        with sd.InputStream(samplerate=48000, channels=1, dtype="float32") as stream:
            while not stop.is_set():
                block, _ = stream.read(4800)
                heard.append(block[:, 0].copy())

    t = threading.Thread(target=listen, name="listen")
    t.start()
    try:
        qtbot.mouseClick(by_name(preview, "Play the sentence as they will hear it", QPushButton),
                         Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: preview.player is None, timeout=40_000)
    finally:
        stop.set()
        t.join(5.0)
    assert "how your voice would arrive" in preview.play_note.text(), preview.play_note.text()
    x = np.concatenate(heard).astype(np.float64)
    assert np.sqrt(np.mean(x ** 2)) > 0.01  # the sentence was heard…
    # …without what lies above the narrowband limit: the median over the 0.1 s blocks that
    # carry the voice. A block the sound server dropped under load (an underrun: a click,
    # energy at every frequency) is not the preview's sound; the whole recording's ratio once
    # read -39.3 dB on six busy test workers.
    f = np.fft.rfftfreq(4800, 1 / 48000)
    ratios = []
    for block in x[: x.size // 4800 * 4800].reshape(-1, 4800):
        if np.sqrt(np.mean(block ** 2)) > 0.01:
            spec = np.abs(np.fft.rfft(block * np.hanning(4800))) ** 2
            ratios.append(10 * np.log10(spec[f > 4500].sum()
                                        / spec[(f > 100) & (f <= 4000)].sum()))
    assert len(ratios) >= 10, ratios
    assert np.median(ratios) < -40, sorted(ratios)


@pytest.mark.slow
def test_saved_only_when_asked_and_as_the_sliders_say(qtbot, preview, tmp_path):
    import cv2

    from tests.gui_fixtures import answer_file_dialog

    voice, fs = sf.read(str(VOICE), dtype="float32")
    preview.set_inputs(generic_network_limits(), Conditions(3.0, 0.0, 5.0, 40.0), CLIP,
                       (voice, fs), None)
    preview.start()
    qtbot.waitUntil(lambda: preview.model_view.frames_shown >= 3, timeout=20_000)
    upload = by_name(preview, "What if: upload speed", QSlider)
    upload.setFocus()
    for _ in range(2):
        qtbot.keyClick(upload, Qt.Key.Key_PageDown)  # 3 → 0.3 Mbit/s: below the lowest tier
    numbers = _open_numbers(qtbot, preview)
    # 3.0 Mbit/s sits at step 36 (3.15); two pages down is step 16: 0.05 × 10^0.8 = 0.315.
    assert "Upload you set to try: 0.32 Mbit/s" in numbers and "Picture size: 640×360" in numbers
    assert "Frame rate: 18.9 fps" in numbers  # 30 fps × 0.315 / 0.5 (the 360p tier)
    assert list(tmp_path.iterdir()) == []  # nothing kept until the person asks

    seen = answer_file_dialog(qtbot, str(tmp_path / "for-it.avi"))
    qtbot.mouseClick(by_name(preview, "Save the preview for IT support", QPushButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen) and preview.saver is None and "Saved" in
                    preview.play_note.text(), timeout=60_000)
    assert seen == ["Save the preview for IT support"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for-it.avi", "for-it.txt", "for-it.wav"]
    cap = cv2.VideoCapture(str(tmp_path / "for-it.avi"))
    ok, frame = cap.read()
    assert ok and frame.shape == (360, 640, 3)
    text = (tmp_path / "for-it.txt").read_text().replace("\xa0", " ")
    # what the person set to try apart from what was measured, never called "used"
    tried, measured, model = text.split("\n\n")[1:4]
    assert tried.splitlines() == [
        "Upload and loss you set to try (the picture and sound were modelled with these):",
        "Upload you set to try: 0.32 Mbit/s", "Packet loss you set to try: 0 %"]
    assert measured.splitlines()[:3] == [
        "Measured by the connection check:",
        "Upload measured (what the link could carry): 3.0 Mbit/s", "Packet loss measured: 0 %"]
    assert "Frame rate: 18.9 fps" in model and "used" not in text.lower()
    assert text.startswith("This is roughly how sharp you would look to the interviewer with "
                           "the upload and loss you set to try.")
    qtbot.waitUntil(lambda: preview.stream is not None, timeout=5000)  # the live view resumes


@pytest.mark.xvfb
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_the_view_in_the_app_under_xvfb(xvfb, artifacts, lang):
    """The real window in demo mode: camera and connection checked by their buttons, then the
    view on the Connection page (sliders moved by keyboard) and on the Results page, grabbed
    from the screen (tests/callpreview_tour.py)."""
    import json
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    if xvfb is None:
        pytest.skip("no X server (run without --no-xvfb)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{xvfb.display}"}
    proc = subprocess.run([sys.executable, "-m", "tests.callpreview_tour", str(artifacts),
                           "--lang", lang, "--prefix", f"call-preview-{lang}"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    s = json.loads(proc.stdout.strip().splitlines()[-1])
    assert s["platform"] == "xcb" and s["left_running"] == []
    assert s["network_page_frames"] >= 10 and s["results_page_frames"] >= 10
    what_if = s["what_if"].replace("\xa0", " ")
    words = {"en": ("Upload you set to try: 0.20 Mbit/s", "Packet loss you set to try: 5.0 %",
                    "Frame rate: 11.9 fps", "Picture size: 640×360",
                    "Audio bandwidth: narrowband"),
             "sv": ("Uppladdning du valde att prova: 0,20 Mbit/s",
                    "Paketförlust du valde att prova: 5,0 %", "Ljudets bandbredd: smalbandsljud")}
    assert all(w in what_if for w in words[lang]), what_if
    assert s["measured"] != s["what_if"] and s["details_open"]
    said = {"en": ("This is roughly how sharp you will look to the interviewer on this "
                   "connection. It is enough for 1080p video, but your camera sends 1280×720"),
            "sv": ("Ungefär så skarp kommer du att se ut för intervjuaren med den här "
                   "anslutningen. Det räcker för video i 1080p, men din kamera skickar "
                   "1280×720")}
    assert s["said"].startswith(said[lang]), s["said"]
    assert "Mbit/s" in s["said_what_if"] and "JPEG" not in s["said_what_if"]
    for path in s["pages"].values():
        img = QImage(path)
        colours = {img.pixel(x, y) for x in range(0, img.width(), 16)
                   for y in range(0, img.height(), 16)}
        assert len(colours) > 50  # a drawn window with pictures, not a blank one


def _answer_replace_question(qtbot, button: str, asked: list[str], then=None) -> None:
    """When the question about replacing files opens, note what it names and press ``button``
    (found by its accessible name) with the mouse, as a person does; then call ``then`` (to
    answer the file dialog that opens again). The whole save runs inside the click on "Save",
    so every answer is set up before it. A person takes a moment to read: the press comes
    after the file dialog's own Return presses (tests.gui_fixtures) have seen it close."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def find(tries: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and not box.property("answered"):
            box.setProperty("answered", True)
            asked.append(f"{box.text()}\n{box.informativeText()}")
            QTimer.singleShot(500, lambda: press(box))
        elif tries:
            QTimer.singleShot(50, lambda: find(tries - 1))

    def press(box) -> None:
        try:
            qtbot.mouseClick(by_name(box, button, QPushButton), Qt.MouseButton.LeftButton)
        except Exception:
            box.reject()  # never leave a modal question open: the test would hang
            raise
        if then is not None:
            then()

    QTimer.singleShot(0, lambda: find(1200))


@pytest.mark.slow
def test_save_asks_once_before_replacing_any_of_its_files(qtbot, preview, tmp_path):
    """An existing .avi and .wav of the chosen name were replaced without a word (the file
    dialog asks only about the .txt it knows): one question names both, "Choose another
    name" opens the dialog again and replaces nothing, "Replace" then writes all three."""
    from tests.gui_fixtures import answer_file_dialog

    voice, fs = sf.read(str(VOICE), dtype="float32")
    preview.set_inputs(generic_network_limits(), Conditions(3.0, 0.0, 5.0, 40.0), CLIP,
                       (voice, fs), None)
    (tmp_path / "for-it.avi").write_bytes(b"kept picture")
    (tmp_path / "for-it.wav").write_bytes(b"kept sound")
    asked: list[str] = []
    seen = [answer_file_dialog(qtbot, str(tmp_path / "for-it.txt"))]

    def again() -> None:  # the dialog opens again: the same name, and this time replace
        seen.append(answer_file_dialog(qtbot, str(tmp_path / "for-it.txt")))
        _answer_replace_question(qtbot, "Replace the existing files", asked)

    _answer_replace_question(qtbot, "Choose another name", asked, then=again)
    qtbot.mouseClick(by_name(preview, "Save the preview for IT support", QPushButton),
                     Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and asked[0] == asked[1], asked
    assert seen == [["Save the preview for IT support"]] * 2  # the dialog opened again
    assert asked[0].split("\n") == [f"Replace 2 existing files in {tmp_path}?",
                                    "for-it.avi", "for-it.wav"]  # not the new .txt
    qtbot.waitUntil(lambda: len(asked) == 2 and preview.saver is None
                    and "Saved" in preview.play_note.text(), timeout=60_000)
    assert (tmp_path / "for-it.avi").read_bytes() != b"kept picture"
    assert (tmp_path / "for-it.wav").read_bytes()[:4] == b"RIFF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["for-it.avi", "for-it.txt", "for-it.wav"]


@pytest.mark.slow
def test_a_save_that_partly_fails_says_why_in_swedish(qtbot, preview, tmp_path):
    """The Swedish view said "no preview picture:" and "cannot write …" in English."""
    from techcheck.app.gui import i18n
    from tests.gui_fixtures import answer_file_dialog

    voice, fs = sf.read(str(VOICE), dtype="float32")
    (tmp_path / "for-it.wav").mkdir()  # a folder where the sound would go: it cannot be written
    i18n.install("sv")
    try:
        preview.set_inputs(generic_network_limits(), Conditions(3.0, 0.0, 5.0, 40.0),
                           str(tmp_path / "no-camera.avi"), (voice, fs), None)
        asked: list[str] = []
        answer_file_dialog(qtbot, str(tmp_path / "for-it.txt"))
        _answer_replace_question(qtbot, "Ersätt de befintliga filerna", asked)
        qtbot.mouseClick(by_name(preview, "Spara förhandsvisningen åt IT-supporten", QPushButton),
                         Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(asked) and preview.saver is None
                        and "sparas" in preview.play_note.text(), timeout=60_000)
        note = preview.play_note.text()
        assert "Ingen förhandsbild:" in note and "kan inte skriva" in note, note
        assert "Ingen förhandsfil skrevs." in note, note
        for english in ("no preview picture", "No preview", "cannot write", "was written"):
            assert english not in note, note
        assert asked and "Ersätta den befintliga filen i" in asked[0]
        assert list(p.name for p in tmp_path.iterdir()) == ["for-it.wav"]  # all or none
    finally:
        i18n.install("en")
