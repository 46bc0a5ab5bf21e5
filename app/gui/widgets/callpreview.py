""""As they will see and hear you": the live camera picture beside the same picture sent through
a model of the call (``techcheck.checks.callmodel``), the numbers the model used, a button that plays the
recorded sentence as it would arrive, and "what if" sliders for upload and loss.

The widget only shows; the engine models. Camera frames and the sound are modelled in worker
threads (``techcheck.app.gui.tasks.run_task``); nothing is stored or sent: the modelled media live in
memory while the view is open.
"""

from __future__ import annotations

import logging
import math
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from techcheck.app.gui import i18n
from techcheck.app.gui import settings as S
from techcheck.app.gui.filedialog import FileType, ask_save, remember_folder
from techcheck.app.gui.i18n import ct, qty, say
from techcheck.app.gui.problems import describe
from techcheck.app.gui.tasks import Task, TaskContext, TaskError, run_task
from techcheck.app.gui.widgets.previewslot import has_inputs
from techcheck.app.gui.widgets.video import VideoView
from techcheck.checks.callmodel import APPROXIMATION, CallPlan, Conditions, plan_for_limits

log = logging.getLogger("techcheck.gui")

# Upload slider: a log scale from 0.05 Mbit/s, 20 steps a decade (one step ≈ 12 %), up to
# 50 Mbit/s or the measured upload when that is more (a loopback or fibre line measures
# thousands): its end always covers what was measured (issue 23, item 7).
UP_MIN_MBPS, UP_STEPS_PER_DECADE, UP_DECADES = 0.05, 20, 3
# The most decades the slider spans (0.05 Mbit/s to 500 Gbit/s): a bound on a hostile value.
UP_MAX_DECADES = 7
# Loss slider: 0-20 % in 0.5 % steps.
LOSS_STEP_PCT, LOSS_MAX_PCT = 0.5, 20.0


def upload_at(pos: int) -> float:
    return UP_MIN_MBPS * 10 ** (pos / UP_STEPS_PER_DECADE)


def upload_top(measured_mbps: float | None) -> int:
    """The slider's last position: the first at or above both 50 Mbit/s and the measured
    upload."""
    top = UP_STEPS_PER_DECADE * UP_DECADES
    if measured_mbps is not None and measured_mbps > upload_at(top):
        need = UP_STEPS_PER_DECADE * math.log10(measured_mbps / UP_MIN_MBPS)
        top = math.ceil(need - 1e-9)
        if upload_at(top) < measured_mbps:  # rounding in the power above
            top += 1
    return min(top, UP_STEPS_PER_DECADE * UP_MAX_DECADES)


def upload_pos(mbps: float, top: int) -> int:
    pos = round(UP_STEPS_PER_DECADE * math.log10(max(mbps, UP_MIN_MBPS) / UP_MIN_MBPS))
    return max(0, min(top, pos))


def _model_stream(spec: Any, widget_state: dict):
    """Worker: camera (or demo clip) frames, each with what the other side would show."""

    def work(ctx: TaskContext) -> None:
        from techcheck.checks.callmodel import VideoModel
        from techcheck.checks.camera.source import open_camera

        src = open_camera(spec, realtime=True, loop=True)
        try:
            plan, model, misses = None, None, 0
            while not ctx.cancelled:
                frame, t = src.read()
                if frame is None:
                    misses += 1
                    if misses > 60:
                        return
                    ctx.cancel.sleep(0.03)
                    continue
                misses = 0
                h, w = frame.shape[:2]
                conditions, limits = widget_state["conditions"], widget_state["limits"]
                key = (conditions, w, h)
                if model is None or key != plan:
                    plan = key
                    model = VideoModel(plan_for_limits(limits, conditions, capture=(w, h)))
                ctx.latest((frame, model.push(frame, t), (w, h)))
        finally:
            src.close()

    return work


Recording = tuple[Any, int] | str
"""The recorded sentence: (samples, rate) in memory, or the path of a sound file (demo mode)."""


def load_recording(recording: Recording | None) -> tuple[Any, int] | None:
    """(samples, rate); a file is read here, in the worker, never on the GUI thread."""
    if recording is None or isinstance(recording, tuple):
        return recording
    from techcheck.checks.audio.source import read_audio_file

    return read_audio_file(recording)


def preview_files(path: str) -> list[Path]:
    """The files a save to ``path`` writes (loaded with the first save: the command module
    brings numpy and OpenCV)."""
    from techcheck.app.commands import callpreview

    return callpreview.preview_files(path)


