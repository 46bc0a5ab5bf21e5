"""The Start page's self-view at a pace a 2-core laptop can afford minutes before a call: it
shows every picture, but runs the camera check's analysis (face detection, mesh, light and
scene measures) at most ``selfview.ANALYSES_HZ`` times a second of the stream, with the last
analysis held over the pictures between, so the face box and guides stay on the face; and none
at all while the window is minimised or another page shows. Before, every picture was
analysed: a third of a core for as long as the page was open (docs/benchmarks.md).

The real window offscreen in demo mode; the pictures come from real video files through
``cv2.VideoCapture`` (the bundled sample clip; for following a face, a clip in which the person
leans from side to side). Counts, not CPU seconds: how many analyses per second of the
stream's own clock and per picture read, which a loaded machine cannot make pass or fail."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from techcheck.app import demo
from techcheck.app.gui.widgets import selfview
from techcheck.app.gui.widgets.video import VideoView
from tests.camera_scenarios import SCENARIOS, compose, write_avi
from tests.gui_fixtures import by_name, click_step

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _shown(qtbot, view: VideoView, count: int) -> list[tuple[np.ndarray, object]]:
    """Each new picture the view shows, with the analysis drawn over it, until ``count``."""
    got: list[tuple[np.ndarray, object]] = []

    def more() -> bool:
        if view._frame is not None and (not got or view._frame is not got[-1][0]):
            got.append((view._frame, view._analysis))
        return len(got) >= count

    qtbot.waitUntil(more, timeout=60_000)
    return got


def _iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / (aw * ah + bw * bh - inter)


@pytest.mark.slow
def test_start_page_analyses_a_few_times_a_second_and_none_unseen(make_window, qtbot):
    hz = selfview.ANALYSES_HZ
    assert hz is not None and hz <= 10
    w = make_window(demo_mode="on", language="en", paced=True)
    view = by_name(w, "Live picture of you", VideoView)
    sv = w.start.selfview
    qtbot.waitUntil(lambda: view.frames_shown >= 3, timeout=30_000)

    # What the person sees: every new picture with the analysis drawn over it. Distinct
    # analyses, by the stream time of the frame each was made from, are at most ``hz`` a
    # second of the stream (analysing every picture gives the clip's 25).
    shown = _shown(qtbot, view, 50)
    analyses = {id(a): a for _f, a in shown if a is not None}
    times = sorted(a.t for a in analyses.values())
    span = times[-1] - times[0]
    assert span >= 1.0, times
    assert len(times) - 1 <= hz * span + 1, (len(times), span)
    # ... the analysis is held over the pictures between: none shown without its face box
    first = next(i for i, (_f, a) in enumerate(shown) if a is not None)
    assert all(a is not None and a.face_box is not None for _f, a in shown[first:])
    # ... and as green as analysing every frame makes it: the stream still reads as 25 fps
    last = shown[-1][1]
    assert last.fps == pytest.approx(25.0, rel=0.05)
    assert last.looks_good

    # The worker's own count: analyses per picture it read, on the stream's clock (a file is
    # paced, never skipped: 25 pictures a second of it), so load cannot change it.
    pace = sv.pace
    f0, a0 = pace.frames, pace.analyses
    qtbot.waitUntil(lambda: pace.frames >= f0 + 50, timeout=60_000)
    frames, runs = pace.frames - f0, pace.analyses - a0
    assert 1 <= runs <= frames / 25 * hz + 2, (runs, frames)

    # Minimised: the worker reads, decodes and analyses nothing, and no picture is drawn.
    w.showMinimized()
    qtbot.waitUntil(lambda: not pace.shown, timeout=5_000)
    qtbot.wait(300)  # the picture in hand when it was minimised
    f0, a0, s0 = pace.frames, pace.analyses, view.frames_shown
    qtbot.wait(1500)
    assert (pace.frames, pace.analyses, view.frames_shown) == (f0, a0, s0)
    assert sv.task is not None  # paused, not stopped: back at once
    w.showNormal()
    qtbot.waitUntil(lambda: pace.analyses >= a0 + 3 and view.frames_shown >= s0 + 10,
                    timeout=30_000)

    # Another page: the self-view's worker has stopped, and analyses nothing more.
    click_step(qtbot, w, "system")
    assert sv.task is None
    a0 = pace.analyses
    qtbot.wait(500)
    assert pace.analyses == a0


@pytest.mark.slow
def test_camera_page_preview_pauses_while_minimised(make_window, qtbot):
    """The Camera page analyses every picture (its hints are judged as the check judges)
    while it is seen, and nothing while the window is minimised."""
    w = make_window(demo_mode="on", language="en", paced=True)
    click_step(qtbot, w, "camera")
    cam = w.pages["camera"]
    qtbot.waitUntil(lambda: cam.pace is not None and cam.pace.analyses >= 10, timeout=30_000)
    pace = cam.pace
    assert pace.analyses_hz is None
    w.showMinimized()
    qtbot.waitUntil(lambda: not pace.shown, timeout=5_000)
    qtbot.wait(300)
    f0, a0 = pace.frames, pace.analyses
    qtbot.wait(1000)
    assert (pace.frames, pace.analyses) == (f0, a0)
    w.showNormal()
    qtbot.waitUntil(lambda: pace.analyses >= a0 + 5, timeout=30_000)


def _leaning_clip(path: Path, seconds: float = 4.0, fps: float = 25.0) -> Path:
    """The test scenes' well-framed person, leaning from side to side: ±100 px at 0.4 Hz, up
    to 250 px a second, so a face box left where it was falls off the face."""
    sc = SCENARIOS["good"]
    still = compose(sc)
    w, h = sc.size

    def frames():
        for i in range(round(seconds * fps)):
            dx = 100.0 * math.sin(2 * math.pi * 0.4 * i / fps)
            m = np.float32([[1, 0, dx], [0, 1, 0]])
            yield cv2.warpAffine(still, m, (w, h), borderMode=cv2.BORDER_REPLICATE)

    return write_avi(path, frames(), fps, (w, h))


@pytest.mark.slow
def test_the_face_box_follows_a_moving_face(make_window, qtbot, tmp_path, monkeypatch):
    from techcheck.checks.camera.detector import FaceDetector

    clip = _leaning_clip(tmp_path / "leaning.avi")
    monkeypatch.setattr(demo, "camera_clip", lambda: clip)  # played as the sample video
    w = make_window(demo_mode="on", language="en", paced=True)
    view = by_name(w, "Live picture of you", VideoView)
    qtbot.waitUntil(lambda: view._analysis is not None, timeout=30_000)
    shown = _shown(qtbot, view, 60)  # 2.4 s of the clip: a whole lean one way and back
    detector = FaceDetector()
    overlap, xs = [], []
    for frame, analysis in shown[::3]:
        faces = detector.find(frame)
        assert faces and analysis is not None and analysis.face_box is not None
        overlap.append(_iou(analysis.face_box, faces[0].box))
        xs.append(analysis.face_box[0])
    print("IoU of the face box shown with the face in the picture:",
          [round(v, 2) for v in overlap])
    assert max(xs) - min(xs) >= 100  # the box went with the face ...
    assert float(np.median(overlap)) >= 0.7  # ... and stayed on it
    assert sum(v >= 0.5 for v in overlap) >= 0.9 * len(overlap)
