"""Offline face detection with landmarks: MediaPipe's BlazeFace detectors and its 468-point face
mesh, run through ``cv2.dnn`` from the ``.tflite`` files in ``resources/models`` (see the README
there for their origin and licence). Nothing is downloaded, ever.

Why these models: BlazeFace short-range finds a webcam-distance face in ~1.5 ms on one core and
gives six keypoints; the full-range model (~5 ms) only runs when the short-range one finds
nothing, so a person sitting far away is still seen and told to move closer. The face mesh,
run on a crop turned upright by the detector's eye angle, measures roll to within a degree,
the eye line, the chin and forehead for headroom, and the depth of the cheeks for yaw.

A second person whose face is cut in half by the frame's edge is still someone the interviewer
sees, but BlazeFace was trained on whole faces and does not find half of one. Faces are close
to mirror-symmetric, so the search also runs once on the frame with a mirrored margin at its
left and right (``find_at_edges``): a face cut near its middle by the edge and its mirror image
make one whole-looking face there. Measured on the labelled corpus (docs/benchmarks.md): the
eight half faces the plain search missed score 0.43-0.74, and no detection crossing an edge
scores 0.2 or more on any other item (a black margin instead leaves one of the eight at 0.27).
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from functools import cache

import cv2
import numpy as np

from techcheck import resources

log = logging.getLogger("techcheck.camera")

MODELS = {
    "short": "face_detection_short_range.tflite",
    "full": "face_detection_full_range.tflite",
    "mesh": "face_landmark.tflite",
    "iris": "iris_landmark.tflite",
}

#: The head's height above the eyes over its height below them (crown to eyes ÷ eyes to chin).
#: 1.0 is the neoclassical two-section canon, the eyes halfway between the vertex (the top of
#: the head) and the chin. It is a canon, not a measured mean: tested on 153 young adults by
#: Farkas LG, Hreczko TA, Kolar JC, Munro IR, "Vertical and horizontal proportions of the face
#: in young adult North American Caucasians: revision of neoclassical canons", Plast Reconstr
#: Surg 1985;75(3):328-338, the vertical canons were the ones that fit worst, and in 500 young
#: Turkish adults the part above the eyes was the longer one in most ("Vertical and horizontal
#: neoclassical facial canons in Turkish young adults", Surg Radiol Anat 2004,
#: doi:10.1007/s00276-003-0202-2), so on the skull alone it puts the crown a little low. What
#: the closeness measure needs is the head as the other side sees it, and there it holds: against
#: the top of the head and the chin read by eye on 21 corpus pictures of 11 people
#: (docs/benchmarks.md) it is within 0.03 of the picture's height on 18 (ordinary hair adds
#: about what the skull's upper part lacks); the three further off read 0.05-0.12 below the top
#: of a full hair style (a bouffant; a quiff and long hair on heads tilted by 14-16°), which is
#: right for closeness: hair does not bring anyone closer.
CROWN_OVER_CHIN = 1.0

#: BlazeFace keypoint order (the person's right eye is on the image's left in an unmirrored frame).
KEYPOINTS = ("right_eye", "left_eye", "nose_tip", "mouth", "right_ear", "left_ear")

#: Indices into the canonical 468-point face mesh (MediaPipe's topology).
MESH = {
    "forehead": 10, "chin": 152, "nose_tip": 1,
    "right_eye_outer": 33, "right_eye_inner": 133, "left_eye_outer": 263, "left_eye_inner": 362,
    "right_cheek": 234, "left_cheek": 454, "mouth_upper": 13, "mouth_lower": 14,
    "mouth_right": 61, "mouth_left": 291,
}

#: The iris model's crop (MediaPipe Iris, its graph's ``iris_landmark_cpu``): a square centred
#: on the eye's two corners, ``IRIS_CROP`` × their distance wide, turned so the corners are
#: level, at 64×64 pixels in RGB 0…1. The model knows a left eye: the person's right eye is
#: mirrored before it and its points mirrored back, as MediaPipe's graph does. Measured on the
#: corpus's faces (docs/benchmarks.md, "Eyes turned aside"), the model depends little on
#: either: −1…1 moves the iris by under 0.6 px of 64, the unmirrored right eye by as little.
IRIS_CROP = 2.3
IRIS_INPUT = 64
#: The iris model's eye outline (its first 16 points: 0 and 8 the corners, 4 the lower lid's
#: middle, 12 the upper's, in MediaPipe's topology): an eye whose lids are closer than this
#: share of its corners' distance is shut or nearly (a blink, a laugh), and the iris the model
#: still gives is a guess under the lid. The face mesh's own lids stay apart through a blink
#: and cannot tell. Measured on the corpus's clips: open eyes 0.26-0.45, the middle of a
#: blink 0.14-0.17.
EYE_OPEN_MIN = 0.2
_OUTLINE = (0, 8, 4, 12)  # corner, corner, lower lid, upper lid

#: The eye's rotation read from the iris's shift between the corners. The iris's centre turns
#: about the eye's centre of rotation, 13.5 mm behind the cornea's apex (Fry GA, Hill WW, "The
#: center of rotation of the eye", Am J Optom Arch Am Acad Optom 1962;39:581-595), and lies
#: about 3.5 mm behind the apex (the anterior chamber's depth and the cornea: Gullstrand's
#: schematic eye), so about 10 mm from that centre; the corners are about 30 mm apart (the
#: palpebral fissure's length, endocanthion to exocanthion, in Farkas LG, "Anthropometry of
#: the Head and Face", 2nd ed., Raven Press 1994). An eye turned by θ shifts its iris by
#: 10 mm · sin θ, that is by sin θ × ``IRIS_RADIUS_OVER_HALF_EYE`` of half the corners' distance.
IRIS_RADIUS_OVER_HALF_EYE = 10.0 / 15.0


class ModelError(RuntimeError):
    """A bundled model file is missing or unreadable: the installation is broken."""


@dataclass(frozen=True)
class _Spec:
    size: int
    strides: tuple[int, ...]
    per_cell: tuple[int, ...]  # anchors per grid cell for each stride group
    threshold: float


_SPECS = {
    # MediaPipe's face_detection_short_range / full_range graph options (SSD anchors).
    "short": _Spec(128, (8, 16), (2, 6), 0.5),
    "full": _Spec(192, (4,), (1,), 0.6),
}

#: The mirrored margin of the edge search, as a share of the frame width on each side: wide
#: enough for the mirror half of a face half the frame high (0.25 of a 4:3 frame's width),
#: narrow enough that the frame, and so the faces, keep most of the model's input.
EDGE_MARGIN = 0.25
#: Score a face found in the mirrored margin needs (full-range model). Corpus: half faces
#: 0.43-0.74, nothing else crossing an edge at 0.2 or more; real webcam clips (2300 frames):
#: at most 0.32 (docs/benchmarks.md).
EDGE_MIN_SCORE = 0.4
#: Share of such a face's width that must be inside the frame: below it, what the interviewer
#: sees is a sliver (an ear, a strand of hair, the corner of an eye) or it is the mirror image of
#: a face that is mostly inside and found by the ordinary search. A face cut at its middle shows
#: 0.45-0.6 of its box. At or above ``EDGE_MAX_VISIBLE`` the face does not really cross the edge
#: and the ordinary search, with its stricter score, decides.
EDGE_MIN_VISIBLE = 0.35
EDGE_MAX_VISIBLE = 0.95


@cache
def _anchors(kind: str) -> np.ndarray:
    """Anchor centres (N, 2) in 0..1, in the model's output order."""
    spec = _SPECS[kind]
    rows = []
    for stride, n in zip(spec.strides, spec.per_cell, strict=True):
        cells = spec.size // stride
        ys, xs = np.mgrid[0:cells, 0:cells]
        centres = np.stack([(xs + 0.5) / cells, (ys + 0.5) / cells], axis=-1).reshape(-1, 2)
        rows.append(np.repeat(centres, n, axis=0))
    return np.concatenate(rows).astype(np.float32)


