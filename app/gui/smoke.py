"""The main window's part of ``techcheck selftest``: create it offscreen, let it discover
plug-ins and devices, close it. It lives with the GUI because the commands sit below the GUI in
the layers contract (pyproject.toml); ``techcheck.app.cli`` hands it to the self-test when the GUI is
installed.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time

from techcheck.app.commands.selftest import Row

log = logging.getLogger("techcheck.selftest")

GUI_TIMEOUT_S = 30.0


def gui_smoke(timeout_s: float = GUI_TIMEOUT_S) -> Row:
    """Create the main window offscreen, let it discover plug-ins and devices, close it."""
    start = time.monotonic()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtCore import QSettings, QTimer, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        from techcheck.app.gui import settings as S
        from techcheck.app.gui.window import MainWindow
    except Exception as exc:  # a missing Qt plug-in or library shows up here in a bundle
        log.exception("cannot import the GUI")
        return Row("gui", "Main window", "error", False, time.monotonic() - start,
                   f"cannot import the GUI: {type(exc).__name__}: {exc}")
    # Qt's chatter (the offscreen platform's "does not support propagateSizeHints") goes to the
    # log, not into the table IT support reads.
    previous = qInstallMessageHandler(lambda _mode, _ctx, msg: log.info("qt: %s", msg))
    try:
        return _gui_smoke(QApplication, QSettings, QTimer, S, MainWindow, start, timeout_s)
    finally:
        qInstallMessageHandler(previous)


def _gui_smoke(QApplication, QSettings, QTimer, S, MainWindow, start: float, timeout_s: float) -> Row:
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "techcheck"])
    with tempfile.TemporaryDirectory(prefix="techcheck-selftest-") as tmp:
        # A settings file of its own: the self-test must not change the user's choices.
        qs = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        try:
            window = MainWindow(S.Settings(qs))
        except Exception as exc:
            log.exception("cannot create the main window")
            return Row("gui", "Main window", "error", False, time.monotonic() - start,
                       f"cannot create the main window: {type(exc).__name__}: {exc}")
        state = {"ready": False}
        ready = getattr(window, "ready", None)
        if ready is not None:
            ready.connect(lambda: state.update(ready=True))
        window.show()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not (state["ready"] or ready is None):
            app.processEvents()
            time.sleep(0.01)
        shown = window.isVisible()
        QTimer.singleShot(0, window.close)
        close_deadline = time.monotonic() + 10
        while window.isVisible() and time.monotonic() < close_deadline:
            app.processEvents()
            time.sleep(0.01)
        closed = not window.isVisible()
        window.deleteLater()
        app.processEvents()
    seconds = time.monotonic() - start
    platform_name = app.platformName()
    if not shown:
        return Row("gui", "Main window", "error", False, seconds, "the window did not show")
    if ready is not None and not state["ready"]:
        return Row("gui", "Main window", "error", False, seconds,
                   f"plug-ins and devices not loaded within {timeout_s:.0f} s")
    if not closed:
        return Row("gui", "Main window", "error", False, seconds, "the window did not close")
    return Row("gui", "Main window", "pass", True, seconds,
               f"shown and closed ({platform_name})")
