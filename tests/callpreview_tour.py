"""Screenshots of "As they will see and hear you" in the real app in demo mode, grabbed from the
screen (so under Xvfb they are what a person sees): the camera and connection checked by
pressing their buttons, then the view on the Connection page, the "what if" sliders moved with
the keyboard, and the view on the Results page.

    python -m tests.callpreview_tour OUTDIR [--lang sv] [--prefix NAME]

Run by tests/app/test_gui_xvfb.py into tests/artifacts/; docs/screenshots/ holds a run of it.
Prints a JSON summary on its last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--prefix", default="call-preview")
    args = ap.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    from tests import tour_kit

    tour_kit.private_user_dirs(out / f"{args.prefix}-xdg")

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QSlider, QToolButton

    from techcheck.app import logsetup
    from techcheck.app.gui import tasks, theme

    logsetup.setup(stderr=False)
    app = QApplication([sys.argv[0]])
    theme.apply(app)
    w = tour_kit.demo_window(out / f"{args.prefix}.ini", args.lang, "it", (1100, 860))
    summary: dict = {"platform": QGuiApplication.platformName(), "pages": {}}

    def wait(cond, timeout: float) -> bool:
        return tour_kit.wait(app, cond, timeout)

    def shot(name: str) -> None:
        for _ in range(10):
            app.processEvents()
            time.sleep(0.02)
        path = out / f"{args.prefix}-{name}.png"
        tour_kit.grab(w, path)
        summary["pages"][name] = str(path)

    click = tour_kit.click

    def slider(view, name: str) -> QSlider:
        found = [s for s in view.findChildren(QSlider) if s.accessibleName() == name]
        assert len(found) == 1, name
        return found[0]

    wait(lambda: w._loaded, 60)
    for key in ("camera", "network"):
        w.go(key)
        page = w.pages[key]
        click(page.panel.run_button)
        wait(lambda page=page: not page.panel.running, 120)
    net = w.pages["network"]
    view = net.preview_slot.view
    wait(lambda: view.isVisible() and view.model_view.frames_shown >= 10, 30)
    summary["network_page_frames"] = view.model_view.frames_shown
    summary["measured"] = view.numbers.text()
    summary["said"] = view.summary.text()
    net.scroll_area.ensureWidgetVisible(view.model_view)
    shot("connection-measured")
    # the numbers behind it, opened by the mouse as a person would
    details = {"en": "The numbers behind it", "sv": "Siffrorna bakom"}[args.lang]
    found = [b for b in view.findChildren(QToolButton) if b.accessibleName() == details]
    assert len(found) == 1, details
    click(found[0])
    summary["details_open"] = view.numbers.isVisible()
    # What if: a weak upload and a lossy Wi-Fi, by keyboard as a person would.
    names = {"en": ("What if: upload speed", "What if: packet loss"),
             "sv": ("Tänk om: uppladdningshastighet", "Tänk om: paketförlust")}[args.lang]
    up, loss = slider(view, names[0]), slider(view, names[1])
    up.setFocus()
    QTest.keyClick(up, Qt.Key.Key_Home)  # 0.05 Mbit/s …
    for _ in range(12):  # … then up to 0.2 Mbit/s: 360p at 12 fps, narrowband sound
        QTest.keyClick(up, Qt.Key.Key_Right)
    loss.setFocus()
    for _ in range(10):  # 5 % loss
        QTest.keyClick(loss, Qt.Key.Key_Right)
    shown = view.model_view.frames_shown
    wait(lambda: view.model_view.frames_shown >= shown + 40, 30)
    summary["what_if"] = view.numbers.text()
    summary["said_what_if"] = view.summary.text()
    net.scroll_area.ensureWidgetVisible(view.model_view)
    shot("connection-what-if")
    net.scroll_area.ensureWidgetVisible(view.save_button)
    shot("connection-what-if-numbers")
    w.go("results")
    res = w.pages["results"]
    # the view is built once the page has painted (the verdict and the cards first)
    wait(lambda: res.preview_slot.view is not None and res.preview_slot.view.isVisible()
         and res.preview_slot.view.model_view.frames_shown >= 10, 30)
    rview = res.preview_slot.view
    summary["results_page_frames"] = rview.model_view.frames_shown
    res.scroll_area.ensureWidgetVisible(rview.play_button)
    shot("results")
    w.close()
    wait(lambda: not tasks.running_tasks(), 10)
    summary["left_running"] = [t.name for t in tasks.running_tasks()]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
