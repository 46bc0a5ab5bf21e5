"""The screen check (issue 24, item 2): the screens a desktop reports, whether it can share one,
and how tall ordinary text arrives for the interviewer once the call has shrunk the screen to
its share resolution. Real X servers (Xvfb) of 3840×2160 and 1920×1080, read through the real
``xrandr`` and ``xrdb``."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from techcheck.checks import registry
from techcheck.checks.context import CheckContext
from techcheck.checks.model import Status
from techcheck.checks.profile import generic_limits, load_profile
from techcheck.checks.screen import ScreenCheck, ScreenLimits, legibility, probe
from techcheck.checks.screen.measures import SHARED_TEXT


def _ctx() -> CheckContext:
    schemas = {**registry.limit_schemas(registry.discover()), "screen": ScreenLimits}
    return CheckContext(profile=load_profile("generic", schemas))


def _limits() -> ScreenLimits:
    return generic_limits("screen", ScreenLimits)


def _env(display: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "GDK_SCALE",
                        "QT_SCALE_FACTOR")}
    if display:
        env["DISPLAY"] = display
    return env


# --- the pure legibility function ---------------------------------------------------------

def test_text_arrives_at_its_size_from_a_1080p_screen_and_halved_from_4k():
    lim = _limits()
    share = (lim.share_width_px, lim.share_height_px)
    assert legibility.shared_text_px(1920, 1080, 1.0, 13, *share) == 13.0
    assert legibility.shared_text_px(3840, 2160, 1.0, 13, *share) == 6.5
    assert legibility.shared_text_px(3840, 2160, 2.0, 13, *share) == 13.0
    # A smaller screen is sent as it is, never enlarged; a tall one is limited by its height.
    assert legibility.shared_text_px(1280, 720, 1.0, 13, *share) == 13.0
    assert legibility.shared_text_px(1080, 2160, 1.0, 13, *share) == 6.5
    assert legibility.scale_needed(3840, 2160, 13, 12, *share) == pytest.approx(24 / 13)
    with pytest.raises(ValueError):
        legibility.shared_text_px(0, 1080, 1.0, 13, *share)


@pytest.mark.parametrize(("text_px", "status"), [
    (12.0, None), (11.99, Status.TIP), (10.0, Status.TIP), (9.99, Status.WARN), (6.5, Status.WARN)])
def test_the_limits_at_their_boundaries(text_px, status):
    """At the tip limit (12 px) nothing; just under it a tip; at 10 px still a tip; under it a
    warning (docs/verdicts.md, screen.text_too_small)."""
    from techcheck.checks.base import ResultBuilder

    r = ResultBuilder("screen", "Screen sharing")
    r.grade(SHARED_TEXT, text_px, _limits(), share="1920×1080", screen="3840×2160", scale=100,
            scale_fix=200)
    found = [f.status for f in r.build().findings]
    assert found == ([] if status is None else [status])


# --- xrandr and xrdb output, read defensively -----------------------------------------------

XRANDR_TWO = """Screen 0: minimum 320 x 200, current 5760 x 2160, maximum 16384 x 16384
eDP-1 connected primary 1920x1080+0+0 (normal left inverted right x axis y axis) 344mm x 194mm
   1920x1080     60.00*+
DP-1 connected 3840x2160+1920+0 (normal left inverted right x axis y axis) 600mm x 340mm
   3840x2160     60.00*+
