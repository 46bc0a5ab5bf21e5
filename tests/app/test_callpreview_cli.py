"""``techcheck run --preview FOLDER``: a real run (network against a local ``techcheck serve``
server, the demo camera clip and voice through the checks' file sources) writes the modelled
picture, sound and numbers; without the flag nothing is written; a preview that cannot be made
says why instead of inventing numbers."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import soundfile as sf

from techcheck.checks.l10n import quantity
from techcheck.checks.network.server import start_server
from tests.conftest import ROOT, run_cli

CLIP = str(ROOT / "resources" / "demo" / "camera.avi")
VOICE = str(ROOT / "resources" / "demo" / "voice.wav")
NO_PROXY = {v: "" for v in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                            "ALL_PROXY", "all_proxy")}


@pytest.fixture(scope="module")
def server():
    s = start_server("127.0.0.1", 0)
    yield s
    s.stop()


def lab_profile(tmp_path: Path) -> str:
    """The generic tiers, but no public server: nothing leaves 127.0.0.1."""
    p = tmp_path / "lab.toml"
    p.write_text('[profile]\nname = "lab"\ntitle = "Lab"\nplatform = "other"\n'
                 'extends = "generic"\n\n[network]\nstun_servers = []\nendpoints = []\n'
                 'captive_url = ""\n')
    return str(p)


@pytest.mark.slow
def test_preview_flag_writes_picture_sound_and_numbers(server, tmp_path):
    out = tmp_path / "preview"
    out.mkdir()
    report = tmp_path / "r.json"
    res = run_cli("run", "--only", "network,camera,microphone", "--profile", lab_profile(tmp_path),
                  "--server", server.url, "--camera", CLIP, "--microphone", VOICE,
                  "--duration", "3", "--json", str(report), "--no-history", "--yes",
                  "--preview", str(out), env=NO_PROXY, timeout=240)
    assert res.returncode in (0, 1, 2), res.stderr
    assert "preview written" in res.stderr, res.stderr
    metrics = json.loads(report.read_text())["checks"]
    net = next(c for c in metrics if c["id"] == "network")["metrics"]
    upload = net["upload"]["value"]
    assert isinstance(upload, float) and upload > 4.0  # loopback: above the top tier

    cap = cv2.VideoCapture(str(out / "techcheck-preview.avi"))
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(25.0)
    # 5 s of the 25 fps clip, at the camera's 1280×720 (the 1080p tier is not up-scaled to).
    assert len(frames) == 125 and frames[0].shape == (720, 1280, 3)
    assert frames[10].mean() > 30  # a picture, not black

    sound, fs = sf.read(str(out / "techcheck-preview.wav"), dtype="float32")
    voice, vfs = sf.read(VOICE, dtype="float32")
    assert fs == vfs and sound.shape == voice.shape
    assert np.corrcoef(sound, voice)[0, 1] > 0.99  # fullband, no loss on loopback

    text = (out / "techcheck-preview.txt").read_text()
    assert text.startswith("This is roughly how sharp you will look to the interviewer on this "
                           "connection. It is enough for 1080p video, but your camera sends "
                           "1280×720, so that is the sharpest they will see.")
    # the capacity measured is called that, never "used" (issue 23, item 7)
    shown = quantity(round(upload, 2), "Mbit/s", "en")
    assert f"Upload measured (what the link could carry): {shown}" in text
    assert "Picture size: 1280×720" in text and "used" not in text.lower()


@pytest.mark.slow
def test_swedish_numbers_file(server, tmp_path):
    out = tmp_path / "p"
    out.mkdir()
    res = run_cli("run", "--only", "network,microphone", "--profile", lab_profile(tmp_path),
                  "--server", server.url, "--microphone", VOICE, "--duration", "2",
                  "--no-history", "--yes", "--lang", "sv", "--preview", str(out),
                  env=NO_PROXY, timeout=240)
    assert res.returncode in (0, 1, 2), res.stderr
    text = (out / "techcheck-preview.txt").read_text()
    assert text.startswith("Ungefär så skarp kommer du att se ut för intervjuaren")
    assert "En uppskattning" in text and "Uppmätt uppladdning (vad förbindelsen klarade):" in text
    assert (out / "techcheck-preview.wav").exists()
    assert not (out / "techcheck-preview.avi").exists()  # no camera in --only: not opened


def test_without_the_network_no_numbers_are_invented(tmp_path):
    out = tmp_path / "p"
    out.mkdir()
    res = run_cli("run", "--only", "microphone", "--microphone", VOICE, "--no-history", "--yes",
                  "--preview", str(out), timeout=120)
    assert "--preview needs the network check" in res.stderr  # refused before the run
    assert res.returncode == 3 and "…" not in res.stderr
    assert list(out.iterdir()) == []


def test_preview_folder_is_checked_before_the_run(tmp_path):
    res = run_cli("run", "--only", "system", "--no-history", "--yes",
                  "--preview", str(tmp_path / "missing"))
    assert res.returncode == 3
    assert "is not a folder" in res.stderr and "…" not in res.stderr  # no check started


@pytest.mark.slow
def test_without_the_flag_nothing_is_written(server, tmp_path):
    before = set(tmp_path.rglob("*"))
    res = run_cli("run", "--only", "network,microphone", "--profile", lab_profile(tmp_path),
                  "--server", server.url, "--microphone", VOICE, "--duration", "2",
                  "--no-history", "--yes", env=NO_PROXY, timeout=240)
    assert res.returncode in (0, 1, 2) and "preview" not in res.stderr
    assert set(tmp_path.rglob("*")) - before == {tmp_path / "lab.toml"}
