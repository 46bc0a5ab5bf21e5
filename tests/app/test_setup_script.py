"""``bash scripts/setup.sh`` (issue 15): a run that installs shows one line per stage and none
of pip's chatter, and ends on "starting TechCheck…", never "ready" before the window shows
(issue 23); a second run prints nothing and adds well under 2 s; a changed pyproject.toml
installs again; a failing pip shows pip's own error.

The script runs for real (real dpkg-query, real pip, real editable install) on a copy of the
project's top level whose packages are symlinks to this tree, with a virtual environment made
here that sees the already installed dependencies through a .pth file, so pip installs only
TechCheck itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [
    pytest.mark.skipif(shutil.which("apt-get") is None or shutil.which("dpkg-query") is None,
                       reason="scripts/setup.sh is for Debian and Ubuntu"),
    pytest.mark.slow,
]

BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def project_copy(where: Path) -> Path:
    """The top level of the project in ``where``, the packages linked, not copied."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, where / name)
    (where / "scripts").mkdir()
    for name in ("setup.sh", "test-phases.sh", "debian-packages.txt"):
        shutil.copy2(ROOT / "scripts" / name, where / "scripts" / name)
    for name in ("app", "checks", "resources"):
        (where / name).symlink_to(ROOT / name, target_is_directory=True)
    subprocess.run([BASE_PYTHON, "-m", "venv", str(where / ".venv")], check=True, timeout=120)
    site = next((where / ".venv" / "lib").glob("python3*/site-packages"))
    (site / "installed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return where


def setup_sh(tree: Path, *args: str, timeout: float = 400) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_REQUIRE")}
    return subprocess.run(["bash", "scripts/setup.sh", *args], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=timeout)


def version_line() -> str:
    from techcheck.app import __version__

    return f"techcheck {__version__}\n"


@pytest.mark.timeout(900)
def test_setup_installs_quietly_once_and_again_only_when_pyproject_changes(tmp_path):
    tree = project_copy(tmp_path)

    first = setup_sh(tree, "start", "--version")
    assert first.returncode == 0, first.stderr
    assert first.stdout == version_line()
    stages = first.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in stages] == [
        "[1/3] Debian packages", "[2/3] Python environment", "[3/3] TechCheck", "installed; "
        "starting TechCheck…"], stages
    # Not "ready" (issue 23, item 12): the window shows seconds after the set-up's last line.
    assert "ready" not in first.stderr
    assert all(line.startswith("setup: ") for line in stages)  # nothing from pip or setuptools
    assert "Successfully installed techcheck" in (tree / ".venv" / "setup.log").read_text()

    # The second start: no output of the set-up at all, and almost no time of its own.
    again, bare = [], []
    for _ in range(3):
        t0 = time.monotonic()
        second = setup_sh(tree, "start", "--version")
        again.append(time.monotonic() - t0)
        assert (second.returncode, second.stdout, second.stderr) == (0, version_line(), "")
        t0 = time.monotonic()
        subprocess.run([str(tree / ".venv" / "bin" / "techcheck"), "--version"], check=True,
                       capture_output=True, timeout=60)
        bare.append(time.monotonic() - t0)
    assert min(again) - min(bare) < 2.0, (again, bare)

    # A changed pyproject.toml installs again.
    with open(tree / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    changed = setup_sh(tree, "start", "--version")
    assert changed.returncode == 0, changed.stderr
    assert "[3/3] TechCheck: installing" in changed.stderr
    assert setup_sh(tree, "start", "--version").stderr == ""


@pytest.mark.timeout(600)
def test_a_failing_install_shows_pips_error(tmp_path):
    tree = project_copy(tmp_path)
    text = (tree / "pyproject.toml").read_text(encoding="utf-8")
    broken = text.replace('dependencies = [\n', 'dependencies = [\n    "techcheck-no-such-dist>=1",\n', 1)
    assert broken != text
    (tree / "pyproject.toml").write_text(broken, encoding="utf-8")
    res = setup_sh(tree, "start", "--version")
    assert res.returncode == 1
    assert "setup: failed: .venv/bin/python -m pip install" in res.stderr
    assert "techcheck-no-such-dist" in res.stderr and "ERROR" in res.stderr
    assert not (tree / ".venv" / "techcheck-install.stamp").exists()
