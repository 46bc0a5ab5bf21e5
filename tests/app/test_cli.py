"""The CLI contract: exit statuses, JSON that validates, messages that name the problem."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from techcheck import resources
from tests.conftest import ROOT, is_root, run_cli

SCHEMA = json.loads(resources.path("schemas", "report-1.schema.json").read_text())


def test_version_and_help():
    res = run_cli("--version")
    assert res.returncode == 0 and res.stdout.startswith("techcheck ")
    res = run_cli("run", "--help")
    assert res.returncode == 0 and "--microphone" in res.stdout and "--stun" in res.stdout


def test_run_system_writes_a_report_that_validates(tmp_path: Path):
    out = tmp_path / "r.json"
    res = run_cli("run", "--only", "system", "--json", str(out), "--duration", "0.5")
    assert res.returncode in (0, 1, 2), res.stderr
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "techcheck.report/1"
    assert {"ready": 0, "ready_with_warnings": 1, "not_ready": 2}[data["verdict"]] == res.returncode
    (system,) = data["checks"]
    assert system["id"] == "system"
    for metric in ("cpu_load", "memory_free", "disk_free", "battery", "vpn_active", "connection"):
        assert metric in system["metrics"], metric
    # stdout carries the readable summary, stderr the progress
    assert "TechCheck readiness report" in res.stdout and "Computer" in res.stdout
    assert "Measuring how busy the processor is" in res.stderr


@pytest.mark.slow
def test_json_to_standard_output_for_a_pipe():
    """IT support's `techcheck run --json - | jq …`: "-" is standard output, as in most tools
    (it once made a file named "-" in the working folder); the summary a person reads moves to
    standard error so the two never mix. Two reports cannot share it, nor can a PDF."""
    from tests.conftest import ROOT

    res = run_cli("run", "--only", "system", "--json", "-", "--duration", "0.3", "--no-history")
    assert res.returncode in (0, 1, 2), res.stderr
    data = json.loads(res.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [c["id"] for c in data["checks"]] == ["system"]
    assert "TechCheck readiness report" in res.stderr
    assert not (ROOT / "-").exists()
    both = run_cli("run", "--only", "system", "--json", "-", "--text", "-")
    assert both.returncode == 3 and "only one report can go to standard output" in both.stderr
    pdf = run_cli("run", "--only", "system", "--pdf", "-")
    assert pdf.returncode == 3 and "give it a file name" in pdf.stderr


def test_swedish_summary(tmp_path: Path):
    res = run_cli("run", "--only", "system", "--lang", "sv", "--duration", "0.3",
                  "--text", str(tmp_path / "r.txt"))
    assert "TechCheck – rapport om beredskap" in res.stdout
    assert (tmp_path / "r.txt").read_text() == res.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "--only", "nosuchcheck"], "unknown check nosuchcheck (available:"),
        (["run", "--duration", "-3"], "must be more than 0"),
        (["run", "--duration", "soon"], "not a number"),
        (["run", "--lang", "fi"], "invalid choice"),
        (["run", "--frobnicate"], "unrecognized arguments"),
        (["nosuchcommand"], "invalid choice"),
        (["run", "--profile", "skype"], "no such profile"),
        (["run", "--only", "system", "--skip", "system"], "no checks left"),
    ],
)
def test_bad_arguments_exit_3(args: list[str], needle: str):
    res = run_cli(*args)
    assert res.returncode == 3, (res.returncode, res.stderr)
    assert needle in res.stderr


def test_bad_profile_file_exit_3_names_file_line_key(tmp_path: Path):
    p = tmp_path / "bad.toml"
    p.write_text('[profile]\nname = "b"\ntitle = "B"\n[system]\ncpu_load_warn_pct = "x"\n')
    res = run_cli("run", "--profile", str(p))
    assert res.returncode == 3
    assert f"{p}:5: key 'system.cpu_load_warn_pct': must be a number" in res.stderr


@pytest.mark.parametrize("where", ["missing_dir", "is_dir", "read_only_dir"])
def test_unwritable_report_path_exit_3_before_running(tmp_path: Path, where: str, mount_tmpfs):
    if where == "missing_dir":
        target, needle = tmp_path / "nope" / "r.json", "does not exist"
    elif where == "is_dir":
        target, needle = tmp_path, "it is a folder"
    elif is_root():  # root ignores folder permissions; a read-only mount stops it
        target, needle = mount_tmpfs(64, read_only=True) / "r.json", "permission denied"
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
        target, needle = ro / "r.json", "permission denied"
    res = run_cli("run", "--only", "system", "--json", str(target))
    assert res.returncode == 3
    assert needle in res.stderr
    assert "Measuring" not in res.stderr  # refused before any check ran


@pytest.mark.slow
def test_profiles_command():
    res = run_cli("profiles")
    assert res.returncode == 0
    for name in ("generic", "teams", "zoom", "meet", "webex"):
        assert name in res.stdout
    res = run_cli("profiles", "teams", "--json")
    data = json.loads(res.stdout)
    assert data["profile"]["name"] == "teams"
    assert data["limits"]["system"]["cpu_load_warn_pct"] == 70.0


def test_devices_json_lists_kinds():
    res = run_cli("devices", "--json")
    assert res.returncode == 0
    data = json.loads(res.stdout)
    assert isinstance(data["devices"], list) and isinstance(data["problems"], list)
    for d in data["devices"]:
        assert d["kind"] in ("camera", "microphone", "speaker") and d["name"]


def test_verbose_logs_to_stderr_and_file():
    res = run_cli("-v", "run", "--only", "system", "--duration", "0.3")
    assert "running check system" in res.stderr
    log = Path(os.environ["XDG_STATE_HOME"]) / "techcheck" / "log" / "techcheck.log"
    assert "running check system" in log.read_text()


@pytest.mark.slow
def test_report_with_invitation_and_checklist_validates_and_names_no_folders(tmp_path: Path):
    inv = tmp_path / "invite.toml"
    res = run_cli("invite", "--profile", "teams", "--when", "2026-12-01T10:00+01:00",
                  "--contact", "Anna Berg", "--company", "Example AB", "-o", str(inv))
    assert res.returncode == 0, res.stderr
    prof = tmp_path / "mine.toml"
    prof.write_text('[profile]\nname = "mine"\ntitle = "Mine"\nextends = "teams"\n')
    out = tmp_path / "r.json"
    res = run_cli("run", "--only", "system", "--duration", "0.3", "--invitation", str(inv),
                  "--profile", str(prof), "--checklist", "invitation_sent,room_booked",
                  "--json", str(out))
    assert res.returncode in (0, 1, 2), res.stderr
    text = out.read_text()
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert data["invitation"]["company"] == "Example AB" and data["invitation"]["file"] == "invite.toml"
    assert {i["id"]: i["done"] for i in data["checklist"]["items"]}["room_booked"] is True
    assert data["profile"] == {"name": "mine", "title": "Mine", "platform": "teams", "file": "mine.toml"}
    assert str(tmp_path) not in text  # the report is sent away: no folder names in it


def _no_devices_env(tmp_path: Path) -> dict[str, str]:
    """This process's environment without a desktop and without a sound server: no display,
    and PortAudio finds no device (a runtime directory with no PipeWire or PulseAudio in it)."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PULSE_SERVER",
            "PIPEWIRE_RUNTIME_DIR", "PIPEWIRE_REMOTE", "PULSE_RUNTIME_PATH")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


