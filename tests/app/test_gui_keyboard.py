"""Keyboard only (issue 23, item 2): a focus ring a person can see in the light and the dark
theme, Return starts the page's primary action, Tab never lands on something out of sight, and
Results' Tab order goes from what to fix to "Export the report", "Check everything again" and
then the call preview. Every step is a real key press on the focused widget."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from tests.gui_fixtures import by_name

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _focused() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the keyboard focus"
    return w


def _tab(qtbot, window, back: bool = False) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget() or window,
                   Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab)
    return _focused()


def _activate(qtbot, w) -> None:
    w.activateWindow()
    w.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)


def _tab_to(qtbot, w, pred, limit: int = 40) -> QWidget:
    for _ in range(limit):
        f = _tab(qtbot, w)
        if pred(f):
            return f
    raise AssertionError("Tab never reached the widget")


def _walk(qtbot, w, steps: int) -> list[QWidget]:
    """Press Tab ``steps`` times; each stop must be on screen when it is reached: visible and
    not scrolled out of its page."""
    stops = []
    for _ in range(steps):
        f = _tab(qtbot, w)
        QApplication.processEvents()
        assert f.isVisible() and not f.visibleRegion().isEmpty(), (
            f"Tab stopped on {type(f).__name__} {f.accessibleName()!r}, which is out of sight")
        ring = w.focus_ring  # and the ring is drawn around it (sliders, lists, combo boxes…)
        ring_at = QRect(ring.mapToGlobal(ring.rect().topLeft()), ring.size())
        widget_at = QRect(f.mapToGlobal(f.rect().topLeft()), f.size())
        assert ring.isVisible() and ring_at.contains(widget_at) and ring_at != widget_at, (
            f"no focus ring around {type(f).__name__} {f.accessibleName()!r}")
        stops.append(f)
    return stops


def _accent_pixels(img: QImage, inner: QRect, accent: QColor) -> int:
    """Pixels outside ``inner`` (the widget) within a few pixels of it, near the accent."""
    n = 0
    for y in range(img.height()):
        for x in range(img.width()):
            if inner.contains(x, y):
                continue
            c = img.pixelColor(x, y)
            if (abs(c.red() - accent.red()) + abs(c.green() - accent.green())
                    + abs(c.blue() - accent.blue())) < 90:
                n += 1
    return n


def _ring_grab(w, widget) -> tuple[QImage, QRect]:
    """The window around ``widget`` with 6 px to spare, and where the widget is in it."""
    QApplication.processEvents()
    top_left = widget.mapTo(w, widget.rect().topLeft())
    area = QRect(top_left, widget.size()).adjusted(-6, -6, 6, 6)
    img = w.grab(area).toImage()
    scale = img.width() / area.width()
    img = img.scaled(area.width(), area.height()) if scale != 1 else img
    return img, QRect(6, 6, widget.width(), widget.height())


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_focused_button_has_a_ring_in_the_accent_colour(make_window, qtbot, qapp, artifacts,
                                                           dark):
    from techcheck.app.gui import style, theme
    from techcheck.app.gui.widgets.focusring import ring_colour

    before_palette, before_sheet = qapp.palette(), qapp.styleSheet()
    if dark:
        qapp.setPalette(theme.dark_palette())
        style.install(qapp)
    try:
        w = make_window(demo_mode="on")
        _activate(qtbot, w)
        accent = ring_colour(qapp.palette())
        for name in ("Open an invitation file from the recruiter", "Start the check"):
            button = by_name(w, name)
            by_name(w, "Language", QComboBox).setFocus(Qt.FocusReason.OtherFocusReason)
            plain, inner = _ring_grab(w, button)
            focused = _tab_to(qtbot, w, lambda f, b=button: f is b)
            ringed, _ = _ring_grab(w, focused)
            ringed.scaled(ringed.width() * 4, ringed.height() * 4).save(
                str(artifacts / f"focus-ring-{'dark' if dark else 'light'}-{name[:5]}.png"))
            before, after = _accent_pixels(plain, inner, accent), _accent_pixels(ringed, inner,
                                                                                 accent)
            perimeter = 2 * (inner.width() + inner.height())
            assert after >= 2 * perimeter, (name, before, after, perimeter)  # ≥ 2 px all round
            assert before < perimeter // 4, (name, before)  # and none without focus
            # the side list is ringed too
        steps = _tab_to(qtbot, w, lambda f: f is w.steps)
        ringed, inner = _ring_grab(w, steps)
        assert _accent_pixels(ringed, inner, accent) >= 2 * (inner.width() + inner.height())
    finally:
        qapp.setPalette(before_palette)
        qapp.setStyleSheet(before_sheet)


@pytest.mark.slow
def test_return_starts_the_check_and_results_tab_in_order(make_window, qtbot):
    w = make_window(demo_mode="on")
    _activate(qtbot, w)
    _walk(qtbot, w, 10)
    # Return on a combo box (not a button): the page's primary action, "Start the check"
    lang = _tab_to(qtbot, w, lambda f: f.accessibleName() == "Language")
    qtbot.keyClick(lang, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.run_all.active or w.current_key() != "start", timeout=5000)
    qtbot.waitUntil(lambda: w.current_key() == "results" and not w.run_all.active,
                    timeout=120_000)
    res = w.pages["results"]
    # the cards, and the line of checks with nothing to fix (issue 23)
    blocks = [*res.cards.values(), res.passed_row]
    qtbot.waitUntil(lambda: bool(res.cards or res.passed_buttons)
                    and all(c.isVisible() for c in res.cards.values()))
    res.setFocus(Qt.FocusReason.OtherFocusReason)  # what entering the page does
    walked = _walk(qtbot, w, 20)  # more than one lap (the preview's details button too)
    stops = walked[:next(i for i, f in enumerate(walked) if f in walked[:i])]  # one lap
    names = [f.accessibleName() for f in stops]
    assert names[-2:] == ["Steps", "Previous step"], "\n".join(names)  # the page, then the window
    export, again = names.index("Export the report"), names.index("Check everything again")
    assert export < again, names
    preview = [i for i, f in enumerate(stops) if res.preview_slot.isAncestorOf(f)]
    assert preview and min(preview) > again, names
    cards = [i for i, f in enumerate(stops) if any(c.isAncestorOf(f) for c in blocks)]
    assert cards and all(i < export for i in cards), names
    # Return on a card's "Check … again": the check runs again and its card is made anew
    # while its button has the focus; the ring lives on for the next Tab
    res.setFocus(Qt.FocusReason.OtherFocusReason)
    card_button = _tab(qtbot, w)
    assert any(c.isAncestorOf(card_button) for c in blocks), names
    qtbot.keyClick(card_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w._rerun_page is not None, timeout=5000)
    qtbot.waitUntil(lambda: w._rerun_page is None, timeout=60_000)
    qtbot.waitUntil(lambda: all(c.isVisible() for c in res.cards.values()))
    res.setFocus(Qt.FocusReason.OtherFocusReason)
    _walk(qtbot, w, 3)


def test_arrow_keys_walk_the_side_list_and_return_there_is_the_primary_action(make_window,
                                                                              qtbot):
    """The side list keeps the keyboard while the arrow keys choose steps (it lost it to the
    page after the first arrow key, so a second one did nothing), and Return there does the
    shown page's primary action."""
    w = make_window(demo_mode="on", role="it")
    _activate(qtbot, w)
    steps = _tab_to(qtbot, w, lambda f: f is w.steps)
    walked = [w.current_key()]
    for _ in range(len(w.visible_keys()) - 1):
        qtbot.keyClick(steps, Qt.Key.Key_Down)
        walked.append(w.current_key())
        assert _focused() is steps, walked
    assert walked == w.visible_keys()
    for _ in range(2):  # back up to Results, then to the Computer step
        qtbot.keyClick(steps, Qt.Key.Key_Up)
    assert w.current_key() == "system" and _focused() is steps
    panel = w.current_page().panel
    qtbot.keyClick(steps, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.running, timeout=5000)
    row = w.visible_keys().index("system")
    assert w.steps.item(row).text().endswith("Checking…")
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert "system" in w.session.results


