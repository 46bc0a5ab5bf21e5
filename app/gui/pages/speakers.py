"""Speakers: pick the output, play a test sound, then the speaker check (the echo test, which
plays a sound and listens for it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from techcheck.app import demo
from techcheck.app.gui.i18n import say
from techcheck.app.gui.pages.base import CheckPage
from techcheck.app.gui.pages.devicepick import DEMO
from techcheck.app.gui.problems import describe
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, TaskContext, TaskError, run_task
from techcheck.app.gui.widgets.checkpanel import CheckPanel


def _test_sound(device: Any):
    def work(ctx: TaskContext) -> None:
        from techcheck.checks.audio.playback import play
        from techcheck.checks.audio.source import read_audio_file

        data, rate = read_audio_file(demo.voice_clip())
        play(data, rate, device=device, cancel=ctx.cancel)

    return work


class SpeakersPage(CheckPage):
    key = "speaker"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.add_device_picker("speaker", self._apply_spec)
        play_row = QHBoxLayout()
        self.play_button = QPushButton(self.body)
        self.play_button.clicked.connect(self.play_test_sound)
        self.play_note = QLabel(self.body)
        self.play_note.setWordWrap(True)
        play_row.addWidget(self.play_button)
        play_row.addWidget(self.play_note, 1)
        self.layout_.addLayout(play_row)
        self.echo_note = QLabel(self.body)
        self.echo_note.setWordWrap(True)
        self.layout_.addWidget(self.echo_note)
        self.panel = CheckPanel(session, "speaker", self.body)
        self.panel.about_to_run.connect(self._stop_player)
        self.add_check_panel(self.panel)
        self.layout_.addStretch(1)
        self.player: Task | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.set_heading(self.tr(
            "Use the speakers or headphones you will use in the interview. Headphones stop the "
            "other person hearing themselves as an echo."))
        self.set_picker_texts(self.tr("&Speakers:"), self.tr("Speakers or headphones to use"))
        self.play_button.setText(self.tr("&Play a test sound"))
        self.play_button.setAccessibleName(self.tr("Play a test sound"))
        self.echo_note.setText(self.tr(
            "The echo test plays a short sound and listens with the microphone: if the "
            "microphone hears the speakers loudly, the other person will hear an echo."))

    def refresh_devices(self) -> None:
        chosen = DEMO if self.session.demo else self.session.devices.speaker
        self.picker.set_devices(self.session.device_lists.get("speaker", []), self.session.demo,
                                chosen)
        self._apply_spec(self.picker.spec())

    def _apply_spec(self, spec: Any) -> None:
        # the sample speaker is the stand-in with a known echo path (checks.audio.standin)
        self.session.devices.speaker = (demo.speaker_standin() if spec == DEMO
                                        else None if spec is None else str(spec))

    def entered(self, checking: bool = False) -> None:
        self.refresh_devices()

    def left(self) -> None:
        self.panel.cancel()
        self._stop_player()

    def _stop_player(self) -> None:
        if self.player is not None:
            self.player.cancel()
            self.player.wait(3.0)

    def play_test_sound(self) -> None:
        if self.player is not None:
            return
        spec = self.session.devices.speaker
        dev = int(spec) if spec is not None and spec.isdigit() else spec
        sample = self.picker.spec() == DEMO
        self.play_button.setEnabled(False)
        say(self.play_note, lambda:
            self.tr("Playing the test sound into the sample speaker (demo mode): nothing comes "
                    "out of this computer's speakers.") if sample else
            self.tr("Playing… you should hear a voice."))
        self.player = run_task(_test_sound(dev), name="test-sound", on_error=self._on_error,
                               on_result=lambda _r: say(self.play_note, lambda:
                                   self.tr("The sample speaker took the test sound (demo mode). "
                                           "Choose your own speakers to hear it.") if sample else
                                   self.tr("Did you hear it clearly? If not, turn the volume up "
                                           "or choose other speakers.")),
                               on_finished=self._done)

    def _done(self) -> None:
        self.player = None
        self.play_button.setEnabled(True)

    def _on_error(self, err: TaskError) -> None:
        def text() -> str:  # made again in the new language after a switch
            message, fix = describe(err.exception, "speaker")
            return message + " " + self.tr("How to fix it: ") + fix

        say(self.play_note, text)
