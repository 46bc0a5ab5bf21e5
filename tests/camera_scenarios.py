"""Labelled camera scenarios made from real photos of people that ship in Python packages, for
the camera check's tests and the GUI's tests.

The person is Eileen Collins from ``skimage.data.astronaut()`` (NASA photo, public domain), cut
out of her studio backdrop once with GrabCut and composited onto a plain wall, a bookshelf or a
wall with a bright window; the second person of the "two people" scenario is Grace Hopper from
matplotlib's sample data. Each scenario changes one thing (framing, light, optics, stream) and
says which findings it must raise and which it must not. Frames get a little sway and sensor
noise, as a live camera's do, and are written as MJPG ``.avi`` with ``cv2.VideoWriter`` so the
tests read them back through the real ``cv2.VideoCapture`` path.

    path = build("backlit", tmp_path)          # -> tmp_path / "backlit.avi"
    SCENARIOS["backlit"].must                   # {"camera.backlit"}
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np

from tests.corpus_media import USER_CACHE, cache_locked

#: Where ``cached_clip`` keeps the clips: beside the corpus, read at import as it is (each test
#: has a cache folder of its own).
CACHE = USER_CACHE.parent / "scenarios"

SIZE = (1280, 720)

# The astronaut photo's face, measured once on the 512×512 photo: the detector's face box is
# 94 px high and the eyes' midpoint is at (225, 102.5); turning the photo 2.5° anticlockwise
# levels the eye line (as the face mesh measures it on the composed 1280×720 frame).
_ASTRO_FACE_H = 94.0
_ASTRO_EYES = (225.0, 102.5)
_ASTRO_ROLL = 2.5
# Grace Hopper (512×600): face box 200 px high, eyes' midpoint (265, 190), tilted 3.4° anticlockwise.
_GRACE_FACE_H = 200.0
_GRACE_EYES = (265.0, 190.5)
_GRACE_ROLL = -3.4


@dataclass(frozen=True)
class Person:
    image: np.ndarray  # BGR, with the body extended down so it reaches the frame's bottom
    alpha: np.ndarray  # float32 0..1
    face_h: float
    eyes: tuple[float, float]
    roll: float


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    must: frozenset[str]  # finding codes the check must raise
    must_not: frozenset[str]  # finding codes it must not raise
    background: str = "plain"  # plain, shelf, window, dark
    face_height: float | None = 0.32  # of the frame's height; None = nobody in the room
    eyes: tuple[float, float] = (0.5, 0.38)  # eye midpoint, fractions of width and height
    roll: float = 0.0  # degrees, clockwise on screen
    second_person: bool = False
    light: str = "normal"  # normal, dark, bright, backlit, side, black
    optics: str = "clean"  # clean, blur, noise, tint
    frozen: bool = False
    skin: tuple[float, float, float] | None = None  # BGR gains on the person: a darker skin
    size: tuple[int, int] = SIZE
    fps: float = 30.0


_FRAMING = {"camera.off_center", "camera.too_far", "camera.too_close", "camera.tilted",
            "camera.eyes_too_low", "camera.too_little_headroom", "camera.looking_away"}
_LIGHT = {"camera.too_dark", "camera.too_bright", "camera.backlit", "camera.uneven_light",
          "camera.color_cast", "camera.low_contrast"}
_OPTICS = {"camera.blurry", "camera.noisy"}
_STREAM = {"camera.black_frames", "camera.frozen", "camera.low_fps", "camera.low_resolution",
           "camera.no_face", "camera.multiple_faces"}
ALL_CODES = frozenset(_FRAMING | _LIGHT | _OPTICS | _STREAM | {"camera.busy_background"})


#: BGR gains that turn the astronaut's light skin into a dark one with a natural colour: the face
#: measures L* 31, a* 13.5, b* 19 (skin-colour studies put dark skin at L* 30-45, a* 10-15,
#: b* 15-22); darkening alone would also drain the colour.
DARK_SKIN = (0.30, 0.38, 0.50)


def _s(name: str, description: str, must: set[str], must_not: set[str] | None = None,
       **kw) -> Scenario:
    return Scenario(name, description, frozenset(must), frozenset(must_not or set()), **kw)


SCENARIOS: dict[str, Scenario] = {s.name: s for s in [
    _s("good", "well lit, centred, eyes on the upper third, plain wall: nothing to fix",
       set(), set(ALL_CODES)),
    _s("moved", "sitting far to the side of the picture",
       {"camera.off_center"}, _LIGHT | _OPTICS | {"camera.no_face", "camera.too_far"},
       eyes=(0.2, 0.38)),
    _s("far", "sitting far from the camera (scaled down)",
       {"camera.too_far"}, {"camera.too_close", "camera.no_face", "camera.tilted"},
       face_height=0.12, eyes=(0.5, 0.40)),
    _s("close", "leaning into the camera (scaled up)",
       {"camera.too_close"}, {"camera.too_far", "camera.no_face", "camera.off_center"},
       face_height=0.78, eyes=(0.5, 0.45)),
    _s("rotated", "head or camera tilted by 14°",
       {"camera.tilted"}, _LIGHT | _OPTICS | {"camera.no_face", "camera.too_far"}, roll=14.0),
    _s("eyes_low", "camera too high: the eyes sit low in the picture",
       {"camera.eyes_too_low"}, {"camera.too_little_headroom", "camera.no_face"},
       eyes=(0.5, 0.62)),
    _s("head_cut", "camera too low: the top of the head is cut off",
       {"camera.too_little_headroom"}, {"camera.eyes_too_low", "camera.no_face"},
       face_height=0.45, eyes=(0.5, 0.18)),
    _s("darkened", "a dark room", {"camera.too_dark"},
       {"camera.backlit", "camera.too_bright", "camera.no_face", "camera.black_frames"},
       light="dark"),
    _s("overexposed", "a strong lamp right at the face: skin blown out to white",
       {"camera.too_bright"}, {"camera.too_dark", "camera.backlit", "camera.no_face"},
       light="bright"),
    _s("darker_skin", "a person with a dark skin tone (CIELAB L* 31, a* 13, b* 19: ITA -44°, "
       "Chardon's 'dark' class) in the same good light: nothing to fix",
       set(), set(ALL_CODES), skin=DARK_SKIN),
    _s("darker_skin_backlit", "the same person with a bright window behind", {"camera.backlit"},
       {"camera.no_face", "camera.too_bright", "camera.color_cast"},
       background="window", light="backlit", skin=DARK_SKIN),
    _s("backlit", "a bright window behind the person", {"camera.backlit"},
       {"camera.too_bright", "camera.no_face", "camera.black_frames", "camera.uneven_light"},
       background="window", light="backlit"),
    _s("side_lit", "a lamp to one side: half the face in shadow", {"camera.uneven_light"},
       {"camera.backlit", "camera.too_bright", "camera.no_face"}, light="side"),
    _s("blurred", "a smeared or out-of-focus lens", {"camera.blurry"},
       {"camera.noisy", "camera.no_face", "camera.too_dark"}, optics="blur"),
    _s("noised", "heavy sensor grain", {"camera.noisy"},
       {"camera.blurry", "camera.no_face", "camera.backlit"}, optics="noise"),
    _s("tinted", "a strong blue colour cast", {"camera.color_cast"},
       {"camera.no_face", "camera.too_dark", "camera.backlit"}, optics="tint"),
    _s("two_people", "someone else in the picture", {"camera.multiple_faces"},
       {"camera.no_face", "camera.black_frames", "camera.frozen"},
       eyes=(0.32, 0.38), face_height=0.28, second_person=True),
    _s("cluttered", "a full bookshelf behind the person", {"camera.busy_background"},
       {"camera.no_face", "camera.off_center", "camera.too_dark"}, background="shelf"),
    _s("empty_room", "nobody in front of the camera", {"camera.no_face"},
       {"camera.black_frames", "camera.frozen", "camera.multiple_faces"}, face_height=None),
    _s("frozen", "the camera repeats one frame", {"camera.frozen"},
       {"camera.no_face", "camera.black_frames"}, frozen=True),
    _s("black", "a covered lens", {"camera.black_frames"},
       {"camera.no_face", "camera.too_dark", "camera.frozen"}, light="black"),
    _s("low_res", "an old camera delivering 640×360", {"camera.low_resolution"},
       {"camera.no_face", "camera.low_fps"}, size=(640, 360)),
    _s("low_fps", "a camera delivering 10 frames per second", {"camera.low_fps"},
       {"camera.no_face", "camera.low_resolution"}, fps=10.0),
]}


# --- people ----------------------------------------------------------------------------------

@cache
def astronaut() -> Person:
    """Eileen Collins cut out of the studio backdrop (GrabCut seeded with her face and suit)."""
    import skimage.data

    img = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2BGR)
    mask = np.full(img.shape[:2], cv2.GC_PR_BGD, np.uint8)
    cv2.rectangle(mask, (15, 10), (370, 511), cv2.GC_PR_FGD, -1)
    mask[:, :8] = cv2.GC_BGD
    mask[:5, :] = cv2.GC_BGD
    mask[:, 400:] = cv2.GC_BGD
    cv2.ellipse(mask, (225, 120), (45, 60), 0, 0, 360, cv2.GC_FGD, -1)  # face
    cv2.rectangle(mask, (60, 280), (330, 511), cv2.GC_FGD, -1)  # suit
    cv2.rectangle(mask, (135, 190), (285, 285), cv2.GC_FGD, -1)  # neck ring
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(1)
    cv2.grabCut(img, mask, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    alpha = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.float32)
    return _person(img, alpha, _ASTRO_FACE_H, _ASTRO_EYES, _ASTRO_ROLL)


@cache
def grace_hopper() -> Person:
    """Grace Hopper, cut out of the flag backdrop with an oval around head and shoulders."""
    import matplotlib.cbook

    img = cv2.imread(str(matplotlib.cbook.get_sample_data("grace_hopper.jpg",
                                                          asfileobj=False)))
    mask = np.full(img.shape[:2], cv2.GC_PR_BGD, np.uint8)
    cv2.rectangle(mask, (110, 10), (480, 599), cv2.GC_PR_FGD, -1)
    mask[:, :60] = cv2.GC_BGD
    cv2.ellipse(mask, (265, 220), (90, 120), 0, 0, 360, cv2.GC_FGD, -1)
    cv2.rectangle(mask, (160, 420), (470, 599), cv2.GC_FGD, -1)
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(1)
    cv2.grabCut(img, mask, None, bgd, fgd, 3, cv2.GC_INIT_WITH_MASK)
    alpha = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.float32)
    return _person(img, alpha, _GRACE_FACE_H, _GRACE_EYES, _GRACE_ROLL)


def _person(img: np.ndarray, alpha: np.ndarray, face_h: float, eyes: tuple[float, float],
            roll: float) -> Person:
    # Continue the body downwards so a scaled-down person does not float above the frame's edge.
    extra = img.shape[0]
    img = cv2.copyMakeBorder(img, 0, extra, 0, 0, cv2.BORDER_REPLICATE)
    alpha = cv2.copyMakeBorder(alpha, 0, extra, 0, 0, cv2.BORDER_REPLICATE)
    alpha = cv2.GaussianBlur(alpha, (5, 5), 0)  # soft edge, like a real outline
    return Person(img, alpha, face_h, eyes, roll)


# --- backgrounds -----------------------------------------------------------------------------

def background(kind: str, size: tuple[int, int] = SIZE) -> np.ndarray:
    w, h = size
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    shade = 1.0 - 0.10 * y - 0.06 * x * x  # a room light from above, darker corners
    wall = np.stack([168 * shade, 178 * shade, 186 * shade], axis=-1)  # warm off-white (BGR)
    img = np.clip(wall, 0, 255).astype(np.uint8)
    if kind == "shelf":
        rng = np.random.default_rng(7)
        for top in range(int(0.05 * h), h, int(0.22 * h)):
            cv2.rectangle(img, (0, top + int(0.19 * h)), (w, top + int(0.22 * h)),
                          (40, 70, 110), -1)  # the shelf board
            xpos = 0
            while xpos < w:
                bw = int(rng.integers(max(4, w // 120), max(6, w // 45)))
                bh = int(rng.integers(int(0.11 * h), int(0.19 * h)))
                colour = tuple(int(c) for c in rng.integers(20, 230, 3))
                cv2.rectangle(img, (xpos, top + int(0.19 * h) - bh), (xpos + bw, top +
                              int(0.19 * h)), colour, -1)
                xpos += bw + int(rng.integers(0, 3))
    elif kind == "window":
        x0, x1 = int(0.55 * w), int(0.97 * w)
        y0, y1 = int(0.04 * h), int(0.75 * h)
        img[y0:y1, x0:x1] = (252, 252, 250)  # daylight, clipped by the camera
        cv2.rectangle(img, (x0, y0), (x1, y1), (90, 90, 90), max(2, w // 160))
        cv2.line(img, ((x0 + x1) // 2, y0), ((x0 + x1) // 2, y1), (90, 90, 90), max(2, w // 160))
        img[y0:y1, int(0.02 * w):x0 - int(0.05 * w)] = (250, 250, 248)  # and a second pane
    return img


# --- composing -------------------------------------------------------------------------------

def compose(sc: Scenario) -> np.ndarray:
    """The scenario's still picture (before sway and noise)."""
    w, h = sc.size
    frame = background(sc.background, sc.size).astype(np.float32)
    layers: list[tuple[Person, float, tuple[float, float]]] = []
    if sc.face_height is not None:
        layers.append((astronaut(), sc.face_height, sc.eyes))
        if sc.second_person:
            layers.append((grace_hopper(), sc.face_height * 0.95, (1 - sc.eyes[0], sc.eyes[1])))
    person_alpha = np.zeros((h, w), np.float32)
    face_boxes = []
    for person, fh, (ex, ey) in layers:
        scale = fh * h / person.face_h
        m = cv2.getRotationMatrix2D(person.eyes, person.roll - sc.roll, scale)
        m[0, 2] += ex * w - person.eyes[0]
        m[1, 2] += ey * h - person.eyes[1]
        img = cv2.warpAffine(person.image, m, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)
        if sc.skin is not None and person is layers[0][0]:
            img *= np.array(sc.skin, np.float32)
        a = cv2.warpAffine(person.alpha, m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
        if sc.light == "side":
            face_w = fh * h
            ramp = np.clip(1.15 - 1.0 * (np.arange(w) - (ex * w - 0.5 * face_w)) / face_w,
                           0.22, 1.15).astype(np.float32)
            img *= ramp[None, :, None]
        frame = frame * (1 - a) + img * a
        person_alpha = np.maximum(person_alpha, a[..., 0])
        face_boxes.append((ex * w, ey * h, fh * h))
    if sc.light == "dark":
        frame *= 0.2
    elif sc.light == "backlit":
        # The camera exposes for the bright window: the wall and the person come out dark.
        window = (frame.min(axis=2) > 245)[..., None] & (person_alpha[..., None] < 0.5)
        frame = np.where(window, frame, frame * 0.4)
    elif sc.light == "bright":
        frame = frame * 1.55 + 25
    elif sc.light == "black":
        frame = np.full_like(frame, 6.0)
    if sc.optics == "blur":
        frame = cv2.GaussianBlur(frame, (0, 0), 4.5 * h / 720)
    elif sc.optics == "tint":
        frame *= np.array([1.45, 1.0, 0.62], np.float32)  # BGR: cold, blue light
    return np.clip(frame, 0, 255).astype(np.uint8)


def frames(sc: Scenario | str, seconds: float = 2.5) -> Iterator[np.ndarray]:
    """The scenario's frames: its still picture with a slow sway and fresh sensor noise in each
    frame (none at all when it is ``frozen``)."""
    sc = SCENARIOS[sc] if isinstance(sc, str) else sc
    still = compose(sc)
    n = max(1, round(seconds * sc.fps))
    if sc.frozen:
        for _ in range(n):
            yield still
        return
    w, h = sc.size
    rng = np.random.default_rng(sum(map(ord, sc.name)))
    sigma = 14.0 if sc.optics == "noise" else 1.6
    noise = [rng.normal(0, sigma, (h, w, 3)).astype(np.int16) for _ in range(4)]
    for i in range(n):
        t = i / sc.fps
        dx = 2.0 * math.sin(2 * math.pi * 0.4 * t) * w / 1280
        dy = 1.0 * math.sin(2 * math.pi * 0.27 * t) * h / 720
        m = np.float32([[1, 0, dx], [0, 1, dy]])
        moved = cv2.warpAffine(still, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
        grain = np.roll(noise[i % 4], shift=(i * 7) % h, axis=0)
        yield np.clip(moved.astype(np.int16) + grain, 0, 255).astype(np.uint8)


def write_avi(path: Path, images: Iterator[np.ndarray], fps: float, size: tuple[int, int],
              quality: int = 90) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    if not writer.isOpened():
        raise RuntimeError(f"cannot write {path}")
    writer.set(cv2.VIDEOWRITER_PROP_QUALITY, quality)
    for img in images:
        writer.write(img)
    writer.release()
    return path


def build(name: str, folder: Path, seconds: float = 2.5) -> Path:
    """Write scenario ``name`` as ``folder/name.avi`` (MJPG) and return its path: a copy of the
    clip kept in the shared cache (``cached_clip``), so a test may change its own copy."""
    out = Path(folder) / f"{name}.avi"
    shutil.copyfile(cached_clip(name, seconds), out)
    return out


def _cache_key(seconds: float) -> str:
    """What a clip is made of: this file, the photos' packages and OpenCV and numpy, which
    draw and encode it. A change to any of them makes new clips."""
    from importlib import metadata

    h = hashlib.sha256(Path(__file__).read_bytes())
    for dist in ("opencv-python-headless", "numpy", "scikit-image", "matplotlib"):
        try:
            h.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-;".encode())
    h.update(f"{cv2.__version__};{seconds!r}".encode())
    return h.hexdigest()[:20]


def _prune(keep: Path, days: float = 2.0) -> None:
    """Drop the clips of other keys not added to for ``days`` (~90 MB a set; an edit of this
    file makes a new set). A folder's time is that of its newest clip."""
    import time

    if not CACHE.is_dir():
        return
    for other in CACHE.iterdir():
        if other != keep and other.is_dir() and time.time() - other.stat().st_mtime > days * 86400:
            shutil.rmtree(other, ignore_errors=True)


def cached_clip(name: str, seconds: float = 2.5) -> Path:
    """Scenario ``name`` as an MJPG ``.avi`` in the tests' user cache, made once for all the
    suite's workers and runs (each takes about 1.2 s of processor to draw and encode, and the
    workers each made the ones they needed). Made under a lock of its own
    (``corpus_media.cache_locked``) and moved into place whole, so a reader never sees half a
    clip. Read it; copy it to change it (``build``)."""
    folder = CACHE / _cache_key(seconds)
    path = folder / f"{name}.avi"
    if path.is_file():
        return path
    if not folder.is_dir():
        _prune(keep=folder)
    folder.mkdir(parents=True, exist_ok=True)
    with cache_locked(f"scenario-{folder.name}-{name}"):  # the corpus cache's per-key lock
        if not path.is_file():
            sc = SCENARIOS[name]
            part = folder / f".{name}.{os.getpid()}.avi"
            write_avi(part, frames(sc, seconds), sc.fps, sc.size)
            os.replace(part, path)
    return path
