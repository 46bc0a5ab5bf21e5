"""Spacing, type sizes and button roles for every page, from one place.

Pages never pick their own margins or font sizes: they ask for a role (``heading``, ``verdict``,
``lead``…) and mark their buttons ``primary`` or secondary. One primary button per page, in the
accent colour and the page's default button, is what the pre-join screens of Teams, Meet and
Zoom do: the eye finds the next step at once ("Join now"), everything else is quieter."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLayout, QPushButton, QWidget

#: Outer margins of a page's content and of its action bar, and the gap between blocks.
PAGE_MARGIN = 24
PAGE_MARGIN_V = 18
GAP = 12
SMALL_GAP = 6

#: Type scale relative to the application font (a ratio, so the person's system font size
#: and the screen scale carry through).
TYPE_SCALE = {
    "small": 0.85,
    "body": 1.0,
    "lead": 1.15,   # the live camera state, the microphone's sentence
    "heading": 1.6,  # page titles
    "verdict": 2.0,  # the one verdict on Results
}

ACCENT = {"light": "#1a63c9", "dark": "#5b9bf0"}
ACCENT_TEXT = {"light": "#ffffff", "dark": "#0b1320"}

PRIMARY = "primary"


def font(role: str, base: QFont | None = None, bold: bool | None = None) -> QFont:
    """The application font scaled for ``role`` (headings and the verdict are bold)."""
    f = QFont(base if base is not None else QApplication.font())
    size = f.pointSizeF() if f.pointSizeF() > 0 else 10.0
    f.setPointSizeF(size * TYPE_SCALE[role])
    f.setBold(role in ("heading", "verdict") if bold is None else bold)
    return f


def set_font(widget: QWidget, role: str, bold: bool | None = None) -> None:
    widget.setFont(font(role, widget.font(), bold))


def page_layout(layout: QLayout) -> None:
    layout.setContentsMargins(PAGE_MARGIN, PAGE_MARGIN_V, PAGE_MARGIN, PAGE_MARGIN_V)
    layout.setSpacing(GAP)


def action_bar_layout(layout: QLayout) -> None:
    layout.setContentsMargins(PAGE_MARGIN, SMALL_GAP, PAGE_MARGIN, GAP)
    layout.setSpacing(SMALL_GAP)


def mark_primary(button: QPushButton, primary: bool = True) -> None:
    """The page's one main action: accent colour and the default button (Enter presses it)."""
    button.setProperty("role", PRIMARY if primary else "")
    button.setDefault(primary)
    button.setAutoDefault(primary)
    button.style().unpolish(button)
    button.style().polish(button)


def is_primary(button: QPushButton) -> bool:
    return button.property("role") == PRIMARY


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def stylesheet(palette: QPalette) -> str:
    """Only what the platform style does not do: the primary button's accent fill."""
    mode = "dark" if _is_dark(palette) else "light"
    accent = QColor(ACCENT[mode])
    hover = accent.lighter(112) if mode == "light" else accent.lighter(108)
    pressed = accent.darker(115)
    return f"""
QPushButton[role="primary"] {{
    background-color: {accent.name()};
    color: {ACCENT_TEXT[mode]};
    border: 1px solid {accent.darker(120).name()};
    border-radius: 5px;
    padding: 7px 18px;
    font-weight: bold;
}}
QPushButton[role="primary"]:hover {{ background-color: {hover.name()}; }}
QPushButton[role="primary"]:pressed {{ background-color: {pressed.name()}; }}
QPushButton[role="primary"]:disabled {{
    background-color: {palette.color(QPalette.ColorRole.Button).name()};
    color: {palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText).name()};
    border: 1px solid {palette.color(QPalette.ColorRole.Mid).name()};
}}
"""


def install(app: QApplication) -> None:
    """Apply the style sheet for the current palette (again after a palette change), over the
    platform's style with check boxes that can be seen (``indicators``)."""
    from techcheck.app.gui import indicators

    indicators.install(app)
    app.setStyleSheet(stylesheet(app.palette()))
