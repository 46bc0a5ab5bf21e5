"""The app's look that comes from files: its icon, and the bundled fonts as a fallback.

Fonts: the system's own font is what people expect, so the bundled DejaVu Sans is registered
only when Qt finds no usable font family at all (a minimal container, a kiosk image, a broken
fontconfig), where every text would otherwise be drawn as nothing. Checking costs ~3 ms, the
font database is loaded for the first text anyway.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication, QIcon

from techcheck import resources

log = logging.getLogger("techcheck.gui")

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
BUNDLED_FAMILY = "DejaVu Sans"


def icon() -> QIcon:
    """TechCheck's icon with a bitmap for every common size (Qt picks the nearest per scale)."""
    ic = QIcon()
    for size in ICON_SIZES:
        p = resources.path("icons", f"techcheck-{size}.png")
        if p.exists():
            ic.addFile(str(p))
    if ic.isNull():
        ic.addFile(str(resources.path("icons", "techcheck.png")))
    return ic


def has_usable_font() -> bool:
    """Whether the default font resolves to a real family (fontconfig's aliases alone, as on a
    system without fonts, resolve to an empty family name)."""
    return bool(QFontInfo(QFont()).family())


def ensure_fonts(app: QGuiApplication) -> bool:
    """Register the bundled fonts and use them when the system has none; True if it did."""
    if has_usable_font():
        return False
    loaded = []
    for ttf in sorted(resources.path("fonts").glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(ttf)) >= 0:
            loaded.append(ttf.name)
    if not loaded:
        log.error("no usable font on this system and the bundled fonts did not load")
        return False
    font = QFont(BUNDLED_FAMILY)
    font.setPointSizeF(app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0)
    app.setFont(font)
    log.info("no system font found: using the bundled %s (%s)", BUNDLED_FAMILY,
             ", ".join(loaded))
    return True


def apply(app: QGuiApplication) -> None:
    """Icon and fonts for the whole application (before the first window is built)."""
    app.setWindowIcon(icon())
    ensure_fonts(app)
