"""Pure measurements of one frame (numpy arrays in, numbers out): light and image quality on
the face and on the background separately, framing from the face's landmarks, and the stream's
own health (black, frozen, frame rate). No state, no I/O: the live analyser, the check and the
tests all call these same functions.

Light is judged so that a well-lit darker skin is never called dark: the face's *bright* side
(90th percentile of its luma) is what a lamp changes; "too dark" also needs the room to be dim
(``light_level``), since a darker skin in a bright room is simply darker skin; and "backlit"
compares the face's bright side with the bright part of the background only when there is a
light source behind (a window or lamp near white), so a dark face before a bright window reads
"backlit" and a dark face before a white wall does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from techcheck.checks.camera.detector import Face

#: Luma at or above which a pixel is clipped (OFIQ's over-exposure level, ISO/IEC 29794-5).
CLIP_LUMA = 247
#: Size of the downscaled frame used for background and stream measures.
SMALL = (320, 180)


# --- regions -------------------------------------------------------------------------------

def face_region(face: Face, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The skin of the face (x0, y0, x1, y1): the detector box's middle 70 % across and from
    just above the eyes to the chin, so hair, ears and background stay out of the light
    measures."""
    x, y, w, h = face.box
    x0, x1 = x + 0.15 * w, x + 0.85 * w
    y0, y1 = y + 0.12 * h, y + 0.95 * h
    H, W = shape[:2]
    return (int(np.clip(x0, 0, W - 1)), int(np.clip(y0, 0, H - 1)),
            int(np.clip(x1, 1, W)), int(np.clip(y1, 1, H)))


def person_mask(face: Face, shape: tuple[int, ...], size: tuple[int, int] = SMALL) -> np.ndarray:
    """Boolean mask (at ``size``) of where the person probably is: the head with its hair and
    the shoulders and body below it. Everything else is background."""
    H, W = shape[:2]
    sw, sh = size
    kx, ky = sw / W, sh / H
    x, y, w, h = face.box
    mask = np.zeros((sh, sw), np.uint8)
    # head and hair
    cx, cy = x + w / 2, y + h / 2
    cv2.ellipse(mask, (round(cx * kx), round((cy - 0.1 * h) * ky)),
                (max(1, round(0.85 * w * kx)), max(1, round(0.95 * h * ky))), 0, 0, 360, 1, -1)
    # neck, shoulders and body down to the bottom of the frame
    top = y + 0.9 * h
    pts = np.array([[cx - 0.45 * w, top], [cx + 0.45 * w, top], [cx + 1.6 * w, top + 0.9 * h],
                    [cx + 1.9 * w, H], [cx - 1.9 * w, H], [cx - 1.6 * w, top + 0.9 * h]])
    pts = np.round(pts * [kx, ky]).astype(np.int32)
    cv2.fillPoly(mask, [pts], 1)
    return mask.astype(bool)


# --- light and image -----------------------------------------------------------------------

def luma(frame_bgr: np.ndarray) -> np.ndarray:
    """Rec. 601 luma, the Y that cameras and OFIQ use."""
    return cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)


def downscale(gray: np.ndarray, size: tuple[int, int] = SMALL) -> np.ndarray:
    """``gray`` at ``size``: exact halvings (bilinear at 1/2 averages 2×2 blocks, so no
    aliasing; several times faster than one area resampling of a 720p frame), then a small
    exact resize."""
    while gray.shape[1] >= 2 * size[0] and gray.shape[0] >= 2 * size[1]:
        gray = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2),
                          interpolation=cv2.INTER_LINEAR)
    if (gray.shape[1], gray.shape[0]) == size:
        return gray
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def brightness(gray: np.ndarray) -> tuple[float, float]:
    """(median, 90th percentile) of luma, 0-255."""
    if gray.size == 0:
        return 0.0, 0.0
    hist = np.bincount(gray.ravel(), minlength=256).cumsum()
    n = hist[-1]
    return float(np.searchsorted(hist, n * 0.5)), float(np.searchsorted(hist, n * 0.9))


def clipped_fraction(gray: np.ndarray, level: int = CLIP_LUMA) -> float:
    """Share of pixels at or above ``level``: blown-out skin that no setting brings back."""
    return float(np.count_nonzero(gray >= level)) / max(1, gray.size)


def light_level(face_light: float, background_light: float, room_share: float) -> float:
    """How much light the camera gets: the bright side of the face, or ``room_share`` of the
    background's bright part when that is more. A dark room darkens both; a darker skin in a
    well-lit room leaves the room bright, so it is not read as "too dark"."""
    return max(face_light, room_share * background_light)


