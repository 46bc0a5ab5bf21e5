"""A screen-reader user's whole journey, over the real accessibility tree (issue 11, item 2).

The app runs as a person starts it (``techcheck``, demo mode, its own process on Xvfb) and
exports its widgets over AT-SPI on a private bus; the test reads and acts only through that
tree, by accessible name and role, as Orca would (tests/atspi_session.py, tests/atspi_driver.py).
Nothing in the app is called: if a control has no name, no role or no action, or the page a
person needs is not on screen, the journey fails here exactly where a blind user would be stuck.

Journey: launch → Start → every check → Results with a verdict → export the report as a web page
and as a PDF through Qt's own file dialog → both files are real and carry the verdict.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.atspi_session import CONTROL_ROLES, AccessibleDesktop, grab_screen

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

#: The Results page's verdict badge, and the word the exported report uses for that verdict
#: (app/gui/widgets/status.py verdict_word; app/report/view.py VERDICT_WORD).
VERDICTS = {"Ready for the interview": "Ready", "Ready, with warnings": "Ready, with warnings",
            "Not ready yet": "Not ready"}
#: What the badge says before every check has a result: the journey must never end there.
UNFINISHED = ("Not finished yet", "Nothing checked yet")
WINDOW_TITLE = "TechCheck – ready for your video interview"


def demo_settings() -> None:
    """The settings a newcomer without devices ends up with: demo mode on, English."""
    from PySide6.QtCore import QSettings

    from app import paths
    from app.gui import settings as S

    path = paths.config_dir() / "techcheck.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    s = S.Settings(QSettings(str(path), QSettings.Format.IniFormat))
    s.set(S.DEMO_MODE, "on")
    s.set(S.LANGUAGE, "en")
    s.set(S.ROLE, "candidate")
    s.sync()


def export(reader, item: str, path: Path) -> None:
    """Export the report through the button's menu and Qt's file dialog, as a screen-reader
    user does: open the menu, choose the format, type the file's name, press Save."""
    reader.press("Export the report", action="ShowMenu")
    reader.press(item, role="menu item")
    reader.wait_for(name="Export the report", role="dialog")
    reader.type_into("File name:", str(path))
    reader.press("Save")
    reader.wait_gone(name="Export the report", role="dialog")
    reader.wait_for(name=f"Saved: {path}", role="label", timeout=30)


def test_a_screen_reader_user_checks_everything_and_exports_the_report(
        atspi_desktop: AccessibleDesktop, tmp_path: Path, artifacts: Path):
    t0 = time.monotonic()
    demo_settings()
    app = atspi_desktop.launch_techcheck()
    reader = atspi_desktop.reader
    assert reader is not None
    reader.wait_for(name=WINDOW_TITLE, role="frame", timeout=30)

    # Start: enabled once the checks are loaded
    reader.press("Start the check", timeout=60)
    # --- ONE-CLICK CHECK: not on main yet (issue 11 item 3). Today "Start the check" only
    # opens the Camera page and each page's own run button does nothing, so the journey
    # reaches Results step by step and checks everything from there.
    reader.wait_for(name="Camera", role="label")
    for step in ("Microphone", "Speakers", "Connection", "Computer", "Results"):
        reader.press(f"Next step: {step}")
    reader.press("Check everything again")
    # --- end of the part that changes with the one-click check

    verdict = reader.wait_for(name=list(VERDICTS), timeout=75)["name"]
    assert not reader.find(name=list(UNFINISHED))
    t_verdict = time.monotonic() - t0

    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    export(reader, "Web page (HTML)…", html)
    export(reader, "PDF document…", pdf)

    frame = reader.extents(WINDOW_TITLE, "frame")
    shot = artifacts / "atspi-results.png"
    grab_screen(atspi_desktop.display, shot, frame)

    # the files are real reports of this run
    word = VERDICTS[verdict]
    page = html.read_text(encoding="utf-8")
    assert re.search(r'class="verdict-word"[^>]*>\s*' + re.escape(word) + r"\s*<", page), word
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, timeout=60, check=True).stdout
    assert word in text
    # every control the journey touched has a name and a role a screen reader announces
    assert reader.touched
    for control in reader.touched:
        assert control["name"].strip(), control
        assert control["role"] in CONTROL_ROLES, control
    assert {c["role"] for c in reader.touched} >= {"push button", "menu item", "text"}
    # the app is still there and never failed on the way
    assert app.poll() is None
    log = (atspi_desktop.root / "app.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
    assert shot.stat().st_size > 10_000
    elapsed = time.monotonic() - t0
    assert elapsed < 100, f"journey took {elapsed:.0f} s (verdict after {t_verdict:.0f} s)"
