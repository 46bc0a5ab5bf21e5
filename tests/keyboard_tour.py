"""A new user with the keyboard only, on one screen, in one language (issue 23's "done when"):
every page of the side list is reached with Tab and the arrow keys, its primary button is
wholly on the screen when the page first shows, Return triggers that page's primary action and
what it does is seen, and every Tab stop paints a ring a person can see — the window is grabbed
around the focused widget with and without the focus, and the pixels that differ around it are
counted. Run by tests/app/test_gui_keyboard_screens.py in its own process on an X server of the
screen's size (Qt reads the platform and the scale once per process):

    python -m tests.keyboard_tour OUTDIR [--lang sv] [--role recruiter] [--dark]

Every key press is a real key event sent to the focused widget. Prints a JSON summary on its
last line: per page what was measured, and ``problems`` (empty when everything held).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

#: A Tab stop is "seen" when at least this many device pixels per pixel of the widget's
#: perimeter change colour clearly (sum of |ΔR|+|ΔG|+|ΔB| ≥ RING_DELTA) in the band just
#: outside it when it takes the focus: a ring of 1.5 px all round, WCAG 2.2 asks for 2 CSS px
#: (https://www.w3.org/TR/WCAG22/#focus-appearance; the app draws 2.5 px, anti-aliased).
RING_PER_PERIMETER = 1.5
RING_DELTA = 90
#: A lap through a page's Tab stops ends where it began; never more stops than this.
MAX_STOPS = 60


class Tour:
    """The window, the keyboard, and what was found."""

    def __init__(self, app: Any, window: Any, lang: str) -> None:
        self.app, self.w, self.lang = app, window, lang
        self.problems: list[str] = []
        self.pages: dict[str, dict[str, Any]] = {}

    # --- the event loop and the keyboard ---------------------------------------------------

    def wait(self, cond, timeout: float) -> bool:
        from tests import tour_kit

        return tour_kit.wait(self.app, cond, timeout)

    def settle(self, n: int = 8) -> None:
        for _ in range(n):
            self.app.processEvents()
            time.sleep(0.01)

    def focused(self) -> Any:
        from PySide6.QtWidgets import QApplication

        return QApplication.focusWidget()

    def key(self, key: Any, widget: Any = None) -> None:
        """A key press and release on ``widget`` or the focused widget (the window if none)."""
        from PySide6.QtTest import QTest

        QTest.keyClick(widget or self.focused() or self.w, key)
        self.settle(3)

    def tab_to(self, pred, limit: int = MAX_STOPS) -> Any:
        from PySide6.QtCore import Qt

        for _ in range(limit):
            self.key(Qt.Key.Key_Tab)
            f = self.focused()
            if f is not None and pred(f):
                return f
        return None

    def problem(self, text: str) -> None:
        self.problems.append(f"[{self.lang}] {text}")

    # --- what a page must offer -------------------------------------------------------------

    def primary_on_screen(self, key: str) -> dict[str, Any]:
        """The page's primary button: visible, not clipped, inside the screen's available area,
        and the window's frame inside it too."""
        from PySide6.QtCore import QRect

        page = self.w.current_page()
        b = page.primary
        found: dict[str, Any] = {"primary": b.accessibleName() if b is not None else None}
        if b is None or not b.isVisible():
            self.problem(f"{key}: no visible primary button")
            return found
        glob = QRect(b.mapToGlobal(b.rect().topLeft()), b.size())
        avail = self.w.screen().availableGeometry()
        frame = self.w.frameGeometry()
        found.update(button=[glob.x(), glob.y(), glob.width(), glob.height()],
                     frame=[frame.x(), frame.y(), frame.width(), frame.height()],
                     available=[avail.x(), avail.y(), avail.width(), avail.height()],
                     whole=b.visibleRegion().boundingRect() == b.rect())
        if not (avail.contains(glob) and found["whole"]):
            self.problem(f"{key}: primary {found['primary']!r} at {found['button']} is not "
                         f"wholly on the screen {found['available']}")
        if not avail.contains(frame):
            self.problem(f"{key}: the window {found['frame']} leaves the screen "
                         f"{found['available']}")
        return found

    def ring_pixels(self, widget: Any) -> tuple[int, int]:
        """(pixels around ``widget`` that change when it takes the focus, its perimeter), both
        in device pixels: the window grabbed with the focus on it and with no focus at all."""
        import numpy as np
        from PySide6.QtCore import QPoint, QRect, Qt
        from PySide6.QtGui import QImage

        def shot() -> np.ndarray:
            self.settle(3)
            img = self.w.grab(area).toImage().convertToFormat(QImage.Format.Format_RGB32)
            arr = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
            # a copy: the array must not outlive the image whose memory it views
            return arr.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width(),
                                                                        :3].copy()

        pad = 6
        area = QRect(widget.mapTo(self.w, QPoint(0, 0)), widget.size()).adjusted(
            -pad, -pad, pad, pad).intersected(self.w.rect())
        focused = shot().astype(np.int32)
        widget.clearFocus()
        plain = shot().astype(np.int32)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        self.settle(3)
        dpr = focused.shape[1] / max(1, area.width())
        inner = QRect(widget.mapTo(self.w, QPoint(0, 0)) - area.topLeft(), widget.size())
        mask = np.ones(focused.shape[:2], bool)
        x0, y0 = int(inner.x() * dpr), int(inner.y() * dpr)
        x1, y1 = int((inner.x() + inner.width()) * dpr), int((inner.y() + inner.height()) * dpr)
        mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = False  # the widget itself
        changed = (np.abs(focused - plain).sum(axis=2) >= RING_DELTA) & mask
        perimeter = int(2 * (widget.width() + widget.height()) * dpr)
        return int(changed.sum()), perimeter

    def part(self, widget: Any) -> str:
        """Where a Tab stop is: Results' cards, its two buttons, its call preview; the side
        list and Back/Next ("window"); else the page's own."""
        res = self.w.pages["results"]
        if widget is res.export_button:
            return "export"
        if widget is res.run_all_button:
            return "again"
        if res.preview_slot.isAncestorOf(widget):
            return "preview"
        if any(c.isAncestorOf(widget) for c in [*res.cards.values(), res.passed_row]):
            return "card"
        if widget in (self.w.steps, self.w.back_button, self.w.next_button):
            return "window"
        return "page"

    def lap(self, key: str) -> list[dict[str, Any]]:
        """Tab from where the focus is until a stop repeats: each stop on screen, ringed."""
        from PySide6.QtCore import Qt

        stops: list[dict[str, Any]] = []
        seen: list[Any] = []
        for _ in range(MAX_STOPS):
            self.key(Qt.Key.Key_Tab)
            f = self.focused()
            if f is None:
                self.problem(f"{key}: Tab left nothing focused")
                break
            if f in seen:
                if f is not seen[0]:  # Tab goes round inside one widget (a table's cells)
                    self.problem(f"{key}: Tab is trapped in {seen[-1].accessibleName()!r} "
                                 f"({type(seen[-1]).__name__})")
                break
            seen.append(f)
            name = f.accessibleName() or type(f).__name__
            if not f.isVisible() or f.visibleRegion().isEmpty():
                self.settle(20)
                page = self.w.current_page()
                bar = page.scroll_area.verticalScrollBar()
                self.problem(f"{key}: Tab stopped on {name!r}, which is out of sight (at "
                             f"{f.mapTo(page.body, f.rect().topLeft()).y()} in the page's "
                             f"content, scrolled to {bar.value()} of {bar.maximum()}; a moment "
                             f"later seen: {not f.visibleRegion().isEmpty()})")
                continue
            changed, perimeter = self.ring_pixels(f)
            if changed < RING_PER_PERIMETER * perimeter:
                # once more after a longer settle: on a busy machine the grab can come before
                # the repaint that draws the ring (0 px changed once in a loaded run); a widget
                # with no ring has none the second time either
                f.setFocus(Qt.FocusReason.TabFocusReason)
                self.settle(30)
                changed, perimeter = self.ring_pixels(f)
            stops.append({"name": name, "ring": changed, "perimeter": perimeter,
                          "part": self.part(f)})
            if changed < RING_PER_PERIMETER * perimeter:
                self.problem(f"{key}: no visible focus on {name!r} ({type(f).__name__}): "
                             f"{changed} px changed around a perimeter of {perimeter} px")
        else:
            self.problem(f"{key}: Tab went round more than {MAX_STOPS} stops")
        return stops

    # --- reaching pages ---------------------------------------------------------------------

    def to_page(self, key: str) -> bool:
        """Tab to the side list, then arrow keys to ``key``'s row: how the keyboard chooses a
        step. The page shows with the keyboard on it."""
        from PySide6.QtCore import Qt

        steps = self.w.steps
        if self.focused() is not steps and self.tab_to(lambda f: f is steps) is None:
            self.problem(f"Tab never reached the side list on the way to {key}")
            return False
        target = self.w.visible_keys().index(key)
        for _ in range(len(self.w.visible_keys())):
            row = self.w.visible_keys().index(self.w.current_key())
            if row == target:
                break
            if self.focused() is not steps:
                self.problem(f"the side list lost the keyboard after one arrow key "
                             f"(on {self.w.current_key()}, going to {key})")
                return False
            self.key(Qt.Key.Key_Down if target > row else Qt.Key.Key_Up)
        if self.w.current_key() != key:
            self.problem(f"the arrow keys did not reach {key}")
            return False
        return True

    def answer_by_keyboard(self, panel: Any) -> None:
        """A check's question ("Did you hear the test sound?"): Return on the answer that has
        the focus, as the check puts it there."""
        from PySide6.QtCore import Qt

        if panel._ask is None:
            return
        f = self.focused()
        if f not in (panel.yes_button, panel.no_button):
            self.problem(f"a question was asked but the keyboard is on "
                         f"{getattr(f, 'accessibleName', lambda: None)()!r}")
            f = panel.yes_button if panel.yes_button.isVisible() else panel.no_button
        self.key(Qt.Key.Key_Return, f)


