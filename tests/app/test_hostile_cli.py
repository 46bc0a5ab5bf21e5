"""The command line under careless and hostile use (issue 21, item 12): a closed pipe, a file
name too long for the file system, control codes in ``--text`` files, output paths that end
in a slash or name the same file twice, ``--preview`` all or none, bad ``--camera``,
``--speaker`` and ``--only`` values. Each ends with a sentence and the README's exit status
(3 for what could not run), never "internal error", and overwrites nothing it should not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from techcheck.app.report import jsonio
from tests import report_samples as samples
from tests.conftest import ROOT, run_cli
from tests.hostile import assert_bounded, run_measured

OSC52 = "\x1b]52;c;ZWNobyBQV05FRA==\x07"  # writes "echo PWNED" to the clipboard
CSI = "\x1b[2J"
C1_CSI = "\x9b31m"
RLO = "\u202e"


def _sample_report(tmp_path, **changes) -> str:
    data = json.loads(jsonio.dumps(samples.report()))
    data["profile"]["title"] = f"Teams{OSC52}{CSI}{C1_CSI}{RLO}"
    data["checks"][0]["findings"][0]["template"]["message"] = f"Busy{OSC52} now{RLO}"
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(data))
    return str(path)


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly_with_the_commands_own_status(tmp_path):
    """``techcheck profiles teams | head -1``: the reader stopped reading, which is no error of
    TechCheck's; no "internal error", no traceback, the command's own exit status."""
    for reader in ("head -1", "true"):  # ``true`` closes the pipe before the first write
        shell = (f"{sys.executable} -m techcheck.app.cli profiles teams | {reader}; "
                 "echo \"status=${PIPESTATUS[0]}\"")
        r = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60,
                           cwd=ROOT, env=os.environ)
        assert "status=0" in r.stdout, (r.stdout, r.stderr)
        assert "internal error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert "Exception ignored" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr


@pytest.mark.slow
def test_a_file_name_longer_than_the_file_system_allows_is_a_sentence(tmp_path):
    long_name = str(tmp_path / ("a" * 300 + ".json"))
    long_stem = long_name.removesuffix(".json")
    for args in (["run", "--only", "system", "--no-history", "--json", long_name],
                 ["report", _sample_report(tmp_path), "--html", long_name],
                 ["report", long_name],
                 ["run", "--only", "microphone", "--no-history", "--microphone",
                  long_stem + ".wav"],
                 ["run", "--only", "camera", "--no-history", "--camera", long_stem + ".avi"],
                 ["run", "--only", "network", "--no-history", "--preview", long_stem]):
        m = run_measured(*args, tmp=tmp_path)
        assert m.returncode == 3, m.stderr
        assert "name is too long" in m.stderr, m.stderr
        assert_bounded(m)


def test_text_files_carry_no_terminal_control_codes(tmp_path):
    out = tmp_path / "r.txt"
    m = run_measured("report", _sample_report(tmp_path), "--text", str(out), tmp=tmp_path)
    assert m.returncode in (0, 1, 2), m.stderr
    written = out.read_text(encoding="utf-8")
    assert "Busy now" in written and "Teams" in written
    for code in ("\x1b", "\x07", "\x9b", RLO):
        assert code not in written, repr(code)


def test_an_output_path_ending_in_a_slash_leaves_the_file_before_it(tmp_path):
    keep = tmp_path / "keep.json"
    keep.write_text("mine")
    m = run_measured("report", _sample_report(tmp_path), "--json", f"{keep}/", tmp=tmp_path)
    assert m.returncode == 3, m.stderr
    assert "ends in /" in m.stderr, m.stderr
    assert keep.read_text() == "mine"


@pytest.mark.slow
def test_two_outputs_naming_the_same_file_are_refused(tmp_path):
    (tmp_path / "sub").mkdir()
    same = tmp_path / "r.out"
    for second in (str(same), str(tmp_path / "sub" / ".." / "r.out")):
        m = run_measured("report", _sample_report(tmp_path), "--json", str(same), "--html",
                         second, tmp=tmp_path)
        assert m.returncode == 3, m.stderr
        assert "--html and --json both name" in m.stderr, m.stderr
        assert not same.exists()


def test_a_preview_without_the_network_check_is_refused_before_the_run(tmp_path):
    m = run_measured("run", "--only", "system", "--no-history", "--preview", str(tmp_path),
                     tmp=tmp_path)
    assert m.returncode == 3, m.stderr
    assert "--preview needs the network check" in m.stderr, m.stderr
    assert "Computer…" not in m.stderr  # nothing ran
    assert list(tmp_path.glob("techcheck-preview*")) == []


def test_preview_files_are_written_all_or_none(tmp_path):
    """One of the three preview files cannot be replaced (a FIFO holds its name): none is
    written, the run says so, and it exits 3 instead of the verdict's status."""
    from techcheck.app.commands.callpreview import write_files
    from techcheck.app.commands.common import load
    from techcheck.checks.callmodel import Conditions

    os.mkfifo(tmp_path / "techcheck-preview.txt")
    _, profile = load("generic")
    messages = write_files(tmp_path / "techcheck-preview", profile.limits("network"),
                           Conditions(upload_mbps=5.0, loss_pct=0.0, jitter_ms=5.0, rtt_ms=40.0),
                           None, None, "en", with_camera=False)
    assert any("No preview file was written" in m for m in messages), messages
    assert not (tmp_path / "techcheck-preview.wav").exists()
    assert not (tmp_path / "techcheck-preview.avi").exists()


