"""Opens the real app on an X server with a branded invitation and grabs the Start page from the
screen: ``python -m tests.brand_shot INVITATION.toml OUT.png``. Prints a JSON summary (the Qt
platform, the brand shown, where its logo is in the picture) as its last line. Run by
tests/app/test_gui_brand.py under Xvfb; its picture is docs/screenshots/start-branded.png."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    invitation, out = Path(argv[0]), Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="brand-shot-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from techcheck.app import logsetup
    from techcheck.app.gui import theme
    from tests import tour_kit

    logsetup.setup(stderr=False)
    app = QApplication([sys.argv[0]])
    theme.apply(app, dark=None)
    w = tour_kit.demo_window(home / "settings.ini", "en", "candidate")
    w.resize(980, 720)

    def wait(cond, timeout: float) -> bool:
        return tour_kit.wait(app, cond, timeout)

    if not wait(lambda: w._loaded, 60):
        print("the window did not load", file=sys.stderr)
        return 1
    task = w.open_invitation(str(invitation))
    finished = []
    task.finished.connect(lambda *_a: finished.append(True))
    if not wait(lambda: bool(finished) and w.start.brand_banner.isVisible(), 20):
        print("the invitation did not open", file=sys.stderr)
        return 1
    wait(lambda: False, 0.4)  # let the window repaint on the X server
    g = w.frameGeometry()
    pixmap = tour_kit.grab(w, out)
    logo = w.start.brand_banner.logo
    top_left = logo.mapTo(w, logo.rect().topLeft())
    inset = w.mapToGlobal(w.rect().topLeft()) - g.topLeft()  # the frame around the contents
    dpr = pixmap.devicePixelRatio()
    box = [round((top_left.x() + inset.x()) * dpr), round((top_left.y() + inset.y()) * dpr),
           round(logo.width() * dpr), round(logo.height() * dpr)]
    summary = {"platform": QGuiApplication.platformName(), "file": str(out),
               "brand": w.start.brand_banner.name.text(), "logo": box}
    w.close()
    app.processEvents()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