@pytest.mark.slow
def test_tab_leaves_the_tables_and_the_log_on_details(make_window, qtbot):
    """Tab walked every cell of Details' tables (a keyboard trap, WCAG 2.1.2); it moves on to
    the next stop, while the arrow keys still move between cells."""
    from PySide6.QtWidgets import QTabWidget

    w = make_window(demo_mode="on", role="it")
    _activate(qtbot, w)
    w.go("system")  # a result, so that the tables have rows
    panel = w.current_page().panel
    qtbot.keyClick(w.current_page(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "system" in w.session.results and not panel.running,
                    timeout=60_000)
    w.go("details")
    det = w.pages["details"]
    assert det.metrics.rowCount() > 2
    tabs = det.findChild(QTabWidget)
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        inner = tabs.currentWidget()
        inner = inner if inner.focusPolicy() & Qt.FocusPolicy.TabFocus else det.history
        inner.setFocus(Qt.FocusReason.TabFocusReason)
        assert _focused() is inner
        assert _tab(qtbot, w) is not inner, type(inner).__name__


def test_the_focused_widget_is_kept_in_sight_when_the_layout_moves_it(qtbot, qapp):
    """Tab brings a widget into view; when a line above it then grows (the layout moves the
    widget out of the scrolled area), the view follows it. Before, the keyboard stayed on a
    widget scrolled out of sight (the camera's picker after its check, at 1024×600)."""
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QVBoxLayout

    from techcheck.app.gui.widgets.focusring import FocusRing

    window = QWidget()
    outer = QVBoxLayout(window)
    area = QScrollArea(window)
    area.setWidgetResizable(True)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    body = QWidget()
    lay = QVBoxLayout(body)
    above = QLabel("above", body)
    above.setFixedHeight(40)
    first, target = QPushButton("first", body), QPushButton("target", body)
    lay.addWidget(first)
    lay.addWidget(above)
    lay.addWidget(target)
    filler = QLabel("filler", body)
    filler.setFixedHeight(600)
    lay.addWidget(filler)
    area.setWidget(body)
    outer.addWidget(area)
    ring = FocusRing(window)
    qtbot.addWidget(window)
    window.resize(300, 200)
    window.show()
    _activate(qtbot, window)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert _focused() is target and ring.isVisible()
    bar = area.verticalScrollBar()
    assert bar.value() == 0 and not target.visibleRegion().isEmpty()
    above.setFixedHeight(400)  # the target moves 360 px down, below the 200-px window
    qtbot.waitUntil(lambda: target.pos().y() > 400, timeout=3000)
    qapp.processEvents()
    qtbot.waitUntil(lambda: target.visibleRegion().boundingRect() == target.rect(),
                    timeout=3000)
    assert bar.value() > 200, (window.size(), area.viewport().size(), target.pos(), bar.maximum())
