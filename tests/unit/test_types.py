"""mypy runs as CI runs it: ``python -m mypy`` with no arguments reads pyproject.toml's
[tool.mypy], strict on the engine (``techcheck.checks``) and at mypy's default settings on the
app (``techcheck.app``), and finds nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.corpus_media import USER_CACHE

#: mypy's cache for the whole-checkout run, beside the corpus in the user's cache: a fresh clone
#: of an unchanged tree is then checked in a fraction of a second instead of ~9 s of processor.
#: mypy trusts a cached module only while its source hashes the same and the configuration and
#: mypy's version are unchanged (https://mypy.readthedocs.io/en/stable/command_line.html
#: "Incremental mode"); ``MYPY_CACHE_DIR`` overrides the configuration's ``cache_dir`` without
#: an argument, so the command stays ``python -m mypy`` as CI runs it.
MYPY_CACHE = USER_CACHE.parent / "mypy"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def _mypy(cwd: Path, *args: str, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=540, env=env)


def test_mypy_with_no_arguments_finds_no_error():
    res = _mypy(ROOT, env={**os.environ, "MYPY_CACHE_DIR": str(MYPY_CACHE)})
    assert res.returncode == 0, res.stdout[-6000:] + res.stderr[-2000:]
    assert "Success: no issues found" in res.stdout
    # It checked both packages, not an empty selection.
    checked = int(res.stdout.split("found in ")[1].split()[0])
    assert checked > 100, res.stdout


def test_mypy_is_strict_on_the_engine_and_lenient_on_the_app(tmp_path: Path):
    """The twin: the same untyped function planted in both packages of a copy of this
    checkout is an error in the engine only; an error any setting catches (a wrong return
    type) is found in the app too. So the configuration is really in force."""
    copy = tmp_path / "checkout"
    for folder in ("app", "checks"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "resources").symlink_to(ROOT / "resources", target_is_directory=True)
    shutil.copytree(ROOT / "scripts" / "typecheck", copy / "scripts" / "typecheck", symlinks=True)
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    untyped = "def planted(x):\n    return x\n"
    (copy / "checks" / "planted.py").write_text(untyped, encoding="utf-8")
    (copy / "app" / "planted.py").write_text(
        untyped + "\n\ndef wrong() -> int:\n    return 'text'\n", encoding="utf-8")
    # The two planted modules by name, under the checkout's own configuration: their package
    # (``techcheck.checks.*`` or ``techcheck.app.*``) decides how strictly each is held, as it
    # does in the whole run above; checking the rest of the copy again would only repeat that
    # test at twice its cost.
    res = _mypy(copy, "--cache-dir", str(tmp_path / "cache"),
                "-m", "techcheck.checks.planted", "-m", "techcheck.app.planted")
    assert res.returncode == 1, res.stdout[-4000:]
    errors = [ln for ln in res.stdout.splitlines() if ": error:" in ln and "/planted.py:" in ln]
    assert any("checks/planted.py:1:" in e and "[no-untyped-def]" in e for e in errors), errors
    assert any("app/planted.py:6:" in e and "[return-value]" in e for e in errors), errors
    assert not any("app/planted.py:1:" in e for e in errors), errors
    assert len(errors) == 2, errors
