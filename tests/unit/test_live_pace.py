"""The live views' pace (issue: the Start page's self-view kept a core a third busy): the
analyses a preview runs are bounded per second of the stream, an analysis that takes longer
than frames arrive makes the next ones wait instead of frames queueing behind it, a skipped
frame still counts for the stream's frame rate and background motion, and a sample file
played in real time goes on from where it paused instead of racing through what it missed.

``Schedule`` is pure bookkeeping (tested on given times); the analyser and the source are
tested on the real sample clip through ``cv2.VideoCapture``."""

from __future__ import annotations

import time

import cv2
import pytest

from techcheck.app import demo
from techcheck.app.gui.live import Pace, Schedule
from techcheck.checks.camera.live import FrameAnalyser
from techcheck.checks.camera.source import open_camera


def _run(schedule: Schedule, fps: float, seconds: float,
         cost_s: float = 0.0) -> tuple[list[float], float]:
    """(stream times of the frames ``schedule`` analyses, the most a frame waited to be read),
    frames arriving at ``fps`` (wall time = stream time), each analysis taking ``cost_s``."""
    out, wall, lag = [], 0.0, 0.0
    for i in range(round(seconds * fps)):
        t = i / fps
        wall = max(wall, t)  # a frame is read when it arrives, or when the worker is free
        lag = max(lag, wall - t)
        if schedule.due(t, wall):
            schedule.ran(t, wall, wall + cost_s)
            out.append(t)
            wall += cost_s
    return out, lag


def _analysed(schedule: Schedule, fps: float, seconds: float, cost_s: float = 0.0) -> list[float]:
    return _run(schedule, fps, seconds, cost_s)[0]


@pytest.mark.parametrize("fps", [25.0, 30.0, 15.0])
def test_at_most_the_rate_asked_in_any_span_of_the_stream(fps):
    times = _analysed(Schedule(8.0), fps, 10.0)
    assert 8 * 10 - 2 <= len(times) <= 8 * 10 + 1  # as many as asked, on the frames' grid
    for i in range(len(times)):  # any span of the stream holds at most one more than its share
        for j in range(i + 1, len(times)):
            assert j - i <= (times[j] - times[i]) * 8.0 + 1 + 1e-9, (times[i], times[j])


@pytest.mark.parametrize("cost_s", [0.010, 0.025])
def test_every_frame_when_unbounded_and_the_worker_keeps_up(cost_s):
    # a full-picture face search (25 ms) now and then costs the Camera page no analysis
    assert len(_analysed(Schedule(None), 25.0, 4.0, cost_s=cost_s)) == 100


def test_a_slow_analysis_drops_frames_instead_of_queueing_them():
    # 60 ms an analysis at 25 fps (a starved computer): analysing every frame, the worker
    # would fall further behind with each one (a queue: 2.0 s late after 4 s); it analyses
    # every other frame instead, and reads each frame within one frame's time of its arrival
    times, lag = _run(Schedule(None), 25.0, 4.0, cost_s=0.060)
    assert 100 / 3 <= len(times) <= 100 / 2 + 1
    assert lag <= 1 / 25 + 1e-9
    times, lag = _run(Schedule(8.0), 25.0, 4.0, cost_s=0.100)
    assert len(times) <= 4 / (0.100 / 0.75) + 1 and lag <= 0.100


def test_a_stream_that_starts_over_is_analysed_at_once():
    s = Schedule(8.0)
    assert s.due(5.0, 0.0)
    s.ran(5.0, 0.0, 0.0)
    assert not s.due(5.04, 0.04)
    assert s.due(0.0, 0.08)  # a new camera or a new file: its first frame is analysed


def test_pace_shown_is_shared_with_the_worker():
    pace = Pace(8.0)
    assert pace.shown and pace.wait_shown(0.0)
    pace.show(False)
    assert not pace.shown and not pace.wait_shown(0.01)
    pace.show(True)
    assert pace.wait_shown(0.0)


def _sample_frames() -> list:
    cap = cv2.VideoCapture(str(demo.camera_clip()))
    out = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        out.append(frame)
    cap.release()
    return out


@pytest.mark.slow
def test_frames_shown_without_analysis_still_count_for_rate_and_motion():
    """A third of the frames analysed, the others ``skip``ped: every status, "looks good" and
    the background's motion are what analysing every frame gives (without ``skip`` the stream
    reads as 8 fps and the face box turns yellow for a camera that delivers 25)."""
    frames = _sample_frames()
    fps = 25.0
    every, third, unskipped = FrameAnalyser(), FrameAnalyser(), FrameAnalyser()
    compared, motion = 0, []
    for k in range(150):
        frame, t = frames[k % len(frames)], k / fps
        full = every.analyse(frame, t)
        if k % 3:
            third.skip(frame, t)
            continue
        sub, bare = third.analyse(frame, t), unskipped.analyse(frame, t)
        if k < 30:
            continue
        compared += 1
        assert {n: m[0] for n, m in sub.metrics.items()} == \
            {n: m[0] for n, m in full.metrics.items()}, t
        assert sub.looks_good is full.looks_good is True
        assert sub.fps == pytest.approx(fps, rel=0.02)
        # motion against the frame just before, as every frame's is (the faces cut out of the
        # background may differ by a few pixels between two trackers: a hundredth of a level)
        motion.append((full.values["background_motion"], sub.values["background_motion"],
                       bare.values["background_motion"]))
        assert bare.fps == pytest.approx(fps / 3, rel=0.05)  # what skip is there for
    assert compared >= 35
    full_m, sub_m, bare_m = (sum(m[i] for m in motion) / len(motion) for i in range(3))
    print("mean background motion: every frame", full_m, "skipped", sub_m, "unskipped", bare_m)
    assert sub_m == pytest.approx(full_m, abs=0.01)
    assert bare_m > full_m + 0.02  # without skip: the change over three frames


def test_a_paused_sample_goes_on_from_where_it_stopped():
    with open_camera(str(demo.camera_clip()), realtime=True, loop=True) as src:
        for _ in range(3):
            src.read()
        t_before = src.read()[1]
        time.sleep(0.4)  # paused: nobody read
        assert src.behind_s() >= 0.3
        src.rebase()
        assert src.behind_s() < 0.05
        start = time.monotonic()
        ts = [src.read()[1] for _ in range(5)]
        wall = time.monotonic() - start
    assert ts[0] == pytest.approx(t_before + 1 / 25, abs=1e-3)  # the next frame, no jump
    assert wall >= 4 / 25 * 0.9  # at the file's own pace, not a rush through what it missed


def test_a_camera_has_no_pace_to_rebase(tmp_path):
    with open_camera(str(demo.camera_clip())) as src:  # not real time: as fast as it decodes
        src.read()
        time.sleep(0.05)
        assert src.behind_s() == 0.0
        src.rebase()
