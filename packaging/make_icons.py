"""Render the app icon from ``resources/icons/techcheck.svg`` into every format the platforms
want: PNGs (Linux desktop files and the window icon), ``.ico`` (Windows executables) and
``.icns`` (macOS app bundles).

Qt's SVG renderer draws the sizes (it is already a dependency, so the icon looks exactly as
the app renders it); Pillow, which fpdf2 already brings, writes the ICO and ICNS containers.
Run it after editing the SVG and commit the results:

    .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(svg: Path, size: int) -> bytes:
    """PNG bytes of the SVG drawn at ``size`` × ``size`` pixels, antialiased."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons"])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def make_all(svg: Path = ICONS / "techcheck.svg", out: Path = ICONS) -> list[Path]:
    from PIL import Image

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out.mkdir(parents=True, exist_ok=True)
    images = {}
    written = []
    for size in sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES)):
        images[size] = Image.open(io.BytesIO(render(svg, size))).convert("RGBA")
    for size in PNG_SIZES:
        path = out / f"techcheck-{size}.png"
        images[size].save(path, optimize=True)
        written.append(path)
    main_png = out / "techcheck.png"
    images[256].save(main_png, optimize=True)
    written.append(main_png)
    ico = out / "techcheck.ico"
    images[256].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    written.append(ico)
    icns = out / "techcheck.icns"
    images[1024].save(icns, format="ICNS",
                      append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    written.append(icns)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--svg", type=Path, default=ICONS / "techcheck.svg")
    parser.add_argument("--out", type=Path, default=ICONS)
    args = parser.parse_args(argv)
    for path in make_all(args.svg, args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  "
              f"{path.stat().st_size / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