def _read_model(kind: str) -> cv2.dnn.Net:
    """Parse a bundled model; a missing or broken file is a broken installation."""
    path = resources.path("models", MODELS[kind])
    if not path.is_file():
        raise ModelError(f"the face model {path.name} is missing from {path.parent}")
    try:
        return cv2.dnn.readNetFromTFLite(str(path))
    except cv2.error as exc:
        raise ModelError(f"cannot load the face model {path.name}: {exc}") from None


@dataclass
class Face:
    """One face in frame pixel coordinates."""

    box: tuple[float, float, float, float]  # x, y, w, h
    score: float
    keypoints: dict[str, tuple[float, float]]  # the detector's six points
    mesh: np.ndarray | None = None  # (468, 3): x, y in frame pixels, z in pixels (depth)
    mesh_score: float = 0.0
    landmarks: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: Found by the edge search: a face cut by the frame's left or right edge, whose box reaches
    #: outside the frame. Never the main face (nothing is measured on half a face).
    edge: bool = False
    #: The irises' centres (the person's right eye, then left) in frame pixels, from the iris
    #: model (``FaceDetector.irises``); None until it ran, or when an eye was shut.
    irises: tuple[tuple[float, float], tuple[float, float]] | None = None

    @property
    def centre(self) -> tuple[float, float]:
        x, y, w, h = self.box
        return x + w / 2, y + h / 2

    @property
    def eyes(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(right eye, left eye) centres: from the mesh when it ran, else the detector."""
        lm = self.landmarks
        if "right_eye" in lm and "left_eye" in lm:
            return lm["right_eye"], lm["left_eye"]
        return self.keypoints["right_eye"], self.keypoints["left_eye"]

    @property
    def roll_deg(self) -> float:
        """Head tilt: angle of the line through the eyes; positive = clockwise on screen."""
        (rx, ry), (lx, ly) = self.eyes
        return math.degrees(math.atan2(ly - ry, lx - rx))

    @property
    def yaw_deg(self) -> float | None:
        """Head turn from the mesh's cheek depths; None without the mesh. Sign: positive when
        the face turns toward the image's right."""
        if self.mesh is None:
            return None
        a, b = self.mesh[MESH["right_cheek"]], self.mesh[MESH["left_cheek"]]
        dx = math.hypot(b[0] - a[0], b[1] - a[1])
        return math.degrees(math.atan2(b[2] - a[2], dx))

    @property
    def pitch_deg(self) -> float | None:
        """Head bowed (positive) or raised (negative), in degrees, from the mesh: how much
        farther from the camera the mouth's corners are than the eyes' corners, against how far
        below the eyes they are on screen (the face's vertical axis, square to the eyes' line,
        so a head tilt does not read as a bow). None without the mesh.

        Four corner points, not the forehead and chin: the mesh's top point sits on the
        hairline, whose curve puts its depth anywhere, and the chin's is as loose. Measured on
        the corpus (docs/benchmarks.md): faces that face the camera read -18° to +14° (a webcam
        below the eyes reads negative), and the same photos re-rendered with the head bowed by
        30° read 22-38°."""
        if self.mesh is None:
            return None
        m = self.mesh.astype(np.float64)
        eyes = (m[MESH["right_eye_outer"]] + m[MESH["right_eye_inner"]]
                + m[MESH["left_eye_outer"]] + m[MESH["left_eye_inner"]]) / 4
        mouth = (m[MESH["mouth_right"]] + m[MESH["mouth_left"]]) / 2
        across = m[MESH["left_eye_outer"], :2] - m[MESH["right_eye_outer"], :2]
        width = math.hypot(float(across[0]), float(across[1]))
        if width <= 0:
            return None
        down = float((mouth[1] - eyes[1]) * across[0] - (mouth[0] - eyes[0]) * across[1]) / width
        return math.degrees(math.atan2(float(mouth[2] - eyes[2]), down))

    @property
    def eyes_turn_deg(self) -> float | None:
        """The eyes' turn within the head, left-right, in degrees (positive toward the image's
        right): each iris's shift from the middle of its eye's two corners along the line
        through them, over half their distance, read as the eye's rotation
        (``IRIS_RADIUS_OVER_HALF_EYE``), the two eyes averaged. Averaging also cancels what
        belongs to one eye only: an iris at rest sits a little toward the nose, and a turned
        head shortens the far eye. None without the irises."""
        if self.irises is None or self.mesh is None:
            return None
        shifts = []
        corners = (("right_eye_outer", "right_eye_inner"), ("left_eye_inner", "left_eye_outer"))
        for (a_name, b_name), iris in zip(corners, self.irises, strict=True):
            a = self.mesh[MESH[a_name], :2].astype(np.float64)  # the corner on the image's left
            b = self.mesh[MESH[b_name], :2].astype(np.float64)
            half = float(np.hypot(*(b - a))) / 2
            if half <= 0:
                return None
            along = float(np.dot(np.asarray(iris) - (a + b) / 2, b - a)) / (2 * half)
            shifts.append(along / half)
        share = float(np.clip(np.mean(shifts) / IRIS_RADIUS_OVER_HALF_EYE, -1.0, 1.0))
        return math.degrees(math.asin(share))

    @property
    def gaze_deg(self) -> float | None:
        """Where the eyes look, left-right, in degrees from the camera (positive toward the
        image's right): the eyes' turn within the head plus the head's own turn (``yaw_deg``),
        so a head turned aside whose eyes come back to the camera reads near 0, and eyes turned
        aside in a straight head read their turn. None without the irises or the mesh."""
        eyes, yaw = self.eyes_turn_deg, self.yaw_deg
        if eyes is None or yaw is None:
            return None
        return eyes + yaw

    @property
    def chin_y(self) -> float:
        """The chin's lowest point (the mesh's menton), or the box's bottom without the mesh."""
        chin = self.landmarks.get("chin")
        return chin[1] if chin else self.box[1] + self.box[3]

    @property
    def top_y(self) -> float:
        """Estimated top of the head (the crown, ``CROWN_OVER_CHIN`` × the eyes-to-chin height
        above the eyes): no face model sees the top of the skull, which is under the hair."""
        (_, ry), (_, ly) = self.eyes
        eye_y = (ry + ly) / 2
        return eye_y - CROWN_OVER_CHIN * (self.chin_y - eye_y)

    @property
    def head_height(self) -> float:
        """The head's height in pixels, from the chin to the estimated crown."""
        return self.chin_y - self.top_y


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -80.0, 80.0))))


