"""The per-frame analyser the GUI calls for every preview frame, and the check calls for every
frame it judges: face and landmarks, what to draw (face box, landmarks, thirds and centre
guides), a live status per measure with a short hint, and the windowed verdict so far.

The live statuses, the hints and "looks good" come from the very window the check's card is
judged on (``window_s``, the declared hysteresis margins): a preview once had a shorter window
of its own, and its "looks good" could disagree with the card shown below it. A preview that
starts after a check is seeded with the check's verdicts (``seed``), so it keeps them until a
measure is clearly past a limit.

Everything here is pure computation on the frame it is given; frames come from
``techcheck.checks.camera.source`` (or from the GUI's own capture) so GUI, CLI and tests share it.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from techcheck.checks.camera import metrics as M
from techcheck.checks.camera.detector import Face, FaceDetector, FaceTracker, visible_box
from techcheck.checks.camera.judge import MetricState, WindowJudge, judge_once
from techcheck.checks.camera.limits import CameraLimits
from techcheck.checks.camera.rules import LIVE_ORDER, Rule, build_rules, stream_rules
from techcheck.checks.model import Status
from techcheck.checks.profile import generic_limits

#: (status, value, short hint marked with N_) for one measure.
LiveStatus = tuple[Status, float | None, str]

#: The room behind the person does not move between frames, so its straight edges (the
#: picture's tilt, ``scene_roll``: about 30 % of the check's CPU when read on every frame of a
#: 720p stream, docs/benchmarks.md) are read at most once in this many seconds, and that
#: reading stands for the frames in between. The window judge still gets a tilt on every
#: frame; over a 2.5 s window that is ten readings of the room, each weighted by the frames it
#: stood for, so the window's median is the median of the room's readings over that time.
SCENE_INTERVAL_S = 0.25

#: The iris model (two 64×64 crops, ~7 ms a frame on one core: docs/benchmarks.md, "Eyes
#: turned aside") runs at most this often, and its reading of the gaze stands for the frames
#: in between, as the room's tilt does. The gaze is judged as the window's median: over 2.5 s
#: that is 25 readings, and a glance of half a second still moves at most 5 of them. A reading
#: is never carried past a frame without a face or across a reset.
GAZE_INTERVAL_S = 0.1


@dataclass(frozen=True)
class Guides:
    """Composition guides in frame pixels: the rule-of-thirds lines, the centre lines, the band
    where the eyes belong and the band the face's centre should stay in."""

    width: int
    height: int
    thirds_x: tuple[float, float]
    thirds_y: tuple[float, float]
    centre: tuple[float, float]
    eye_band: tuple[float, float]  # (top y, bottom y)
    centre_band: tuple[float, float]  # (left x, right x)

    def lines(self) -> list[tuple[str, float, float, float, float]]:
        """(kind, x0, y0, x1, y1) segments: kind is "third" or "centre"."""
        w, h = self.width, self.height
        out = [("third", x, 0.0, x, float(h)) for x in self.thirds_x]
        out += [("third", 0.0, y, float(w), y) for y in self.thirds_y]
        cx, cy = self.centre
        out += [("centre", cx, 0.0, cx, float(h)), ("centre", 0.0, cy, float(w), cy)]
        return out


@dataclass
class WindowVerdict:
    """The windowed verdict so far (medians over ``window_s``, with hysteresis)."""

    status: Status
    metrics: dict[str, LiveStatus]
    seconds: float  # how much of the window is filled
    window_s: float
    problems: list[str] = field(default_factory=list)  # finding codes not passing

    @property
    def complete(self) -> bool:
        """True once a full window of frames has been judged."""
        return self.seconds >= self.window_s * 0.95


@dataclass
class LiveAnalysis:
    """What the GUI draws and shows for one frame. Coordinates are frame pixels."""

    t: float
    frame_size: tuple[int, int]  # (width, height)
    face_box: tuple[float, float, float, float] | None  # x, y, w, h of the main face
    landmarks: dict[str, tuple[float, float]]  # eyes, nose_tip, mouth, chin, forehead, cheeks…
    guides: Guides
    metrics: dict[str, LiveStatus]  # name -> (status, value, hint); in display order
    looks_good: bool  # a face, and no measure warns or fails in the window the check judges
    verdict: WindowVerdict
    #: the other faces' boxes, cut to the frame (a face cut by its edge reaches outside it)
    other_faces: list[tuple[float, float, float, float]] = field(default_factory=list)
    mesh: np.ndarray | None = None  # (468, 2) points of the main face for a fine overlay
    fps: float | None = None  # frames per second from the timestamps seen so far
    values: dict[str, float | None] = field(default_factory=dict)  # this frame's raw measures
    #: the window's verdict on each measure (with its hysteresis state), to seed a preview
    #: that starts after the check with the check's own verdicts
    states: dict[str, MetricState] = field(default_factory=dict)


