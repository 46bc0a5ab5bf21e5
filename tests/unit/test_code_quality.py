"""Architecture and style rules that keep the code base one thing: the engine free of Qt,
ruff clean."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.archguard import Checkout, planted_copy, this_checkout
from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def lint_imports(checkout: Checkout) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts (pyproject.toml) on ``checkout``'s code, without its cache."""
    exe = BIN / "lint-imports"
    if not exe.exists():
        pytest.fail("import-linter is not installed (pip install -e '.[dev]')")
    return subprocess.run([str(exe), "--no-cache"], cwd=checkout.root, env=checkout.env(),
                          capture_output=True, text=True, timeout=300)


def test_import_linter_contracts_qt_free_engine_and_layers():
    res = lint_imports(this_checkout())
    assert res.returncode == 0, res.stdout + res.stderr
    assert "2 kept, 0 broken" in res.stdout
    # Both contracts ran: Qt-free engine, and the layers app.gui > app.commands > app.report
    # > checks (a module may import only from layers below it).
    assert "never import Qt or the app KEPT" in res.stdout
    assert "Layers:" in res.stdout


QT_FREE, LAYERS = "never import Qt or the app", "the commands the report, the report the engine"


@pytest.mark.parametrize(("module", "source", "contract"), [
    ("checks/system/planted.py", "from PySide6 import QtCore\n", QT_FREE),
    ("checks/system/planted.py", "import techcheck.app.demo\n", QT_FREE),
    ("app/report/planted.py", "from techcheck.app.gui import style\n", LAYERS),
    ("app/commands/planted.py", "import techcheck.app.gui.session\n", LAYERS),
])
def test_import_linter_catches_a_planted_violation(tmp_path, module, source, contract):
    """The contracts' twin: a copy of the code with one forbidden import breaks the contract
    it belongs to, and import-linter says which module did it."""
    copy = planted_copy(tmp_path)
    copy.write(module, source)
    res = lint_imports(copy)
    assert res.returncode != 0, res.stdout
    assert "1 kept, 1 broken" in res.stdout, res.stdout
    said = " ".join(res.stdout.split())  # import-linter wraps long contract names
    assert f"{contract} BROKEN" in said, res.stdout
    other = LAYERS if contract == QT_FREE else QT_FREE
    assert f"{other} KEPT" in said, res.stdout
    planted = "techcheck." + module.removesuffix(".py").replace("/", ".")
    assert planted in res.stdout


def engine_imports_at_run_time(checkout: Checkout) -> tuple[list[str], int]:
    """Import every module of the engine and discover the plug-ins in a fresh interpreter;
    the Qt and ``techcheck.app`` modules that were then loaded, and how many engine modules
    were imported (so the guard cannot pass by importing nothing)."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import techcheck.checks as engine\n"
        "for m in pkgutil.walk_packages(engine.__path__, 'techcheck.checks.'):\n"
        "    importlib.import_module(m.name)\n"
        "from techcheck.checks import registry\n"
        "registry.discover()\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('PySide6', 'shiboken6', 'PyQt5', 'PyQt6') or n.startswith('techcheck.app'))\n"
        "mine = [n for n in sys.modules if n.startswith('techcheck.checks.')]\n"
        "print(json.dumps([bad, len(mine)]))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=checkout.root, env=checkout.env(),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    bad, count = json.loads(res.stdout.strip().splitlines()[-1])
    return bad, count


def _engine_modules(root: Path) -> int:
    return sum(1 for p in (root / "checks").rglob("*.py") if p.name != "__init__.py"
               and "__pycache__" not in p.parts)


def test_importing_every_check_module_loads_no_qt():
    """Belt and braces for what import-linter cannot see: imports made at run time."""
    bad, count = engine_imports_at_run_time(this_checkout())
    assert bad == []
    assert count >= _engine_modules(ROOT)  # every engine module was really imported


def test_the_run_time_guard_catches_an_engine_module_importing_the_app(tmp_path):
    """Its twin: an engine module that reaches the app by ``importlib`` at run time (invisible
    to import-linter, which reads import statements) is caught. The old version of this test
    imported the engine as top-level ``checks`` and looked for ``app``: this passed it."""
    copy = planted_copy(tmp_path)
    copy.write("checks/system/planted.py",
               "import importlib\nimportlib.import_module('techcheck.' + 'app.demo')\n")
    assert lint_imports(copy).returncode == 0  # the static contracts cannot see it
    bad, _count = engine_imports_at_run_time(copy)
    assert "techcheck.app.demo" in bad


def ruff(checkout: Checkout, *args: str) -> subprocess.CompletedProcess[str]:
    """``ruff check`` with ``checkout``'s own pyproject.toml."""
    exe = BIN / "ruff"
    found = str(exe) if exe.exists() else shutil.which("ruff")
    assert found, "ruff is not installed (pip install -e '.[dev]')"
    return subprocess.run([found, "check", "--no-cache", *args, "."], cwd=checkout.root,
                          capture_output=True, text=True, timeout=120)


def test_ruff_is_clean():
    res = ruff(this_checkout())
    assert res.returncode == 0, res.stdout


def test_no_function_is_more_complex_than_15():
    """McCabe complexity at most 15 everywhere (pyproject: C90, max-complexity): the rule is
    in the configuration ruff reads, so `ruff check` alone enforces it."""
    res = ruff(this_checkout(), "--select", "C901", "--output-format", "concise")
    assert res.returncode == 0, res.stdout
    assert "C90" in str(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
                        ["lint"]["select"])


def test_the_complexity_limit_catches_a_planted_function(tmp_path):
    """Its twin: a function of complexity 16 (fifteen branches), planted in a copy, fails plain
    `ruff check` (the configured rule set, not only an explicit --select)."""
    copy = planted_copy(tmp_path)
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(15))
    copy.write("checks/planted.py", f'"""Planted."""\n\n\ndef tangled(x: int) -> int:\n'
                                    f"{branches}    return -1\n")
    res = ruff(copy, "--output-format", "concise")
    assert res.returncode != 0
    assert "checks/planted.py" in res.stdout and "C901" in res.stdout, res.stdout
    assert "(16 > 15)" in res.stdout


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