class FaceDetector:
    """BlazeFace + face mesh. One instance per thread (``cv2.dnn.Net`` is not thread-safe);
    ``FaceDetector()`` is cheap after the first because the parsed models are shared per thread.
    """

    #: Whether ``find`` also looks for faces cut by the frame's edge (``find_at_edges``). A
    #: class attribute so that a benchmark can measure the code as it was without it.
    edge_search: bool = True
    #: Whether ``irises`` runs the iris model (a class attribute for the same reason: the
    #: benchmark of its cost, bench/bench_camera_check_cpu.py).
    use_iris: bool = True

    def __init__(self, *, mesh: bool = True, full_range_fallback: bool = True,
                 min_score: float | None = None, edge_search: bool | None = None) -> None:
        self.use_mesh = mesh
        self.full_range_fallback = full_range_fallback
        self.min_score = min_score
        if edge_search is not None:
            self.edge_search = edge_search
        self._nets = _thread_nets()

    def _net(self, kind: str) -> cv2.dnn.Net:
        net = self._nets.get(kind)
        if net is None:
            net = self._nets[kind] = _read_model(kind)
        return net

    def detect(self, frame_bgr: np.ndarray) -> list[Face]:
        """All faces in one frame, largest first, each refined (and meshed when the mesh is
        on). Stateless; ``FaceTracker`` is the fast path for a stream."""
        found = self.find(frame_bgr)
        out = []
        for i, f in enumerate(found):
            refined = None if f.edge else self.refine(frame_bgr, f, mesh=i < 2)
            out.append(refined or f)
        return out

    def find(self, frame_bgr: np.ndarray) -> list[Face]:
        """Search the whole frame with the full-range model (faces down to ~1/10 of the frame
        height), falling back to the short-range model for faces that fill the frame; then,
        with ``edge_search``, add the faces cut by the left or right edge (after the whole ones,
        so the main face is always a whole one)."""
        h, w = frame_bgr.shape[:2]
        side = max(h, w)
        whole = ((w - side) / 2, (h - side) / 2, side)
        faces = self._detect(frame_bgr, "full", whole) if self.full_range_fallback else []
        if not faces:
            faces = self._detect(frame_bgr, "short", whole)
        faces.sort(key=lambda f: f.box[2] * f.box[3], reverse=True)
        if self.edge_search and faces:  # someone else beside the person; alone, half a face
            # is the person leaving the picture, which "no face" describes with its fix
            faces += [e for e in self.find_at_edges(frame_bgr)
                      if not any(_covers(f.box, visible_box(e.box, w, h)) for f in faces)]
        return faces

    def find_at_edges(self, frame_bgr: np.ndarray) -> list[Face]:
        """Faces cut by the frame's left or right edge: the full-range model on the frame with
        ``EDGE_MARGIN`` of its width mirrored onto each side, keeping the faces that cross an
        edge with ``EDGE_MIN_VISIBLE`` to ``EDGE_MAX_VISIBLE`` of their width inside (see the
        module's docstring). Only left and right: a face cut at the top or bottom mirrors into
        eyes over eyes, not into a face."""
        h, w = frame_bgr.shape[:2]
        margin = EDGE_MARGIN * w
        side = max(float(h), w + 2 * margin)
        square = (-margin - (side - w - 2 * margin) / 2, (h - side) / 2, side)
        out = []
        for f in self._detect(frame_bgr, "full", square, mirror=True,
                              threshold=EDGE_MIN_SCORE):
            x, _, bw, _ = f.box
            inside = (min(x + bw, w) - max(x, 0.0)) / bw if bw > 0 else 0.0
            if EDGE_MIN_VISIBLE <= inside < EDGE_MAX_VISIBLE:
                f.edge = True
                out.append(f)
        return out

    def refine(self, frame_bgr: np.ndarray, near: Face, *, mesh: bool = True) -> Face | None:
        """Re-detect one face with the short-range model on a square around where it was, where
        it fills the model's input, then run the mesh. None when the face is gone."""
        cx, cy = near.centre
        side = max(near.box[2], near.box[3]) * 2.2
        found = self._detect(frame_bgr, "short", (cx - side / 2, cy - side / 2, side))
        if not found:
            return None
        best = min(found, key=lambda f: math.dist(f.centre, (cx, cy)))
        if mesh and self.use_mesh:
            self._mesh(frame_bgr, best)
        return best

    # --- detector -------------------------------------------------------------------------

    def _detect(self, frame: np.ndarray, kind: str, square: tuple[float, float, float], *,
                mirror: bool = False, threshold: float | None = None) -> list[Face]:
        """Run a BlazeFace model on the square (x0, y0, side) of the frame; parts outside the
        frame are black, as in MediaPipe's letterboxing, so faces keep their shape (with
        ``mirror``, left and right of the frame are its mirror image instead)."""
        spec = _SPECS[kind]
        x0, y0, side = square
        img = _square_crop(frame, x0, y0, side, spec.size, mirror=mirror)
        blob = cv2.dnn.blobFromImage(img, 1 / 127.5, (spec.size, spec.size),
                                     (127.5, 127.5, 127.5), swapRB=True)
        net = self._net(kind)
        net.setInput(blob)
        scores_raw, regs = net.forward(net.getUnconnectedOutLayersNames())
        if scores_raw.shape[-1] == 16:  # output order differs between the two models
            scores_raw, regs = regs, scores_raw
        scores = _sigmoid(scores_raw.reshape(-1))
        if threshold is None:
            threshold = self.min_score if self.min_score is not None else spec.threshold
        idx = np.nonzero(scores >= threshold)[0]
        if idx.size == 0:
            return []
        anchors = _anchors(kind)[idx]
        reg = regs.reshape(-1, 16)[idx] / spec.size
        cx, cy = reg[:, 0] + anchors[:, 0], reg[:, 1] + anchors[:, 1]
        bw, bh = reg[:, 2], reg[:, 3]
        kps = reg[:, 4:].reshape(-1, 6, 2) + anchors[:, None, :]
        boxes = np.stack([cx - bw / 2, cy - bh / 2, bw, bh], axis=1)
        faces = []
        for box, score, kp in _weighted_nms(boxes, scores[idx], kps):
            def px(x: float, y: float) -> tuple[float, float]:
                return float(x0 + x * side), float(y0 + y * side)

            faces.append(Face(
                box=(*px(box[0], box[1]), float(box[2] * side), float(box[3] * side)),
                score=float(score),
                keypoints={name: px(*kp[i]) for i, name in enumerate(KEYPOINTS)},
            ))
        return faces

    # --- irises ---------------------------------------------------------------------------

    def irises(self, frame_bgr: np.ndarray, face: Face) -> None:
        """Find the face's two irises with MediaPipe's iris model, one eye at a time on a crop
        around the mesh's eye corners (``IRIS_CROP``), and set ``face.irises``; left unset
        without the mesh or when an eye is shut (``EYE_OPEN_MIN``)."""
        face.irises = None
        if face.mesh is None or not self.use_iris:
            return
        m = face.mesh[:, :2].astype(np.float64)
        found = []
        for side, mirror in (("right", True), ("left", False)):
            outer, inner = m[MESH[f"{side}_eye_outer"]], m[MESH[f"{side}_eye_inner"]]
            width = float(np.hypot(*(inner - outer)))
            if width <= 0:
                return
            a, b = (outer, inner) if side == "right" else (inner, outer)  # image-left corner first
            iris = self._iris(frame_bgr, a, b, width, mirror=mirror)
            if iris is None:
                return
            found.append(iris)
        face.irises = (found[0], found[1])

    def _iris(self, frame: np.ndarray, a: np.ndarray, b: np.ndarray, width: float, *,
              mirror: bool) -> tuple[float, float] | None:
        """The iris's centre in frame pixels for the eye whose corners are ``a`` (on the
        image's left) and ``b``; None when the eye is shut (``EYE_OPEN_MIN``)."""
        n = IRIS_INPUT
        cx, cy = (a + b) / 2
        angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        m = cv2.getRotationMatrix2D((float(cx), float(cy)), angle, n / (IRIS_CROP * width))
        m[0, 2] += n / 2 - cx
        m[1, 2] += n / 2 - cy
        crop = cv2.warpAffine(frame, m, (n, n), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)
        if mirror:
            crop = cv2.flip(crop, 1)
        net = self._net("iris")
        net.setInput(cv2.dnn.blobFromImage(crop, 1 / 255.0, (n, n), (0, 0, 0), swapRB=True))
        outline, iris = net.forward(["output_eyes_contours_and_brows", "output_iris"])
        c0, c1, low, up = (outline.reshape(71, 3)[i, :2] for i in _OUTLINE)
        corners = float(np.hypot(*(c1 - c0)))
        if corners <= 0 or float(np.hypot(*(up - low))) < EYE_OPEN_MIN * corners:
            return None
        iris = iris.reshape(5, 3)
        x, y = float(iris[0, 0]), float(iris[0, 1])
        if mirror:
            x = n - x
        inv = cv2.invertAffineTransform(m)
        return (float(inv[0, 0] * x + inv[0, 1] * y + inv[0, 2]),
                float(inv[1, 0] * x + inv[1, 1] * y + inv[1, 2]))

    # --- mesh -----------------------------------------------------------------------------

    def follow(self, frame_bgr: np.ndarray, prev: Face) -> Face | None:
        """The face in this frame found by the mesh alone on the crop where it was (as
        MediaPipe tracks): half the cost of re-detecting it. None when the mesh no longer sees
        a face there (the caller then searches)."""
        if prev.mesh is None:
            return None
        face = Face(box=prev.box, score=prev.score, keypoints=dict(prev.keypoints))
        self._mesh(frame_bgr, face, eyes=prev.eyes)
        return face if face.mesh is not None else None

    def _mesh(self, frame: np.ndarray, face: Face,
              eyes: tuple[tuple[float, float], tuple[float, float]] | None = None) -> None:
        """Run the mesh on a crop around the face turned so the eyes are level, map its points
        back to the frame, and take the face's box and keypoints from it."""
        (rx, ry), (lx, ly) = eyes or (face.keypoints["right_eye"], face.keypoints["left_eye"])
        angle = math.degrees(math.atan2(ly - ry, lx - rx))
        cx, cy = face.centre
        size = max(face.box[2], face.box[3]) * 1.5
        n = 192
        # Affine: frame -> crop, rotating by -angle about the face centre so the eyes are level.
        m = cv2.getRotationMatrix2D((cx, cy), angle, n / size)
        m[0, 2] += n / 2 - cx
        m[1, 2] += n / 2 - cy
        crop = cv2.warpAffine(frame, m, (n, n), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT)
        blob = cv2.dnn.blobFromImage(crop, 1 / 255.0, (n, n), (0, 0, 0), swapRB=True)
        net = self._net("mesh")
        net.setInput(blob)
        outs = net.forward(net.getUnconnectedOutLayersNames())
        flag, pts = (outs[0], outs[1]) if outs[0].size == 1 else (outs[1], outs[0])
        face.mesh_score = float(_sigmoid(flag.reshape(-1))[0])
        if face.mesh_score < 0.5:
            return
        pts = pts.reshape(468, 3).astype(np.float64)
        inv = cv2.invertAffineTransform(m)
        xy = pts[:, :2] @ inv[:, :2].T + inv[:, 2]
        z = pts[:, 2] * (size / n)
        face.mesh = np.column_stack([xy, z]).astype(np.float32)
        face.landmarks = lm = _named_landmarks(face.mesh)
        face.box = _box_from_mesh(face.mesh)
        face.keypoints = {"right_eye": lm["right_eye"], "left_eye": lm["left_eye"],
                          "nose_tip": lm["nose_tip"], "mouth": lm["mouth"],
                          "right_ear": lm["right_cheek"], "left_ear": lm["left_cheek"]}


