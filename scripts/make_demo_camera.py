"""Re-creates resources/demo/camera.avi, the clip the GUI's demo mode plays instead of a camera
(and that ``techcheck run --only camera --camera resources/demo/camera.avi`` passes): the
"good" camera scenario of tests/camera_scenarios.py — Eileen Collins from
``skimage.data.astronaut()`` (NASA, public domain) on a plain wall, well lit and framed — with
a gentle sway and "breathing" whose period is the clip's length, so it loops seamlessly.

Run: .venv/bin/python scripts/make_demo_camera.py   (needs the dev extras: scikit-image)
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.camera_scenarios import SCENARIOS, compose, write_avi  # noqa: E402

# OpenCV's FFmpeg MJPG writer ignores the quality setting (~39 KB per 720p frame here), so
# 2 MB buys 50 frames: 2 s at 25 fps (the check passes 24 fps and more). The GUI loops it.
SECONDS, FPS, QUALITY = 2.0, 25, 50
LIMIT_BYTES = 2_000_000


def frames() -> list[np.ndarray]:
    sc = SCENARIOS["good"]
    still = compose(sc)
    w, h = sc.size
    n = round(SECONDS * FPS)
    out = []
    for i in range(n):
        phase = 2 * math.pi * i / n  # one full cycle per clip: the loop has no seam
        dx, dy = 3.0 * math.sin(phase), 1.5 * math.sin(2 * phase)
        scale = 1.0 + 0.006 * math.sin(phase)  # breathing
        m = cv2.getRotationMatrix2D((w / 2, h * 0.9), 0.4 * math.sin(phase), scale)
        m[0, 2] += dx
        m[1, 2] += dy
        out.append(cv2.warpAffine(still, m, (w, h), borderMode=cv2.BORDER_REPLICATE))
    return out


def main() -> None:
    target = ROOT / "resources" / "demo" / "camera.avi"
    write_avi(target, iter(frames()), FPS, SCENARIOS["good"].size, quality=QUALITY)
    size = target.stat().st_size
    print(f"{target}: {size / 1e6:.2f} MB, {SECONDS:.0f} s at {FPS} fps")
    if size > LIMIT_BYTES:
        raise SystemExit(f"too large: {size} bytes > {LIMIT_BYTES}")


if __name__ == "__main__":
    main()