DEMO_SENTENCE = ("The camera, microphone and speaker checks ran on sample media and the "
                 "connection check against a test server on this computer; the computer and "
                 "screen sharing checks looked at this computer itself. This says nothing about "
                 "your own devices.")
DEMO_END = f"Demo finished. {DEMO_SENTENCE}"


@pytest.mark.slow
def test_no_command_without_a_desktop_checks_in_the_terminal_in_demo_mode(tmp_path: Path):
    """`techcheck` on a server (issue 11): one line says why, then what is missing and how to
    fix it (issue 20), then the whole check runs in the terminal on the demo stand-ins and ends
    on the demo's own verdict and exit status 4, never on a readiness. No questions hang: stdin
    is not a terminal, so each gets its default."""
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux decides the display from DISPLAY/WAYLAND_DISPLAY")
    env = _no_devices_env(tmp_path)
    devices = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "devices", "--json"],
                             capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    kinds = {d["kind"] for d in json.loads(devices.stdout)["devices"]}
    if {"camera", "microphone"} <= kinds:
        pytest.skip("this computer has a camera and a microphone: no demo mode to show")
    res = subprocess.run([sys.executable, "-m", "techcheck.app.cli"], capture_output=True, text=True,
                         timeout=180, env=env, cwd=ROOT, stdin=subprocess.DEVNULL)
    lines = res.stderr.splitlines()
    why = [ln for ln in lines if "desktop" in ln]
    assert len(why) == 1, res.stderr
    assert why[0].startswith("techcheck: no desktop session")
    assert why[0].endswith("checking in the terminal instead.")
    # told first: what is missing and the fix, then that a demo runs instead
    said = lines[lines.index(why[0]) + 1:lines.index(why[0]) + 3]
    missing = {frozenset({"camera", "microphone"}): "No camera and no microphone were found.",
               frozenset({"camera"}): "No camera was found.",
               frozenset({"microphone"}): "No microphone was found."}
    assert said[0].startswith("techcheck: " + missing[frozenset({"camera", "microphone"} - kinds)])
    assert "Plug in your webcam or headset" in said[0]
    assert said[0].endswith("Then run techcheck again.")
    assert said[1].startswith("techcheck: Meanwhile, see how it works with a sample video")
    assert said[1].endswith("which says nothing about your own devices.")
    assert "answered with its default, as with --yes" in res.stderr
    out = res.stdout
    assert out.startswith("TechCheck demo report"), out
    assert f"\nDEMO FINISHED: {DEMO_SENTENCE}\n" in out
    assert out.rstrip("\n").splitlines()[-1] == DEMO_END  # the terminal ends on it
    assert not any(w in out for w in ("READY", "Ready")), out
    assert res.returncode == 4, (res.returncode, res.stderr[-2000:])
    # the stand-ins work: whatever the real computer's load, these pass
    for title in ("Camera", "Microphone", "Speakers", "Internet connection"):
        assert f"[ PASS  ] {title}" in out, out
    assert not (Path(env["XDG_DATA_HOME"]) / "techcheck" / "history").exists() or not any(
        (Path(env["XDG_DATA_HOME"]) / "techcheck" / "history").iterdir())