def _box_from_mesh(mesh: np.ndarray) -> tuple[float, float, float, float]:
    """The square box BlazeFace would draw, from the mesh: side 0.97 × the forehead-chin
    distance, centred 3.5 % of it below their midpoint (measured on the detector's own boxes
    over sizes from 0.2 to 0.5 of the frame and rolls of ±15°: within 2 %). One definition of
    the box whichever model found the face keeps the face-size measure steady."""
    top = mesh[MESH["forehead"], :2].astype(np.float64)
    chin = mesh[MESH["chin"], :2].astype(np.float64)
    length = float(np.hypot(*(chin - top)))
    if length <= 0:
        return 0.0, 0.0, 0.0, 0.0
    centre = (top + chin) / 2 + 0.035 * (chin - top)
    side = 0.97 * length
    return (float(centre[0] - side / 2), float(centre[1] - side / 2), side, side)


def _square_crop(frame: np.ndarray, x0: float, y0: float, side: float, n: int, *,
                 mirror: bool = False) -> np.ndarray:
    """The square (x0, y0, side) of ``frame`` as an n×n image, black outside the frame (with
    ``mirror``, left and right of the frame are its mirror image, reflected about the edge
    column as OpenCV's BORDER_REFLECT_101 does; above and below stay black). Area
    interpolation: a 1280-pixel frame shrunk to 128 pixels with linear sampling aliases badly."""
    h, w = frame.shape[:2]
    ix0, iy0 = max(0, round(x0)), max(0, round(y0))
    ix1, iy1 = min(w, round(x0 + side)), min(h, round(y0 + side))
    out = np.zeros((n, n, 3), np.uint8)
    if ix1 <= ix0 or iy1 <= iy0:
        return out
    k = n / side
    ox, oy = round((ix0 - x0) * k), round((iy0 - y0) * k)
    tw = max(1, min(n - ox, round((ix1 - ix0) * k)))
    th = max(1, min(n - oy, round((iy1 - iy0) * k)))
    region = frame[iy0:iy1, ix0:ix1]
    # Exact halvings first (bilinear at 1/2 averages each 2×2 block: no aliasing), then one
    # small step: 6× faster than one area resampling by a large non-integer factor, which was
    # the slowest step of the whole pipeline.
    while region.shape[1] >= 2 * tw and region.shape[0] >= 2 * th:
        region = cv2.resize(region, (region.shape[1] // 2, region.shape[0] // 2),
                            interpolation=cv2.INTER_LINEAR)
    small = cv2.resize(region, (tw, th), interpolation=cv2.INTER_AREA)
    if mirror and tw > 1:
        # done at the model's scale: mirroring the full frame first costs a copy of it
        left, right = ox if ix0 == 0 else 0, n - ox - tw if ix1 == w else 0
        if left or right:
            small = cv2.copyMakeBorder(small, 0, 0, left, right, cv2.BORDER_REFLECT_101)
            ox -= left
            tw += left + right
    out[oy:oy + th, ox:ox + tw] = small
    return out


def visible_box(box: tuple[float, float, float, float], w: int,
                h: int) -> tuple[float, float, float, float]:
    """The part of ``box`` (x, y, w, h) inside a w×h frame (empty when it is all outside)."""
    x0, y0 = max(box[0], 0.0), max(box[1], 0.0)
    x1, y1 = min(box[0] + box[2], float(w)), min(box[1] + box[3], float(h))
    return x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0)