def backlight_ratio(face_light: float, background_light: float) -> float:
    """Bright side of the face ÷ bright part (90th percentile) of the background. The camera's
    automatic exposure aims at the whole picture, so a bright window behind the person darkens
    the face: low values."""
    return face_light / max(background_light, 1.0)


def uneven_light(face_gray: np.ndarray, split_x: float) -> float:
    """Darker half ÷ brighter half of the face (medians), split at the nose line ``split_x``
    (relative to the crop). 1 = even; a lamp to one side gives 0.3-0.5."""
    if face_gray.size == 0:
        return 1.0
    s = int(np.clip(round(split_x), 1, face_gray.shape[1] - 1))
    left, _ = brightness(face_gray[:, :s])
    right, _ = brightness(face_gray[:, s:])
    hi = max(left, right)
    return min(left, right) / hi if hi > 0 else 1.0


def contrast(face_gray: np.ndarray) -> float:
    """Standard deviation of the face's luma (OFIQ's contrast measure): a foggy lens or a
    washed-out picture has little."""
    return float(face_gray.std()) if face_gray.size else 0.0


def color_lab(face_bgr: np.ndarray) -> tuple[float, float, float]:
    """CIELAB (L*, a*, b*) of the face's mean colour (D65). Natural skin of every tone sits at
    a* 5-25 and b* 5-35 (OFIQ); a blue or green cast pushes a* or b* below, red/yellow above."""
    if face_bgr.size == 0:
        return 0.0, 0.0, 0.0
    mean = np.array(cv2.mean(face_bgr)[:3], dtype=np.float32) / 255.0
    lab = cv2.cvtColor(mean.reshape(1, 1, 3), cv2.COLOR_BGR2Lab)[0, 0]
    return float(lab[0]), float(lab[1]), float(lab[2])


def sharpness(face_gray: np.ndarray, width: int = 64) -> float:
    """How sharp the face is, 0-100 (100 = crisp): 100 × (1 − the "blur effect" of
    Crété-Roffet, Dolmière, Ladret and Nicolas, "The Blur Effect: Perception and Estimation
    with a New No-Reference Perceptual Blur Metric", SPIE Electronic Imaging 2007). The face
    is blurred again with a 9-pixel box filter across and down; a sharp face loses much of its
    neighbour-to-neighbour variation by that, a defocused one (already smooth) hardly any.

    The face is first resized to ``width`` pixels so that a face seen at 360p and the same face
    at 1080p score alike (the re-blur then spans the same part of the face). A ratio of
    variations is blind to how bright or contrasty the face is. Compression blocking adds
    edges and reads sharper, never blurrier; sensor grain likewise (judged on its own). The
    width is 64, not more, because of H.264: a call's encoder quantises a defocused face's
    smooth shading into steps at its 4x4 and 8x8 transform blocks (ITU-T H.264, section 8.5),
    and at 96 px those steps read as detail (a defocused webcam clip at 600 kbit/s scored as
    high as the sharp one, docs/benchmarks.md); at 64 px they average out while eyes, brows
    and lips still carry a sharp face's edges."""
    if face_gray.size == 0 or face_gray.shape[1] < 8:
        return 0.0
    h = max(16, round(face_gray.shape[0] * width / face_gray.shape[1]))
    interp = cv2.INTER_AREA if face_gray.shape[1] >= width else cv2.INTER_LINEAR
    g = cv2.resize(face_gray, (width, h), interpolation=interp).astype(np.float32)
    blur = 0.0
    for axis, ksize in ((0, (1, 9)), (1, (9, 1))):
        b = cv2.blur(g, ksize[::-1] if axis == 0 else ksize, borderType=cv2.BORDER_REFLECT)
        d_f = np.abs(np.diff(g, axis=axis))
        d_b = np.abs(np.diff(b, axis=axis))
        s_f = float(d_f.sum())
        if s_f <= 0:
            return 0.0
        s_v = float(np.maximum(0.0, d_f - d_b).sum())
        blur = max(blur, (s_f - s_v) / s_f)
    return 100.0 * (1.0 - blur)


_IMMERKAER = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)


def noise_sigma(gray: np.ndarray) -> float:
    """Sensor noise σ in luma levels (Immerkaer 1996, fast noise variance estimation), robust
    form: the mask cancels smooth shading, and the median of its absolute response ignores the
    few edges (eyes, hair) that the mean would count as noise."""
    if gray.shape[0] < 3 or gray.shape[1] < 3:
        return 0.0
    r = cv2.filter2D(gray.astype(np.float32), -1, _IMMERKAER, borderType=cv2.BORDER_REFLECT)
    r = np.abs(r[1:-1:2, 1:-1:2])  # every other pixel: the same median, a quarter of the work
    # |N(0, 36σ²)| has median 0.6745·6σ.
    return float(np.median(r)) / (6 * 0.6745)


