"""The screen check in the app (issue 24, item 2): a person opens the Computer page on a
3840×2160 screen at 100 % and reads, on the screen check's card, that shared code will be too
small for the interviewer and what to do about it."""

from __future__ import annotations

import shutil

import pytest

from tests.gui_fixtures import click_step, press

pytestmark = [pytest.mark.slow, pytest.mark.xvfb,
              pytest.mark.qt_log_ignore("This plugin does not support"),
              pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xrandr")),
                                 reason="needs Xvfb and xrandr (x11-xserver-utils)")]


@pytest.fixture
def big_screen(monkeypatch):
    """A real 3840×2160 X server as the desktop the check reads (the window itself stays on
    the test's display)."""
    from pyvirtualdisplay import Display

    d = Display(backend="xvfb", size=(3840, 2160), color_depth=24, manage_global_env=False)
    d.start()
    monkeypatch.setenv("DISPLAY", f":{d.display}")
    for key in ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "GDK_SCALE", "QT_SCALE_FACTOR"):
        monkeypatch.delenv(key, raising=False)
    yield
    d.stop()


def test_the_computer_page_warns_that_a_shared_4k_screen_is_unreadable(make_window, qtbot,
                                                                       big_screen):
    from PySide6.QtWidgets import QLabel

    from techcheck.checks.model import Status
    from tests.conftest import ROOT

    w = make_window(demo_mode="on")
    page = w.pages["system"]
    with qtbot.waitSignal(page.panel.all_finished, timeout=60_000):
        if w.current_key() == "system":
            press(qtbot, page.panel.run_button)
        else:
            click_step(qtbot, w, "system")
    result = w.session.results["screen"]
    assert result.status is Status.WARN

    def shown() -> str:
        return " ".join(lab.text() for lab in page.findChildren(QLabel) if lab.isVisible())

    qtbot.waitUntil(lambda: "Screen sharing" in shown(), timeout=10_000)
    texts = shown()
    assert "Screen sharing" in texts and "6.5 px" in texts, texts
    assert "Share one window" in texts, texts
    out = ROOT / "tests" / "artifacts" / "computer-page-screen-4k.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(out))
