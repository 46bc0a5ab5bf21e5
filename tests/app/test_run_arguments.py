"""Issue 13 item 11: ``techcheck run`` refuses bad arguments before anything runs, with exit
status 3 and a sentence (README's exit-code table), and a recording at a sample rate the
analysis cannot use is a clear finding, not a ZeroDivisionError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from techcheck.checks.audio.analysis import MIN_SAMPLERATE, analyse
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.source import read_audio_file
from techcheck.checks.network.httpio import parse_origin
from techcheck.checks.network.stun import parse_hostport
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def one_hertz_wav(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wav") / "one-hertz.wav"
    sf.write(str(path), np.zeros(3, dtype=np.float32), 1)
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("args", "needle"), [
    (["--server", "ftp://example.org/"], "--server: 'ftp://example.org/' is not a web address"),
    (["--server", "not a url"], "--server: 'not a url' is not a web address"),
    (["--server", "http://127.0.0.1:99999"], "does not have a valid host and port (1-65535)"),
    (["--server", "javascript:alert(1)"], "--server: 'javascript:alert(1)' is not a web"),
    (["--server", "librespeed+gopher://x"], "--server: 'gopher://x' is not a web address"),
    (["--stun", "stun.example.org:99999"], "--stun: 'stun.example.org:99999' is not a STUN"),
    (["--camera", "/nonexistent.avi"], "--camera: /nonexistent.avi does not exist"),
    (["--json", ""], "--json needs a file name"),
    (["--html", " "], "--html needs a file name"),
])
def test_bad_arguments_exit_3_with_a_sentence_before_anything_runs(args, needle, tmp_path):
    r = run_cli("run", "--only", "system", "--no-history", *args, timeout=60)
    assert r.returncode == 3, r.stderr
    assert needle in r.stderr
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr
    assert "Computer…" not in r.stderr  # refused before any check started
    assert r.stdout == ""


def test_one_hertz_wav_is_refused_by_the_cli(one_hertz_wav):
    r = run_cli("run", "--only", "microphone", "--no-history", "--microphone",
                str(one_hertz_wav), timeout=60)
    assert r.returncode == 3, r.stderr
    assert "one-hertz.wav is sampled at 1 Hz; speech needs at least 8000 Hz" in r.stderr
    assert "ZeroDivisionError" not in r.stderr + r.stdout


def test_one_hertz_wav_is_a_clear_finding_in_the_check(one_hertz_wav):
    """The GUI and plug-in path: the file source says what is wrong, and the pure analysis
    refuses a rate it cannot window instead of dividing by zero."""
    with pytest.raises(AudioProblem) as exc:
        read_audio_file(one_hertz_wav)
    assert exc.value.kind == "bad_file" and "1 Hz" in exc.value.detail
    with pytest.raises(ValueError, match="below 8000 Hz"):
        analyse(np.zeros(3, dtype=np.float32), 1)
    fs = MIN_SAMPLERATE  # the lowest rate still analyses
    t = np.arange(2 * fs) / fs
    assert analyse((0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), fs).peak_dbfs < 0


@pytest.mark.slow
def test_valid_servers_still_parse():
    assert parse_origin("http://127.0.0.1:8080").port == 8080
    assert parse_origin("https://speed.cloudflare.com").port == 443
    assert parse_hostport("[2001:db8::1]:3479") == ("2001:db8::1", 3479)
    assert parse_hostport("stun:example.org") == ("example.org", 3478)
    r = run_cli("run", "--only", "system", "--no-history", "--server", "speedtest",
                "--stun", "127.0.0.1:3478", timeout=60)
    assert r.returncode in (0, 1, 2), r.stderr
