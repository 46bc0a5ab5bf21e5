"""Hostile and broken profiles, history files and history settings, and terminal control
codes (issue 13, items 4, 6 and 7): each ends quickly, in bounded memory, with a result or a
sentence naming the file and the problem, never "internal error"."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from techcheck.app import paths
from techcheck.app.report import history, jsonio
from techcheck.app.termtext import clean
from tests import report_samples as samples
from tests.hostile import assert_bounded, run_measured

ESC_TITLE = "\x1b]0;PWNED\x07"
ESC_CLEAR = "\x1b[2J\x1b[H"


# --- profiles ---------------------------------------------------------------------------------


def _profile(path: Path, extends: str | None = None, body: str = "") -> Path:
    ext = f'extends = "{extends}"\n' if extends else ""
    path.write_text(f'[profile]\nname = "{path.stem}"\ntitle = "Mine"\n{ext}{body}')
    return path


@pytest.mark.slow
def test_a_profile_that_is_dev_zero_or_a_fifo_is_refused(tmp_path: Path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.toml"
    try:
        os.mknod(zero, 0o444 | stat.S_IFCHR, os.makedev(1, 5))  # a real /dev/zero node
    except PermissionError:
        zero = Path("/dev/zero")
    for spec, words in ((fifo, "named pipe (FIFO)"), (zero, "character device")):
        m = run_measured("run", "--only", "system", "--profile", str(spec), "--no-history",
                         tmp=tmp_path)
        assert m.returncode == 3 and words in m.stderr and str(spec) in m.stderr, m.stderr
        assert_bounded(m)
    extends = _profile(tmp_path / "mine.toml", extends=str(zero))
    m = run_measured("run", "--only", "system", "--profile", str(extends), "--no-history",
                     tmp=tmp_path)
    assert m.returncode == 3 and "character device" in m.stderr, m.stderr
    assert_bounded(m)


@pytest.mark.slow
def test_deep_arrays_and_long_extends_chains_are_refused(tmp_path: Path):
    deep = _profile(tmp_path / "deep.toml", body="[system]\ncpu_load_warn_pct = "
                    + "[" * 50_000 + "]" * 50_000 + "\n")
    m = run_measured("run", "--only", "system", "--profile", str(deep), "--no-history",
                     tmp=tmp_path)
    assert m.returncode == 3 and "nested too deeply" in m.stderr, m.stderr
    assert_bounded(m)

    prev = None
    for i in range(200):
        prev = _profile(tmp_path / f"p{i}.toml", extends=str(prev) if prev else "generic")
    m = run_measured("run", "--only", "system", "--profile", str(prev), "--no-history",
                     tmp=tmp_path)
    assert m.returncode == 3 and "too many profiles extend each other" in m.stderr, m.stderr
    assert_bounded(m)


@pytest.mark.slow
def test_a_huge_profile_is_refused_before_reading(tmp_path: Path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(50 * 2**20)
    m = run_measured("profiles", str(big), tmp=tmp_path)
    assert m.returncode == 3 and "too large" in m.stderr, m.stderr
    assert_bounded(m)


# --- history ----------------------------------------------------------------------------------


def _keep(created: str, name: str, profile_name: str = "teams") -> Path:
    folder = paths.data_dir() / "history"
    folder.mkdir(parents=True, exist_ok=True)
    data = json.loads(jsonio.dumps(samples.report()))
    data["created"] = created
    data["profile"]["name"] = profile_name
    p = folder / name
    p.write_text(json.dumps(data))
    return p


@pytest.mark.slow
def test_a_kept_run_with_an_impossible_date_is_skipped_and_named(tmp_path: Path):
    good = _keep("2026-12-01T09:35:12+01:00", "20261201T083512Z-aaaaaa.json")
    bad = _keep("2026-99-99T99:99+00:00", "20261202T000000Z-bbbbbb.json")
    m = run_measured("history", tmp=tmp_path)
    assert m.returncode == 0, m.stderr
    assert str(good) in m.stdout and str(bad) in m.stderr and "no such date" in m.stderr
    assert_bounded(m)
    m = run_measured("history", "--json", tmp=tmp_path)
    doc = json.loads(m.stdout)
    assert [r["path"] for r in doc["runs"]] == [str(good)] and str(bad) in doc["skipped"][0]
    new = tmp_path / "new.json"
    jsonio.write(samples.report(), new)
    m = run_measured("compare", str(new), tmp=tmp_path)
    assert m.returncode == 3 and "no earlier run" in m.stderr, m.stderr  # same time as good


@pytest.mark.slow
@pytest.mark.parametrize("body", [
    "[history]\nkeep_days = 999999999999\n",
    "[history]\nkeep_runs = 99999999999999999999\n",  # past TOML's 64-bit integers
    "[history]\nkeep_days = " + "[" * 30_000 + "]" * 30_000 + "\n",
    "history = 5\n",
    "\x00\xff",
])
def test_bad_history_settings_keep_the_defaults_and_runs_still_finish(body: str, tmp_path: Path):
    settings = paths.config_dir() / history.SETTINGS_FILE
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_bytes(body.encode("utf-8", "surrogateescape"))
    out = tmp_path / "r.json"
    m = run_measured("run", "--only", "system", "--duration", "0.3", "--json", str(out),
                     tmp=tmp_path)
    assert m.returncode in (0, 1, 2), m.stderr
    assert "READY" in m.stdout and out.exists()
    assert len(list((paths.data_dir() / "history").glob("*.json"))) == 1
    assert history.Retention.load() == history.Retention()


def test_history_settings_that_are_a_fifo_do_not_hang(tmp_path: Path):
    settings = paths.config_dir() / history.SETTINGS_FILE
    settings.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(settings)
    m = run_measured("history", "--json", tmp=tmp_path)
    assert m.returncode == 0 and json.loads(m.stdout)["retention"]["keep_runs"] == 50
    assert_bounded(m)


# --- item 7: terminal control codes -------------------------------------------------------------


def test_clean_removes_escape_sequences_controls_and_bidi_overrides():
    dirty = f"a{ESC_TITLE}b{ESC_CLEAR}c\x9b31md\re\x07f\u202eg\u2066h\x7f\ti\nj"
    assert clean(dirty) == "abc31mdefgh\ti\nj"
    assert clean("Ready ≤ 5 % – åäö") == "Ready ≤ 5 % – åäö"


@pytest.mark.slow
def test_report_run_and_history_print_no_control_codes(tmp_path: Path):
    data = json.loads(jsonio.dumps(samples.report()))
    data["profile"]["title"] = f"Teams{ESC_TITLE}"
    data["checks"][0]["findings"][0]["template"]["message"] = f"Busy{ESC_CLEAR}\u202e now"
    data["checks"][0]["findings"][0]["status"] = "fail"
    data["machine"]["os"] = f"Linux{ESC_TITLE}"
    src = tmp_path / "evil.json"
    src.write_text(json.dumps(data))
    outputs = [run_measured("report", str(src), tmp=tmp_path)]

    profile = tmp_path / "evil.toml"
    profile.write_text('[profile]\nname = "evil\\u001b]0;PWNED\\u0007"\n'
                       'title = "Evil\\u001b[2J\\u001b]0;PWNED\\u0007"\nextends = "generic"\n')
    outputs.append(run_measured("run", "--only", "system", "--duration", "0.3", "--profile",
                                str(profile), tmp=tmp_path))
    outputs.append(run_measured("history", tmp=tmp_path))
    outputs.append(run_measured("history", "--json", tmp=tmp_path))
    for m in outputs:
        assert m.returncode in (0, 1, 2), m.stderr
        for stream in (m.stdout, m.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    assert "Busy now" in outputs[0].stdout.replace("\u202e", "")
    assert "Evil]0;PWNED" not in outputs[1].stdout and "Evil" in outputs[1].stdout
    assert "evil" in outputs[2].stdout


@pytest.mark.slow
def test_usage_errors_and_verbose_logs_print_no_control_codes(tmp_path: Path):
    m = run_measured("report", str(tmp_path / "x.json"), "--lang", f"e{ESC_TITLE}", tmp=tmp_path)
    assert m.returncode == 3 and "invalid choice" in m.stderr, m.stderr
    assert "\x1b" not in m.stderr and "\x07" not in m.stderr
    src = tmp_path / f"evil{ESC_CLEAR}.json"
    src.write_text("{")
    m = run_measured("-v", "report", str(src), tmp=tmp_path)
    assert m.returncode == 3 and "not valid JSON" in m.stderr and "\x1b" not in m.stderr


# --- issue 21: an audio file whose sound would take gigabytes ------------------------------------


def _sparse_wav(path: Path, data_bytes: int, channels: int = 1, rate: int = 48_000) -> Path:
    """A real 16-bit PCM WAV (RIFF header, RFC 2361) of ``data_bytes`` of silence, written as a
    sparse file: gigabytes on paper, nothing on the disk."""
    import struct

    header = (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
              + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2,
                                      channels * 2, 16)
              + b"data" + struct.pack("<I", data_bytes))
    with open(path, "wb") as fh:
        fh.write(header)
        fh.truncate(len(header) + data_bytes)
    return path


@pytest.mark.slow
def test_a_three_hour_microphone_file_is_read_in_bounded_memory_and_time(tmp_path: Path):
    """1 GiB of 48 kHz sound (3.1 hours; as float32 2 GiB): only its first minute is
    analysed. Before: 2.2 GB here, and a 1.3 MB FLAC of two hours of silence took 2.9 GB and
    25 s."""
    wav = _sparse_wav(tmp_path / "long.wav", 2**30)
    m = run_measured("run", "--only", "microphone", "--microphone", str(wav), "--no-history",
                     "--yes", "--duration", "2", tmp=tmp_path)
    assert m.returncode in (0, 1, 2), m.stderr
    assert "Microphone" in m.stdout
    assert_bounded(m)


def test_a_many_channel_audio_file_reads_no_more_samples(tmp_path: Path):
    from techcheck.checks.audio.source import MAX_FILE_SAMPLES, read_audio_file

    data, fs = read_audio_file(_sparse_wav(tmp_path / "wide.wav", 2**28, channels=64))
    assert data.shape[1] == 64 and data.size <= MAX_FILE_SAMPLES and fs == 48_000


# --- issue 21: a small picture file that decodes to gigabytes -----------------------------------


def _blank_png(path: Path, width: int, height: int) -> Path:
    """A valid 8-bit grey PNG (ISO/IEC 15948) of zeros, compressed row by row: 16000 × 16000 is
    256 million pixels in about 250 KB."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    z = zlib.compressobj(9)
    row = bytes(width + 1)  # filter byte 0 and the pixels
    idat = b"".join([z.compress(row) for _ in range(height)] + [z.flush()])
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("side", "words"), [(16000, "more than 179 million pixels"),
                                             (5000, "5000×5000 pixels")])
def test_a_huge_camera_picture_is_refused_from_its_header(side: int, words: str,
                                                          tmp_path: Path):
    """Before: a 249 KB PNG of 16000 × 16000 took the camera check to 2.8 GB and 12 s."""
    from techcheck.checks.camera.source import CameraFileError, open_camera

    png = _blank_png(tmp_path / "huge.png", side, side)
    assert png.stat().st_size < 300_000
    with pytest.raises(CameraFileError, match=words):
        open_camera(str(png))
    m = run_measured("run", "--only", "camera", "--camera", str(png), "--no-history",
                     tmp=tmp_path)
    assert m.returncode == 3 and "cannot be read as a video or a picture" in m.stderr, m.stderr
    assert_bounded(m)
