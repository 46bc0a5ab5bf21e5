"""Shared fixtures. Every test gets its own user directories (logs, settings, history), so no
test reads or writes the real user's files, and Qt runs offscreen unless a test asks for X."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checkout import use_this_checkout

ROOT = Path(__file__).resolve().parent.parent
use_this_checkout(ROOT)  # before anything imports techcheck (the plug-ins below do)
LINUX = sys.platform.startswith("linux")

#: Markers of tests that need what only Linux has here; on Windows and macOS (the test job of
#: .github/workflows/test.yml) they are skipped with this reason instead of failing.
LINUX_FACILITIES = {
    "netns": "network namespaces (Linux, root)",
    "audio": "the private PipeWire server (Linux)",
    "xvfb": "an X server (Xvfb, Linux)",
}


def is_root() -> bool:
    """Root on Linux/macOS; never on Windows, which has no ``os.geteuid``."""
    return getattr(os, "geteuid", lambda: -1)() == 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if LINUX:
        return
    for item in items:
        for marker, what in LINUX_FACILITIES.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=f"needs {what}"))
                break
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and rendered reports to look at

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.gui_fixtures",  # GUI fixtures (issue 6)
    "tests.audio_server",  # private PipeWire server, virtual microphone (issue 4)
    "tests.atspi_session",  # private accessibility bus and a screen-reader driver (issue 11)
]


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    yield home


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``techcheck`` as a user would: a separate process, through the console entry point's
    module, with the test's isolated user directories."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "techcheck.app.cli", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT,
        input=input if input is not None else "",
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def mount_tmpfs(tmp_path: Path):
    """Mount a small real tmpfs (root only): ``mount_tmpfs(size_kb, read_only=False) -> Path``.
    The kernel's own ENOSPC and EROFS, not a mock, are what the code under test meets."""
    mounted: list[Path] = []

    def mount(size_kb: int = 64, read_only: bool = False) -> Path:
        if not LINUX:
            pytest.skip("needs a Linux tmpfs mount")
        where = tmp_path / f"tmpfs{len(mounted)}"
        where.mkdir()
        opts = f"size={size_kb}k" + (",ro" if read_only else "")
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "techcheck-test", str(where)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {res.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)
