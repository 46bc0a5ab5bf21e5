"""What the screenshot tours share (tests/gui_tour.py, tests/callpreview_tour.py,
tests/brand_shot.py): the app's window in demo mode with its own settings, waiting while the
event loop runs, a real click, and grabbing the window from the screen as a person sees it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def private_user_dirs(root: Path) -> None:
    """Settings, history, logs and caches of this tour in ``root``, never the user's own.
    Call before the app's modules are imported (they read these at import)."""
    import os

    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        os.environ.setdefault(var, str(root / sub))


def demo_window(ini: Path, lang: str = "en", role: str = "it", size: tuple[int, int] | None = None,
                demo_mode: str = "on") -> Any:
    """A shown ``MainWindow`` in demo mode (``demo_mode="auto"``: a newcomer's, offered when
    a device is missing) with settings kept in ``ini``; ``size`` is clamped to the screen (a
    scaled screen has fewer logical pixels)."""
    from PySide6.QtCore import QSettings

    from techcheck.app.gui import settings as S
    from techcheck.app.gui.window import MainWindow

    settings = S.Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    settings.set(S.DEMO_MODE, demo_mode)
    settings.set(S.LANGUAGE, lang)
    settings.set(S.ROLE, role)
    w = MainWindow(settings)
    if size is not None:
        avail = w.screen().availableGeometry()
        w.resize(min(size[0], avail.width() - 20), min(size[1], avail.height() - 20))
    w.show()
    return w


def wait(app: Any, cond, timeout: float) -> bool:
    """Run the event loop until ``cond()`` holds (True) or ``timeout`` seconds pass (False)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def click(button: Any) -> None:
    """A real mouse click in the middle of ``button``."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


def grab(w: Any, path: Path) -> Any:
    """The window with its frame, from the screen (on Xvfb: what a person would see)."""
    g = w.frameGeometry()
    pixmap = w.screen().grabWindow(0, g.x(), g.y(), g.width(), g.height())
    pixmap.save(str(path))
    return pixmap
