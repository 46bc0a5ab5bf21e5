"""Camera: device picker, live preview with the framing and lighting overlay, live hints, a
"looks good" state, then the camera check."""

from __future__ import annotations

import logging
import math
from functools import partial
from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from techcheck.app import demo
from techcheck.app.gui import style
from techcheck.app.gui.i18n import ct, fmt, say
from techcheck.app.gui.live import Frame, Pace, camera_preview
from techcheck.app.gui.pages.base import CheckPage
from techcheck.app.gui.pages.devicepick import DEMO
from techcheck.app.gui.problems import describe
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, TaskError, run_task
from techcheck.app.gui.widgets.checkpanel import CheckPanel
from techcheck.app.gui.widgets.status import StatusBadge
from techcheck.app.gui.widgets.video import VideoView
from techcheck.app.report.view import SNAPSHOT_KEY
from techcheck.checks.model import Status

log = logging.getLogger("techcheck.gui")


def _metric_hints(analysis: Any) -> list[tuple[str, Status, str]]:
    """(name, status, hint) from the analysis' live status dict."""
    live = getattr(analysis, "metrics", None) or {}
    out = []
    for name, entry in dict(live).items():
        try:
            st, _value, hint = entry
        except (TypeError, ValueError):
            continue
        out.append((name, Status(st), hint or ""))
    out.sort(key=lambda x: -x[1].severity)
    return out


