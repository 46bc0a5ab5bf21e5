"""The recruiter's check boxes can be seen in both themes (issue 23, item 13): Fusion drew an
unticked box's outline in the dark window's own colour. WCAG 2.1 SC 1.4.11 (Non-text
Contrast) asks 3:1 between a control's indicator and what is next to it: measured here on the
pixels of the Preparation page as it is drawn, before and after the person ticks a box with
the mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

from tests.gui_fixtures import by_name, click_step

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

NEEDED = 3.0  # WCAG 2.1 SC 1.4.11


def _luminance(c: QColor) -> float:
    """WCAG 2.1's relative luminance (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance)."""

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2.1's contrast ratio, 1 to 21."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _indicator(box: QCheckBox):
    opt = QStyleOptionButton()
    box.initStyleOption(opt)
    return box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, box)


def _edge_contrasts(img: QImage, rect, background: QColor) -> list[float]:
    """For each row and column through the middle half of the indicator, the highest contrast
    against ``background`` on its outline (the first 3 px inside each side): every line
    across the box must meet the outline somewhere on both sides."""
    def best(points) -> float:
        return max(contrast(QColor(img.pixel(x, y)), background) for x, y in points)

    out = []
    for y in range(rect.top() + rect.height() // 4, rect.bottom() - rect.height() // 4):
        out.append(best((rect.left() + d, y) for d in range(4)))
        out.append(best((rect.right() - d, y) for d in range(4)))
    for x in range(rect.left() + rect.width() // 4, rect.right() - rect.width() // 4):
        out.append(best((x, rect.top() + d) for d in range(4)))
        out.append(best((x, rect.bottom() - d) for d in range(4)))
    return out


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_checkboxes_meet_non_text_contrast(make_window, qtbot, qapp, artifacts, dark):
    from techcheck.app.gui import style, theme

    before_palette, before_sheet = qapp.palette(), qapp.styleSheet()
    if dark:
        qapp.setPalette(theme.dark_palette())
        style.install(qapp)
    try:
        w = make_window(demo_mode="off", role="recruiter", language="en")
        click_step(qtbot, w, "checklist")
        page = w.current_page()
        box = page.boxes[next(iter(page.boxes))]
        box = by_name(w, box.accessibleName(), QCheckBox)  # as a screen reader finds it
        assert not box.isChecked()
        rect = _indicator(box)
        assert rect.width() >= 12
        img = box.grab().toImage()
        scale = img.width() / box.width()
        if scale != 1:
            img = img.scaled(box.width(), box.height())
        window_colour = box.palette().window().color()
        img.save(str(artifacts / f"checkbox-{'dark' if dark else 'light'}-off.png"))
        off = _edge_contrasts(img, rect, window_colour)
        assert min(off) >= NEEDED, (min(off), window_colour.name())
        # ticked with the mouse: the filled box against the window
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=rect.center())
        assert box.isChecked()
        img = box.grab().toImage()
        if scale != 1:
            img = img.scaled(box.width(), box.height())
        img.save(str(artifacts / f"checkbox-{'dark' if dark else 'light'}-on.png"))
        on = _edge_contrasts(img, rect, window_colour)
        assert min(on) >= NEEDED, min(on)
        # and the tick inside against the fill: a pixel of the tick stands out from the fill
        fill = QColor(img.pixel(rect.left() + 3, rect.top() + rect.height() // 2))
        centre = [QColor(img.pixel(x, y)) for x in range(rect.left() + 3, rect.right() - 2)
                  for y in range(rect.top() + 3, rect.bottom() - 2)]
        assert max(contrast(c, fill) for c in centre) >= NEEDED
        assert box.mapTo(w, QPoint(0, 0)).y() < w.height()  # on screen, not scrolled away
    finally:
        qapp.setPalette(before_palette)
        qapp.setStyleSheet(before_sheet)