def clutter(small_gray: np.ndarray, background: np.ndarray) -> float:
    """Edge density of the background (share of its pixels on an edge, 0-1): a plain wall
    scores near 0, a full bookshelf 0.15 or more."""
    n = int(np.count_nonzero(background))
    if n == 0:
        return 0.0
    edges = cv2.Canny(small_gray, 60, 150)
    return float(np.count_nonzero(edges[background])) / n


def motion(prev_small: np.ndarray, small: np.ndarray, background: np.ndarray) -> float:
    """Mean absolute change of the background between two frames, luma levels: people or pets
    moving behind the candidate."""
    if prev_small.shape != small.shape or not background.any():
        return 0.0
    diff = cv2.absdiff(prev_small, small)
    return float(diff[background].mean())


def frame_change(prev_small: np.ndarray, small: np.ndarray) -> float:
    """Mean absolute change of the whole (downscaled) frame. A live sensor never repeats a frame
    exactly (its noise alone changes every pixel a little); a stalled driver or a frozen
    virtual camera does."""
    if prev_small.shape != small.shape:
        return 255.0
    return float(cv2.absdiff(prev_small, small).mean())


# --- the scene's own tilt ------------------------------------------------------------------

#: Width the frame is shrunk to before the scene's edges are read: enough for door frames,
#: shelves and picture frames to stay straight edges, a quarter of a 720p frame's pixels.
SCENE_WIDTH = 480
#: Share of the background's pixels, the strongest edges, whose directions are counted.
SCENE_EDGE_SHARE = 0.2
#: How much the dominant direction (±2°, folded to one quarter turn) must stand out over the
#: average direction for the scene to be called straight-edged. Measured on the corpus's items
#: and their sources rolled by ±20° (docs/benchmarks.md): rooms with shelves, door frames and
#: walls score 2.2-9 and read within 2° of the roll (as MJPEG at 640×480 too: 2.27); faces
#: filling the picture, foliage and soft studio backdrops score 1.4-2.1, their direction noise.
SCENE_MIN_PEAK = 2.2
#: A webcam stands or clips on a screen: rolled further than this, the dominant direction is
#: diagonal lines of the room (a sloping ceiling, stairs) and not the camera's roll, which
#: could not then be told from the room's shape.
SCENE_MAX_ROLL = 32.0
#: A rolled camera turns the room's verticals and its horizontals by the same angle, so a
#: roll is read only where both families of edges are seen: the weaker of the two (the
#: edge directions within ``SCENE_FAMILY_HALF_WIDTH`` of the peak, and of the peak + 90°)
#: must carry at least this much weight per degree over the median direction away from both
#: (more than ``SCENE_FAMILY_AWAY`` from each), i.e. stand out of the room's direction noise.
#: Measured on the corpus's first frames, the person masked as the check masks them
#: (bench/bench_scene_roll.py; docs/benchmarks.md "A stair railing is not a rolled camera"): a
#: stair railing's slanted bars alone 0.32 and 0.90, the seven cameras rolled by 20° 1.26-5.6.
SCENE_FAMILY_MIN = 1.0
#: ... and carry at least this share of the two families' edge weight together (the margin
#: the first rule lacks). Measured the same way: a stair railing's bars alone 0.007 and 0.033,
#: the seven cameras rolled by 20° 0.084-0.48.
SCENE_FAMILY_SHARE = 0.05
SCENE_FAMILY_HALF_WIDTH = 3.0
SCENE_FAMILY_AWAY = 10.0
#: One family of parallel edges alone is read only when it lies within this of level: it is
#: then the room's verticals or horizontals seen by a level camera (in a rolled one the room's
#: own slant would have to cancel the roll). A lone family further off level is as well a
#: railing, a roof or stairs seen by a level camera as a rolled camera, and gives no reading.
#: Below ``roll_tip_deg`` (8°): a lone family never by itself makes the picture tilted.
SCENE_LONE_LEVEL = 5.0


