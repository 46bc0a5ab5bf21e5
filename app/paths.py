"""Where TechCheck keeps its own files (platformdirs: XDG on Linux, AppData, Library)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "techcheck"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))
