"""The ``camera`` check: is the camera working, is the face well lit, sharp and well framed?

Public pieces: ``open_camera`` (frames from a camera index, a video or an image file),
``CameraCheck.list_devices`` (cameras by name), ``FrameAnalyser`` (what the live preview draws,
per frame) and ``CameraCheck`` itself.
"""

from checks.camera.check import CameraCheck
from checks.camera.limits import CameraLimits
from checks.camera.live import FrameAnalyser, LiveAnalysis
from checks.camera.source import (
    CameraBusy,
    CameraDisconnected,
    CameraError,
    CameraFileError,
    CameraFileMissing,
    CameraPermission,
    CameraSource,
    CameraUnavailable,
    SourceInfo,
    open_camera,
)

__all__ = [
    "CameraBusy", "CameraCheck", "CameraDisconnected", "CameraError", "CameraFileError",
    "CameraFileMissing", "CameraLimits", "CameraPermission", "CameraSource", "CameraUnavailable",
    "FrameAnalyser", "LiveAnalysis", "SourceInfo", "open_camera",
]