class CameraPage(CheckPage):
    key = "camera"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.add_device_picker("camera", self._device_changed)
        # While the check looks: what it judges and how long it still looks (issue 23)
        self.judging = QLabel(self.body)
        self.judging.setWordWrap(True)
        style.set_font(self.judging, "lead", bold=True)
        self.judging.setVisible(False)
        self.layout_.addWidget(self.judging)
        self._judging: tuple[bool, float] | None = None  # (adjusting, seconds left)
        self.video = VideoView(self.body)
        self.layout_.addWidget(self.video, 3)
        self.looks = StatusBadge(self.body, size=24)
        style.set_font(self.looks.word, "lead", bold=True)
        self.layout_.addWidget(self.looks)
        self.hints = QGridLayout()
        self.hint_widgets: list[tuple[StatusBadge, QLabel]] = []
        for i in range(4):
            b, lab = StatusBadge(self.body, 16), QLabel(self.body)
            lab.setWordWrap(True)
            self.hints.addWidget(b, i, 0)
            self.hints.addWidget(lab, i, 1)
            b.setVisible(False)
            lab.setVisible(False)
            self.hint_widgets.append((b, lab))
        self.hints.setColumnStretch(1, 1)
        self.layout_.addLayout(self.hints)
        self.snapshot_box = QCheckBox(self.body)
        self.snapshot_box.setChecked(session.snapshot)
        self.snapshot_box.toggled.connect(self._snapshot_toggled)
        self.layout_.addWidget(self.snapshot_box)
        self.snapshot_note = QLabel(self.body)
        self.snapshot_note.setWordWrap(True)
        self.layout_.addWidget(self.snapshot_note)
        self.panel = CheckPanel(session, "camera", self.body)
        self.panel.about_to_run.connect(self.stop_preview)
        self.panel.sample.connect(self._check_sees)
        self.panel.cancelled.connect(self._stopped)
        self.panel.all_finished.connect(self._after_check)
        self.panel.all_finished.connect(self._end_judging)
        self.panel.cancelled.connect(self._end_judging)
        self.add_check_panel(self.panel)
        self.preview: Task | None = None
        self.pace: Pace | None = None  # the preview's: every frame analysed, none unseen
        self.video.on_screen_changed.connect(self._on_screen)
        self._active = False
        self._checking = False  # arrived for the one-click check: no preview of our own
        self.last_analysis: Any = None
        self.retranslate()

    def retranslate(self) -> None:
        self.set_heading(self.tr(
            "Sit as you will in the interview. Put your eyes near the upper line and your face "
            "in the middle; light should come from in front of you."))
        self.set_picker_texts(self.tr("&Camera:"), self.tr("Camera to use"))
        self.video.setAccessibleName(self.tr("Camera preview"))
        self.snapshot_box.setText(self.tr("&Add a still picture of me to the report"))
        self.snapshot_box.setAccessibleName(self.tr("Add a still picture of me to the report"))
        self._show_snapshot_note()
        self._show_looks()
        self._show_judging()

    def _show_judging(self) -> None:
        """The sentence over the picture while the check looks, with its countdown."""
        state = self._judging
        self.judging.setVisible(state is not None)
        if state is None:
            self.video.set_tag("")
            return
        adjusting, left = state
        seconds = max(0, math.ceil(left))
        if adjusting:
            text = self.tr("The camera is adjusting to the light. Sit as you will in the "
                           "interview.")
        elif self.session.demo:
            text = self.tr("TechCheck is looking at the sample video, not your camera: the "
                           "light on the face, where it sits in the picture, and whether the "
                           "picture is sharp and smooth.")
        else:
            text = self.tr("TechCheck is looking at your picture: the light on your face, "
                           "where you sit in the picture, and whether the picture is sharp "
                           "and smooth. Stay as you are.")
        self.judging.setText(text + " " + fmt(self.tr("{seconds} s left"), seconds=seconds))
        self.video.set_tag(fmt(self.tr("Checking: {seconds} s left"), seconds=seconds))

    def _end_judging(self) -> None:
        self._judging = None
        self._show_judging()

    def _snapshot_toggled(self, on: bool) -> None:
        self.session.snapshot = on
        self._show_snapshot_note()

    def _show_snapshot_note(self) -> None:
        text = self.tr(
            "Off by default. When ticked, the camera check takes one small still picture and "
            "only the report you export shows it. Nothing else from the camera is stored: no "
            "video, and the history kept on this computer never holds the picture.")
        result = self.session.results.get("camera")
        if self.session.snapshot and result is not None and SNAPSHOT_KEY not in result.details:
            text += " " + self.tr("Check the camera again to take the picture.")
        self.snapshot_note.setText(text)

    def refresh_devices(self) -> None:
        chosen = DEMO if self.session.demo else self.session.devices.camera
        self.picker.set_devices(self.session.device_lists.get("camera", []), self.session.demo,
                                chosen)
        self._apply_spec(self.picker.spec())

    def _apply_spec(self, spec: Any) -> None:
        self.session.devices.camera = (str(demo.camera_clip()) if spec == DEMO
                                       else None if spec is None else str(spec))

    def _device_changed(self, spec: Any) -> None:
        self._apply_spec(spec)
        if self._active:
            self.stop_preview()
            self.start_preview()

    def entered(self, checking: bool = False) -> None:
        self._active, self._checking = True, checking
        self.refresh_devices()
        if not checking:  # the check opens the camera itself and shows what it sees
            self.start_preview()
        else:  # not the picture of an earlier visit while the camera starts
            self.video.clear()
            self.video.set_message(self.tr("Starting the camera…"))

    def left(self) -> None:
        self._active = False
        self.stop_preview()
        self.panel.cancel()

    def start_preview(self, seed: Any = None) -> None:
        """``seed``: the check's verdicts on each measure, when the preview follows a check."""
        if self.preview is not None or self.panel.running:
            return
        try:
            limits = self.session.profile.limits("camera")
        except KeyError:
            limits = None
        self.video.set_message(lambda: self.tr("Starting the camera…"))
        spec = self.session.devices.camera
        dev: Any = int(spec) if spec is not None and spec.isdigit() else spec
        # every frame analysed, as the check analyses them: the hints and "Looks good" are
        # judged over the same window as the check's card (checks/camera/live.py)
        self.pace = Pace(None)
        self.pace.show(self.video.is_on_screen())
        self.preview = run_task(camera_preview(dev, limits, seed, pace=self.pace),
                                name="camera-preview",
                                on_latest=self._on_frame, on_error=self._on_error)
        task = self.preview
        task.finished.connect(lambda: self._preview_done(task))

    def stop_preview(self) -> None:
        task, self.preview = self.preview, None
        if task is not None:
            task.cancel()
            task.wait(3.0)  # the check opens the same camera next: release it first

    def _on_screen(self, on: bool) -> None:
        """Nobody sees the preview (window minimised or hidden): its worker pauses."""
        if self.pace is not None:
            self.pace.show(on)

    def _preview_done(self, task: Task) -> None:
        if self.preview is task:
            self.preview = None

    def _after_check(self) -> None:
        self._show_snapshot_note()
        if self._active and not self._checking:
            # the card shows the check's verdicts: the preview goes on from them, judging
            # over the same window with the same hysteresis
            seen = self.last_analysis if "camera" in self.session.results else None
            self.start_preview(seed=getattr(seen, "states", None))

    def _stopped(self) -> None:
        self._checking = False  # the person took over: the preview comes back after

    def _check_sees(self, data: dict) -> None:
        """While the check runs it holds the camera: show the pictures it analyses."""
        if data.get("kind") == "camera" and data.get("frame") is not None:
            if isinstance(left := data.get("left_s"), int | float):
                self._judging = (data.get("analysis") is None, float(left))
                self._show_judging()
            self.video.set_message("")
            self.video.set_frame(data["frame"], data.get("analysis"))
            self.last_analysis = data.get("analysis")
            self._show_hints(self.last_analysis)

    def _on_frame(self, frame: Frame) -> None:
        self.video.set_message("")
        self.video.set_frame(frame.image, frame.analysis)
        self.last_analysis = frame.analysis
        self._show_hints(frame.analysis)

    def _on_error(self, err: TaskError) -> None:
        def text() -> str:  # made again in the new language after a switch
            message, fix = describe(err.exception, "camera")
            return message + "\n" + self.tr("How to fix it: ") + fix

        self.video.clear()
        self.video.set_message(text)
        self.looks.set_status(Status.FAIL, self.tr("The camera cannot be shown"))

    def _show_hints(self, analysis: Any) -> None:
        hints = _metric_hints(analysis) if analysis is not None else []
        shown = [h for h in hints if h[1] not in (Status.PASS, Status.SKIPPED)][: len(self.hint_widgets)]
        for i, (badge, lab) in enumerate(self.hint_widgets):
            if i < len(shown):
                _name, st, hint = shown[i]
                badge.set_status(st)
                say(lab, partial(ct, str(hint)))  # follows a language switch
                badge.setVisible(True)
                lab.setVisible(True)
            else:
                badge.setVisible(False)
                lab.setVisible(False)
        self._show_looks()

    def _show_looks(self) -> None:
        a = self.last_analysis
        if a is None:
            self.looks.set_status(None, self.tr("Waiting for the picture"))
        elif bool(getattr(a, "looks_good", False)):
            self.looks.set_status(Status.PASS, self.tr("Looks good"))
        else:
            self.looks.set_status(Status.WARN, self.tr("Not quite yet: see the tips below"))
