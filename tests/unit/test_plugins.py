"""Third-party plug-ins: a real distribution, installed by pip into a temporary location, adds
checks through the ``techcheck.checks`` entry points; a crashing or unloadable one is contained."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli

PLUGIN_SOURCE = '''
from dataclasses import dataclass
from techcheck.checks.base import Check
from techcheck.checks.i18n import N_
from techcheck.checks.model import Status


@dataclass(frozen=True)
class HelloLimits:
    greeting_ms_warn: float = 5.0


class HelloCheck(Check):
    id = "hello"
    title = N_("Hello from a plug-in")
    Limits = HelloLimits
    order = 500

    def run(self, ctx):
        r = self.result()
        lim = ctx.limits(self.id)
        r.metric("greeting_ms", 1.0, "ms", threshold=lim.greeting_ms_warn, status=Status.PASS)
        return r.build()


class CrashyCheck(Check):
    id = "crashy"
    title = "Crashes on purpose"
    order = 501

    def run(self, ctx):
        raise ZeroDivisionError("plug-in bug")


class WrongId(Check):
    id = "not-what-the-entry-point-says"
    title = "Mislabelled"

    def run(self, ctx):
        return self.result().build()
'''

ENTRY_POINTS = """[techcheck.checks]
hello = tc_extra_demo:HelloCheck
crashy = tc_extra_demo:CrashyCheck
broken = tc_extra_missing_module:Nothing
mislabelled = tc_extra_demo:WrongId
"""


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(where: Path) -> Path:
    """A real wheel (PEP 427) of a tiny third-party check package."""
    dist = "tc_extra_demo-1.0.dist-info"
    files = {
        "tc_extra_demo.py": PLUGIN_SOURCE.encode(),
        f"{dist}/METADATA": b"Metadata-Version: 2.1\nName: tc-extra-demo\nVersion: 1.0\n",
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
                         b"Tag: py3-none-any\n",
        f"{dist}/entry_points.txt": ENTRY_POINTS.encode(),
    }
    record = [_record_line(n, d) for n, d in files.items()] + [f"{dist}/RECORD,,"]
    files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = where / "tc_extra_demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return wheel


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("plugin")
    target = tmp / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--disable-pip-version-check", "--target", str(target), str(build_wheel(tmp))],
        check=True, capture_output=True, timeout=120,
    )
    assert (target / "tc_extra_demo-1.0.dist-info" / "entry_points.txt").exists()
    return {"PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")])}


@pytest.mark.slow
def test_installed_plugin_is_found_and_runs(plugin_env, tmp_path: Path):
    out = tmp_path / "r.json"
    res = run_cli("run", "--only", "hello", "--json", str(out), "--yes", env=plugin_env)
    assert res.returncode == 0, res.stderr
    report = json.loads(out.read_text())
    (check,) = report["checks"]
    assert check["id"] == "hello" and check["status"] == "pass"
    assert check["metrics"]["greeting_ms"]["threshold"] == 5.0


@pytest.mark.slow
def test_plugin_limits_come_from_a_user_profile(plugin_env, tmp_path: Path):
    prof = tmp_path / "p.toml"
    prof.write_text('[profile]\nname = "p"\ntitle = "P"\nextends = "generic"\n'
                    '[hello]\ngreeting_ms_warn = 2.5\n')
    out = tmp_path / "r.json"
    res = run_cli("run", "--only", "hello", "--profile", str(prof), "--json", str(out),
                  env=plugin_env)
    assert res.returncode == 0, res.stderr
    assert json.loads(out.read_text())["checks"][0]["metrics"]["greeting_ms"]["threshold"] == 2.5


@pytest.mark.slow
def test_crashing_and_broken_plugins_are_contained(plugin_env, tmp_path: Path):
    out = tmp_path / "r.json"
    res = run_cli("run", "--only", "crashy,broken,mislabelled,hello,system", "--json", str(out),
                  "--yes", "--duration", "0.5", env=plugin_env)
    assert res.returncode == 2, res.stderr  # errors mean "not ready": nothing was confirmed
    checks = {c["id"]: c for c in json.loads(out.read_text())["checks"]}
    assert checks["crashy"]["status"] == "error"
    assert checks["crashy"]["error"] == "ZeroDivisionError: plug-in bug"
    assert checks["broken"]["status"] == "error"
    assert "No module named 'tc_extra_missing_module'" in checks["broken"]["error"]
    assert "is 'not-what-the-entry-point-says'" in checks["mislabelled"]["error"]
    assert checks["hello"]["status"] == "pass"
    assert checks["system"]["status"] in ("pass", "warn", "fail")
    assert "details of the errors are in the log" in res.stderr
    assert "Traceback" not in res.stderr  # tracebacks belong in the log file only
    log = Path(os.environ["XDG_STATE_HOME"]) / "techcheck" / "log" / "techcheck.log"
    assert "ZeroDivisionError: plug-in bug" in log.read_text()


@pytest.mark.slow
def test_devices_and_profiles_survive_a_broken_plugin(plugin_env):
    res = run_cli("devices", "--json", env=plugin_env)
    assert res.returncode == 0, res.stderr
    problems = {p["check"] for p in json.loads(res.stdout)["problems"]}
    assert {"broken", "mislabelled"} <= problems