class FrameAnalyser:
    """Call ``analyse(frame_bgr, t)`` for each frame of one stream, ``t`` in seconds (any
    origin, increasing). Not thread-safe: one analyser per stream, used from one thread."""

    def __init__(self, limits: CameraLimits | None = None, *,
                 detector: FaceDetector | None = None,
                 seed: dict[str, MetricState] | None = None) -> None:
        self.limits = limits or generic_limits("camera", CameraLimits)
        self.rules: list[Rule] = build_rules(self.limits)
        self._stream_rules = stream_rules(self.limits)
        self._rules = {r.name: r for r in self.rules}
        self.tracker = FaceTracker(detector or FaceDetector())
        self.window = WindowJudge(self.rules, self.limits.window_s)
        if seed:
            self.window.seed(seed)
        self._prev_small: np.ndarray | None = None
        # recent downscaled frames, to compare the picture with itself frozen_lag_s ago
        self._recent: deque[tuple[float, np.ndarray]] = deque()
        self._times: deque[float] = deque(maxlen=90)
        #: how often the room's tilt is read (``SCENE_INTERVAL_S``; 0 = on every frame)
        self.scene_interval_s = SCENE_INTERVAL_S
        # the last reading of the room's tilt: (time, roll or None, frame shape)
        self._scene: tuple[float, float | None, tuple[int, ...]] | None = None
        #: how often the iris model runs (``GAZE_INTERVAL_S``; 0 = on every frame)
        self.gaze_interval_s = GAZE_INTERVAL_S
        # the last reading of the gaze: (time, degrees aside or None)
        self._gaze: tuple[float, float | None] | None = None

    def reset(self) -> None:
        """Forget the stream (a new camera, or a file that starts over)."""
        self.tracker.reset()
        self.window.reset()
        self._prev_small = None
        self._scene = None
        self._gaze = None
        self._recent.clear()
        self._times.clear()

    def analyse(self, frame_bgr: np.ndarray, t: float) -> LiveAnalysis:
        if self._times and t < self._times[-1]:
            self.reset()
        self._times.append(t)
        values, faces = self.measure(frame_bgr, t)
        self.window.push(t, values)
        h, w = frame_bgr.shape[:2]
        main = faces[0] if faces else None
        now = self.window.states()
        live = self._statuses(now)
        stream = self._stream_statuses(w, h)
        metrics = {**stream, **live}
        verdict_states = self.window.states(worst_for_sticky=True)
        verdict_metrics = {**stream, **self._statuses(verdict_states)}
        verdict = WindowVerdict(
            status=Status.worst([s for s, _, _ in verdict_metrics.values()
                                 if s is not Status.SKIPPED]),
            metrics=verdict_metrics,
            seconds=self.window.span_s,
            window_s=self.limits.window_s,
            problems=sorted({s.side.code for n, s in verdict_states.items() if s.side
                             and verdict_metrics.get(n, (Status.PASS,))[0] is not Status.SKIPPED}),
        )
        looks_good = main is not None and all(  # tips are advice: they do not spoil it
            s in (Status.PASS, Status.TIP, Status.SKIPPED) for s, _, _ in metrics.values())
        return LiveAnalysis(
            t=t,
            frame_size=(w, h),
            face_box=main.box if main else None,
            landmarks=(main.landmarks or main.keypoints) if main else {},
            guides=self.guides(w, h),
            metrics=metrics,
            looks_good=looks_good,
            verdict=verdict,
            other_faces=[visible_box(f.box, w, h) for f in faces[1:]],
            mesh=main.mesh[:, :2].copy() if main is not None and main.mesh is not None else None,
            fps=M.real_fps(list(self._times)),
            values=values,
            states=now,
        )

    def skip(self, frame_bgr: np.ndarray, t: float) -> None:
        """A frame of the stream shown without an analysis (a live view that analyses fewer
        frames than it shows): its time still counts for the stream's frame rate, and its
        picture is the one the next analysed frame's background motion is measured against,
        so both read as they do when every frame is analysed, as the check does."""
        if self._times and t < self._times[-1]:
            self.reset()
        self._times.append(t)
        self._prev_small = M.downscale(M.luma(frame_bgr))

    # --- measuring ------------------------------------------------------------------------

    def measure(self, frame_bgr: np.ndarray, t: float) -> tuple[dict[str, float | None],
                                                                list[Face]]:
        """This frame's raw measures (None where not measurable) and its faces."""
        lim = self.limits
        gray = M.luma(frame_bgr)
        small = M.downscale(gray)
        prev, self._prev_small = self._prev_small, small
        v: dict[str, float | None] = {name: None for name in self._rules}
        mean = float(small.mean())
        # the structure only matters (and is only worth measuring) in a dark frame
        black = M.is_black(mean, lim.black_luma,
                           M.structure(small) if mean <= lim.black_luma else None)
        v["black_frames"] = 1.0 if black else 0.0
        v["frozen_frames"] = self._frozen(small, t)
        if black:
            self.tracker.reset()
            self._scene = None  # the room seen after a covered lens is read afresh
            return v, []

        faces = self.tracker.update(frame_bgr, t)
        v["faces"] = float(len(faces))
        background = np.ones(small.shape, bool)
        for f in faces:
            background &= ~M.person_mask(f, gray.shape)
        if faces:
            self._face_measures(v, frame_bgr, gray, small, background, faces[0])
        if faces and v["head_size"] is not None:  # a face large enough to be measured
            v["gaze"] = self._gaze_aside(frame_bgr, faces[0], t)
        else:
            self._gaze = None
        v["clutter"] = M.clutter(small, background)
        # Tilt: the room's straight edges give the camera's roll, and the head's own tilt is
        # measured against the room. Where the room shows no level (a plain wall), a tilted
        # camera and a tilted head cannot be told apart, and the eyes' line against the frame
        # stands for both.
        # The head's tilt is only a measure of its own against the room: on a plain wall it
        # is the picture's tilt (one number, one row, not the same number twice).
        scene = self._scene_roll(gray, background, t)
        eyes = faces[0].roll_deg if faces and v.get("roll") is not None else None
        v["roll"] = None
        if scene is not None:
            v["camera_roll"] = abs(scene)
            if eyes is not None:
                v["roll"] = abs((eyes - scene + 90.0) % 180.0 - 90.0)
        elif eyes is not None:
            v["camera_roll"] = abs(eyes)
        if prev is not None:
            v["background_motion"] = M.motion(prev, small, background)
        return v, faces

    def _scene_roll(self, gray: np.ndarray, background: np.ndarray, t: float) -> float | None:
        """The room's tilt (``M.scene_roll``), read afresh once ``scene_interval_s`` has passed
        since the last reading (or the frame's size changed), else that reading again."""
        held = self._scene
        if (held is not None and held[2] == gray.shape
                and 0.0 <= t - held[0] < self.scene_interval_s):
            return held[1]
        roll = M.scene_roll(gray, background)
        self._scene = (t, roll, gray.shape)
        return roll

    def _gaze_aside(self, frame: np.ndarray, face: Face, t: float) -> float | None:
        """How far aside of the camera the main face's eyes look (``Face.gaze_deg``, unsigned):
        the iris model run afresh once ``gaze_interval_s`` has passed since its last reading,
        else that reading again."""
        held = self._gaze
        if held is not None and 0.0 <= t - held[0] < self.gaze_interval_s * 0.99:
            return held[1]
        self.tracker.detector.irises(frame, face)  # the main face only
        gaze = face.gaze_deg
        self._gaze = (t, None if gaze is None else abs(gaze))
        return self._gaze[1]

    def _frozen(self, small: np.ndarray, t: float) -> float | None:
        """1.0 when the picture is the same as ``frozen_lag_s`` ago, 0.0 when it changed, None
        before that much of the stream was seen. Compared with the previous frame instead, real
        footage of a person sitting still reads as frozen: webcams deliver 15 fps into 25-30 fps
        streams (repeated frames) and H.264 skips unchanged blocks (measured on real webcam
        clips: 0.01-0.1 levels between neighbouring frames, 0.67 or more over half a second)."""
        lag = self.limits.frozen_lag_s
        self._recent.append((t, small))
        while len(self._recent) > 1 and self._recent[1][0] <= t - lag:
            self._recent.popleft()
        t0, old = self._recent[0]
        if t - t0 < lag * 0.99:
            return None
        return 1.0 if M.frame_change(old, small) < self.limits.frozen_change else 0.0

    def _face_measures(self, v: dict[str, float | None], frame: np.ndarray, gray: np.ndarray,
                       small: np.ndarray, background: np.ndarray, face: Face) -> None:
        x0, y0, x1, y1 = M.face_region(face, gray.shape)
        fg = gray[y0:y1, x0:x1]
        if fg.size < 64:
            return
        lim = self.limits
        _, light = M.brightness(fg)
        v["face_clipped"] = M.clipped_fraction(fg)
        bg = small[background]
        bg_light = M.brightness(bg)[1] if bg.size >= 0.05 * small.size else 0.0
        v["face_light"] = M.light_level(light, bg_light, lim.room_light_share)
        if bg_light >= lim.backlight_min_background:  # a window or a lamp behind: judge it
            v["backlight"] = M.backlight_ratio(light, bg_light)
        nose = (face.landmarks or face.keypoints).get("nose_tip", face.centre)
        v["light_balance"] = M.uneven_light(fg, nose[0] - x0)
        v["face_contrast"] = M.contrast(fg)
        _, a, b = M.color_lab(frame[y0:y1, x0:x1])
        if math.hypot(a, b) >= lim.color_min_chroma:  # else a black-and-white picture
            v["color_a"], v["color_b"] = a, b
        v["sharpness"] = M.sharpness(fg)
        v["noise"] = M.noise_sigma(fg)
        fr = M.framing(face, gray.shape)
        v["head_size"] = fr.head_height
        v["eye_line"] = fr.eye_line
        v["headroom"] = fr.headroom
        v["offset"] = fr.offset
        v["roll"] = abs(fr.roll)
        v["yaw"] = abs(fr.yaw) if fr.yaw is not None else None
        v["pitch"] = fr.pitch  # signed: only a bowed head (positive) is judged

    # --- presenting -----------------------------------------------------------------------

    def _statuses(self, states: dict[str, MetricState]) -> dict[str, LiveStatus]:
        out: dict[str, LiveStatus] = {}
        faces = states.get("faces")
        face_missing = faces is None or faces.value is None or faces.value == 0
        for name in LIVE_ORDER:
            st = states.get(name)
            rule = self._rules[name]
            if face_missing and rule.needs_face:
                out[name] = (Status.SKIPPED, None, "")
            elif st is None or st.status is Status.SKIPPED:
                out[name] = ((Status.PASS, None, rule.ok_hint) if rule.absent_ok
                             else (Status.SKIPPED, None, ""))
            elif st.side is not None:
                out[name] = (st.status, st.value, st.side.hint)
            else:
                out[name] = (st.status, st.value, rule.ok_hint)
        # What the check leaves out of its card because a root cause covers it (the rule's
        # ``explained_by``: low eyes beside a bowed head or a head filling the picture) is no
        # hint of its own either, so the preview never asks for two fixes the card does not.
        raised = {st.side.code for n, st in states.items()
                  if n in out and st.side is not None
                  and out[n][0] not in (Status.PASS, Status.SKIPPED)}
        for name in out:
            st = states.get(name)
            explained = self._rules[name].explained_by
            if explained and st is not None and st.side is not None and any(
                    c in raised and c != st.side.code for c in explained):
                out[name] = (Status.SKIPPED, None, "")
        return out

    def _stream_statuses(self, w: int, h: int) -> dict[str, LiveStatus]:
        fps = M.real_fps(list(self._times)) if len(self._times) >= 10 else None
        out: dict[str, LiveStatus] = {}
        for name, rule, value in (("resolution", self._stream_rules[0], float(min(w, h))),
                                  ("fps", self._stream_rules[1], fps)):
            if value is None:
                out[name] = (Status.SKIPPED, None, "")
                continue
            st = judge_once(rule, value)
            out[name] = (st.status, value, st.side.hint if st.side else rule.ok_hint)
        return out

    def guides(self, w: int, h: int) -> Guides:
        lim = self.limits
        return Guides(
            width=w, height=h,
            thirds_x=(w / 3, 2 * w / 3), thirds_y=(h / 3, 2 * h / 3),
            centre=(w / 2, h / 2),
            eye_band=(h * 0.28, h * lim.eye_line_tip),
            centre_band=(w * (0.5 - lim.offset_tip), w * (0.5 + lim.offset_tip)),
        )
