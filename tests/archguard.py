"""What the architecture tests share: each guard is a function of a checkout, so the same
function that passes on this checkout can be shown failing on a copy with a planted violation.

``planted_copy`` copies ``app/`` and ``checks/`` (small: source only) to a temporary folder,
links ``resources/`` (large and read-only here), and makes the copy importable as
``techcheck`` through a shim folder of its own, the same layout ``tests/checkout.py`` uses.
``env_for`` is the environment that makes a child process import a given checkout.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

COPIED = ("app", "checks")


@dataclass
class Checkout:
    root: Path  # the folder holding app/, checks/, resources/ and pyproject.toml
    shim: Path | None  # folder to put first on PYTHONPATH (None: the installed one is right)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a child process that must import this checkout's code."""
        env = {**os.environ, **extra}
        if self.shim is not None:
            env["PYTHONPATH"] = str(self.shim)  # this one only: not the live checkout's shim
        return env

    def write(self, relative: str, text: str) -> Path:
        """Plant a file (a new module, or a changed one) in the copy."""
        assert self.root != ROOT, "plant violations in a copy, never in the checkout"
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def append(self, relative: str, text: str) -> Path:
        path = self.root / relative
        return self.write(relative, path.read_text(encoding="utf-8") + text)


def this_checkout() -> Checkout:
    """The code under test; tests/conftest.py already made child processes import it."""
    return Checkout(ROOT, None)


def planted_copy(tmp: Path) -> Checkout:
    """A copy of the source to plant a violation in, importable as ``techcheck``."""
    root = tmp / "checkout"
    root.mkdir()
    for folder in COPIED:
        shutil.copytree(ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (root / "resources").symlink_to(ROOT / "resources", target_is_directory=True)
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    shim = tmp / "shim"
    (shim / "techcheck").mkdir(parents=True)
    for folder in (*COPIED, "resources"):
        (shim / "techcheck" / folder).symlink_to(root / folder, target_is_directory=True)
    return Checkout(root, shim)