def session_inputs(session: Any) -> dict[str, Any] | None:
    """What the view needs from a sitting, or None until both the camera and the connection
    have been checked (the view shows the camera picture through the measured connection)."""
    if not has_inputs(session):
        return None
    from techcheck.checks.audio.source import is_file_spec
    from techcheck.checks.callmodel import conditions_from_metrics

    measured, _missing = conditions_from_metrics(session.results["network"].metrics)
    recording: Recording | None = session.media.get("recording")
    mic = session.devices.microphone
    if recording is None and is_file_spec(mic):
        recording = str(mic)
    if recording is None and session.demo:  # the sample voice stands in for the microphone
        from techcheck.app import demo

        recording = str(demo.voice_clip())
    speaker = session.devices.speaker
    return {"limits": session.profile.limits("network"), "measured": measured,
            "camera": session.devices.camera, "recording": recording,
            "speaker": int(speaker) if isinstance(speaker, str) and speaker.isdigit() else speaker}


def _play_modelled(recording: Recording, plan: CallPlan, device: Any):
    def work(ctx: TaskContext) -> None:
        from techcheck.checks.audio.playback import play
        from techcheck.checks.callmodel import model_audio

        loaded = load_recording(recording)
        if loaded is None:
            return
        samples, rate = loaded
        audio = model_audio(samples, rate, plan)
        ctx.cancel.raise_if_cancelled()
        play(audio.samples, audio.samplerate, device=device, cancel=ctx.cancel)

    return work


