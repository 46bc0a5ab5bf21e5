"""The camera preview is the picture's own shape (issue 23, item 13): it was letterboxed, black
bars over a third of the pane's height at some window sizes. Grabbed from the real window at
several sizes with the demo camera running, as a person reaches it from the side list: the
pane is never taller than its picture (no bar above or below), and where the window leaves it
wider than the picture, what is beside the picture is the page itself, not a black bar."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gui_fixtures import click_step

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _pixels(widget) -> np.ndarray:
    """The widget as drawn, RGB, at its own size in device-independent pixels."""
    img = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    w, h = img.width(), img.height()
    arr = np.frombuffer(img.constBits(), np.uint8, img.bytesPerLine() * h).reshape(h, -1)
    return arr[:, : 3 * w].reshape(h, w, 3).copy()


def _edges(flags: np.ndarray) -> tuple[int, int]:
    """How many of the first and of the last entries are set."""
    n, i = len(flags), 0
    while i < n and flags[i]:
        i += 1
    j = n - 1
    while j >= i and flags[j]:
        j -= 1
    return i, n - 1 - j


def _bars(arr: np.ndarray) -> tuple[int, list[np.ndarray]]:
    """The rows at the top and bottom that are one flat colour (letterbox bars), and the
    colours of the flat columns at the sides (the pane beside a narrower picture)."""
    flat_rows = (arr.max(axis=1) - arr.min(axis=1)).max(axis=1) <= 2
    flat_cols = (arr.max(axis=0) - arr.min(axis=0)).max(axis=1) <= 2
    left, right = _edges(flat_cols)
    sides = [arr[:, x] for x in list(range(left)) + list(range(arr.shape[1] - right,
                                                                   arr.shape[1]))]
    return sum(_edges(flat_rows)), [c[0] for c in sides]


@pytest.mark.parametrize("size", [(1024, 600), (1366, 768), (1920, 1080), (900, 1000)])
def test_the_camera_preview_has_no_bars(make_window, qtbot, artifacts, size):
    w = make_window(demo_mode="on", language="en")
    w.resize(*size)
    click_step(qtbot, w, "camera")
    video = w.pages["camera"].video
    qtbot.waitUntil(lambda: video.frames_shown >= 3, timeout=20_000)
    qtbot.wait(50)
    arr = _pixels(video)
    w.grab().save(str(artifacts / f"camera-preview-{size[0]}x{size[1]}.png"))
    rows, sides = _bars(arr)
    h, wid = arr.shape[:2]
    assert rows <= 2, (size, (wid, h), rows)  # no bar above or below the picture
    page = video.palette().window().color()
    page_rgb = np.array([page.red(), page.green(), page.blue()])
    black = [c for c in sides if np.abs(c.astype(int) - page_rgb).max() > 3]
    assert black == [], (size, len(black), black[:1])  # beside it: the page, no black bar
    picture = wid - len(sides)
    assert abs(picture / h - video.aspect) < 0.02, (picture, h, video.aspect)
    assert h >= 180  # a picture a person can judge themselves in
