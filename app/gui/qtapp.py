"""The running QApplication, typed. Qt declares ``QApplication.instance()`` as the base class
``QCoreApplication | None``; the GUI always runs inside a QApplication, so these say so once
(and fail with a clear message, not an AttributeError, if it does not)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def application() -> QApplication:
    """The QApplication this process runs."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the GUI needs a QApplication, and none was created")
    return app


def application_or_new() -> QApplication:
    """The running QApplication, or a new one named after this program."""
    if QApplication.instance() is None:
        return QApplication([sys.argv[0] if sys.argv else "techcheck"])
    return application()
