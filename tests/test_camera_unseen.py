"""Camera verdicts on footage the corpus did not have before (issue 25): real photos and clips
from packages (tests/corpus/manifest.toml), each made into a file and judged by the camera
check as ``techcheck run --only camera --camera FILE`` does (``cv2.VideoCapture``)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from techcheck.checks import registry
from techcheck.checks.camera import metrics as M
from techcheck.checks.profile import load_profile
from tests import corpus_media as C

#: The first test to use the corpus may fetch its packages (minutes on a fresh machine).
pytestmark = [pytest.mark.timeout(900), pytest.mark.slow]


@cache
def outcome(item_id: str) -> C.Outcome:
    item = next(i for i in C.load().items if i.id == item_id)
    profile = load_profile("generic", registry.limit_schemas(registry.discover()))
    try:
        return C.run_camera(item, profile)
    except (OSError, RuntimeError) as exc:  # no npm / registry on this machine
        pytest.fail(f"the corpus could not be fetched: {exc}")


def first_frame(item_id: str) -> np.ndarray:
    item = next(i for i in C.load().items if i.id == item_id)
    return C.render(item)[0]


DIM = ["franck03909-dim", "mplgrace-dim", "astronaut-dim", "tracking-dim", "cap12-dim",
       "franck-h264-dim"]
COVERED = ["franck03909-covered", "tracking-covered", "cap12-covered"]


@pytest.mark.parametrize("item_id", DIM)
def test_a_dim_room_with_a_visible_face_is_too_dark_never_black(item_id):
    """A room without a lamp at night (mean luma 10-19 of 255, the face clearly visible): "too
    dark" with the fix for light, never a black picture, never NOT READY."""
    frame = first_frame(item_id)
    assert M.luma(frame).mean() <= 20  # what once made it "black"
    o = outcome(item_id)
    assert "camera.black_frames" not in o.findings, o.findings
    assert o.findings.get("camera.too_dark") == "warn", o.findings
    assert o.verdict != "not_ready"
    assert o.metrics["faces"] == 1


@pytest.mark.parametrize("item_id", COVERED)
def test_a_covered_lens_is_still_black_and_fails(item_id):
    o = outcome(item_id)
    assert o.findings.get("camera.black_frames") == "fail", o.findings
    assert o.verdict == "not_ready"


def test_structure_tells_a_dim_room_from_a_covered_lens():
    dim = [M.structure(M.downscale(M.luma(first_frame(i)))) for i in DIM]
    covered = [M.structure(M.downscale(M.luma(first_frame(i)))) for i in COVERED]
    assert min(dim) >= 3 * M.STRUCTURE_MIN_SHARE, dim
    assert max(covered) < M.STRUCTURE_MIN_SHARE, covered