def run_check_page(t: Tour, key: str, found: dict[str, Any]) -> None:
    """Return on a check page: its check runs (the step says "Checking…", the progress shows),
    questions are answered by keyboard, and its result card is seen."""
    from PySide6.QtCore import Qt

    page = t.w.pages[key]
    panel = page.panel
    t.key(Qt.Key.Key_Return)
    if not t.wait(lambda: panel.running or not panel.plugins(), 5):
        t.problem(f"{key}: Return did not start {found.get('primary')!r}")
        return
    found["progress_seen"] = panel.progress.isVisible()
    row = t.w.visible_keys().index(key)
    found["step_while_running"] = t.w.steps.item(row).text().splitlines()[-1]

    def done() -> bool:
        t.answer_by_keyboard(panel)
        return not panel.running

    if not t.wait(done, 120):
        t.problem(f"{key}: the check did not end in 120 s")
        return
    from techcheck.app.gui.widgets.findings import ResultCard

    def cards() -> list[Any]:  # a card added to a layout is shown by a queued call
        return [c for c in panel.findChildren(ResultCard) if c.isVisible()
                and c.result.id in t.w.session.results]

    t.wait(lambda: bool(cards()), 5)
    found["cards"] = [f"{c.accessibleName()}" for c in cards()]
    if not cards():
        t.problem(f"{key}: no result card seen after the check")


