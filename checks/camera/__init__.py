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

from techcheck.checks.camera.check import CameraCheck
from techcheck.checks.camera.limits import CameraLimits

#: Names imported on first use, by the module (under this package) that defines them.
_LAZY = {
    "FrameAnalyser": "live", "LiveAnalysis": "live",
    "open_camera": "source", "CameraSource": "source", "SourceInfo": "source",
    "CameraError": "source", "CameraBusy": "source", "CameraDisconnected": "source",
    "CameraFileError": "source", "CameraFileMissing": "source", "CameraPermission": "source",
    "CameraUnavailable": "source",
}

__all__ = ["CameraCheck", "CameraLimits", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
