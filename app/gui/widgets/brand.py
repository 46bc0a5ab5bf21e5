"""The recruiting organisation's brand at the top of the Start page: its logo, name (in its
accent colour when that is readable) and short welcome, from the invitation's ``[brand]``
table (already validated by ``techcheck.app.brand``). Self-contained: the Start page only calls
``show_brand``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

if TYPE_CHECKING:  # the brand model (and its invitation checks) loads with a brand
    from techcheck.app.brand import Brand


LOGO_HEIGHT = 48  # device-independent pixels
#: The logo is drawn into a box of LOGO_WIDTH × LOGO_HEIGHT whatever its proportions: a
#: viewBox a million times wider than high would otherwise be an image of 48 million pixels
#: in width (gigabytes, issue 21). 4:1 holds a word mark beside its symbol.
LOGO_WIDTH = 4 * LOGO_HEIGHT


def fit(width: float, height: float, box_w: int, box_h: int) -> QSize:
    """``width`` × ``height`` scaled to fit inside ``box_w`` × ``box_h`` with its proportions
    kept (at least 1 × 1 pixel): the one size rule for every logo."""
    scale = min(box_w / width, box_h / height)
    return QSize(max(1, min(box_w, round(width * scale))), max(1, min(box_h, round(height * scale))))


def logo_pixmap(brand: Brand, height: int = LOGO_HEIGHT, ratio: float = 1.0,
                width: int = LOGO_WIDTH) -> QPixmap | None:
    """The logo scaled to fit ``width`` × ``height``: a PNG through QImage, an SVG drawn by
    QSvgRenderer (which runs no scripts and loads nothing) into an image of that box's size at
    most, so what it draws outside its own area is cut off; None when Qt cannot read it."""
    if not brand.logo:
        return None
    box_w, box_h = max(1, round(width * ratio)), max(1, round(height * ratio))
    if brand.logo_type == "image/svg+xml":
        renderer = QSvgRenderer(QByteArray(brand.logo))
        size = renderer.defaultSize()
        if not renderer.isValid() or size.isEmpty():
            return None
        image = QImage(fit(size.width(), size.height(), box_w, box_h),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        pixmap = QPixmap.fromImage(image)
    else:
        # The stubs declare the format as bytes; PySide6 6.6-6.11 accepts only str there.
        image = QImage.fromData(QByteArray(brand.logo), "PNG")  # type: ignore[arg-type]
        if image.isNull():
            return None
        pixmap = QPixmap.fromImage(image).scaled(
            fit(image.width(), image.height(), box_w, box_h),
            Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class BrandBanner(QFrame):
    """Hidden until an invitation with a brand is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("brandBanner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        self.logo = QLabel(self)  # decorative: the name is read out beside it
        row.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        self.name = QLabel(self)
        self.welcome = QLabel(self)
        for label in (self.name, self.welcome):
            label.setTextFormat(Qt.TextFormat.PlainText)  # the invitation's text is never markup
            label.setWordWrap(True)
            text.addWidget(label)
        font = self.name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.name.setFont(font)
        row.addLayout(text, 1)
        self.brand: Brand | None = None
        self.setVisible(False)

    def show_brand(self, brand: Brand | None) -> None:
        self.brand = brand
        self.setVisible(brand is not None)
        if brand is None:
            return
        pixmap = logo_pixmap(brand, ratio=self.devicePixelRatioF())
        self.logo.setVisible(pixmap is not None)
        if pixmap is not None:
            self.logo.setPixmap(pixmap)
        self.name.setText(brand.name)
        self.welcome.setText(brand.welcome)
        self.welcome.setVisible(bool(brand.welcome))
        self.setAccessibleName(brand.name)
        self.setAccessibleDescription(brand.welcome)
        # The colours are validated #rrggbb, so they cannot inject anything into the style.
        accent = brand.accent or "palette(mid)"
        self.setStyleSheet(f"#brandBanner {{ border: none; border-left: 4px solid {accent}; }}")
        light = self.palette().window().color().lightness() > 128
        readable = brand.accent and brand.text_colour == brand.accent and light
        self.name.setStyleSheet(f"color: {brand.accent};" if readable else "")
