"""The ``camera`` check: is the camera working, is the face well lit, sharp and well framed?

Public pieces: ``open_camera`` (frames from a camera index, a video or an image file),
``CameraCheck.list_devices`` (cameras by name), ``FrameAnalyser`` (what the live preview draws,
per frame) and ``CameraCheck`` itself.

Only the check class and its limits load eagerly: listing plug-ins must not pay for OpenCV
(~0.3 s); everything else loads on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from checks.camera.check import CameraCheck
from checks.camera.limits import CameraLimits

_LAZY = {
    "FrameAnalyser": "checks.camera.live", "LiveAnalysis": "checks.camera.live",
    "open_camera": "checks.camera.source", "CameraSource": "checks.camera.source",
    "SourceInfo": "checks.camera.source", "CameraError": "checks.camera.source",
    "CameraBusy": "checks.camera.source", "CameraDisconnected": "checks.camera.source",
    "CameraFileError": "checks.camera.source", "CameraFileMissing": "checks.camera.source",
    "CameraPermission": "checks.camera.source", "CameraUnavailable": "checks.camera.source",
}

__all__ = ["CameraCheck", "CameraLimits", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'checks.camera' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
