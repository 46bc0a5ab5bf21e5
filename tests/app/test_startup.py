"""Start-up stays at a bare window's pace (issue 22): until the main window is first painted,
only Qt and the GUI's own modules load. numpy, OpenCV, sounddevice, psutil, the check
packages, the call preview (the call model) and the history load after it, in a worker or on
first use. bench/bench_startup.py measures the time; this guards the cause.

The app runs in a child process, as a person starts it (``techcheck.app.gui.main.main``), so
modules other tests imported cannot hide a regression; ``main``'s start-up probe writes the
names of the modules imported at the first expose of the window.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.archguard import Checkout, planted_copy, this_checkout
from tests.conftest import ROOT

# Qt's offscreen platform cannot pass a window's size hints on (it has no window manager).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

HEAVY = ("numpy", "cv2", "sounddevice", "soundfile", "psutil")
"""Third-party packages that must wait: each costs tens of milliseconds or more."""

PAGES_LATER = tuple(f"techcheck.app.gui.pages.{m}" for m in (
    "checklist", "camera", "microphone", "speakers", "network", "system", "results", "details"))
"""The pages after Start: built, and their modules imported, right after the first paint
(``window.MainWindow._load``), which shows only Start."""

LATER = ("techcheck.app.gui.widgets.callpreview", "techcheck.app.gui.runhistory",
         "techcheck.app.gui.reporting", *PAGES_LATER)
"""The GUI's own modules that load after the first paint (they pull in the call model, the
report model and the history; the other pages)."""


def check_packages(root: Path) -> list[str]:
    """Every package of the engine (``techcheck.checks.<folder>``): the checks and what they
    share (the call model); found on disk so a new one is guarded too."""
    return sorted(f"techcheck.checks.{d.name}" for d in (root / "checks").iterdir()
                  if (d / "__init__.py").is_file())


def loaded_at_first_paint(checkout: Checkout, tmp: Path) -> list[str]:
    """The modules imported when the app's main window was first exposed."""
    probe = tmp / "first-paint"
    env = checkout.env(TECHCHECK_STARTUP_PROBE=str(probe), QT_QPA_PLATFORM="offscreen")
    res = subprocess.run(
        [sys.executable, "-c",
         "import sys; from techcheck.app.gui.main import main; sys.exit(main([]))"],
        cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    lines = probe.read_text(encoding="utf-8").splitlines()
    loaded = lines[1:]
    # The probe really ran inside the app: the window's own module is there.
    assert "techcheck.app.gui.window" in loaded, lines[:5]
    return loaded


def too_early(loaded: list[str], root: Path) -> list[str]:
    """What the start-up imported that must wait until after the first paint."""
    prefixes = (*HEAVY, *check_packages(root), *LATER)
    return sorted(name for name in loaded
                  if any(name == p or name.startswith(p + ".") for p in prefixes))


@pytest.mark.slow
def test_first_paint_waits_for_no_heavy_import(tmp_path: Path):
    """The guard: nothing but Qt and the GUI's own modules before the window is painted."""
    loaded = loaded_at_first_paint(this_checkout(), tmp_path)
    assert too_early(loaded, ROOT) == []
    # what must be there is there (the guard looks at a real start-up, not an empty list)
    assert {"PySide6.QtWidgets", "techcheck.app.gui.pages.start",
            "techcheck.app.gui.pages.titles"} <= set(loaded)


@pytest.mark.slow
@pytest.mark.parametrize("where, line, expected", [
    ("app/gui/pages/start.py",
     "from techcheck.app.gui.widgets.callpreview import CallPreview  # noqa",
     ("numpy", "cv2", "techcheck.checks.callmodel", "techcheck.checks.network",
      "techcheck.app.gui.widgets.callpreview")),
    ("app/gui/window.py", "from techcheck.app.gui.pages.results import ResultsPage  # noqa",
     ("techcheck.app.gui.pages.results",)),
], ids=["call-preview", "eager-page"])
def test_the_startup_guard_catches_a_heavy_import(tmp_path: Path, where, line, expected):
    """Its twins: a copy whose Start page imports the call preview at module level (the
    regression of issue 22: then the Connection page did), or whose window imports another
    page's module again, fails the same guard, naming what came too early."""
    copy = planted_copy(tmp_path)
    copy.append(where, f"\n{line}\n")
    found = too_early(loaded_at_first_paint(copy, tmp_path), copy.root)
    for name in expected:
        assert name in found, found


def test_the_checks_still_load_after_the_first_paint(qtbot, make_window):
    """Deferring is not dropping: once painted, the window loads the checks and the history
    (the plug-ins, their devices, and the run keeper)."""
    w = make_window()
    assert w._loaded and w.session.plugins
    assert {p.id for p in w.session.plugins} >= {"camera", "microphone", "speaker", "network",
                                                 "system"}
    assert w.keeper is not None


def test_the_checks_wait_for_the_window_to_be_painted(qtbot, gui_settings, leak_guard):
    """The worker that imports the checks starts only once the window was exposed: a window
    built and not yet shown has started nothing, however long the event loop runs."""
    from techcheck.app.gui.window import MainWindow

    w = MainWindow(gui_settings)
    qtbot.addWidget(w)
    qtbot.wait(300)
    assert w.loader is None and not w._load_started and not w._backstop.isActive()
    w.show()
    qtbot.waitUntil(lambda: w._loaded, timeout=60_000)
    w.close()


def test_the_steps_are_named_before_their_pages_are_built(qtbot, gui_settings, leak_guard):
    """Only Start is built before the first paint, yet the step list and "Next" already name
    every step (``pages.titles``, in the person's language); once painted, every page is
    built before the checks load, and the names stay the same."""
    from techcheck.app.gui import settings as S
    from techcheck.app.gui.pages.titles import own_title
    from techcheck.app.gui.window import MainWindow

    gui_settings.set(S.LANGUAGE, "sv")
    w = MainWindow(gui_settings)
    qtbot.addWidget(w)
    assert [k for k in w.pages if w.pages.is_built(k)] == ["start"]
    names = [w.steps.item(i).text() for i in range(w.steps.count())]
    assert names == ["Start", "Kamera", "Mikrofon", "Högtalare", "Anslutning", "Dator",
                     "Resultat"], names
    assert w.next_button.text() == "Nästa: Kamera →"
    assert [k for k in w.pages if w.pages.is_built(k)] == ["start"]  # naming built nothing
    w.show()
    qtbot.waitUntil(lambda: all(w.pages.is_built(k) for k in w.pages), timeout=10_000)
    assert [own_title(k) for k in w.visible_keys()] == names
    assert [w.pages[k].title() for k in w.visible_keys()][:2] == names[:2]
    w.close()