HDMI-1 disconnected (normal left inverted right x axis y axis)
DP-2 connected (normal left inverted right x axis y axis)
garbage connected 99999999x1+0+0
"""


def test_xrandr_output_gives_the_active_outputs_and_skips_what_it_cannot_read():
    assert probe.parse_xrandr(XRANDR_TWO) == [("eDP-1", 1920, 1080, True),
                                              ("DP-1", 3840, 2160, False)]
    assert probe.parse_xrandr("Screen 0: minimum 1 x 1, current 1024 x 768, maximum 1024 x 768\n"
                              ) == [("screen 0", 1024, 768, False)]
    assert probe.parse_xrandr("") == [] and probe.parse_xrandr("\x00" * 100) == []


def test_the_x11_scale_comes_from_xft_dpi_then_the_toolkits_variables():
    assert probe.x11_scale("Xft.dpi:\t192\nXft.antialias:\t1\n", {}) == 2.0
    assert probe.x11_scale("Xft.dpi: 144\n", {"GDK_SCALE": "3"}) == 1.5
    assert probe.x11_scale("", {"GDK_SCALE": "2"}) == 2.0
    assert probe.x11_scale(None, {"QT_SCALE_FACTOR": "nonsense"}) == 1.0
    assert probe.x11_scale("Xft.dpi: 0\n", {}) == 1.0  # out of range: ignored


# --- the check on real X servers --------------------------------------------------------------

needs_x = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xrandr")),
                             reason="needs Xvfb and xrandr (Debian xvfb, x11-xserver-utils)")


@pytest.fixture
def xserver():
    """Start an Xvfb of a given size; yields a function returning its DISPLAY value."""
    from pyvirtualdisplay import Display

    started: list[Display] = []

    def start(width: int, height: int) -> str:
        # -noreset: a desktop's session keeps the server's resources (Xft.dpi) while clients
        # come and go; a bare Xvfb would wipe them when xrdb disconnects.
        d = Display(backend="xvfb", size=(width, height), color_depth=24,
                    extra_args=["-noreset"], manage_global_env=False)
        d.start()
        started.append(d)
        return f":{d.display}"

    yield start
    for d in started:
        d.stop()


def _run_on(env: dict[str, str]):
    return ScreenCheck(lambda: probe.linux_desktop(env)).run(_ctx())


@pytest.mark.xvfb
@needs_x
def test_a_4k_screen_at_100_percent_warns_that_shared_text_is_unreadable(xserver):
    r = _run_on(_env(xserver(3840, 2160)))
    assert r.metrics["screens"].value == 1 and r.metrics["screen_scale"].value == 100
    assert r.metrics["shared_text_height"].value == 6.5
    assert r.metrics["can_share_screen"].value is True
    (f,) = r.findings
    assert (f.code, f.status, f.threshold) == ("screen.text_too_small", Status.WARN, 10.0)
    assert r.status is Status.WARN
    text, fix = f.text("en"), f.fix_text("en")
    assert "3840×2160" in text and "6.5 px" in text and "1920×1080" in text, text
    assert "Share one window" in fix and "200 %" in fix, fix
    sv = f.text("sv")
    assert "6,5" in sv and "px" in sv, sv


@pytest.mark.xvfb
@needs_x
def test_a_1080p_screen_at_100_percent_gives_nothing(xserver):
    r = _run_on(_env(xserver(1920, 1080)))
    assert r.metrics["shared_text_height"].value == 13.0
    assert r.findings == [] and r.status is Status.PASS
    assert r.details["screens"] == [{"name": "screen", "width_px": 1920, "height_px": 1080,
                                     "scale": 1.0, "primary": False}]


@pytest.mark.xvfb
@needs_x
def test_a_4k_screen_at_200_percent_is_legible(xserver):
    """The desktop's scale as X11 desktops set it (``Xft.dpi`` in the server's resources)."""
    display = xserver(3840, 2160)
    env = _env(display)
    subprocess.run(["xrdb", "-merge"], input=b"Xft.dpi: 192\n", env=env, check=True, timeout=10)
    r = _run_on(env)
    assert r.metrics["screen_scale"].value == 200
    assert r.metrics["shared_text_height"].value == 13.0 and r.findings == []


def test_without_a_display_the_check_says_it_could_not_measure_and_does_not_fail():
    r = _run_on(_env(None))
    assert r.metrics["shared_text_height"].value == "unknown"
    assert r.metrics["shared_text_height"].status is None
    (f,) = r.findings
    assert (f.code, f.status) == ("screen.not_measured", Status.TIP)
    assert "Could not measure" in f.text("en")
    assert r.status is Status.PASS and r.error is None


@pytest.mark.skipif(not (shutil.which("dbus-daemon") and shutil.which("gdbus")),
                    reason="needs dbus-daemon and gdbus")
def test_a_wayland_session_without_the_screencast_portal_warns(tmp_path):
    """A private session bus with no portal on it: gdbus asks, nobody answers."""
    proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = proc.stdout.readline().strip()  # type: ignore[union-attr]
        env = {**_env(None), "WAYLAND_DISPLAY": "wayland-0", "DBUS_SESSION_BUS_ADDRESS": address,
               "XDG_RUNTIME_DIR": str(tmp_path)}
        (tmp_path / "pipewire-0").touch()
        r = _run_on(env)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()  # type: ignore[union-attr]
    assert r.details["sharing"]["screencast_portal"] is False
    assert r.metrics["can_share_screen"].value is False
    codes = {f.code: f.status for f in r.findings}
    assert codes["screen.cannot_share"] is Status.WARN
    assert "portal" in next(f for f in r.findings if f.code == "screen.cannot_share").text("en")


def test_with_a_laptop_and_a_4k_screen_the_4k_one_is_judged_and_named():
    """Either screen may be the one shared: the one whose text arrives smallest decides, and
    the finding names its size (the desktop as a platform reports it, e.g. xrandr's two
    outputs in XRANDR_TWO)."""
    screens = [probe.Screen(n, w, h, 1.0, p) for n, w, h, p in probe.parse_xrandr(XRANDR_TWO)]
    r = ScreenCheck(lambda: probe.Desktop("x11", screens, True)).run(_ctx())
    assert r.metrics["screens"].value == 2
    assert r.details["shared_text"]["by_screen"] == {"eDP-1": 13.0, "DP-1": 6.5}
    (f,) = r.findings
    assert f.code == "screen.text_too_small" and "3840×2160" in f.text("en")
