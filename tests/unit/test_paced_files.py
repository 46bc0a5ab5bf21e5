"""A file given as camera or microphone, in a run a person watches (the app's, ``options
["realtime"]``), plays at its own pace, as a device delivers (issue 23 item 8): the camera
check looks for as long as it looks at a camera and the microphone check takes the whole file
in at its own speed, each reporting the seconds it still needs, so the page shows every second
that is judged. Without the option (the terminal, the self-test) files are read at once.

Real files through the real readers: an MJPG clip through ``cv2.VideoCapture``, a WAV file
through the app's file input."""

from __future__ import annotations

import itertools
import time

import pytest

from techcheck.app.runsetup import RunSetup
from techcheck.checks import registry
from techcheck.checks.audio import measures as M
from techcheck.checks.audio.microphone import MicrophoneCheck
from techcheck.checks.camera.check import CameraCheck
from techcheck.checks.context import CheckContext, Devices, Progress
from techcheck.checks.profile import load_profile
from tests.gui_fixtures import write_clip, write_wav

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def profile():
    return load_profile("generic", registry.limit_schemas(registry.discover()))


def _run(check, ctx_args: dict, profile, realtime: bool):
    seen: list[tuple[float, Progress]] = []
    ctx = CheckContext(profile, progress=lambda p: seen.append((time.monotonic(), p)),
                       options={"realtime": True} if realtime else {}, **ctx_args)
    t0 = time.monotonic()
    result = check.run(ctx)
    return result, time.monotonic() - t0, [(t - t0, p) for t, p in seen]


def test_the_app_asks_for_files_at_their_own_pace(profile):
    assert RunSetup(profile, realtime=True).options()["realtime"] is True
    assert "realtime" not in RunSetup(profile).options()


def test_a_video_file_is_watched_as_long_as_a_camera(profile, tmp_path):
    clip = write_clip(tmp_path / "clip.avi", frames=30)  # 2 s at 15 fps
    args = {"devices": Devices(camera=str(clip)), "duration": 3.0}
    at_once, fast_s, _ = _run(CameraCheck(), args, profile, realtime=False)
    paced, paced_s, seen = _run(CameraCheck(), args, profile, realtime=True)
    assert at_once.metrics["frames"].value == 30  # the file once, as fast as it decodes
    # paced: the 2 s clip starts over and is watched for the check's 3 s
    assert paced_s >= 3.0, paced_s
    assert paced.metrics["frames"].value >= 3.0 * 15 - 1
    assert paced.status is at_once.status
    # the countdown the page shows: the seconds still to look, falling to the end
    left = [(t, p.data["left_s"]) for t, p in seen if "left_s" in p.data]
    assert left[0][1] == pytest.approx(3.0, abs=0.15)
    assert left[-1][1] <= 0.2
    assert all(b <= a for (_t, a), (_u, b) in itertools.pairwise(left))
    # ... and it is true: what it says is left is what the check then took
    t_mid, left_mid = left[len(left) // 2]
    assert paced_s - t_mid == pytest.approx(left_mid, abs=0.6)
    assert fast_s < paced_s


def test_a_sound_file_is_listened_to_at_its_own_pace(profile, tmp_path):
    wav = write_wav(tmp_path / "voice.wav", seconds=2.0)
    args = {"devices": Devices(microphone=str(wav))}
    at_once, fast_s, quiet = _run(MicrophoneCheck(), args, profile, realtime=False)
    paced, paced_s, seen = _run(MicrophoneCheck(), args, profile, realtime=True)
    assert paced_s >= 1.9 and fast_s < 1.0, (paced_s, fast_s)
    assert not [p for _t, p in quiet if p.data.get("kind") == "level"]  # nobody watches
    levels = [(t, p.data) for t, p in seen if p.data.get("kind") == "level"]
    assert len(levels) >= 20  # the meter moves all along
    assert levels[0][1]["duration_s"] == pytest.approx(2.0, abs=0.01)
    assert {d["phase"] for _t, d in levels} == {"file"}
    assert levels[-1][1]["left_s"] <= 0.1
    assert all(-40 < d["rms_dbfs"] < -10 for _t, d in levels[5:])
    # the same recording judged the same way, only taken in at its own speed
    assert paced.status is at_once.status
    assert {k: m.value for k, m in paced.metrics.items()} == \
        {k: m.value for k, m in at_once.metrics.items()}
    assert paced.metrics[M.DURATION.name].value == pytest.approx(2.0, abs=0.01)
