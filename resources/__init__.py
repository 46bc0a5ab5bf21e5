"""Data files that ship with TechCheck: profiles, translations, schemas, icons, models, demo media.

Located relative to this package so that an installed wheel, a source checkout and a
PyInstaller bundle (which sets ``sys._MEIPASS`` and keeps the package layout) all find them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Absolute path of a bundled resource, e.g. ``path("profiles", "teams.toml")``."""
    return ROOT.joinpath(*parts)