def test_a_preview_whose_file_cannot_be_replaced_is_refused_before_the_run(tmp_path):
    os.mkfifo(tmp_path / "techcheck-preview.txt")
    m = run_measured("run", "--only", "network", "--no-history", "--duration", "0.3",
                     "--server", "http://127.0.0.1:9/", "--preview", str(tmp_path), tmp=tmp_path)
    assert m.returncode == 3, m.stderr
    assert "techcheck-preview.txt: it is a named pipe (FIFO)" in m.stderr, m.stderr
    assert "…" not in m.stderr  # no check started


@pytest.mark.slow
def test_a_preview_that_could_not_be_made_exits_3_not_with_the_verdict(tmp_path):
    """Nothing answers on port 9: the connection could not be measured, so no preview can be
    modelled; the run was asked for one and did not make it."""
    m = run_measured("run", "--only", "network", "--no-history", "--duration", "0.5", "--stun",
                     "127.0.0.1:9", "--server", "http://127.0.0.1:9/", "--preview",
                     str(tmp_path), tmp=tmp_path)
    assert "no preview" in m.stderr, m.stderr
    assert m.returncode == 3, m.stderr
    assert list(tmp_path.glob("techcheck-preview*")) == []


@pytest.mark.parametrize(("args", "needle"), [
    (["--only", ",,,"], "--only needs at least one check id"),
    (["--only", ""], "--only needs at least one check id"),
    (["--skip", " , "], "--skip needs at least one check id"),
    (["--speaker", "simulated:delay=fast"], "--speaker: 'simulated:delay=fast' is not understood"),
])
def test_empty_or_unreadable_selections_are_usage_errors(args, needle):
    r = run_cli("run", "--no-history", "--duration", "0.3", *args, timeout=60)
    assert r.returncode == 3, r.stderr
    assert needle in r.stderr, r.stderr
    assert "…" not in r.stderr.split(needle)[0]  # refused before any check started
    assert r.stdout == ""


def test_a_camera_file_that_is_not_a_video_is_a_usage_error(tmp_path):
    junk = tmp_path / "notes.mp4"
    junk.write_text("not a video at all\n")
    r = run_cli("run", "--only", "camera", "--no-history", "--camera", str(junk), timeout=60)
    assert r.returncode == 3, r.stderr
    assert f"--camera: {junk} cannot be read as a video or a picture" in r.stderr, r.stderr
    assert "Camera…" not in r.stderr and r.stdout == ""
