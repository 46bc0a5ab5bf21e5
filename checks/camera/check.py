"""The ``camera`` check: opens the camera (or a video/image file), watches it for a few
seconds through the same ``FrameAnalyser`` the live preview uses, and reports the stream's
health, the light on the face and the framing, each with a concrete fix."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from techcheck.checks.base import Check, Device, ResultBuilder
from techcheck.checks.camera.limits import CameraLimits
from techcheck.checks.camera.rules import MEASURES
from techcheck.checks.context import CheckContext, Progress
from techcheck.checks.i18n import N_
from techcheck.checks.model import CheckResult, Status

if TYPE_CHECKING:  # OpenCV and numpy load when the check runs, not when plug-ins are listed
    import numpy as np

    from techcheck.checks.camera.judge import MetricState
    from techcheck.checks.camera.live import FrameAnalyser
    from techcheck.checks.camera.rules import Rule
    from techcheck.checks.camera.source import CameraError, CameraSource

log = logging.getLogger("techcheck.camera")

#: Width of the optional snapshot thumbnail (only with ``options["snapshot"]``).
SNAPSHOT_WIDTH = 320
#: The picture is analysed at most this often (seconds): 15 times a second, every other frame
#: of a 30 fps camera. What the check judges changes over seconds (light, framing, where the
#: eyes look; a glance is judged as a window's median), so the frames between add no finding
#: and cost half its processor time (bench/bench_camera_check_cpu.py --compare rate). Every
#: frame is still read and counted for the frame rate and the gaps between frames.
ANALYSIS_INTERVAL_S = 1 / 15
#: Rules that need a stream of frames (meaningless for a single picture).
STREAM_RULES = {"frozen_frames", "background_motion"}


class CameraCheck(Check):
    id = "camera"
    title = N_("Camera")
    needs = frozenset({"camera"})
    Limits = CameraLimits
    timeout_s = 60.0
    order = 20
    #: ``ANALYSIS_INTERVAL_S``, on the class so a benchmark can measure the check without it
    analysis_interval_s = ANALYSIS_INTERVAL_S

    def __init__(self, opener: Callable[..., CameraSource] | None = None) -> None:
        self.opener = opener

    @classmethod
    def list_devices(cls) -> list[Device]:
        from techcheck.checks.camera.devices import list_cameras

        return list_cameras()

    def run(self, ctx: CheckContext) -> CheckResult:
        from techcheck.checks.camera.source import CameraError, open_camera

        lim: CameraLimits = ctx.limits(self.id)
        r = self.result()
        ctx.progress(Progress(self.id, 0.0, N_("Opening the camera")))
        # A person watching (the app): a video file plays at its own pace and starts over at
        # its end, as a camera delivers, so the check watches it as long as it watches a
        # camera and the page shows every second it judges (issue 23).
        live = bool(ctx.options.get("realtime"))
        try:
            source = (self.opener(ctx.devices.camera) if self.opener is not None
                      else open_camera(ctx.devices.camera, realtime=live, loop=live))
        except CameraError as exc:
            log.info("camera %r: %s", ctx.devices.camera, exc.detail)
            self._problem(r, exc)
            return r.build()
        with source:
            r.detail("source", source.info.to_dict())
            self._watch(ctx, lim, source, r)
        return r.build()

    # --- watching -------------------------------------------------------------------------

    def _watch(self, ctx: CheckContext, lim: CameraLimits, source: CameraSource,
               r: ResultBuilder) -> None:
        from techcheck.checks.camera.live import FrameAnalyser
        from techcheck.checks.camera.source import CameraDisconnected, CameraError

        analyser = FrameAnalyser(lim)
        duration = ctx.duration if ctx.duration is not None else lim.duration_s
        # The runner stops a check after timeout_s; leave room for opening and warm-up.
        duration = min(duration, self.timeout_s - 15.0)
        info = source.info
        warmup = lim.warmup_s if source.is_camera else 0.0
        times: list[float] = []
        last = None
        snapshot: np.ndarray | None = None
        start = time.monotonic()
        next_progress = 0.0  # seconds of the source's clock
        next_analysis = 0.0
        if source.is_camera:
            ctx.progress(Progress(self.id, 0.02, N_("Letting the camera adjust to the light")))
        try:
            while True:
                ctx.cancel.raise_if_cancelled()
                frame, t = source.read()
                if frame is None:
                    break
                if t < warmup:
                    if t >= next_progress:  # the person sees themselves while it adjusts
                        next_progress = t + 0.1
                        ctx.progress(Progress(
                            self.id, 0.02, N_("Letting the camera adjust to the light"),
                            {"kind": "camera", "t": t, "frame": frame, "analysis": None,
                             "left_s": round(warmup + duration - t, 2),
                             "duration_s": duration}))
                    continue
                elapsed = t - warmup
                if times and elapsed > duration:
                    break
                times.append(t)
                if last is not None and t < next_analysis:
                    continue
                # a millisecond early: a 30 fps camera's frames come 1/30 s apart give or take
                next_analysis = t + self.analysis_interval_s - 0.001
                last = analyser.analyse(frame, t)
                if last.face_box is not None or snapshot is None:
                    snapshot = frame
                if t >= next_progress:
                    # ~10 pictures a second: enough for a live view of what the check sees
                    # (the GUI draws "frame" with its overlay), cheap for the check
                    next_progress = t + 0.1
                    ctx.progress(Progress(
                        self.id, min(1.0, elapsed / max(duration, 1e-6)),
                        N_("Looking at the picture"),
                        {"kind": "camera", "t": t, "looks_good": last.looks_good,
                         "problems": last.verdict.problems, "frame": frame, "analysis": last,
                         "left_s": round(max(0.0, duration - elapsed), 2),
                         "duration_s": duration},
                    ))
                if source.is_camera and time.monotonic() - start > warmup + duration + 10:
                    break  # a camera whose clock runs slow must not hold the check forever
        except CameraError as exc:  # unplugged mid-check
            self._problem(r, exc)
            if last is None:
                return
        if last is None:
            self._problem(r, CameraDisconnected(f"{info.spec} delivered no frame"))
            return
        r.record(MEASURES["camera"]["frames"], len(times))
        self._stream(r, lim, info.kind, info.width, info.height, times)
        states = analyser.window.states(worst_for_sticky=True)
        self._judge(r, analyser, states, image=info.kind == "image")
        r.detail("face_box", [round(v, 1) for v in last.face_box] if last.face_box else None)
        if ctx.options.get("snapshot") and snapshot is not None:
            r.detail("snapshot_jpeg_b64", thumbnail_jpeg_b64(snapshot))
        ctx.progress(Progress(self.id, 1.0, N_("Done")))

    # --- judging --------------------------------------------------------------------------

    def _stream(self, r: ResultBuilder, lim: CameraLimits, kind: str, w: int, h: int,
                times: list[float]) -> None:
        from techcheck.checks.camera.judge import judge_once
        from techcheck.checks.camera.metrics import real_fps
        from techcheck.checks.camera.rules import stream_rules

        res_rule, fps_rule = stream_rules(lim)
        r.record(MEASURES["camera"]["resolution"], f"{w}x{h}")
        _emit(r, res_rule, judge_once(res_rule, min(w, h)), width=w, height=h)
        fps = real_fps(times) if kind != "image" else None
        if fps is not None:
            _emit(r, fps_rule, judge_once(fps_rule, fps))

    def _judge(self, r: ResultBuilder, analyser: FrameAnalyser, states: dict[str, MetricState],
               *, image: bool) -> None:
        black = states.get("black_frames")
        blacked_out = black is not None and black.status is Status.FAIL
        faces = states.get("faces")
        no_face = faces is not None and faces.value == 0
        chosen: dict[str, tuple[MetricState, Rule]] = {}  # one finding per code, the worst
        for rule in analyser.rules:
            st = states.get(rule.name)
            if st is None or (image and rule.name in STREAM_RULES):
                continue
            if st.value is not None:
                _emit(r, rule, st, finding=False)
            if st.side is None or st.status in (Status.PASS, Status.SKIPPED):
                continue
            if blacked_out and rule.name != "black_frames":
                continue  # a covered lens explains every other problem
            if no_face and rule.needs_face:
                continue
            held = chosen.get(st.side.code)
            if held is None or st.status.severity > held[0].status.severity:
                chosen[st.side.code] = (st, rule)
        for st, rule in chosen.values():
            if not any(c in chosen for c in rule.explained_by):  # else the root cause covers it
                _emit(r, rule, st, metric=False)

    def _problem(self, r: ResultBuilder, exc: CameraError) -> None:
        """A camera that cannot be used fails the check: the interview needs it."""
        r.finding(exc.code, Status.FAIL, exc.message, exc.fix, value=None, op=None,
                  detail=exc.detail, **exc.params)


def _emit(r: ResultBuilder, rule: Rule, st: MetricState, *, metric: bool = True,
          finding: bool = True, **params: Any) -> None:
    """Report a judged measure through its declaration: its metric held to the limit the
    windowed judge applied, and a finding with its fix when it did not pass."""
    r.grade(rule, st.value, decided=(st.grade(), st.side), shift=st.shift, metric=metric,
            finding=finding, **params)


def thumbnail_jpeg_b64(frame_bgr: np.ndarray, width: int = SNAPSHOT_WIDTH) -> str:
    """A small JPEG of the frame, base64: only made when the person asked for a snapshot."""
    import cv2

    h, w = frame_bgr.shape[:2]
    if w > width:
        frame_bgr = cv2.resize(frame_bgr, (width, max(1, round(h * width / w))),
                               interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", frame_bgr, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return base64.b64encode(buf.tobytes()).decode("ascii") if ok else ""