def start_page(t: Tour, key: str, found: dict[str, Any]) -> None:
    """Return on Start or Preparation (the focus on the page, not on a button): the one-click
    check starts on the first step, which shows "Checking…" and its live view. It is stopped
    again with the keyboard (Tab to Cancel, Return): each step's own check is run from its
    page below (the whole one-click run by keyboard is tests/app/test_gui_keyboard.py's)."""
    from PySide6.QtCore import Qt

    t.w.current_page().setFocus(Qt.FocusReason.OtherFocusReason)
    t.key(Qt.Key.Key_Return)
    if not t.wait(lambda: t.w.run_all.active
                  and getattr(t.w.current_page(), "panel", None) is not None
                  and t.w.current_page().panel.running, 10):
        t.problem(f"{key}: Return did not start the check")
        return
    first = t.w.current_key()
    panel = t.w.current_page().panel
    found["moved_to"] = first
    found["step_while_running"] = t.w.steps.item(
        t.w.visible_keys().index(first)).text().splitlines()[-1]
    cancel = t.tab_to(lambda f: f is panel.cancel_button)
    if cancel is None:
        t.problem(f"{key}: Tab never reached Cancel while the check ran")
        return
    t.key(Qt.Key.Key_Return, cancel)
    if not t.wait(lambda: not t.w.run_all.active and not panel.running, 30):
        t.problem(f"{key}: Return on Cancel did not stop the check")