def _at_a_terminal(tmp_path: Path, answer: str) -> subprocess.CompletedProcess:
    """`techcheck` without a desktop with a person at the terminal (stdin a real pseudo
    terminal) who types ``answer`` and Enter."""
    import pty

    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux decides the display from DISPLAY/WAYLAND_DISPLAY")
    env = _no_devices_env(tmp_path)
    devices = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "devices", "--json"],
                             capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    if {d["kind"] for d in json.loads(devices.stdout)["devices"]} & {"camera", "microphone"}:
        pytest.skip("this computer has a camera or a microphone: no demo to offer")
    person, tty = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "techcheck.app.cli"], stdin=tty,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=ROOT)
        os.write(person, (answer + "\n").encode())  # waits in the terminal until read
        out, err = proc.communicate(timeout=240)
    finally:
        os.close(tty)
        os.close(person)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


ASKED = "techcheck: See how it works with a sample video instead? [Y/n] "


@pytest.mark.slow
def test_at_a_terminal_the_demo_is_asked_for_and_yes_runs_it(tmp_path: Path):
    """A person at the terminal is told what is missing, then asked; "y" runs the demo, which
    ends on its own line and exit status 4."""
    res = _at_a_terminal(tmp_path, "y")
    lines = res.stderr.splitlines()
    told = next(i for i, ln in enumerate(lines) if "Plug in your webcam or headset" in ln)
    assert lines[told + 1].startswith(ASKED + "techcheck: Meanwhile, see how it works"), lines
    assert res.returncode == 4, res.stderr[-2000:]
    assert res.stdout.rstrip("\n").splitlines()[-1] == DEMO_END
    assert "READY" not in res.stdout


@pytest.mark.slow
def test_at_a_terminal_no_checks_the_devices_as_they_are(tmp_path: Path):
    """"n": no demo; the devices are checked as they are, and the missing ones fail."""
    res = _at_a_terminal(tmp_path, "n")
    assert ASKED in res.stderr and "Meanwhile" not in res.stderr
    assert res.returncode == 2, res.stderr[-2000:]
    assert "NOT READY YET" in res.stdout and "Demo" not in res.stdout
    assert "No camera was found." in res.stdout  # the camera check's own finding


def test_run_never_falls_back_to_demo_media(tmp_path: Path):
    """`techcheck run` on a computer with nothing to check with checks the real (absent)
    devices and says they are missing: no sample video, recording or stand-in speaker."""
    env = _no_devices_env(tmp_path)
    out = tmp_path / "r.json"
    res = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "run", "--only",
                          "camera,microphone,speaker", "--yes", "--json", str(out)],
                         capture_output=True, text=True, timeout=120, env=env, cwd=ROOT,
                         stdin=subprocess.DEVNULL)
    assert res.returncode == 2, res.stderr
    data = json.loads(out.read_text())
    jsonschema.validate(data, SCHEMA)
    assert "demo" not in data and "Demo mode" not in res.stdout
    codes = {f["code"] for c in data["checks"] for f in c["findings"]}
    assert {"microphone.unavailable", "speaker.unavailable"} <= codes, codes
    text = json.dumps(data)
    assert "voice.wav" not in text and "camera.avi" not in text and "simulated" not in text
    assert "desktop" not in res.stderr
