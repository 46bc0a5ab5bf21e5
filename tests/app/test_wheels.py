"""Every dependency installs from wheels on Windows and macOS (issue 12): resolved here, from
Linux, through PyPI's metadata by scripts/check_wheels.py. Needs the package index (CI has it)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "check_wheels.py"


def load_script():
    if "check_wheels" in sys.modules:
        return sys.modules["check_wheels"]
    spec = importlib.util.spec_from_file_location("check_wheels", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_wheels"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def report_item(name: str, requires: list[str], extras: list[str] | None = None) -> dict:
    return {"metadata": {"name": name, "version": "1", "requires_dist": requires},
            "requested_extras": extras or [],
            "download_info": {"url": f"https://files.example/{name}-1-py3-none-any.whl"}}


def test_markers_are_judged_for_the_target_system_not_this_one():
    """pip, run on Linux, leaves out ``colorama; sys_platform == "win32"``: the script finds it."""
    cw = load_script()
    items = [report_item("pytest", ['colorama>=0.4; sys_platform == "win32"', "pluggy<2",
                                    'exceptiongroup; python_version < "3.11"']),
             report_item("pluggy", []),
             report_item("pyinstaller", ['pefile>=2022.5.30; sys_platform == "win32"',
                                         'macholib>=1.8; sys_platform == "darwin"',
                                         'pytest; extra == "hook-testing"']),
             report_item("techcheck", ['ruff; extra == "dev"'], extras=["dev"])]
    resolved = {"pytest", "pluggy", "pyinstaller", "techcheck"}
    assert cw.needed_but_missing(items, "win_amd64", resolved) == [
        "colorama>=0.4", "pefile>=2022.5.30", "ruff"]
    assert cw.needed_but_missing(items, "macosx_11_0_arm64", resolved) == ["macholib>=1.8", "ruff"]


def test_pips_error_names_the_package_and_the_requirement_to_set_aside():
    cw = load_script()
    err = ("ERROR: Could not find a version that satisfies the requirement scipy>=1.11.4 (from "
           "scikit-image) (from versions: none)\n"
           "ERROR: No matching distribution found for scipy>=1.11.4 (from scikit-image)\n")
    todo = ["numpy>=1.24", "scikit-image>=0.22"]
    assert cw._culprit(err, todo) == ("scikit-image>=0.22", "scipy (needed by scikit-image)")
    assert cw.explain("win_amd64", err).startswith("scipy>=1.11.4: no wheel for win_amd64")


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_package_without_a_windows_wheel_is_named():
    """A real resolution against the index: PyObjC's core ships wheels for macOS only."""
    cw = load_script()
    out = cw.check("win_amd64", ["certifi", "pyobjc-core"], timeout=100)
    assert not out.ok
    assert out.gaps == ["pyobjc-core"], out.problem
    assert "no wheel for win_amd64" in out.problem and "pyobjc-core" in out.problem
    assert "certifi" in out.resolved


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_dependency_has_wheels_for_windows_and_macos(tmp_path):
    out = tmp_path / "wheels.json"
    res = subprocess.run([sys.executable, str(SCRIPT), "--timeout", "240", "--json", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=580)
    assert res.returncode == 0, res.stderr + res.stdout
    outcomes = {o["platform"]: o for o in json.loads(out.read_text(encoding="utf-8"))}
    assert {"win_amd64", "macosx_11_0_arm64", "macosx_10_13_x86_64"} <= set(outcomes)
    win = {canonicalize_name(name) for name in outcomes["win_amd64"]["resolved"]}
    # The runtime and the test tools, and what only Windows needs (pip alone would miss these).
    assert {"pyside6-essentials", "opencv-python-headless", "sounddevice", "pytest"} <= win
    assert {"colorama", "pefile", "pywin32-ctypes"} <= win
