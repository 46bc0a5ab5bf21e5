"""Where frames come from: a camera by index, a video file or an image file, all through
``cv2.VideoCapture``, so that IT support and the tests run exactly the path candidates run.

Opening problems are typed errors (``CameraError`` subclasses) that carry the finding code, a
message and a concrete fix, so the check turns them into findings and the GUI shows them as
they are: no camera, camera held by another app, access denied by the OS, unplugged mid-check,
or a file that is missing or not a video.
"""

from __future__ import annotations

import logging
import os
import platform
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# MSMF (Windows' default capture backend) takes seconds to open a camera while it sets up
# hardware colour conversion; OpenCV reads this before its first capture is opened.
os.environ.setdefault("OPENCV_VIDEOIO_MSMF_ENABLE_HW_TRANSFORMS", "0")

import cv2
import numpy as np

from techcheck.checks.i18n import N_
from techcheck.checks.safefile import os_error_text

log = logging.getLogger("techcheck.camera")

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".ppm", ".pgm"}

#: How long a camera may take to deliver its first frame (USB cameras need 0.3-2 s to start).
FIRST_FRAME_TIMEOUT_S = 4.0
#: Largest picture a video or image file may have: 4K UHD (3840 × 2160), the most any webcam
#: delivers. Checked from the file's header before a frame is decoded: a 249 KB PNG of
#: 16000 × 16000 decodes to 768 MB and took the camera check to 2.8 GB.
MAX_FILE_PIXELS = 3840 * 2160
#: How long a running camera may go without a frame before it counts as disconnected.
STALL_TIMEOUT_S = 2.0


class CameraError(Exception):
    """An expected camera problem: ``code`` is the finding code, ``message`` and ``fix`` are
    English templates (marked with N_) filled with ``params``."""

    code = "camera.unavailable"
    message = N_("No camera was found.")
    fix = N_("Plug in a webcam, or open the laptop's lid; check that the camera is switched on "
             "(some laptops have a switch or a key with a camera symbol).")

    def __init__(self, detail: str = "", **params: Any) -> None:
        self.detail = detail
        self.params = params
        super().__init__(detail or self.message)


class CameraUnavailable(CameraError):
    code = "camera.unavailable"


class CameraBusy(CameraError):
    code = "camera.busy"
    message = N_("The camera is in use by another program and gives TechCheck no picture.")
    fix = N_("Close the programs that may be using the camera (Teams, Zoom, Skype, a browser "
             "tab with a video call, the Camera app), then try again.")
    fix_named = N_("Close the programs that are using the camera ({holders}), and any browser "
                   "tab with a video call, then try again.")

    def __init__(self, detail: str = "", holders: list[str] | None = None) -> None:
        super().__init__(detail, holders=", ".join(holders or []))
        if holders:
            self.fix = self.fix_named


class CameraPermission(CameraError):
    code = "camera.permission"
    message = N_("The operating system does not allow TechCheck to use the camera.")
    fix = N_("Allow camera access for TechCheck in the operating system's privacy settings.")

    def __init__(self, detail: str = "", system: str | None = None) -> None:
        super().__init__(detail)
        self.fix = PERMISSION_HELP.get(system or platform.system(), self.fix)


class CameraDisconnected(CameraError):
    code = "camera.disconnected"
    message = N_("The camera stopped delivering pictures during the check.")
    fix = N_("Check the camera's cable and plug it straight into the computer rather than a "
             "hub, then run the check again.")


class CameraFileError(CameraError):
    code = "camera.unreadable_file"
    message = N_("The file {path} cannot be read as a video or a picture.")
    fix = N_("Give a video (.avi, .mp4, .mkv, .mov) or a picture (.jpg, .png) that opens in a "
             "media player.")


class CameraFileMissing(CameraError):
    code = "camera.file_not_found"
    message = N_("The file {path} does not exist.")
    fix = N_("Check the path and the file name.")


PERMISSION_HELP = {
    "Darwin": N_("Open System Settings › Privacy & Security › Camera and switch on TechCheck "
                 "(or the Terminal you run it from), then restart TechCheck."),
    "Windows": N_("Open Settings › Privacy & security › Camera and switch on \"Camera access\" "
                  "and \"Let desktop apps access your camera\"."),
    "Linux": N_("Your user may not use the camera device: run \"sudo usermod -aG video $USER\", "
                "then log out and in again."),
}


@dataclass
class SourceInfo:
    kind: str  # "camera", "video" or "image"
    name: str  # human-readable: the camera's name or the file's name
    width: int
    height: int
    fps: float | None  # what the source says (the real rate is measured from timestamps)
    backend: str
    spec: str  # what was asked for: an index or a path
    frames: int | None = None  # number of frames of a file
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