class CallPreview(QWidget):
    """Give it the profile's network limits, the measured conditions, a camera spec, the
    recording ((samples, rate) or None) and the speaker; ``start()`` when shown, ``stop()``
    when the page is left. ``settings``: the person's, where the save dialog remembers the
    folder of the last save (``settings.SAVE_FOLDER``, shared with the report's export: one
    place the person keeps what TechCheck saves)."""

    def __init__(self, parent: QWidget | None = None, settings: S.Settings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("call-preview")
        self._state: dict[str, Any] = {"conditions": None, "limits": None}
        self.measured: Conditions | None = None
        self.camera: Any = None
        self.recording: Recording | None = None
        self.speaker: Any = None
        self.capture: tuple[int, int] | None = None
        self.plan: CallPlan | None = None
        self.stream: Task | None = None
        self.player: Task | None = None
        self.saver: Task | None = None
        self.active = False
        self.paused = False  # a check runs: the camera is the check's, the view waits
        self._inputs_key: tuple | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        outer.addWidget(self.heading)
        # In plain words first; the numbers and how they were modelled in a details section
        # that opens on request (issue 23, item 7: the bitrates read as jargon to a candidate).
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.summary)

        views = QGridLayout()
        self.live_label, self.model_label = QLabel(self), QLabel(self)
        self.live_view, self.model_view = VideoView(self), VideoView(self)
        for v in (self.live_view, self.model_view):
            v.show_guides = False
            v.setMinimumSize(200, 113)  # two side by side fit a page at 800 px wide
            v.height_cap = 300  # two 16:9 pictures side by side need no more
        views.addWidget(self.live_label, 0, 0)
        views.addWidget(self.model_label, 0, 1)
        views.addWidget(self.live_view, 1, 0)
        views.addWidget(self.model_view, 1, 1)
        outer.addLayout(views, 1)

        self.details_button = QToolButton(self)
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.toggled.connect(lambda on: self._show_details(on))
        outer.addWidget(self.details_button)
        self.details = QWidget(self)
        box = QVBoxLayout(self.details)
        box.setContentsMargins(16, 0, 0, 0)
        self.numbers = QLabel(self.details)
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.numbers)
        self.note = QLabel(self.details)
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self.details.hide()
        outer.addWidget(self.details)

        sliders = QGridLayout()
        self.upload_label, self.loss_label = QLabel(self), QLabel(self)
        self.upload = QSlider(Qt.Orientation.Horizontal, self)
        self.upload.setRange(0, UP_STEPS_PER_DECADE * UP_DECADES)
        self.upload.setPageStep(UP_STEPS_PER_DECADE // 2)
        self.loss = QSlider(Qt.Orientation.Horizontal, self)
        self.loss.setRange(0, int(LOSS_MAX_PCT / LOSS_STEP_PCT))
        self.loss.setPageStep(4)
        self.upload_label.setBuddy(self.upload)
        self.loss_label.setBuddy(self.loss)
        sliders.addWidget(self.upload_label, 0, 0)
        sliders.addWidget(self.upload, 0, 1)
        sliders.addWidget(self.loss_label, 1, 0)
        sliders.addWidget(self.loss, 1, 1)
        sliders.setColumnStretch(1, 1)
        outer.addLayout(sliders)

        # two rows: side by side the three buttons are wider than the page at 1000 px in
        # Swedish, and the page would scroll sideways
        buttons = QGridLayout()
        self.play_button = QPushButton(self)
        self.play_button.clicked.connect(lambda: self.play())
        self.reset_button = QPushButton(self)
        self.reset_button.clicked.connect(lambda: self.reset())
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(lambda: self.ask_save())
        self.play_note = QLabel(self)
        self.play_note.setWordWrap(True)
        buttons.addWidget(self.play_button, 0, 0)
        buttons.addWidget(self.reset_button, 1, 0)
        buttons.addWidget(self.save_button, 1, 1)
        buttons.setColumnStretch(2, 1)
        outer.addLayout(buttons)
        outer.addWidget(self.play_note)

        self.upload.valueChanged.connect(lambda _v: self._sliders_moved())
        self.loss.valueChanged.connect(lambda _v: self._sliders_moved())
        self.retranslate()
        self._enable()

    # --- inputs -------------------------------------------------------------------------------

    def set_inputs(self, limits: Any, measured: Conditions | None, camera: Any,
                   recording: Recording | None, speaker: Any) -> None:
        """What the checks found; the sliders start at the measured values."""
        self._state["limits"] = limits
        self.measured, self.camera, self.recording, self.speaker = (measured, camera, recording,
                                                                    speaker)
        top = upload_top(measured.upload_mbps if measured is not None else None)
        self.upload.blockSignals(True)
        self.upload.setRange(0, top)
        self.upload.blockSignals(False)
        self._recording_note()
        self.reset()

    def conditions(self) -> Conditions | None:
        if self.measured is None:
            return None
        return self.measured.trying(upload_at(self.upload.value()),
                                    self.loss.value() * LOSS_STEP_PCT)

    def reset(self) -> None:
        """Sliders back to what was measured."""
        if self.measured is not None:
            top = self.upload.maximum()
            for slider, pos in ((self.upload, upload_pos(self.measured.upload_mbps, top)),
                                (self.loss, round(self.measured.loss_pct / LOSS_STEP_PCT))):
                slider.blockSignals(True)
                slider.setValue(pos)
                slider.blockSignals(False)
        self._sliders_moved(measured=True)

    def _sliders_moved(self, measured: bool = False) -> None:
        cond = self.measured if measured else self.conditions()
        self._state["conditions"] = cond
        limits = self._state["limits"]
        self.plan = (plan_for_limits(limits, cond, capture=self.capture)
                     if cond is not None and limits is not None else None)
        self._show_numbers()
        self._enable()

    # --- live stream --------------------------------------------------------------------------

    def follow(self, session: Any, active: bool) -> bool:
        """Show the view for ``session`` once camera and connection are checked (hidden
        before); new results reset the sliders to them; the camera runs only while
        ``active`` (the page is on screen). True when shown."""
        inputs = session_inputs(session)
        if inputs is None:
            self.stop()
            self._inputs_key = None
            self.hide()
            return False
        key = (id(session.results["network"]), id(session.results["camera"]),
               id(inputs["recording"]), inputs["camera"], inputs["speaker"])
        if key != self._inputs_key:
            self.stop()
            self._inputs_key = key
            self.set_inputs(**inputs)
        self.show()
        if active:
            self.start()
        else:
            self.stop()
        return True

    def pause(self) -> None:
        """A check starts: the camera and the network are the check's. The picture stops and
        says why, and the "what if" controls wait until ``start`` (after the check, or after
        it was cancelled)."""
        self.stop()
        self.paused = True
        self.model_view.set_message(lambda: self.tr("Paused while the check runs."))
        self._enable()

    def start(self) -> None:
        self.active = True
        self.paused = False
        self._enable()
        if self.plan is None:  # nothing measured to model: say so, never "Starting…"
            self.live_view.clear()  # nor an old picture that looks live
            self.model_view.clear()
            self.model_view.set_message(lambda: self.tr("Nothing to model: the connection "
                                                        "was not measured."))
            return
        if self.stream is not None:
            return
        self.model_view.set_message(lambda: self.tr("Starting…"))
        self.stream = run_task(_model_stream(self.camera, self._state), name="call-preview",
                               on_latest=self._frame, on_error=self._stream_error,
                               on_finished=self._stream_done)

    def stop(self) -> None:
        """Stop the camera and the sound now (the page is left or the window closes); a file
        being saved is finished first, since the person asked for it."""
        self.active = False
        for task in (self.stream, self.player):
            if task is not None:
                task.cancel()
                task.wait(3.0)
        if self.stream is not None:
            self.model_view.set_message("")  # not "Starting…": nothing starts any more
        self.stream = None
        if self.saver is not None:
            self.saver.wait(30.0)

    def _frame(self, value: Any) -> None:
        frame, modelled, capture = value
        self.live_view.set_frame(frame)
        if modelled.image is not None:
            self.model_view.set_message("")
            self.model_view.set_frame(modelled.image)
        if capture != self.capture:
            self.capture = capture
            self._sliders_moved(measured=self._state["conditions"] is self.measured)

    def _stream_error(self, err: TaskError) -> None:
        self.model_view.set_message(lambda: describe(err.exception, "camera")[0])
        self.live_view.set_message(lambda: describe(err.exception, "camera")[1])

    def _stream_done(self) -> None:
        if self.stream is not None and not self.stream.running:
            self.stream = None

    # --- sound --------------------------------------------------------------------------------

    def play(self) -> None:
        if self.player is not None or self.plan is None or self.recording is None:
            return
        self.play_button.setEnabled(False)
        say(self.play_note, lambda: self.tr("Playing the sentence as they would hear it…"))
        self.player = run_task(_play_modelled(self.recording, self.plan, self.speaker),
                               name="call-preview-sound", on_error=self._play_error,
                               on_result=lambda _r: say(self.play_note, self._played),
                               on_finished=self._play_done)

    def _played(self) -> str:
        """What was just heard, said for what it was: nothing at all on demo mode's stand-in
        speaker; the sample sentence (a sound file) is not the person's voice."""
        from techcheck.checks.audio.standin import is_standin

        if is_standin(self.speaker):
            return self.tr("Nothing could be heard: in demo mode the sound goes to a stand-in "
                           "speaker. Choose your speakers on the Speakers page to listen.")
        if not isinstance(self.recording, tuple):
            return self.tr("That is how the sample sentence would arrive. Record your own on "
                           "the Microphone page to hear your voice.")
        return self.tr("That is how your voice would arrive.")

    def _play_error(self, err: TaskError) -> None:
        def text() -> str:  # made again in the new language after a switch
            message, fix = describe(err.exception, "speaker")
            return message + " " + self.tr("How to fix it: ") + fix

        say(self.play_note, text)

    def _play_done(self) -> None:
        self.player = None
        self._enable()

    # --- keeping it (only when the person asks) -------------------------------------------

    def file_types(self) -> list[FileType]:
        """What the save dialog offers: the numbers as text, the person names that file; the
        modelled picture (.avi) and sound (.wav) are written beside it under the same name."""
        return [FileType("text", self.tr("Text, with the picture and sound beside it"),
                         (".txt",))]

    def ask_save(self) -> None:
        """The shared save dialog (``filedialog.ask_save``): a text filter, the folder of the
        last save, a default name in the person's language with today's date."""
        stem = self.tr("TechCheck-interviewer-view-{date}").format(
            date=date.today().isoformat())
        chosen = ask_save(self, self.tr("Save the preview for IT support"), stem,
                          self.file_types(), "text", self.settings, writes=preview_files)
        if chosen is not None:
            self.save_to(chosen[0])

    def save_to(self, path: str) -> None:
        """Write the modelled picture (.avi), sound (.wav) and numbers (.txt) next to ``path``
        for the conditions the sliders show. The live stream pauses: a camera opens once."""
        from techcheck.app.commands.callpreview import WRITTEN, preview_stem, write_files

        cond = self._state["conditions"]
        if cond is None or self.saver is not None:
            return
        was_streaming = self.stream is not None
        if self.stream is not None:
            self.stream.cancel()
            self.stream.wait(3.0)
            self.stream = None
        # the name the person chose, without the suffix of one of the files it stands for
        # ("for IT.txt" → "for IT.avi", ".wav", ".txt"; "notes.v2" keeps its ".v2")
        stem = preview_stem(path)
        limits, camera, recording, lang = (self._state["limits"], self.camera, self.recording,
                                           i18n.current())
        self.save_button.setEnabled(False)
        say(self.play_note, lambda: self.tr("Saving {path}…").format(path=stem.name))

        def work(_ctx: TaskContext) -> list[str]:
            return write_files(stem, limits, cond, camera, load_recording(recording), lang)

        def done(messages: list[str]) -> None:
            wrote = [m.removeprefix(WRITTEN) for m in messages if m.startswith(WRITTEN)]
            if wrote:
                remember_folder(self.settings, wrote[0])
            names = ", ".join(Path(w).name for w in wrote)
            say(self.play_note, lambda:
                self.tr("Saved in {folder}: {files}").format(folder=str(stem.parent),
                                                             files=names)
                if len(wrote) == len(messages)
                else self.tr("Not everything could be saved: {why}").format(
                    why=" ".join(m for m in messages if not m.startswith(WRITTEN))))

        def failed(err: TaskError) -> None:
            say(self.play_note, lambda: self.tr("The preview could not be saved: {error}").format(
                error=err.message))

        def finished() -> None:
            self.saver = None
            self._enable()
            if was_streaming and self.active:
                self.start()

        self.saver = run_task(work, name="call-preview-save", on_result=done, on_error=failed,
                              on_finished=finished)

    # --- text ---------------------------------------------------------------------------------

    def _enable(self) -> None:
        ready = self.plan is not None and not self.paused
        for w in (self.upload, self.loss, self.reset_button):
            w.setEnabled(ready)
        self.save_button.setEnabled(ready and self.saver is None)
        self.play_button.setEnabled(ready and self.recording is not None
                                    and self.player is None)

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown
                                         else Qt.ArrowType.RightArrow)
        self._details_text()

    def _details_text(self) -> None:
        self.details_button.setText(self.tr("Hide the numbers") if self.details_button.isChecked()
                                    else self.tr("Show the numbers behind it"))

    def _show_numbers(self) -> None:
        cond = self._state["conditions"]
        if cond is None or self.plan is None:
            self.summary.setText(self.tr(
                "The connection's upload, loss or jitter could not be measured, so there is "
                "nothing to model. Run the connection check again."))
            self.numbers.setText("")
        else:
            self.summary.setText(self.plan.summary_text(i18n.current()))
            rows = []
            for n in self.plan.numbers():
                # "7 070 Mbit/s" in Swedish, as the report writes it; words translated
                rows.append(f"{ct(n.label)}: {qty(n.value, n.unit)}")
            self.numbers.setText("\n".join(rows))
        # the numbers above, the summary and these labels: one path (l10n.quantity), so the
        # slider says "0.20 Mbit/s" where the sentence does
        up = cond.upload_mbps if cond is not None else upload_at(self.upload.value())
        self.upload_label.setText(
            self.tr("&Upload to try: {value} (measured)").format(value=qty(up, "Mbit/s"))
            if cond is not None and not cond.what_if else
            self.tr("&Upload to try: {value}").format(value=qty(up, "Mbit/s")))
        self.loss_label.setText(self.tr("&Loss to try: {value}").format(
            value=qty(self.loss.value() * LOSS_STEP_PCT, "%")))

    def _recording_note(self) -> None:
        say(self.play_note, lambda: "" if self.recording is not None else self.tr(
            "Record the sentence on the Microphone page to hear it as they would."))

    def retranslate(self) -> None:
        self.heading.setText(self.tr("As they will see and hear you"))
        self.note.setText(ct(APPROXIMATION))
        self.summary.setAccessibleName(self.tr("How you will look to the interviewer"))
        self.details_button.setAccessibleName(self.tr("The numbers behind it"))
        self._details_text()
        self.live_label.setText(self.tr("You, here"))
        self.model_label.setText(self.tr("What they see"))
        self.live_view.setAccessibleName(self.tr("Your live picture"))
        self.model_view.setAccessibleName(self.tr("Your picture as they will see it"))
        self.numbers.setAccessibleName(self.tr("Numbers the model used"))
        self.upload.setAccessibleName(self.tr("What if: upload speed"))
        self.loss.setAccessibleName(self.tr("What if: packet loss"))
        self.play_button.setText(self.tr("&Hear the sentence as they will"))
        self.play_button.setAccessibleName(self.tr("Play the sentence as they will hear it"))
        self.reset_button.setText(self.tr("Back to the &measured values"))
        self.reset_button.setAccessibleName(self.tr("Back to the measured values"))
        self.save_button.setText(self.tr("&Save for IT support…"))
        self.save_button.setAccessibleName(self.tr("Save the preview for IT support"))
        if self.player is None and self.saver is None:
            self._recording_note()
        self._show_numbers()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
