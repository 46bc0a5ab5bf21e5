"""The Start page's live self-view, as a video service's pre-join screen ("green room") shows
one: the camera's picture with the framing guides and the camera check's live overlay, before
anything is checked, so the person sits right from the first second (issue 23).

The picture comes from ``live.camera_preview`` (the Camera page's worker: OpenCV and the face
detector load in that worker, never on the GUI thread and never before the first paint). A
camera that cannot be opened is not shown as a black box: the check's own message and fix
(``problems.describe``) take the picture's place. Only one owner of the camera at a time: the
page stops the view (and waits for the device to be released) when it is left, which the
one-click check does before its camera check opens the device."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QVBoxLayout, QWidget

from techcheck.app.gui.live import Frame, Pace, camera_preview
from techcheck.app.gui.problems import describe
from techcheck.app.gui.tasks import Task, TaskError, run_task
from techcheck.app.gui.widgets.status import StatusBadge
from techcheck.app.gui.widgets.video import VideoView
from techcheck.checks.model import Status

_UNSET = object()
#: Analyses (face detection, mesh, light and scene measures) a second at most: the self-view
#: shows every frame but only needs its face box and guides to keep up with a person
#: settling in their chair. Every frame (25-30 a second) kept one core of a 2-core laptop a
#: third busy for as long as the page was open (docs/benchmarks.md, "The live pictures'
#: cost"). The Camera page, whose hints are judged as the check judges, analyses every frame.
ANALYSES_HZ: float | None = 8.0
# The tallest the picture grows (device-independent pixels): large, yet the choices beside
# or below it stay in reach.
MAX_HEIGHT = 480


class _Faces(QStackedLayout):
    """A stacked layout whose height for a width is the shown face's alone: Qt's own takes
    the tallest of all, so the words in place of the picture sat above a picture-high gap."""

    def heightForWidth(self, width: int) -> int:
        face = self.currentWidget()
        if face is None:
            return -1
        return face.heightForWidth(width) if face.hasHeightForWidth() else face.sizeHint().height()


class SelfView(QWidget):
    """``show_camera`` starts the live picture; ``stop`` releases the camera. ``state`` is
    "off", "starting", "live" or "problem" (the camera could not be shown)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("self-view")
        # as tall as the picture and its words, never more: beside taller choices it stays
        # at the top, above them it leaves no gap
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # One of two faces at a time: the picture with its caption, or what keeps it from
        # showing with the fix. The one not shown is left out of the size (``_show``).
        self.stack = _Faces(self)
        self.live_face, self.problem_face = QWidget(self), QWidget(self)
        live = QVBoxLayout(self.live_face)
        live.setContentsMargins(0, 0, 0, 0)
        self.video = VideoView(self.live_face)
        self.video.setMinimumSize(320, 180)
        live.addWidget(self.video)
        self.caption = QLabel(self.live_face)
        self.caption.setWordWrap(True)
        live.addWidget(self.caption)
        live.addStretch(1)
        problem = QVBoxLayout(self.problem_face)
        problem.setContentsMargins(0, 0, 0, 0)
        self.problem = StatusBadge(self.problem_face, size=20)
        self.problem.word.setWordWrap(True)
        self.problem.word.setTextFormat(Qt.TextFormat.PlainText)
        problem.addWidget(self.problem)
        self.fix = QLabel(self.problem_face)
        self.fix.setWordWrap(True)
        self.fix.setTextFormat(Qt.TextFormat.PlainText)
        problem.addWidget(self.fix)
        self.stack.addWidget(self.live_face)
        self.stack.addWidget(self.problem_face)
        self.task: Task | None = None
        self.pace: Pace | None = None  # the running worker's
        self.video.on_screen_changed.connect(self._on_screen)
        self.state = "off"
        self._spec: Any = _UNSET
        self._sample = False
        self._error: BaseException | None = None
        self._shape = (16, 9)  # width, height of the picture
        self._max_height = MAX_HEIGHT
        self._show()

    # --- the camera -------------------------------------------------------------------------

    def show_camera(self, spec: str | None, limits: Any, sample: bool) -> None:
        """Show camera ``spec`` (an index as digits, a file, or None for the first camera)
        live; ``sample``: it is demo mode's sample video, and the view says so. Showing the
        same camera again, or one that just failed, starts it anew only when asked by a new
        spec or after a problem (the person pressed "Look again")."""
        if self.task is not None and spec == self._spec:
            return
        self.stop()
        self._spec, self._sample, self._error = spec, sample, None
        self.state = "starting"
        self._show()
        dev: Any = int(spec) if spec is not None and spec.isdigit() else spec
        self.pace = Pace(ANALYSES_HZ)
        self.pace.show(self.video.is_on_screen())
        task = self.task = run_task(camera_preview(dev, limits, pace=self.pace),
                                    name="start-selfview",
                                    on_latest=self._on_frame, on_error=self._on_error)
        task.finished.connect(lambda: self._done(task))

    def stop(self) -> None:
        """Release the camera (waits for the worker: the next owner opens it at once)."""
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
            task.wait(3.0)
        if self.state != "problem":
            self.state = "off"
        self._spec = _UNSET
        self.video.clear()
        self._show()

    def _on_screen(self, on: bool) -> None:
        """Nobody sees the picture (window minimised or hidden): the worker pauses."""
        if self.pace is not None:
            self.pace.show(on)

    def _done(self, task: Task) -> None:
        if self.task is task:
            self.task = None

    def _on_frame(self, frame: Frame) -> None:
        if self.state != "live":
            self.state = "live"
            self._show()
        shape = (frame.image.shape[1], frame.image.shape[0])
        if shape != self._shape and min(shape) > 0:
            self._shape = shape
            self._fit()
        self.video.set_frame(frame.image, frame.analysis)

    def _on_error(self, err: TaskError) -> None:
        self.state, self._error = "problem", err.exception
        self.video.clear()
        self._show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The picture's own shape (16:9 until a frame says otherwise), no taller than
        ``MAX_HEIGHT``: no black bands above and below it."""
        super().resizeEvent(event)
        self._fit()

    def set_max_height(self, height: int) -> None:
        """The tallest the picture may be (the page keeps its choices in reach)."""
        self._max_height = max(180, min(MAX_HEIGHT, height))
        self._fit()

    def _fit(self) -> None:
        w, h = self._shape
        height = max(180, min(self._max_height, round(self.width() * h / w)))
        size = QSize(min(self.width(), round(height * w / h)), height)
        if size != self.video.minimumSize() or size != self.video.maximumSize():
            self.video.setFixedSize(size)

    # --- texts ------------------------------------------------------------------------------

    def _show(self) -> None:
        """Every text for the current state, in the current language."""
        problem = self.state == "problem"
        shown, hidden = ((self.problem_face, self.live_face) if problem  # never a black box
                         else (self.live_face, self.problem_face))
        shown.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        hidden.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.stack.setCurrentWidget(shown)
        self.updateGeometry()
        self.video.setAccessibleName(self.tr("Live picture of you"))
        self.video.set_tag(self.tr("Sample video, not your camera") if self._sample else "")
        self.video.set_message(self.tr("Starting the camera…") if self.state == "starting"
                               else "")
        if self.state == "off":
            self.caption.setText("")
        elif self._sample:
            self.caption.setText(self.tr(
                "Demo mode shows a sample video here, not your camera. The lines show where "
                "the eyes and the face belong."))
        else:
            self.caption.setText(self.tr(
                "This is how you look now. Sit as you will in the interview: eyes near the "
                "upper line, face in the middle, light from in front of you."))
        if problem and self._error is not None:
            message, fix = describe(self._error, "camera")
            self.problem.set_status(Status.WARN, message)
            self.fix.setText(self.tr("How to fix it: ") + fix)
        self.setAccessibleName(self.tr("Your camera"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