def scene_roll(gray: np.ndarray, background: np.ndarray) -> float | None:
    """How far the camera is rolled, in degrees (positive = clockwise on screen, as
    ``Face.roll_deg``), from the background's straight edges, or None when it has too few
    of them to tell. A room is built of verticals and horizontals (walls, door frames,
    shelves, picture frames); whatever the camera's roll, their gradient directions crowd at
    one angle modulo 90°, and that angle is the roll. The person is masked out
    (``background``, at ``SMALL``): a tilted head says nothing about the camera. The
    direction histogram is weighted by edge strength and folded onto one quarter turn, so
    the verticals and the horizontals vote together (the "dominant orientation" of a
    structure-tensor or Hough-line estimate).

    The fold also makes one family of parallel slanted lines (a stair railing, a roof, the
    treads of a staircase seen from the side) look like a rolled room. The room is taken to be
    built on a Cartesian grid, the Manhattan-world assumption (J. M. Coughlan and A. L.
    Yuille, "Manhattan World: Compass Direction from a Single Image by Bayesian Inference",
    ICCV 1999): its verticals and its horizontals are at right angles, and a camera's roll
    turns both. So the peak counts as a roll only where both families are seen
    (``_families_seen``); a lone family only when it lies near level."""
    h, w = gray.shape[:2]
    if w < 16 or h < 16:
        return None
    size = (SCENE_WIDTH, max(8, round(SCENE_WIDTH * h / w)))
    g = cv2.resize(gray, size, interpolation=cv2.INTER_AREA if w > size[0]
                   else cv2.INTER_LINEAR).astype(np.float32)
    # grain and JPEG blocking make no direction
    g = np.asarray(cv2.GaussianBlur(g, (0, 0), 1.0), dtype=np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1)
    mag = np.hypot(gx, gy)
    room = cv2.resize(background.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    # the person's outline (shoulders run diagonally) is not an edge of the room either
    m = cv2.erode(room, np.ones((15, 15), np.uint8)) > 0
    edge = 8  # nor is the frame's own border
    m[:edge], m[-edge:], m[:, :edge], m[:, -edge:] = False, False, False, False
    if np.count_nonzero(m) < 1000:
        return None
    sel = m & (mag > np.percentile(mag[m], 100 * (1 - SCENE_EDGE_SHARE)))
    weights = mag[sel]
    if weights.size < 500 or float(weights.sum()) <= 0:
        return None
    theta = np.degrees(np.arctan2(gy[sel], gx[sel]))
    fold = (theta + 45.0) % 90.0 - 45.0
    hist, _ = np.histogram(fold, bins=90, range=(-45.0, 45.0), weights=weights)
    smooth = np.sum([np.roll(hist, k) for k in range(-2, 3)], axis=0)  # ±2°, round the turn
    i = int(np.argmax(smooth))
    if smooth[i] < SCENE_MIN_PEAK * smooth.mean():
        return None
    peak = i - 45 + 0.5
    if abs(peak) > SCENE_MAX_ROLL:  # diagonals: a slanted roof or a staircase, not a roll
        return None
    if abs(peak) > SCENE_LONE_LEVEL and not _families_seen(theta, weights, peak):
        return None  # one family of slanted lines: a railing or stairs as well as a roll
    off = (fold - peak + 45.0) % 90.0 - 45.0
    near = np.abs(off) <= 4.0
    return float(peak + np.average(off[near], weights=weights[near]))


def family_support(theta: np.ndarray, weights: np.ndarray,
                   peak: float) -> tuple[float, float]:
    """How well the weaker of the two edge families at right angles, at ``peak`` and at
    ``peak`` + 90° (edge directions in degrees, any turn), is seen: its weight per degree over
    the median weight per degree of the directions away from both (0 when it has none; ``inf``
    when every other direction is empty), and its share of the two families' weight."""
    hist, _ = np.histogram(theta % 180.0, bins=180, range=(0.0, 180.0), weights=weights)
    centre = np.arange(180) + 0.5
    to_peak = np.abs((centre - peak + 90.0) % 180.0 - 90.0)
    to_other = np.abs((centre - peak) % 180.0 - 90.0)  # distance to peak + 90°
    near = hist[to_peak <= SCENE_FAMILY_HALF_WIDTH]
    other = hist[to_other <= SCENE_FAMILY_HALF_WIDTH]
    weak = min(float(near.mean()), float(other.mean()))
    both = float(near.sum() + other.sum())
    base = float(np.median(hist[(to_peak > SCENE_FAMILY_AWAY) & (to_other > SCENE_FAMILY_AWAY)]))
    if weak <= 0.0 or both <= 0.0:
        return 0.0, 0.0
    share = min(float(near.sum()), float(other.sum())) / both
    return (weak / base if base > 0.0 else float("inf")), share


def _families_seen(theta: np.ndarray, weights: np.ndarray, peak: float) -> bool:
    """Both the room's verticals and its horizontals, turned by ``peak``, are seen: the weaker
    family stands out of the direction noise and carries its share of the two."""
    support, share = family_support(theta, weights, peak)
    return support >= SCENE_FAMILY_MIN and share >= SCENE_FAMILY_SHARE


# --- framing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Framing:
    head_height: float  # chin to the estimated crown ÷ frame height (Face.head_height)
    eye_line: float  # eye line's height ÷ frame height, measured from the top
    offset: float  # |eye midpoint x − centre| ÷ frame width
    offset_signed: float  # negative: the person is left of centre on screen
    roll: float  # degrees, positive = clockwise on screen
    yaw: float | None  # degrees, None without the mesh
    pitch: float | None  # degrees, positive = head bowed; None without the mesh
    headroom: float  # space above the head ÷ frame height; negative = head cut off


def framing(face: Face, shape: tuple[int, ...]) -> Framing:
    H, W = shape[:2]
    (rx, ry), (lx, ly) = face.eyes
    mx, my = (rx + lx) / 2, (ry + ly) / 2
    signed = (mx - W / 2) / W
    return Framing(
        head_height=face.head_height / H,
        eye_line=my / H,
        offset=abs(signed),
        offset_signed=signed,
        roll=face.roll_deg,
        yaw=face.yaw_deg,
        pitch=face.pitch_deg,
        headroom=face.top_y / H,
    )


# --- stream --------------------------------------------------------------------------------

def real_fps(timestamps: list[float] | np.ndarray) -> float | None:
    """Frames per second from frame timestamps: 1 ÷ the median interval, so one hiccup does
    not count; None with fewer than three frames."""
    t = np.asarray(timestamps, dtype=np.float64)
    if t.size < 3:
        return None
    dt = np.diff(t)
    dt = dt[dt > 0]
    if dt.size == 0:
        return None
    return 1.0 / float(np.median(dt))


#: Size the picture is shrunk to before its structure is looked at: each pixel then averages
#: 16 of the 320×180 frame's (64 of a 640×480 one), so a sensor's grain (σ 2-5 levels at high
#: gain) falls under a level while edges of things in the room stay steps of several levels.
STRUCTURE_SIZE = (80, 45)
#: A step of at least this many luma levels per pixel at ``STRUCTURE_SIZE`` is an edge.
STRUCTURE_STEP = 1.5
#: Share of pixels on such edges above which the picture shows something. Measured on the
#: corpus's dim rooms (1/75 of the light, σ 3 grain, mean luma 10-19: docs/benchmarks.md)
#: 0.15-0.54, on its sources at 1/17 and 1/25 of the light (mean luma 9-38) 0.34-0.83; on a
#: covered lens (flat, grain σ 1.6-5, light leaking in as a smooth gradient) 0.00-0.02.
STRUCTURE_MIN_SHARE = 0.05


def structure(small_gray: np.ndarray) -> float:
    """Share of the picture on an edge, at a scale where grain has averaged out (0-1). A
    covered lens or a closed shutter delivers a flat field (maybe a smooth glow where light
    leaks in) with noise, and scores 0; a room, however dim, has furniture, walls and a face
    whose edges remain, only lower, once the camera's gain has been applied."""
    if small_gray.shape[0] < 8 or small_gray.shape[1] < 8:
        return 0.0
    tiny = cv2.resize(small_gray, STRUCTURE_SIZE, interpolation=cv2.INTER_AREA).astype(
        np.float32)
    # Sobel's 3×3 kernels weigh a step of one level across a pixel as 8
    gx = cv2.Sobel(tiny, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(tiny, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    step = np.hypot(gx, gy)[1:-1, 1:-1]
    # grain left after shrinking is σ/4 (σ of the 320×180 frame, averaged over √16 = 4): a
    # step must clear four times that as well
    floor = max(STRUCTURE_STEP, noise_sigma(small_gray))
    return float(np.count_nonzero(step > floor)) / float(step.size)


def is_black(mean_luma: float, limit: float, structure_share: float | None = None) -> bool:
    """A frame that shows nothing: no brighter than ``limit`` on average (WebRTC's
    troubleshooter uses 20) and, when ``structure_share`` (``structure``) is given, with no
    edges either: a covered lens, a privacy shutter or a camera that delivers nothing. A dark
    picture with a room in it is a dim room, "too dark", not black (issue 25: a face clearly
    visible at mean luma 16 was called a covered lens)."""
    if mean_luma > limit:
        return False
    return structure_share is None or structure_share < STRUCTURE_MIN_SHARE