class CameraSource:
    """An open source of frames. ``read()`` returns ``(frame_bgr, t)``: ``t`` in seconds since
    the first frame (the camera's arrival time, or the file's own timestamp), and
    ``(None, t)`` at the end of a file. A camera that stops delivering raises
    ``CameraDisconnected``.

    ``realtime`` makes a file play at its own frame rate (the GUI's demo mode); ``loop`` starts
    it over at the end, with timestamps that keep increasing."""

    def __init__(self, cap: cv2.VideoCapture, info: SourceInfo, *, realtime: bool = False,
                 loop: bool = False, first: np.ndarray | None = None) -> None:
        self._cap: cv2.VideoCapture | None = cap
        self.info = info
        self.realtime = realtime
        self.loop = loop
        self._first = first
        self._t0: float | None = None
        self._offset = 0.0  # added to file timestamps after each loop
        self._last_t = 0.0
        self._image = first if info.kind == "image" else None
        self.frames_read = 0

    @property
    def is_camera(self) -> bool:
        return self.info.kind == "camera"

    def read(self) -> tuple[np.ndarray | None, float]:
        cap = self._cap
        if cap is None:
            return None, self._last_t
        if self.is_camera:
            return self._read_camera(cap)
        return self._read_file(cap)

    def _read_camera(self, cap: cv2.VideoCapture) -> tuple[np.ndarray | None, float]:
        now = time.monotonic()
        if self._first is not None:
            frame, self._first = self._first, None
        else:
            frame = None
            deadline = now + STALL_TIMEOUT_S
            while frame is None and time.monotonic() < deadline:
                ok, img = cap.read()
                frame = img if ok and img is not None and img.size else None
                if frame is None:
                    time.sleep(0.05)
            if frame is None:
                raise CameraDisconnected(f"no frame for {STALL_TIMEOUT_S:.0f} s from camera "
                                         f"{self.info.spec}")
            now = time.monotonic()
        if self._t0 is None:
            self._t0 = now
        self.frames_read += 1
        self._last_t = now - self._t0
        return frame, self._last_t

    def _read_file(self, cap: cv2.VideoCapture) -> tuple[np.ndarray | None, float]:
        if self.info.kind == "image":
            # A picture is one frame; looped (a still preview) it repeats at 30 fps.
            if self._image is None or (self.frames_read and not self.loop):
                return None, self._last_t
            t = self.frames_read / 30.0
            self._pace(t)
            self.frames_read += 1
            self._last_t = t
            return self._image.copy(), t
        if self._first is not None:
            frame, self._first = self._first, None
            t = 0.0
        else:
            ok, frame = cap.read()
            if not ok or frame is None:
                if not self.loop or self.frames_read == 0:
                    return None, self._last_t
                self._offset = self._last_t + 1.0 / (self.info.fps or 30.0)
                cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = cap.read()
                if not ok or frame is None:
                    return None, self._last_t
            t = max(0.0, cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0)
        t += self._offset
        self._pace(t)
        self.frames_read += 1
        self._last_t = t
        return frame, t

    def _pace(self, t: float) -> None:
        if not self.realtime:
            return
        if self._t0 is None:
            self._t0 = time.monotonic() - t
        wait = self._t0 + t - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def behind_s(self) -> float:
        """How far a file played in real time is behind its own pace (0.0 for a camera, which
        is read as it delivers, and for a file read as fast as it decodes)."""
        if not self.realtime or self.is_camera or self._t0 is None:
            return 0.0
        return max(0.0, time.monotonic() - (self._t0 + self._last_t))

    def rebase(self) -> None:
        """A file played in real time goes on from now at its own pace, from the frame after
        the last one read: after a pause (or a starved reader) it neither races through the
        frames it missed nor skips them. Its timestamps run on without a jump. A camera has
        nothing to rebase: it delivers in its own time."""
        if self.realtime and not self.is_camera and self._t0 is not None:
            self._t0 = time.monotonic() - self._last_t

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def __enter__(self) -> CameraSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_camera(spec: str | int | None = None, *, realtime: bool = False, loop: bool = False,
                width: int = 1280, height: int = 720, fps: float = 30.0) -> CameraSource:
    """Open a camera index (int or digits), a video file or an image file; ``None`` means the
    first camera. Cameras are asked for ``width``×``height`` at ``fps`` (they deliver what
    they can; ``info`` says what they chose). Raises a ``CameraError`` subclass."""
    if spec is None or isinstance(spec, int) or str(spec).strip().isdigit():
        return _open_index(int(spec) if spec is not None else 0, width, height, fps)
    return _open_file(Path(str(spec)).expanduser(), realtime=realtime, loop=loop)


