"""Which cameras there are, by name, and why one does not open.

Names come from the OS through ``cv2-enumerate-cameras`` (Linux: ``/sys/class/video4linux``
and a V4L2 capability query that leaves out the metadata nodes every UVC camera also creates;
Windows: Media Foundation; macOS: AVFoundation), with the index ``cv2.VideoCapture`` takes
for the same backend TechCheck opens with.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
from pathlib import Path
from typing import Any

from techcheck.checks.base import Device
from techcheck.checks.camera.source import (
    CameraBusy,
    CameraError,
    CameraPermission,
    CameraUnavailable,
    preferred_backend,
)

log = logging.getLogger("techcheck.camera")


def list_cameras() -> list[Device]:
    """Cameras as ``Device(kind="camera", index=<VideoCapture index>, name=<OS name>)``; the
    first is the default. Raises only if the OS listing itself is broken."""
    from cv2_enumerate_cameras import enumerate_cameras

    backend = preferred_backend()
    try:
        found = enumerate_cameras(backend)
    except NotImplementedError:  # an OS the package has no listing for
        found = []
    devices = []
    for i, cam in enumerate(sorted(found, key=lambda c: c.index)):
        details: dict[str, Any] = {"backend": backend}
        if cam.path:
            details["path"] = cam.path
        if cam.vid is not None and cam.pid is not None:
            details["usb_id"] = f"{cam.vid:04x}:{cam.pid:04x}"
        devices.append(Device("camera", cam.index, cam.name or f"Camera {cam.index}",
                              default=i == 0, details=details))
    return devices


def camera_name(index: int) -> str:
    """The OS's name for camera ``index``, or "Camera N" when it cannot tell."""
    try:
        for d in list_cameras():
            if d.index == index:
                return d.name
    except Exception:  # a name is a nicety: never let it stop the check
        log.debug("cannot list cameras for the name of %s", index, exc_info=True)
    return f"Camera {index}"


def diagnose_open_failure(index: int, *, opened: bool = False) -> CameraError:
    """Why camera ``index`` gives no picture, as the error to report. ``opened``: the device
    opened but delivered no frame (typically held by another app)."""
    system = platform.system()
    if system == "Linux":
        node = Path(f"/dev/video{index}")
        if not node.exists():
            return CameraUnavailable(f"{node} does not exist")
        if not os.access(node, os.R_OK | os.W_OK):
            return CameraPermission(f"no read/write access to {node}",
                                    system="Linux")
        return CameraBusy(f"{node} exists but gives no picture", holders=camera_holders(index))
    try:
        listed = any(d.index == index for d in list_cameras())
    except Exception:
        listed = True  # cannot tell: assume it exists and say what else it can be
    if not listed:
        return CameraUnavailable(f"no camera with index {index}")
    if system == "Windows" and _windows_camera_denied():
        return CameraPermission("camera access is off in Windows' privacy settings",
                                system="Windows")
    if system == "Darwin" and not opened:
        # AVFoundation refuses to open a listed camera mainly when access is not granted.
        return CameraPermission("macOS did not let the camera open",
                                system="Darwin")
    return CameraBusy(f"camera {index} gives no picture", holders=camera_holders(index))


def camera_holders(index: int) -> list[str]:
    """Programs that have the camera open (Linux: from /proc), or else the video-call and
    camera programs that are running (they are the usual holders)."""
    if platform.system() == "Linux":
        names = _linux_device_users(f"/dev/video{index}")
        if names:
            return names
    try:
        from techcheck.checks.system.probe import SystemProbe

        return SystemProbe().running_apps()
    except Exception:
        log.debug("cannot list running apps", exc_info=True)
        return []


def _linux_device_users(device: str, proc: Path = Path("/proc")) -> list[str]:
    """Names of the processes with ``device`` open (like ``fuser``); only those whose file
    descriptors we may read, which as a normal user are our own user's: the usual suspects."""
    users: set[str] = set()
    me = os.getpid()
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit() or int(pid_dir.name) == me:
            continue
        try:
            for fd in (pid_dir / "fd").iterdir():
                if os.readlink(fd) == device:
                    users.add((pid_dir / "comm").read_text().strip())
                    break
        except OSError:
            continue
    return sorted(users)


def _windows_camera_denied() -> bool:
    """Windows keeps the camera privacy switches in the capability consent store."""
    if sys.platform != "win32":  # no registry elsewhere (and mypy then checks the rest as Windows)
        return False
    try:
        import winreg
    except ImportError:
        return False
    key = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\webcam"
    for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(root, key) as k:
                value, _ = winreg.QueryValueEx(k, "Value")
                if str(value).lower() == "deny":
                    return True
        except OSError:
            continue
    return False
