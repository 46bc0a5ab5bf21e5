"""scripts/debian-packages.txt in two sections (issue 23, item 12): ``setup.sh start`` installs
only what running the app needs, ``setup.sh test`` (and so CI, .ci/run) everything.

The lists are read the way the set-up reads them: ``bash scripts/setup.sh packages start|test``
runs the script's own parser and installs nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Tools only the tests or the bundle build use (named by the issue: coturn, Xvfb, PipeWire,
#: espeak-ng, sox, AT-SPI), none of which the app runs or loads.
TEST_ONLY = {
    "xvfb", "xauth", "pipewire", "pipewire-bin", "pipewire-alsa", "pipewire-pulse",
    "wireplumber", "dbus-daemon", "alsa-utils", "espeak-ng", "sox", "coturn", "iproute2",
    "poppler-utils", "at-spi2-core", "python3-pyatspi", "gir1.2-atspi-2.0", "icu-devtools",
    "gcc", "faketime",
}


def listed(mode: str, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "scripts/setup.sh", "packages", mode], cwd=root,
                          capture_output=True, text=True, timeout=30)


def packages(mode: str) -> list[str]:
    res = listed(mode)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    return res.stdout.split()


def every_package_in_the_file() -> set[str]:
    lines = (ROOT / "scripts" / "debian-packages.txt").read_text(encoding="utf-8").splitlines()
    return {s.split()[0] for s in (line.strip() for line in lines)
            if s and not s.startswith(("#", "["))}


def test_start_installs_no_test_tool_and_test_installs_everything():
    start, test = packages("start"), packages("test")
    assert start and len(start) == len(set(start))
    assert not set(start) & TEST_ONLY, set(start) & TEST_ONLY
    assert set(start) < set(test)
    assert set(test) == every_package_in_the_file()  # CI (setup.sh test) misses none
    assert set(test) >= TEST_ONLY
    # What the app itself runs: PortAudio, pactl (checks/audio/transport.py), xrandr and
    # xrdb (checks/screen/probe.py), and venv for the set-up.
    assert {"libportaudio2", "pulseaudio-utils", "x11-xserver-utils", "python3-venv"} <= set(start)


@pytest.mark.skipif(shutil.which("dpkg") is None or shutil.which("ldd") is None,
                    reason="reads which Debian package holds each library")
def test_every_listed_library_qts_window_loads_is_installed_by_start():
    """Qt's xcb platform plug-in (the app's window on X11) loads these libraries: any the list
    names must be in [start], or ``setup.sh start`` opens no window on a fresh machine."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=30,
                         check=True).stdout
    libs = [str(Path(p).resolve()) for p in
            (line.split("=>")[1].split()[0] for line in out.splitlines() if "=> /" in line)
            if "PySide6" not in p]
    owners = subprocess.run(["dpkg", "-S", *libs], capture_output=True, text=True, timeout=30)
    loaded = {line.split(":")[0] for line in owners.stdout.splitlines() if ":" in line}
    needed = loaded & every_package_in_the_file()
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libgl1"} <= needed  # the lookup worked
    assert needed <= set(packages("start")), needed - set(packages("start"))


@pytest.mark.parametrize("text, line", [
    ("libgl1\n[start]\nlibegl1\n", 1),          # before any section
    ("[start]\nlibgl1\n[tests]\nsox\n", 3),     # a section the set-up does not know
])
def test_a_package_outside_the_two_sections_stops_the_set_up(tmp_path, text, line):
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    (tmp_path / "scripts" / "debian-packages.txt").write_text(text, encoding="utf-8")
    for mode in ("start", "test"):
        res = listed(mode, tmp_path)
        assert res.returncode == 1
        assert res.stderr == (f"setup: scripts/debian-packages.txt line {line}: not in a "
                              "[start] or [test] section\n")