def _open_file(path: Path, *, realtime: bool, loop: bool) -> CameraSource:
    shown = str(path)
    try:
        path.stat()
    except FileNotFoundError:
        pass
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise CameraFileError(f"{shown}: {os_error_text(exc)}", path=shown) from None
    if not path.exists():
        raise CameraFileMissing(f"{shown} does not exist", path=shown)
    if not path.is_file():
        raise CameraFileError(f"{shown} is not a file", path=shown)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        _refuse_huge_picture(path, shown)
    with _quiet_opencv():
        cap = cv2.VideoCapture(str(path))
    width, height = (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    if cap.isOpened() and width * height > MAX_FILE_PIXELS:
        cap.release()
        raise CameraFileError(f"{shown} is {width:.0f}×{height:.0f} pixels; at most "
                              f"{MAX_FILE_PIXELS:,} (3840×2160)", path=shown)
    ok, frame = (cap.read() if cap.isOpened() else (False, None))
    if ok and frame is not None and frame.shape[0] * frame.shape[1] > MAX_FILE_PIXELS:
        cap.release()  # a header that said less than the picture holds
        raise CameraFileError(f"{shown} is {frame.shape[1]}×{frame.shape[0]} pixels; at most "
                              f"{MAX_FILE_PIXELS:,} (3840×2160)", path=shown)
    if not ok or frame is None or frame.size == 0:
        cap.release()
        raise CameraFileError(f"OpenCV cannot decode {shown}", path=shown)
    image = path.suffix.lower() in IMAGE_SUFFIXES
    count = cap.get(cv2.CAP_PROP_FRAME_COUNT)
    nominal = cap.get(cv2.CAP_PROP_FPS)
    info = SourceInfo(
        kind="image" if image else "video",
        name=path.name,
        width=int(frame.shape[1]), height=int(frame.shape[0]),
        fps=None if image or not nominal or nominal <= 0 else float(nominal),
        backend=cap.getBackendName(),
        spec=shown,
        frames=1 if image else (int(count) if 0 < count < 1e9 else None),
    )
    return CameraSource(cap, info, realtime=realtime, loop=loop, first=frame)


def _refuse_huge_picture(path: Path, shown: str) -> None:
    """``CameraFileError`` when the picture's header names more than ``MAX_FILE_PIXELS``:
    read by Pillow from the header alone, since OpenCV's FFmpeg decodes the first frame
    while it opens the file. A header Pillow cannot read is left to OpenCV."""
    from PIL import Image

    try:
        with warnings.catch_warnings():  # Pillow warns past 89 million pixels: we refuse
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
    except Image.DecompressionBombError:  # past 179 million pixels Pillow refuses itself
        raise CameraFileError(f"{shown} has more than 179 million pixels; at most "
                              f"{MAX_FILE_PIXELS:,} (3840×2160)", path=shown) from None
    except Exception:  # not a picture Pillow knows: OpenCV decides
        return
    if width * height > MAX_FILE_PIXELS:
        raise CameraFileError(f"{shown} is {width}×{height} pixels; at most "
                              f"{MAX_FILE_PIXELS:,} (3840×2160)", path=shown)


def preferred_backend() -> int:
    """The capture backend each OS's own camera apps use."""
    system = platform.system()
    if system == "Linux":
        return cv2.CAP_V4L2
    if system == "Windows":
        return cv2.CAP_MSMF
    if system == "Darwin":
        return cv2.CAP_AVFOUNDATION
    return cv2.CAP_ANY


def _open_index(index: int, width: int, height: int, fps: float) -> CameraSource:
    from techcheck.checks.camera.devices import camera_name, diagnose_open_failure

    backend = preferred_backend()
    with _quiet_opencv():
        cap = cv2.VideoCapture(index, backend)
    if not cap.isOpened():
        cap.release()
        raise diagnose_open_failure(index)
    # Ask for what a video call uses. MJPG first: many USB 2 cameras reach 720p at 30 fps only
    # in MJPG, and OpenCV's default (raw YUYV at 640×480) would judge the camera too low.
    cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
    cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
    cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
    cap.set(cv2.CAP_PROP_FPS, fps)
    frame = None
    deadline = time.monotonic() + FIRST_FRAME_TIMEOUT_S
    while frame is None and time.monotonic() < deadline:
        ok, img = cap.read()
        frame = img if ok and img is not None and img.size else None
        if frame is None:
            time.sleep(0.05)
    if frame is None:
        cap.release()
        raise diagnose_open_failure(index, opened=True)
    info = SourceInfo(
        kind="camera",
        name=camera_name(index),
        width=int(frame.shape[1]), height=int(frame.shape[0]),
        fps=float(cap.get(cv2.CAP_PROP_FPS)) or None,
        backend=cap.getBackendName(),
        spec=str(index),
    )
    return CameraSource(cap, info, first=frame)


class _quiet_opencv:
    """OpenCV prints warnings to stderr when a camera or file does not open; we report that as
    a finding instead, so silence it while opening."""

    def __enter__(self) -> None:
        self._level = cv2.utils.logging.getLogLevel()
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)

    def __exit__(self, *exc: object) -> None:
        cv2.utils.logging.setLogLevel(self._level)
