"""Microphone: device picker, live level meter with the target zone, the sentence to read,
record and play back, then the microphone check."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from techcheck.app import demo
from techcheck.app.gui import style
from techcheck.app.gui.i18n import ct, fmt, say
from techcheck.app.gui.live import LevelReading, Recording, microphone_level, play
from techcheck.app.gui.pages.base import CheckPage
from techcheck.app.gui.pages.devicepick import DEMO
from techcheck.app.gui.problems import describe
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, TaskError, run_task
from techcheck.app.gui.widgets.checkpanel import CheckPanel
from techcheck.app.gui.widgets.meter import LevelMeter
from techcheck.app.gui.widgets.status import StatusBadge
from techcheck.checks.model import Status

if TYPE_CHECKING:  # the audio package loads numpy: not before the first window is painted
    from techcheck.checks.audio.livelevel import LevelVerdict

RECORD_S = 5.0


def _judged(measures: Any, lim: Any, prev: LevelVerdict | None = None,
            result: Any = None) -> LevelVerdict:
    """``livelevel.judge_level`` of a live window's measures, or of the check's ``result``."""
    from techcheck.checks.audio.livelevel import LevelMeasures, judge_level

    if result is not None:
        measures = LevelMeasures.from_result(result)
    return judge_level(measures, lim, prev)


def _device(spec: str | None) -> Any:
    return int(spec) if spec is not None and spec.isdigit() else spec


class MicrophonePage(CheckPage):
    key = "microphone"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.add_device_picker("microphone", self._device_changed)
        self.sentence = QLabel(self.body)
        self.sentence.setWordWrap(True)
        f = style.font("lead", self.sentence.font(), bold=False)
        f.setItalic(True)
        self.sentence.setFont(f)
        self.layout_.addWidget(self.sentence)
        # While the check listens: what it judges and how long it still listens (issue 23)
        self.listening = QLabel(self.body)
        self.listening.setWordWrap(True)
        style.set_font(self.listening, "lead", bold=True)
        self.listening.setVisible(False)
        self.layout_.addWidget(self.listening)
        self._left: float | None = None  # seconds the check still listens
        self._phase = ""  # to what: "quiet" (the room), "speech", "file" (a recording)
        self.meter = LevelMeter(self.body)
        self.layout_.addWidget(self.meter)
        self.level = StatusBadge(self.body)
        self.layout_.addWidget(self.level)
        rec = QHBoxLayout()
        self.record_button = QPushButton(self.body)
        self.record_button.clicked.connect(self.record)
        self.play_button = QPushButton(self.body)
        self.play_button.clicked.connect(self.play_back)
        self.play_button.setEnabled(False)
        self.record_note = QLabel(self.body)
        self.record_note.setWordWrap(True)
        rec.addWidget(self.record_button)
        rec.addWidget(self.play_button)
        rec.addWidget(self.record_note, 1)
        self.layout_.addLayout(rec)
        self.panel = CheckPanel(session, "microphone", self.body)
        self.panel.about_to_run.connect(self.stop_level)
        self.panel.all_finished.connect(self._restart)
        self.panel.sample.connect(self._check_hears)
        self.panel.cancelled.connect(self._stopped)
        self.panel.check_finished.connect(self._checked)
        self.panel.all_finished.connect(self._end_listening)
        self.panel.cancelled.connect(self._end_listening)
        self.add_check_panel(self.panel)
        self.layout_.addStretch(1)
        self.live: Task | None = None
        self.player: Task | None = None
        self.recording: Any = None
        self._recording_now = False
        self._active = False
        self._checking = False  # arrived for the one-click check: no meter of our own
        #: the level as the check judges it: seeded by the check's result, then the live
        #: window's (checks/audio/livelevel.py), so the hint never contradicts the card
        self.verdict: LevelVerdict | None = None
        self._window_n = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.set_heading(self.tr(
            "Speak as you will in the interview and read the sentence below aloud. The bar "
            "should stay in the marked zone while you speak."))
        self.sentence.setText(self.tr(
            "“I am looking forward to telling you about my experience and hearing more about "
            "the role.”"))
        self.set_picker_texts(self.tr("&Microphone:"), self.tr("Microphone to use"))
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.record_button.setText(self.tr("&Record 5 seconds"))
        self.record_button.setAccessibleName(self.tr("Record 5 seconds"))
        self.play_button.setText(self.tr("&Play back"))
        self.play_button.setAccessibleName(self.tr("Play back the recording"))
        self._show_level()
        self._show_listening()

    def _show_listening(self) -> None:
        """The sentence above the meter while the check listens, with its countdown."""
        left = self._left
        self.listening.setVisible(left is not None)
        # the live hint judges a window of its own: while the check listens (and may ask for
        # quiet) the check's line speaks, and its card gives the verdict after
        self.level.setVisible(left is None)
        if left is None:
            return
        if self._phase == "quiet":
            text = self.tr("TechCheck is listening to the room while you stay quiet: the "
                           "noise and hum your microphone picks up.")
        elif self._phase == "file" and self.session.demo:
            text = self.tr("TechCheck is listening to the sample recording, not your "
                           "microphone: how loud the voice is, the noise around it, and "
                           "whether the sound distorts.")
        elif self._phase == "file":
            text = self.tr("TechCheck is listening to the recording: how loud the voice is, "
                           "the noise around it, and whether the sound distorts.")
        else:
            text = self.tr("TechCheck is listening: how loud your voice is, the noise around "
                           "you, and whether the sound distorts.")
        seconds = max(0, math.ceil(left))
        self.listening.setText(text + " " + fmt(self.tr("{seconds} s left"), seconds=seconds))

    def _end_listening(self) -> None:
        self._left = None
        self._show_listening()

    def refresh_devices(self) -> None:
        chosen = DEMO if self.session.demo else self.session.devices.microphone
        self.picker.set_devices(self.session.device_lists.get("microphone", []),
                                self.session.demo, chosen)
        self._apply_spec(self.picker.spec())

    def _apply_spec(self, spec: Any) -> None:
        device = (str(demo.voice_clip()) if spec == DEMO else None if spec is None else str(spec))
        if device != self.session.devices.microphone:
            self.verdict = None  # another microphone: what was judged was not this one
        self.session.devices.microphone = device

    def _limits(self) -> Any:
        """The profile's ``[microphone]`` limits: the check's, so the live view judges by them."""
        try:
            if self.session.profile is not None:
                return self.session.profile.limits("microphone")
        except KeyError:  # a profile without the microphone check: its generic limits
            pass
        from techcheck.checks.audio.microphone import MicrophoneLimits
        from techcheck.checks.profile import generic_limits

        return generic_limits("microphone", MicrophoneLimits)

    def _checked(self, result: Any) -> None:
        """The card is shown: the hint starts from the check's own judgement of its recording
        (the same function over the same measures), and changes only when the live window
        is clearly past a limit."""
        if getattr(result, "id", None) == "microphone":
            self.verdict = _judged(None, self._limits(), result=result)
            self._show_level()

    def _device_changed(self, spec: Any) -> None:
        self._apply_spec(spec)
        if self._active:
            self.stop_level()
            self.start_level()

    def entered(self, checking: bool = False) -> None:
        self._active, self._checking = True, checking
        self.refresh_devices()
        self._show_level()
        if not checking:  # the check opens the microphone itself and reports its level
            self.start_level()

    def left(self) -> None:
        self._active = False
        self.stop_level()
        self.panel.cancel()
        if self.player is not None:
            self.player.cancel()
            self.player.wait(3.0)

    def busy(self) -> bool:
        return self.panel.running or self._recording_now

    def start_level(self, record_s: float = 0.0) -> None:
        if self.live is not None or self.panel.running:
            return
        self._recording_now = record_s > 0
        self._window_n = 0
        self.live = run_task(microphone_level(_device(self.session.devices.microphone), record_s,
                                              self._limits()),
                             name="microphone-level", on_latest=self._on_level,
                             on_result=self._on_recorded, on_error=self._on_error)
        task = self.live
        task.finished.connect(lambda: self._level_done(task))

    def stop_level(self) -> None:
        task, self.live = self.live, None
        self._recording_now = False
        self.record_button.setEnabled(True)
        if task is not None:
            task.cancel()
            task.wait(3.0)

    def _level_done(self, task: Task) -> None:
        if self.live is not task:
            return
        self.live = None
        was_recording, self._recording_now = self._recording_now, False
        self.record_button.setEnabled(True)
        if was_recording and self._active:
            self.start_level()

    def _restart(self) -> None:
        if self._active and not self._checking:
            self.start_level()

    def _stopped(self) -> None:
        self._checking = False  # the person took over: the meter comes back after

    def _check_hears(self, data: dict) -> None:
        """While the check records it holds the microphone: meter what it hears."""
        if data.get("kind") == "level":
            if isinstance(left := data.get("left_s"), int | float):
                self._left, self._phase = float(left), str(data.get("phase", ""))
                self._show_listening()
            self._on_level(LevelReading(data["rms_dbfs"], data["peak_dbfs"],
                                        bool(data.get("clipping")), float(data.get("t", 0.0))))

    def record(self) -> None:
        self.stop_level()
        self.record_button.setEnabled(False)
        say(self.record_note, lambda: self.tr("Recording… read the sentence aloud."))
        self.start_level(RECORD_S)

    def _on_recorded(self, rec: Recording | None) -> None:
        if rec is None:
            return
        self.recording = rec
        self.play_button.setEnabled(True)
        say(self.record_note, lambda: self.tr("Recorded. Play it back and listen: is your voice clear "
                                         "and free of echo and hum?"))

    def play_back(self) -> None:
        if self.recording is None or self.player is not None:
            return
        self.play_button.setEnabled(False)
        spk = self.session.devices.speaker
        rec: Recording = self.recording
        self.player = run_task(play(rec.samples, rec.samplerate, _device(spk)), name="playback",
                               on_error=self._on_play_error, on_finished=self._play_done)

    def _play_done(self) -> None:
        self.player = None
        self.play_button.setEnabled(self.recording is not None)

    def _on_play_error(self, err: TaskError) -> None:
        def text() -> str:  # made again in the new language after a switch
            message, fix = describe(err.exception, "speaker")
            return (self.tr("Cannot play the recording.") + " " + message + " "
                    + self.tr("How to fix it: ") + fix)

        say(self.record_note, text)

    def _on_level(self, r: LevelReading) -> None:
        self.meter.set_level(r.rms_dbfs, r.peak_dbfs, r.clipping)
        if r.window is not None and r.window_n != self._window_n:
            self._window_n = r.window_n
            self.verdict = _judged(r.window, self._limits(), self.verdict)
        self._show_level()

    def _on_error(self, err: TaskError) -> None:
        message, fix = describe(err.exception, "microphone")
        self.level.set_status(Status.FAIL, message + " " + self.tr("How to fix it: ") + fix)
        self._recording_now = False
        say(self.record_note, None)
        self.level.word.setWordWrap(True)
        self.meter.reset()

    def _show_level(self) -> None:
        v = self.verdict
        if v is not None:  # the band is the card's pass zone
            self.meter.set_judgement(v.status, v.zone, v.kind == "clipping")
        else:
            self.meter.set_judgement(None, self.meter.zone, False)
        if v is None or v.status is None or v.level_dbfs is None:
            self.level.set_status(None, self.tr("Waiting for speech: read the sentence aloud")
                                  if self.meter.updates else self.tr("Waiting for sound"))
            return
        # the declaration's short text (checks/audio/measures.py), then the numbers it was
        # judged on: the level and the limit applied, as the card's sentence quotes them
        hint, level = ct(v.hint), v.level_dbfs
        if v.kind == "clipping" and v.clipping is not None:
            word = fmt(self.tr("{hint} ({value:.2f} % of the samples hit the ceiling; limit "
                               "{threshold:.2f} %)"), hint=hint, value=v.clipping.value,
                       threshold=v.clipping.limit)
        elif v.speech is not None and v.crossed < 0:
            word = fmt(self.tr("{hint} ({level:.1f} dBFS while speaking; want at least "
                               "{threshold:.0f})"), hint=hint, level=level, threshold=v.limit)
        elif v.speech is not None and v.crossed > 0:
            word = fmt(self.tr("{hint} ({level:.1f} dBFS while speaking; want at most "
                               "{threshold:.0f})"), hint=hint, level=level, threshold=v.limit)
        else:
            word = fmt(self.tr("{hint} ({level:.1f} dBFS while speaking)"), hint=hint,
                       level=level)
        self.level.set_status(v.status, word)
