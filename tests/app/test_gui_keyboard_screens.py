"""Issue 23's "done when", with the keyboard only: on real X screens of 1024×600, 1366×768 at
150 % (911×512 device-independent pixels) and 1920×1080, in English and in Swedish, every page
of the side list (Start, Preparation, Camera, Microphone, Speakers, Internet connection,
Computer, Results, Details) is reached with Tab and the arrow keys; its primary button is
wholly on the screen when the page shows; Return does the page's primary action and its result
is seen; and every Tab stop paints a focus ring (pixels around the widget change when it takes
the focus). Each screen and language is its own process (tests/keyboard_tour.py): Qt reads the
platform and the scale once per process. English runs in the light theme, Swedish in the
dark one; both on the smallest screen, one on each other screen (``SCREENS``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# each case starts an Xvfb of its own size: the cases need not wait for the shared desktop
pytestmark = [pytest.mark.xvfb, pytest.mark.own_display, pytest.mark.slow]

ALL_PAGES = {"start", "checklist", "camera", "microphone", "speaker", "network", "system",
             "results", "details"}
CHECK_PAGES = ("camera", "microphone", "speaker", "network", "system")
#: What the person reads while a step's check runs, and the primary action of Start.
CHECKING = {"en": "Checking…", "sv": "Kontrollerar…"}
START = {"en": "Start the check", "sv": "Starta kontrollen"}
EXPORT = {"en": "Export the report", "sv": "Exportera rapporten"}


def _keyboard_tour(display: str, out, lang: str, role: str, scale: str | None,
                   dark: bool) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    proc = subprocess.run([sys.executable, "-m", "tests.keyboard_tour", str(out), "--lang",
                           lang, "--role", role, *(["--dark"] if dark else [])], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=420)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


#: Both languages on the smallest screen, where a longer text has the least room; one each on
#: the scaled and the large screen (Swedish's dark theme at 150 %, English's light at 1920).
#: A tour is ~30 s and 14 s of processor: the two others added no case the four do not hold.
SCREENS = [
    ((1024, 600), None, (1024, 600), "en"),
    ((1024, 600), None, (1024, 600), "sv"),
    ((1366, 768), "1.5", (911, 512), "sv"),
    ((1920, 1080), None, (1920, 1080), "en"),
]


@pytest.mark.parametrize(("size", "scale", "logical", "lang"), SCREENS,
                         ids=["1024x600-en", "1024x600-sv", "1366x768-150pct-sv", "1920x1080-en"])
def test_every_page_by_keyboard(screen, tmp_path, artifacts, size, scale, logical, lang):
    # a recruiter starts with Preparation and chooses IT support on Start for Details; IT
    # support the other way round; Swedish in the dark theme, so both themes' rings are seen
    role, dark = ("recruiter", False) if lang == "en" else ("it", True)
    s = _keyboard_tour(screen(*size), tmp_path, lang, role, scale, dark)
    assert s["dark"] is dark
    name = f"keyboard-{size[0]}x{size[1]}{'-scaled' if scale else ''}-{lang}"
    (artifacts / f"{name}.json").write_text(json.dumps(s, indent=1), encoding="utf-8")
    assert s["platform"] == "xcb" and s["dpr"] == (1.5 if scale else 1.0)
    assert s["problems"] == [], "\n".join(s["problems"])
    pages = s["pages"]
    assert set(pages) == ALL_PAGES, sorted(pages)
    for key, found in pages.items():
        # wholly on the screen at first show, and the window too
        assert found["whole"] and found["available"][2:] == list(logical), (key, found)
        x, y, w, h = found["button"]
        assert x >= 0 and y >= 0 and x + w <= logical[0] and y + h <= logical[1], (key, found)
        # every Tab stop ringed: at least 1.5 px of changed colour along the whole perimeter
        assert len(found["stops"]) >= 2, (key, found["stops"])
        for stop in found["stops"]:
            assert stop["ring"] >= 1.5 * stop["perimeter"], (key, stop)
    # Return: Start and Preparation start the one-click check on the first step
    for key in ("start", "checklist"):
        assert pages[key]["primary"] == START[lang]
        assert pages[key]["moved_to"] == "camera"
        assert pages[key]["step_while_running"] == CHECKING[lang], pages[key]
    # each step's check runs ("Checking…" in the side list, the progress bar) to its card
    for key in CHECK_PAGES:
        assert pages[key]["step_while_running"] == CHECKING[lang], pages[key]
        assert pages[key]["progress_seen"] and pages[key]["cards"], pages[key]
    # Results: the menu of formats; Details: the diagnostics on the clipboard
    assert pages["results"]["primary"] == EXPORT[lang]
    assert len(pages["results"]["menu"]) == 4, pages["results"]
    assert pages["details"]["copied_chars"] > 1000
    # Results' Tab order: what to fix, then Export, Check everything again, the call preview
    parts = [stop["part"] for stop in pages["results"]["stops"]]
    rank = {"card": 0, "export": 1, "again": 2, "preview": 3, "window": 4}
    assert parts.count("export") == parts.count("again") == 1, parts
    assert parts[0] == "card" and "preview" in parts, parts
    assert [rank[p] for p in parts] == sorted(rank[p] for p in parts), parts
    assert s["left_running"] == []
