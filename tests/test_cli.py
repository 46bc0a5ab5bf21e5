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

import resources
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


def test_no_command_without_a_desktop_says_so_instead_of_aborting():
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux decides the display from DISPLAY/WAYLAND_DISPLAY")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    res = subprocess.run([sys.executable, "-m", "app.cli"], capture_output=True, text=True,
                         timeout=60, env=env, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert res.returncode == 3, res.stderr
    assert "needs a desktop session" in res.stderr and "techcheck run" in res.stderr
