"""Dark mode that follows the system. Where the platform reports a dark colour scheme but its
style keeps a light palette (plain X11 without a platform theme, some Linux desktops), a dark
Fusion palette is applied so that every widget, and our own painted ones, read right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from techcheck.app.gui import style
from techcheck.app.gui.widgets.status import is_dark


def dark_palette() -> QPalette:
    p = QPalette()
    R, C = QPalette.ColorRole, QColor
    for role, colour in ((R.Window, "#202124"), (R.WindowText, "#e8eaed"), (R.Base, "#17181a"),
                         (R.AlternateBase, "#26282b"), (R.Text, "#e8eaed"), (R.Button, "#2b2d31"),
                         (R.ButtonText, "#e8eaed"), (R.Highlight, "#3d7bd9"),
                         (R.HighlightedText, "#ffffff"), (R.ToolTipBase, "#2b2d31"),
                         (R.ToolTipText, "#e8eaed"), (R.PlaceholderText, "#9aa0a6"),
                         (R.Link, "#8ab4f8"), (R.Mid, "#5f6368"), (R.Light, "#3c4043"),
                         (R.Dark, "#101113"), (R.Shadow, "#000000"), (R.BrightText, "#ffffff")):
        p.setColor(role, C(colour))
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, C("#80868b"))
    return p


def apply(app: QApplication, dark: bool | None = None) -> None:
    """Match the palette to the system's colour scheme now and whenever it changes
    (``dark`` forces one: tests, and platforms that report no scheme)."""

    def sync() -> None:
        want_dark = dark if dark is not None else (
            app.styleHints().colorScheme() == Qt.ColorScheme.Dark)
        if want_dark and not is_dark(app.palette()):
            app.setStyle(QStyleFactory.create("Fusion"))
            app.setPalette(dark_palette())
        elif not want_dark and getattr(app, "_techcheck_dark", False):
            app.setPalette(app.style().standardPalette())
        app._techcheck_dark = want_dark and is_dark(app.palette())  # type: ignore[attr-defined]
        style.install(app)  # the accent follows the palette

    sync()
    app.styleHints().colorSchemeChanged.connect(lambda _s: sync())