def _covers(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
            share: float = 0.3) -> bool:
    """Whether box ``a`` covers at least ``share`` of box ``b``: then ``b``, the visible part
    of a face found at the edge, is the mirror image of face ``a`` or part of it."""
    iw = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    ih = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return iw > 0 and ih > 0 and iw * ih >= share * b[2] * b[3]


def _named_landmarks(mesh: np.ndarray) -> dict[str, tuple[float, float]]:
    def p(i: int) -> np.ndarray:
        return mesh[i, :2]

    out = {
        "right_eye": (p(MESH["right_eye_outer"]) + p(MESH["right_eye_inner"])) / 2,
        "left_eye": (p(MESH["left_eye_outer"]) + p(MESH["left_eye_inner"])) / 2,
        "nose_tip": p(MESH["nose_tip"]),
        "mouth": (p(MESH["mouth_upper"]) + p(MESH["mouth_lower"])) / 2,
        "chin": p(MESH["chin"]),
        "forehead": p(MESH["forehead"]),
        "right_cheek": p(MESH["right_cheek"]),
        "left_cheek": p(MESH["left_cheek"]),
    }
    return {k: (float(v[0]), float(v[1])) for k, v in out.items()}


def _weighted_nms(boxes: np.ndarray, scores: np.ndarray, kps: np.ndarray,
                  iou_limit: float = 0.3) -> list[tuple[np.ndarray, float, np.ndarray]]:
    """MediaPipe-style weighted non-maximum suppression: overlapping detections of one face are
    averaged (weighted by score), which steadies the box from frame to frame."""
    order = np.argsort(-scores)
    out = []
    while order.size:
        best = order[0]
        ious = _iou(boxes[best], boxes[order])
        same = order[ious > iou_limit]
        weights = scores[same][:, None]
        box = (boxes[same] * weights).sum(0) / weights.sum()
        kp = (kps[same] * weights[:, :, None]).sum(0) / weights.sum()
        out.append((box, float(scores[best]), kp))
        order = order[ious <= iou_limit]
    return out


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    x0 = np.maximum(a[0], b[:, 0])
    y0 = np.maximum(a[1], b[:, 1])
    x1 = np.minimum(a[0] + a[2], b[:, 0] + b[:, 2])
    y1 = np.minimum(a[1] + a[3], b[:, 1] + b[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    union = a[2] * a[3] + b[:, 2] * b[:, 3] - inter
    return np.asarray(inter / np.maximum(union, 1e-9))


_local = threading.local()


def _thread_nets() -> dict[str, cv2.dnn.Net]:
    """Parsed models of this thread: one ``Net`` must not run in two threads at once, and
    parsing takes ~20 ms, so each thread parses each model once."""
    nets = getattr(_local, "nets", None)
    if nets is None:
        nets = _local.nets = {}
    return nets


class FaceTracker:
    """Faces in a stream, fast: the whole frame is searched (full-range model, ~5 ms) only
    every ``search_every_s`` seconds or when a face is lost; in between the main face is
    followed by the mesh alone on the crop where it was (~2 ms), and any other face is re-found
    in a square around where it was (short-range model, ~1.5 ms), where it fills the model's
    input. New people entering are therefore seen within ``search_every_s``."""

    def __init__(self, detector: FaceDetector | None = None, *, search_every_s: float = 0.5,
                 max_faces: int = 3) -> None:
        self.detector = detector or FaceDetector()
        self.search_every_s = search_every_s
        self.max_faces = max_faces
        self._faces: list[Face] = []
        self._last_search: float | None = None

    def reset(self) -> None:
        self._faces, self._last_search = [], None

    def update(self, frame_bgr: np.ndarray, t: float) -> list[Face]:
        due = (self._last_search is None or t - self._last_search >= self.search_every_s
               or t < self._last_search)
        if due:
            faces = self._follow(frame_bgr, self.detector.find(frame_bgr), fresh=True)
            self._last_search = t
        else:
            faces = self._follow(frame_bgr, self._faces, fresh=False)
            if len(faces) < len(self._faces):  # someone was lost: look again right away
                faces = self._follow(frame_bgr, self.detector.find(frame_bgr), fresh=True)
                self._last_search = t
        self._faces = faces
        return faces

    def _follow(self, frame: np.ndarray, candidates: list[Face], *, fresh: bool) -> list[Face]:
        """Refine each candidate; a face just found by the search is kept even when the
        short-range model cannot confirm it (too small for it), a followed one is dropped."""
        out: list[Face] = []
        for c in candidates[: self.max_faces]:
            f = None
            if c.edge:
                # Half a face: the short-range model on a square around it (black outside)
                # does not confirm it, so it is kept as found until the next search (at most
                # ``search_every_s``) instead of being searched for again in every frame.
                out.append(c)
                continue
            if not fresh and c.mesh is not None:
                f = self.detector.follow(frame, c)  # the cheap way for the main face
            if f is None:
                f = self.detector.refine(frame, c, mesh=not out)
            if f is None and fresh:
                f = c
            if f is None:
                continue
            if any(_iou(np.array(f.box), np.array([o.box]))[0] > 0.3 for o in out):
                continue  # two candidates that refined to the same face
            out.append(f)
        out.sort(key=lambda f: (f.edge, -f.box[2] * f.box[3]))  # a whole face is the main one
        if out and not out[0].edge and out[0].mesh is None and self.detector.use_mesh:
            self.detector._mesh(frame, out[0])
        return out
