"""Make the tests import the checkout they run in.

The folders ``app/``, ``checks/`` and ``resources/`` are imported as ``techcheck.app``,
``techcheck.checks`` and ``techcheck.resources`` (pyproject.toml maps them; see
tests/app/test_namespace.py). Python finds those names through the installed distribution, so in a
second checkout (a git worktree) whose own code is not the one installed, the tests would
silently test the installed checkout instead.

``use_this_checkout`` notices that and puts a small shim first on ``sys.path`` and on
``PYTHONPATH`` (for the subprocesses the tests start): ``.cache/devshim/techcheck/`` holding
links to this checkout's three folders. It is a plain folder layout, the same shape as the
installed wheel, so every importer (PyInstaller's analysis included) sees the same thing.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path

FOLDERS = ("app", "checks", "resources")


def _imported_from(root: Path) -> bool:
    spec = importlib.util.find_spec("techcheck.checks")
    origin = spec.origin if spec is not None else None
    return origin is not None and Path(origin).resolve().is_relative_to(root)


def use_this_checkout(root: Path) -> Path | None:
    """Import ``techcheck`` from ``root``; returns the shim folder when one was needed."""
    try:
        if _imported_from(root):
            return None
    except ImportError:
        pass  # not installed at all: the shim makes it importable
    for name in [m for m in sys.modules if m == "techcheck" or m.startswith("techcheck.")]:
        del sys.modules[name]
    shim = root / ".cache" / "devshim"
    package = shim / "techcheck"
    package.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        link = package / folder
        if not link.is_symlink():
            try:
                link.symlink_to(root / folder, target_is_directory=True)
            except OSError as exc:
                raise RuntimeError(
                    f"the installed techcheck is not this checkout ({root}) and no link could "
                    f"be made to it ({exc}); install this checkout: pip install -e .") from exc
    sys.path.insert(0, str(shim))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(shim), os.environ.get("PYTHONPATH")) if p)
    importlib.invalidate_caches()
    if not _imported_from(root):
        raise RuntimeError(f"could not make the tests import {root}; install it: pip install -e .")
    return shim
