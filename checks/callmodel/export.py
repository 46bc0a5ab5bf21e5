"""Modelled media as file contents (bytes), for when the person asks to keep them: an MJPG AVI
of the modelled picture and a 16-bit WAV of the modelled sentence. The caller writes the bytes
(atomically, where it chooses); nothing is written or kept here."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from techcheck.checks.callmodel.plan import CallPlan
from techcheck.checks.callmodel.video import ModelledFrame, VideoModel


def model_clip(frames: Iterable[tuple[np.ndarray, float]], plan: CallPlan,
               seed: int = 0) -> list[ModelledFrame]:
    """Every (frame, time) through a fresh ``VideoModel``; what the other side shows for each."""
    model = VideoModel(plan, seed=seed)
    return [model.push(f, t) for f, t in frames]


def video_bytes(frames: list[ModelledFrame], fps: float, size: tuple[int, int]) -> bytes:
    """An MJPG AVI at ``fps`` of what the other side shows, one picture per captured frame
    (black until the first picture arrives). OpenCV's writer needs a file, so it writes to a
    private temporary folder that is removed at once."""
    if not frames:
        raise ValueError("there are no frames to write")
    black = np.zeros((size[1], size[0], 3), np.uint8)
    with tempfile.TemporaryDirectory(prefix="techcheck-preview-") as tmp:
        path = Path(tmp) / "preview.avi"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), float(fps), size)
        if not writer.isOpened():
            raise OSError("OpenCV cannot write MJPG video here")
        # The picture is already compressed by the model; store it with little further loss.
        writer.set(cv2.VIDEOWRITER_PROP_QUALITY, 100)
        try:
            for f in frames:
                img = f.image if f.image is not None else black
                if (img.shape[1], img.shape[0]) != size:
                    img = cv2.resize(img, size, interpolation=cv2.INTER_LINEAR)
                writer.write(img)
        finally:
            writer.release()
        return path.read_bytes()


def wav_bytes(samples: np.ndarray, samplerate: int) -> bytes:
    """A 16-bit PCM WAV of ``samples`` (float, -1..1)."""
    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, np.clip(np.asarray(samples, np.float32), -1.0, 1.0), int(samplerate),
             format="WAV", subtype="PCM_16")
    return buf.getvalue()
