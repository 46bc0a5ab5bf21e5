"""Every module of TechCheck imports, and every check runs, on a system without the other
systems' standard modules (issue 12: ``import fcntl`` at module level kept the network check,
``serve`` and demo mode from loading on Windows).

Each blocked set runs in a fresh interpreter (tests/platform_block.py), so a refused import is
a real ``ModuleNotFoundError`` raised while the module loads, exactly as on the other system,
and nothing imported earlier by pytest hides it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.platform_block import SETS

CHECKS = {"system", "camera", "microphone", "speaker", "network", "screen"}
#: The selftest rows this test insists on: each check on the demo media or the local server.
MUST_RUN = {"system", "camera", "microphone", "network", "screen"}


def run_blocked(which: str, tmp_path: Path) -> dict:
    out = tmp_path / f"{which}.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"}
    res = subprocess.run([sys.executable, "-m", "tests.platform_block", which, str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("which", sorted(SETS))
def test_every_module_imports_and_every_check_runs_without(which, tmp_path):
    doc = run_blocked(which, tmp_path)
    assert doc["import_errors"] == {}, "\n".join(
        f"{name}:\n{tb}" for name, tb in doc["import_errors"].items())
    assert set(doc["plugins"]) >= CHECKS, doc["plugins"]
    assert {k: v for k, v in doc["plugins"].items() if v} == {}, "plug-ins that did not load"
    rows = {r["id"]: r for r in doc["selftest"]["rows"]}
    assert set(rows) >= MUST_RUN, rows
    bad = {i: (r["status"], r["note"]) for i, r in rows.items() if not r["ok"]}
    assert bad == {}, f"rows without a result: {bad}"
    assert doc["selftest_exit"] == 0
    assert all(rows[i]["extra"]["metrics"] > 0 for i in ("camera", "microphone", "network"))
    up = doc["upload"]
    assert up["error_kinds"] == [] and up["requests_ok"] >= 4
    assert up["mbps"] is not None and up["mbps"] > 10
    # The kernel's acknowledged-byte count is read with getsockopt(TCP_INFO) from the socket
    # module, so none of our code reaches for a POSIX-only module any more.
    assert not any(r.endswith("-> fcntl") for r in doc["refused"]), doc["refused"]


@pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")),
                    reason="fcntl and termios exist only on Linux and macOS")
def test_the_blocker_refuses_our_imports_and_only_ours():
    """The harness itself can fail: code of ours that imports fcntl (an ``import`` statement)
    or termios (``importlib.import_module``) is refused with ModuleNotFoundError, while the
    standard library keeps its own POSIX branch."""
    code = (
        "from tests import platform_block\n"
        "platform_block.install('posix')\n"
        "import fcntl, shutil\n"  # __main__ is not ours: allowed
        "for module, src in (('techcheck.checks.probe', 'import fcntl'),\n"
        "                    ('techcheck.app.probe', 'import importlib; importlib.import_module(\"termios\")')):\n"
        "    try:\n"
        "        exec(src, {'__name__': module})\n"
        "    except ModuleNotFoundError as exc:\n"
        "        print('refused', exc.name)\n"
        "print(platform_block.refused())\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [
        "refused fcntl", "refused termios", f"{['techcheck.checks.probe -> fcntl', 'techcheck.app.probe -> termios']}"]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_test_suite_collects_without_posix_modules():
    """The Windows test job must at least collect every test module: with the POSIX-only
    modules refused to the tests as well, collection finds no error (tests that need Linux
    facilities skip when they run, with a reason; see conftest.LINUX_FACILITIES)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    res = subprocess.run([sys.executable, "-m", "tests.platform_block", "collect", "posix"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert re.search(r"^\d{3,} tests collected", res.stdout, re.M), res.stdout[-2000:]
