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

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.atspi_session import CONTROL_ROLES, AccessibleDesktop, grab_screen

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

#: The Results page's verdict badge, and the word the exported report uses for that verdict:
#: the same word (app/report/view.py VERDICT_WORD, which the GUI's verdict_word uses too).
VERDICTS = {"Ready for the interview": "Ready for the interview",
            "Ready, with warnings": "Ready, with warnings", "Not ready yet": "Not ready yet",
            "Demo finished": "Demo finished"}
#: What the badge says before every check has a result: the journey must never end there.
UNFINISHED = ("Not finished yet", "Nothing checked yet")
WINDOW_TITLE = "TechCheck – ready for your video interview"


def demo_settings() -> None:
    """A newcomer's settings: demo mode offered (the default, "auto"), English."""
    from PySide6.QtCore import QSettings

    from techcheck.app import paths
    from techcheck.app.gui import settings as S

    path = paths.config_dir() / "techcheck.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    s = S.Settings(QSettings(str(path), QSettings.Format.IniFormat))
    s.set(S.DEMO_MODE, "auto")
    s.set(S.LANGUAGE, "en")
    s.set(S.ROLE, "candidate")
    s.sync()


def export(reader, item: str, path: Path) -> None:
    """Export the report through the button's menu and Qt's file dialog, as a screen-reader
    user does: open the menu, choose the format, type the file's name, press Save."""
    reader.press("Export the report", action="ShowMenu")
    reader.wait_for(name="Export the report", role="popup menu")  # the menu says what it is
    reader.press(item, role="menu item")
    reader.wait_for(name="Export the report", role="dialog")
    reader.type_into("File name:", str(path))
    reader.press("Save")
    reader.wait_gone(name="Export the report", role="dialog")
    reader.wait_for(name=f"Saved: {path}", role="label", timeout=40)


def steps_checked(heard: list[dict]) -> list[str]:
    """The steps whose check was heard running, in order: the step list's item that was last
    announced as selected whenever a check's progress bar moved."""
    steps: list[str] = []
    current = None
    for e in heard:
        if e["type"].startswith("object:state-changed:selected") and e["parent"] == "Steps":
            current = e["name"].split(":")[0]  # "Camera: Passed" once it has a result
        elif e["name"] == "Progress of the check" and current and current not in steps[-1:]:
            steps.append(current)
    return steps


def follow_the_check(reader, timeout: float) -> tuple[str, list[dict], list[str]]:
    """Follow the one-click check as a screen-reader user does until a verdict shows,
    answering each question with the button a person would press ("Ready" to an instruction,
    "Answer yes" to "Did you hear…?"). Returns the verdict, what was announced on the way and
    the buttons pressed."""
    heard: list[dict] = []
    pressed: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        on_screen = reader.find()
        heard += reader.heard()
        verdict = [o["name"] for o in on_screen if o["name"] in VERDICTS]
        if verdict:
            return verdict[0], heard, pressed
        for answer in ("Ready", "Answer yes"):
            if any(o["name"] == answer and o["role"] == "push button" and "Press" in o["actions"]
                   for o in on_screen):
                reader.press(answer)
                pressed.append(answer)
                # Qt clicks a pressed button a moment later (animateClick): answer only once
                reader.wait_gone(name=answer, role="push button", timeout=10)
                break
        time.sleep(0.1)
    raise AssertionError(f"no verdict within {timeout:.0f} s; steps heard checking: "
                         f"{steps_checked(heard)}, pressed: {pressed}\n"
                         f"on screen:\n{reader.tree()}")


def test_a_screen_reader_user_checks_everything_and_exports_the_report(
        atspi_desktop: AccessibleDesktop, pipewire_server, tmp_path: Path, artifacts: Path):
    t0 = time.monotonic()
    demo_settings()
    # demo mode stands in for camera, microphone and network; the private sound server is the
    # computer's speaker, so the speaker check plays its sound and asks whether it was heard
    app = atspi_desktop.launch_techcheck(sound=pipewire_server)
    reader = atspi_desktop.reader
    assert reader is not None
    reader.wait_for(name=WINDOW_TITLE, role="frame", timeout=30)

    # Start: with no camera the app says so first, with the fix, and offers the demo, which a
    # press on the offer runs: every check, each on its own page, ending on Results
    reader.press("Start the check", timeout=60)
    t_start = time.monotonic()
    reader.wait_for(name="Look for the camera and microphone again", role="push button",
                    timeout=10)
    assert reader.find(name="Check my devices anyway", role="push button")
    reader.press("See how it works with a sample video", timeout=10)
    seconds = {"launch_to_start_pressed": round(t_start - t0, 1)}
    verdict, heard, pressed = follow_the_check(reader, timeout=75)
    t_verdict = time.monotonic() - t_start
    assert steps_checked(heard) == ["Camera", "Microphone", "Speakers", "Internet connection",
                                    "Computer"], heard
    # The sample speaker makes no sound: nothing to set or to have heard, so nothing is asked.
    assert pressed == [], pressed
    reader.wait_for(name="Your results", role="label", timeout=5)  # it ended on Results
    assert verdict == "Demo finished"  # a demo, never a readiness (issue 20)
    assert not reader.find(name=list(UNFINISHED))
    assert reader.find(name=verdict, role="label")  # read out as text, not only a colour
    # a finding's status icon says its status ("Failed", "Warning") to those who cannot see it
    images = reader.find(role="image")
    assert images and [o for o in images if not o["name"].strip()] == [], images

    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    for item, path in (("Web page (HTML)…", html), ("PDF document…", pdf)):
        t = time.monotonic()
        export(reader, item, path)
        seconds[f"export_{path.suffix[1:]}"] = round(time.monotonic() - t, 1)

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
    (artifacts / "atspi-journey.json").write_text(json.dumps({
        "verdict": verdict, "steps_heard_checking": steps_checked(heard), "answered": pressed,
        "seconds": {**seconds, "start_to_verdict": round(t_verdict, 1),
                    "total": round(elapsed, 1)},
        "touched": [f"{c['role']}: {c['name']}" for c in reader.touched]}, indent=1))
    assert elapsed < 100, f"journey took {elapsed:.0f} s (verdict {t_verdict:.0f} s after Start)"