def results_page(t: Tour, found: dict[str, Any]) -> None:
    """Return on Results: "Export the report" opens its menu of formats (Escape closes it)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMenu

    t.w.current_page().setFocus(Qt.FocusReason.OtherFocusReason)
    t.key(Qt.Key.Key_Return)
    if not t.wait(lambda: isinstance(QApplication.activePopupWidget(), QMenu), 5):
        t.problem(f"results: Return did not open the menu of {found.get('primary')!r}")
        return
    menu = QApplication.activePopupWidget()
    found["menu"] = [a.text().replace("&", "") for a in menu.actions() if a.isVisible()]
    t.key(Qt.Key.Key_Escape, menu)
    t.wait(lambda: QApplication.activePopupWidget() is None, 5)


def details_page(t: Tour, found: dict[str, Any]) -> None:
    """Return on Details: the report is copied for IT support; the clipboard holds it."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()
    t.w.current_page().setFocus(Qt.FocusReason.OtherFocusReason)
    t.key(Qt.Key.Key_Return)
    if not t.wait(lambda: bool(QGuiApplication.clipboard().text()), 5):
        t.problem(f"details: Return did not do {found.get('primary')!r}")
        return
    found["copied_chars"] = len(QGuiApplication.clipboard().text())


def choose_role(t: Tour, role: str) -> bool:
    """On Start, Tab to "Your role" and choose ``role`` with the arrow keys (a closed combo
    box steps through its items with Up and Down)."""
    from PySide6.QtCore import Qt

    if not t.to_page("start"):
        return False
    box = t.w.start.role
    if t.tab_to(lambda f: f is box) is None:
        t.problem("Tab never reached 'Your role' on Start")
        return False
    for _ in range(box.count()):
        if box.currentData() == role:
            break
        target = box.findData(role)
        t.key(Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up, box)
    t.settle(10)
    if t.w.session.role != role:
        t.problem(f"the arrow keys on 'Your role' did not choose {role}")
        return False
    return True


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--role", default="recruiter", help="recruiter: Preparation; it: Details")
    ap.add_argument("--dark", action="store_true", help="the dark theme")
    args = ap.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    from tests import tour_kit

    tour_kit.private_user_dirs(out / f"keys-{args.lang}-xdg")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from techcheck.app import logsetup
    from techcheck.app.gui import tasks

    logsetup.setup(stderr=False)
    app = QApplication([sys.argv[0]])
    if args.dark:
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
    from techcheck.app.gui import theme

    theme.apply(app, dark=True if args.dark else None)  # as the app's main() does
    w = tour_kit.demo_window(out / f"keys-{args.lang}.ini", args.lang, args.role)
    # the tour is about keys and rings, not the run's pace: the sample clip and voice are read
    # as fast as they decode (Session.paced_files; tests/app/test_gui_selfview.py paces them)
    w.session.paced_files = False
    t = Tour(app, w, args.lang)
    summary: dict[str, Any] = {"platform": QGuiApplication.platformName(),
                               "dpr": w.devicePixelRatioF(), "lang": args.lang,
                               "dark": theme.is_dark(app.palette())}
    # loaded first, then made active: a bare X server has no window manager to activate the
    # window by itself (waiting for both at once waited out the whole minute every time)
    if not t.wait(lambda: w._loaded, 60):
        t.problem("the window did not finish loading its checks in 60 s")
    w.activateWindow()
    t.wait(lambda: QApplication.activeWindow() is w, 5)
    t.settle(20)
    summary["keys"] = w.visible_keys()
    # Start: first show, then a lap, then Return
    found = t.pages["start"] = t.primary_on_screen("start")
    found["stops"] = t.lap("start")
    start_page(t, "start", found)
    # every other step in the side list's order, then the other role's step (Preparation for
    # a recruiter, Details for IT support), chosen on Start with the keyboard
    started = time.monotonic()
    todo = [k for k in w.visible_keys() if k != "start"]
    todo.append("role")
    while todo:
        key = todo.pop(0)
        if key == "role":
            before = set(w.visible_keys())
            if choose_role(t, "it" if args.role == "recruiter" else "recruiter"):
                todo += [k for k in w.visible_keys() if k not in before]
            continue
        if key != w.current_key() and not t.to_page(key):
            continue
        t.settle(10)
        found = t.pages[key] = t.primary_on_screen(key)
        w.current_page().setFocus(Qt.FocusReason.OtherFocusReason)
        if key == "checklist":  # Return leaves the page: its Tab stops first
            found["stops"] = t.lap(key)
            start_page(t, key, found)
        else:
            if key == "results":
                results_page(t, found)
            elif key == "details":
                details_page(t, found)
            else:
                run_check_page(t, key, found)
            w.current_page().setFocus(Qt.FocusReason.OtherFocusReason)
            found["stops"] = t.lap(key)
        found["seconds"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
    summary["pages"] = t.pages
    summary["problems"] = t.problems
    tour_kit.grab(w, out / f"keys-{args.lang}-last.png")
    w.close()
    summary["left_running"] = [x.name for x in tasks.running_tasks()]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
