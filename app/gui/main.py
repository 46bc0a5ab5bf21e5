"""``techcheck`` without arguments: the desktop app.

Start-up is kept short: only Qt and the GUI's own modules are imported before the window
shows; the check plug-ins (OpenCV, sounddevice…) are discovered in a worker right after."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

_T0 = time.time()


def main(argv: Sequence[str] | None = None) -> int:
    """Open the app; returns the process exit status. A file argument is a recruiter's
    invitation to open (``techcheck invite.toml``, or a double-click on one)."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args or "--verbose" in args
    files = [a for a in args if not a.startswith("-")]
    from techcheck.app import logsetup

    logsetup.setup(verbose=verbose)
    problem = no_display_problem(os.environ, sys.platform)
    if problem:  # `techcheck` checks in the terminal instead (app.cli); this is a direct call
        print(f"techcheck: {problem}: the app cannot open; check in the terminal with "
              "'techcheck run' (see 'techcheck --help').", file=sys.stderr)
        from techcheck.checks.model import ExitCode

        return ExitCode.COULD_NOT_RUN
    from PySide6.QtCore import QTimer

    from techcheck.app.gui import settings as S
    from techcheck.app.gui.qtapp import application_or_new
    from techcheck.app.gui.window import MainWindow

    app = application_or_new()
    app.setApplicationName("TechCheck")
    app.setOrganizationName("TechCheck")
    app.setDesktopFileName("techcheck")
    from techcheck.app.gui import appicon, theme

    appicon.apply(app)  # icon and, on a system without fonts, the bundled ones
    theme.apply(app)
    settings = S.Settings()
    window = MainWindow(settings)
    if files:
        window.open_invitation(files[0])
    probe = os.environ.get("TECHCHECK_STARTUP_PROBE")
    if probe:
        _install_probe(window, probe)
    window.show()
    if os.environ.get("TECHCHECK_QUIT_AFTER_MS"):
        QTimer.singleShot(int(os.environ["TECHCHECK_QUIT_AFTER_MS"]), window.close)
    return int(app.exec())


def no_display_problem(env, platform: str) -> str | None:
    """Why the window cannot open, or ``None``. On Linux without a display Qt aborts with a
    misleading message about xcb libraries: this says plainly what is wrong instead."""
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return "no desktop session (DISPLAY and WAYLAND_DISPLAY are not set)"


def _install_probe(window, where: str) -> None:
    """For bench/bench_startup.py and the start-up import guard (tests/app/test_startup.py): write
    the wall-clock time when the window is first exposed and painted (with the time ``main``
    was imported and the processor time used so far), then the names of the modules that
    were imported when it was first exposed (one a line), then quit."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt

    class Probe(QObject):
        def __init__(self, parent: QObject) -> None:
            super().__init__(parent)
            self.loaded: list[str] = []

        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Expose and obj.isExposed():
                obj.removeEventFilter(self)
                self.loaded = sorted(sys.modules)
                # The widgets paint while the expose event is handled, just after this filter;
                # a posted event of high priority is delivered next, before the timers the
                # window set for its work after the first paint (a zero timer here would come
                # after theirs and time their work too).
                QCoreApplication.postEvent(self, QEvent(QEvent.Type.User),
                                           Qt.EventPriority.HighEventPriority.value)
            return False

        def event(self, event: QEvent) -> bool:
            if event.type() == QEvent.Type.User:
                self.done()
                return True
            return super().event(event)

        def done(self) -> None:
            shown = time.time()
            with open(where, "w", encoding="utf-8") as fh:
                fh.write(f"{shown:.6f} {_T0:.6f} {time.process_time():.6f}\n")
                fh.writelines(f"{name}\n" for name in self.loaded)
            window.close()

    window.winId()  # create the native window so its QWindow exists
    probe = Probe(window)
    window.windowHandle().installEventFilter(probe)
