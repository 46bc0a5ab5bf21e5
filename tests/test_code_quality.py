"""Architecture and style rules that keep the code base one thing: the engine free of Qt,
ruff clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def test_import_linter_contracts_qt_free_engine_and_layers():
    exe = BIN / "lint-imports"
    if not exe.exists():
        pytest.fail("import-linter is not installed (pip install -e '.[dev]')")
    res = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 kept, 0 broken" in res.stdout
    # Both contracts ran: Qt-free engine, and the layers app.gui > app.commands > app.report
    # > checks (a module may import only from layers below it).
    assert "never import Qt or the app KEPT" in res.stdout
    assert "Layers:" in res.stdout


def test_importing_every_check_module_loads_no_qt():
    """Belt and braces for what import-linter cannot see: imports made at run time."""
    code = (
        "import importlib, pkgutil, sys, checks\n"
        "for m in pkgutil.walk_packages(checks.__path__, 'checks.'):\n"
        "    importlib.import_module(m.name)\n"
        "from checks import registry\n"
        "registry.discover()\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'app'))\n"
        "print(bad)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_ruff_is_clean():
    ruff = BIN / "ruff"
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert exe, "ruff is not installed (pip install -e '.[dev]')"
    res = subprocess.run([exe, "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stdout


def test_comments_cite_primary_sources_not_private_notes():
    """A reader of the repository cannot open notes outside it: cite the standard, paper,
    vendor page or the measurement in docs/ instead."""
    found = []
    for path in [*ROOT.glob("**/*.py"), *ROOT.glob("docs/**/*.md"), *ROOT.glob("*.md"),
                 *ROOT.glob("resources/**/*.toml")]:
        if any(part in (".venv", "build", "dist", "node_modules") for part in path.parts):
            continue
        if path.resolve() == Path(__file__).resolve():
            continue
        if "FIELD_NOTES" in path.read_text(encoding="utf-8", errors="replace"):
            found.append(str(path.relative_to(ROOT)))
    assert found == []
