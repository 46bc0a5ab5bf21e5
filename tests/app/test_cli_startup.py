"""What ``techcheck`` loads before it does anything: a command imports only its own module, so
``--version``, ``report``, ``compare`` and the other light commands start in about 0.1 s, not
the 0.45 s of loading the checks, numpy and OpenCV for ``run`` (issue 22: each scripted call by
IT support, and each CLI test, paid it). The probe runs the real ``cli.main`` in a fresh
interpreter and lists the heavy modules it found loaded; its twin shows it sees them when a
command does load them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("numpy", "cv2", "sounddevice", "psutil", "PySide6", "techcheck.checks.camera",
         "techcheck.checks.audio", "techcheck.checks.network", "techcheck.checks.callmodel")

PROBE = """
import json, sys
from techcheck.app import cli
try:
    cli.main(json.loads(sys.argv[1]))
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print(json.dumps(sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)))
"""


def heavy_modules_loaded(*args: str) -> list[str]:
    res = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--version",), ("report", "--help"), ("compare", "--help"),
                                  ("history", "--help"), ("profiles", "--help"),
                                  ("devices", "--help"), ("selftest", "--help")],
                         ids=lambda a: " ".join(a))
def test_a_light_command_loads_none_of_the_checks(args: tuple[str, ...]):
    assert heavy_modules_loaded(*args) == []


def test_the_probe_sees_what_run_loads():
    """The twin: ``run`` imports the checks, and the probe says so."""
    loaded = heavy_modules_loaded("run", "--help")
    assert "numpy" in loaded and "techcheck.checks.camera" in loaded, loaded


def test_the_whole_command_line_is_still_offered():
    res = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "--help"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    from techcheck.app.cli import COMMANDS

    for name in COMMANDS:
        assert f"\n    {name} " in res.stdout, (name, res.stdout)
    res = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "reprot", "x.json"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert res.returncode == 3 and "choose from 'run'" in res.stderr, res.stderr
