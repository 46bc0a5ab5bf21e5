"""Frame sources and the problems of opening them: video and image files through the real
``cv2.VideoCapture``, a camera index that does not exist (this machine has no camera, so index
0 is a real "unavailable"), missing and unreadable files, a camera unplugged mid-check, and the
CLI and device listing end to end."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from techcheck.checks import registry
from techcheck.checks.camera import (
    CameraBusy,
    CameraCheck,
    CameraFileError,
    CameraFileMissing,
    CameraPermission,
    CameraUnavailable,
    open_camera,
)
from techcheck.checks.camera.devices import _linux_device_users, diagnose_open_failure, list_cameras
from techcheck.checks.context import CheckContext, Devices
from techcheck.checks.model import Status
from techcheck.checks.profile import load_profile
from tests.camera_scenarios import SCENARIOS, build, compose, frames, write_avi
from tests.stubs import UnpluggedCamera

NO_CAMERA = not Path("/dev/video0").exists() and os.name == "posix"


@pytest.fixture(scope="module")
def profile():
    return load_profile("generic", registry.limit_schemas(registry.discover()))


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return build("good", tmp_path_factory.mktemp("src"), seconds=2.0)


def check(profile, spec, opener=None, duration=None):
    ctx = CheckContext(profile, Devices(camera=spec), duration=duration)
    return (CameraCheck(opener) if opener else CameraCheck()).run(ctx)


def test_video_file_frames_and_timestamps(clip):
    with open_camera(str(clip)) as src:
        assert (src.info.kind, src.info.width, src.info.height) == ("video", 1280, 720)
        assert src.info.fps == pytest.approx(30.0)
        assert src.info.frames == 60
        assert src.info.name == "good.avi" and not src.is_camera
        got = []
        while True:
            frame, t = src.read()
            if frame is None:
                break
            assert frame.shape == (720, 1280, 3) and frame.dtype == np.uint8
            got.append(t)
    assert len(got) == 60
    assert np.allclose(np.diff(got), 1 / 30, atol=1e-3)
    assert got[0] == 0.0


def test_looping_realtime_playback_keeps_time_increasing(tmp_path):
    sc = SCENARIOS["good"]
    path = write_avi(tmp_path / "short.avi", frames(sc, 0.2), 30, sc.size)  # 6 frames
    with open_camera(str(path), realtime=True, loop=True) as src:
        start = time.monotonic()
        ts = [src.read()[1] for _ in range(15)]
        wall = time.monotonic() - start
    assert all(b > a for a, b in itertools.pairwise(ts))
    assert ts[-1] == pytest.approx(14 / 30, abs=0.01)
    assert wall >= 0.4  # paced at the file's 30 fps, not as fast as it decodes


def test_image_file_is_one_frame_and_judged_without_stream_rules(tmp_path, profile):
    path = tmp_path / "portrait.png"
    cv2.imwrite(str(path), compose(SCENARIOS["good"]))
    with open_camera(str(path)) as src:
        assert src.info.kind == "image" and src.info.fps is None
        first, t = src.read()
        assert first is not None and t == 0.0
        assert src.read()[0] is None
    result = check(profile, str(path))
    assert result.status is Status.PASS, [f.code for f in result.findings]
    assert "fps" not in result.metrics and "frozen_frames" not in result.metrics
    assert result.metrics["faces"].value == 1


def test_missing_file_is_a_finding_with_a_fix(tmp_path, profile):
    missing = tmp_path / "nope.avi"
    with pytest.raises(CameraFileMissing):
        open_camera(str(missing))
    result = check(profile, str(missing))
    assert result.status is Status.FAIL
    (f,) = result.findings
    assert f.code == "camera.file_not_found" and str(missing) in f.text()
    assert f.fix_text("sv")


@pytest.mark.parametrize("content", [b"", b"RIFF" + bytes(range(256)) * 40, b"not a video\n"])
def test_unreadable_file_is_a_finding(tmp_path, profile, content):
    bad = tmp_path / "broken.avi"
    bad.write_bytes(content)
    with pytest.raises(CameraFileError):
        open_camera(str(bad))
    result = check(profile, str(bad))
    assert [f.code for f in result.findings] == ["camera.unreadable_file"]
    assert result.findings[0].status is Status.FAIL
    with pytest.raises(CameraFileError):
        open_camera(str(tmp_path))  # a folder is not a video either


@pytest.mark.skipif(not NO_CAMERA, reason="this machine has a camera at index 0")
@pytest.mark.parametrize("spec", ["0", "7", None])
def test_camera_index_that_does_not_exist_is_unavailable(profile, spec, capfd):
    with pytest.raises(CameraUnavailable):
        open_camera(spec)
    result = check(profile, spec)
    assert [f.code for f in result.findings] == ["camera.unavailable"]
    assert "webcam" in result.findings[0].fix_text()
    assert "can't open camera" not in capfd.readouterr().err  # OpenCV's noise is silenced


def test_camera_unplugged_mid_check(clip, profile):
    def opener(spec):
        return UnpluggedCamera(open_camera(spec), frames=45)

    result = check(profile, str(clip), opener=opener, duration=5)
    codes = [f.code for f in result.findings]
    assert codes == ["camera.disconnected"]
    assert result.status is Status.FAIL
    # what was seen before the plug was pulled (after the 1 s warm-up) is still reported
    assert result.metrics["frames"].value == 15
    assert result.metrics["faces"].value == 1


def test_unplugged_before_any_frame(clip, profile):
    result = check(profile, str(clip), opener=lambda s: UnpluggedCamera(open_camera(s), 0))
    assert [f.code for f in result.findings] == ["camera.disconnected"]


def test_busy_and_permission_errors_name_the_fix(profile):
    def busy(_):
        raise CameraBusy("held", holders=["Zoom", "Microsoft Teams"])

    f = check(profile, "0", opener=busy).findings[0]
    assert f.code == "camera.busy" and "Zoom, Microsoft Teams" in f.fix_text()
    assert "Zoom, Microsoft Teams" in f.fix_text("sv")
    for system, words in (("Darwin", "Privacy & Security"), ("Windows", "Let desktop apps"),
                          ("Linux", "usermod")):
        def denied(_, system=system):
            raise CameraPermission("denied", system=system)

        f = check(profile, "0", opener=denied).findings[0]
        assert f.code == "camera.permission" and words in f.fix_text()
        assert f.fix_text("sv") != f.fix_text()


@pytest.mark.skipif(not NO_CAMERA, reason="this machine has a camera at index 0")
def test_diagnosis_on_this_machine():
    assert isinstance(diagnose_open_failure(0), CameraUnavailable)
    assert list_cameras() == []


def test_which_process_holds_the_camera(tmp_path):
    """The /proc scan that names the app holding /dev/videoN, on a /proc-shaped tree."""
    for pid, comm, target in (("101", "zoom", "/dev/video0"), ("102", "bash", "/dev/null"),
                              ("103", "obs", "/dev/video0")):
        fd = tmp_path / pid / "fd"
        fd.mkdir(parents=True)
        (tmp_path / pid / "comm").write_text(comm + "\n")
        (fd / "3").symlink_to(target)
    (tmp_path / "self").mkdir()
    assert _linux_device_users("/dev/video0", tmp_path) == ["obs", "zoom"]
    assert _linux_device_users("/dev/video1", tmp_path) == []


@pytest.mark.slow
def test_cli_run_with_a_video_file(clip, cli, tmp_path):
    out = tmp_path / "report.json"
    p = cli("run", "--only", "camera", "--camera", str(clip), "--duration", "1", "--yes",
            "--json", str(out))
    assert p.returncode == 0, p.stderr
    report = json.loads(out.read_text())
    (cam,) = report["checks"]
    assert cam["id"] == "camera" and cam["status"] == "pass"
    assert cam["metrics"]["resolution"]["value"] == "1280x720"
    assert "snapshot_jpeg_b64" not in cam["details"]


@pytest.mark.slow
@pytest.mark.skipif(not NO_CAMERA, reason="this machine has a camera at index 0")
def test_cli_run_without_a_camera(cli):
    p = cli("run", "--only", "camera", "--camera", "0", "--yes", "--lang", "sv")
    assert p.returncode == 2
    assert "Ingen kamera hittades" in p.stdout
    assert "Traceback" not in p.stderr


def test_cli_devices_lists_cameras_without_problems(cli):
    p = cli("devices", "--json")
    assert p.returncode == 0
    found = json.loads(p.stdout)
    assert not [x for x in found["problems"] if x["check"] == "camera"]
    cams = [d for d in found["devices"] if d["kind"] == "camera"]
    assert cams == [d.to_dict() for d in list_cameras()]


@pytest.mark.slow
def test_demo_clip_is_small_and_passes_the_check(profile):
    from techcheck import resources
    clip = resources.path("demo", "camera.avi")
    assert clip.stat().st_size <= 2_000_000
    result = check(profile, str(clip))
    assert result.status is Status.PASS, [f.code for f in result.findings]
    assert result.metrics["resolution"].value == "1280x720"
    with open_camera(str(clip), realtime=False, loop=True) as src:  # how the GUI plays it
        ts = [src.read()[1] for _ in range(120)]
    assert ts == sorted(ts) and ts[-1] > 4.5
