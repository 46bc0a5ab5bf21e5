"""Whether the interview platform's desktop app is installed, and which version.

A candidate often finds out that Teams is not installed, or that Zoom refuses an old client,
only when the invitation link opens (Zoom enforces a new global minimum version every 90 days:
support.zoom.com KB0061900, "Minimum, Prompted, and Slow/Fast Update Versions"). Each source the
operating system keeps is read behind its own function that returns nothing when the source is
absent or does not answer:

- Windows: the uninstall keys (``HKLM``/``HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\
  Uninstall``, also under ``WOW6432Node``; values ``DisplayName``/``DisplayVersion``, Microsoft
  Learn "Uninstall Registry Key"), and the MSIX package of new Teams (``MSTeams``, through
  PowerShell's ``Get-AppxPackage``; the package folder under ``%LOCALAPPDATA%\\Packages`` when
  PowerShell does not answer);
- macOS: the app bundle's ``Contents/Info.plist`` (``CFBundleShortVersionString``, Apple's
  Information Property List reference) in /Applications and ~/Applications;
- Linux: dpkg-query, rpm, flatpak and snap, each a short command with a time limit and a bound
  on what is read.

``winreg`` is imported inside the Windows function only, so this module loads everywhere.
"""

from __future__ import annotations

import logging
import os
import plistlib
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

log = logging.getLogger("techcheck.system")

#: What one command may print before the rest is dropped, and how long it may take: a package
#: query answers in well under a second; a hung package manager must not hold the check.
OUTPUT_LIMIT = 64 * 1024
COMMAND_TIMEOUT_S = 5.0
#: Info.plist files are a few KB; a larger one is not read.
PLIST_LIMIT = 1024 * 1024
#: The uninstall keys hold a few hundred entries on a used machine; the walk stops here.
MAX_UNINSTALL_KEYS = 5000


@dataclass(frozen=True)
class AppNames:
    """What each system calls one platform's desktop app."""

    title: str  # the app's name in messages (a brand: the same in every language)
    linux_packages: tuple[str, ...] = ()  # dpkg and rpm package names
    flatpaks: tuple[str, ...] = ()  # Flathub application ids
    snaps: tuple[str, ...] = ()  # Snap Store names
    mac_bundles: tuple[str, ...] = ()  # bundle folder names under /Applications
    windows_names: tuple[str, ...] = ()  # DisplayName prefixes, lower case
    windows_excluded: tuple[str, ...] = ()  # DisplayName prefixes that are not the app
    msix: tuple[str, ...] = ()  # MSIX package names


#: The platforms with a desktop app (docs: Zoom "Download Center", Microsoft "Download Teams",
#: Webex "Download the Webex App"; Teams for Linux is the community client Microsoft's own
#: Linux app was retired for in 2022). Google Meet has no desktop app: it runs in the browser.
APPS: dict[str, AppNames] = {
    "zoom": AppNames(
        "Zoom", linux_packages=("zoom",), flatpaks=("us.zoom.Zoom",), snaps=("zoom-client",),
        mac_bundles=("zoom.us.app",), windows_names=("zoom",),
        windows_excluded=("zoom outlook", "zoom plugin", "zoom rooms")),
    "teams": AppNames(
        "Microsoft Teams", linux_packages=("teams", "teams-for-linux"),
        flatpaks=("com.github.IsmaelMartinez.teams_for_linux",), snaps=("teams-for-linux",),
        mac_bundles=("Microsoft Teams.app", "Microsoft Teams (work or school).app",
                     "Microsoft Teams classic.app"),
        windows_names=("microsoft teams",),
        windows_excluded=("microsoft teams meeting add-in",), msix=("MSTeams",)),
    "webex": AppNames(
        "Webex", linux_packages=("webex",), mac_bundles=("Webex.app", "Cisco Webex Meetings.app"),
        windows_names=("webex", "cisco webex")),
}
#: Platforms whose interviews run in the browser: there is no app to look for.
BROWSER_ONLY = ("meet",)


@dataclass(frozen=True)
class InstalledApp:
    name: str  # what the system calls it ("zoom", "Zoom Workplace", "zoom.us.app")
    version: str  # as the system gives it; "" when it does not say
    source: str  # "dpkg", "rpm", "flatpak", "snap", "registry", "msix", "app bundle"

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "source": self.source}


@dataclass(frozen=True)
class Where:
    """Where to look: the real system's places by default; a test points them elsewhere (a
    private dpkg database, a folder of app bundles)."""

    dpkg_admindir: str | None = None
    mac_folders: tuple[Path, ...] | None = None
    #: which sources to ask on Linux (all by default)
    linux_sources: tuple[str, ...] = ("dpkg", "rpm", "flatpak", "snap")


# --- versions --------------------------------------------------------------------------------

_VERSION = re.compile(r"(\d+(?:\.\d+)*)")


def version_key(text: str) -> tuple[int, ...] | None:
    """The numbers of a version as a tuple to compare ("1:6.0.11.4-1" → (6, 0, 11, 4);
    "6.0.11 (39959)" → (6, 0, 11)), or None when it has none. A Debian epoch ("1:") is left
    out: vendors' minimum versions never carry one."""
    text = text.strip()
    if re.match(r"^\d+:", text):
        text = text.split(":", 1)[1]
    m = _VERSION.search(text)
    if m is None:
        return None
    return tuple(int(p) for p in m.group(1).split(".")[:8])


def older_than(version: str, minimum: str) -> bool | None:
    """Whether ``version`` is older than ``minimum`` (missing parts count as 0), None when
    either has no number to compare."""
    have, want = version_key(version), version_key(minimum)
    if have is None or want is None:
        return None
    size = max(len(have), len(want))
    return have + (0,) * (size - len(have)) < want + (0,) * (size - len(want))


def version_problem(value: str) -> str | None:
    """Why a profile's ``app_min_version`` cannot be used (None: usable); empty means none."""
    if value == "":
        return None
    if len(value) > 40 or not re.fullmatch(r"\d+(\.\d+){0,7}", value):
        return "must be empty or a version such as \"6.3.0\" (numbers and dots)"
    return None


# --- running a command, bounded ---------------------------------------------------------------


def run_bounded(cmd: list[str], timeout: float = COMMAND_TIMEOUT_S,
                limit: int = OUTPUT_LIMIT) -> tuple[int, str] | None:
    """(exit status, the first ``limit`` bytes of its output as text) of ``cmd``, killed after
    ``timeout`` seconds; None when it cannot be started. The output is read up to the limit
    only, so a command that prints without end costs neither memory nor time."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL)
    except (OSError, ValueError) as exc:
        log.info("%s: %s", cmd[0], exc)
        return None
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        assert proc.stdout is not None
        data = proc.stdout.read(limit)
        if proc.poll() is None:
            proc.kill()  # printed past the limit, or still running after closing its output
        status = proc.wait()
    finally:
        timer.cancel()
        if proc.stdout is not None:
            proc.stdout.close()
    return status, data.decode("utf-8", "replace")


# --- Linux ------------------------------------------------------------------------------------


def dpkg_app(packages: Iterable[str], admindir: str | None = None) -> InstalledApp | None:
    """The first of ``packages`` dpkg says is installed, with its version."""
    if shutil.which("dpkg-query") is None:
        return None
    for name in packages:
        cmd = ["dpkg-query", "-W", "-f", "${db:Status-Status}\t${Version}\n"]
        if admindir is not None:
            cmd.append(f"--admindir={admindir}")
        res = run_bounded([*cmd, "--", name])
        if res is None or res[0] != 0:
            continue
        for line in res[1].splitlines():
            status, _, version = line.partition("\t")
            if status == "installed":
                return InstalledApp(name, version.strip(), "dpkg")
    return None


def rpm_app(packages: Iterable[str]) -> InstalledApp | None:
    """The first of ``packages`` rpm says is installed, with its version."""
    if shutil.which("rpm") is None:
        return None
    for name in packages:
        res = run_bounded(["rpm", "-q", "--qf", "%{VERSION}\n", "--", name])
        if res is not None and res[0] == 0 and res[1].strip():
            return InstalledApp(name, res[1].splitlines()[0].strip(), "rpm")
    return None


def parse_flatpak_list(text: str) -> dict[str, str]:
    """``flatpak list --app --columns=application,version``: application id → version."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if parts and parts[0].strip():
            out[parts[0].strip()] = parts[1].strip() if len(parts) > 1 else ""
    return out


def flatpak_app(ids: Iterable[str]) -> InstalledApp | None:
    ids = tuple(ids)
    if not ids or shutil.which("flatpak") is None:
        return None
    res = run_bounded(["flatpak", "list", "--app", "--columns=application,version"])
    if res is None or res[0] != 0:
        return None
    installed = parse_flatpak_list(res[1])
    return next((InstalledApp(i, installed[i], "flatpak") for i in ids if i in installed), None)


def parse_snap_list(text: str) -> dict[str, str]:
    """``snap list``'s table (Name Version Rev Tracking Publisher Notes): name → version."""
    out: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0]] = parts[1]
    return out


def snap_app(names: Iterable[str]) -> InstalledApp | None:
    names = tuple(names)
    if not names or shutil.which("snap") is None:
        return None
    res = run_bounded(["snap", "list"])
    if res is None or res[0] != 0:
        return None
    installed = parse_snap_list(res[1])
    return next((InstalledApp(n, installed[n], "snap") for n in names if n in installed), None)


# --- macOS ------------------------------------------------------------------------------------


def bundle_version(bundle: Path) -> str | None:
    """The ``CFBundleShortVersionString`` of an app bundle ("" when the plist lacks it), None
    when the bundle is not there or its Info.plist cannot be read."""
    plist = bundle / "Contents" / "Info.plist"
    try:
        if not plist.is_file() or plist.stat().st_size > PLIST_LIMIT:
            return None
        with plist.open("rb") as f:
            data = plistlib.loads(f.read(PLIST_LIMIT))
    except (OSError, plistlib.InvalidFileException, ExpatError, ValueError, OverflowError) as exc:
        log.info("%s: %s", plist, exc)
        return None
    if not isinstance(data, dict):
        return None
    version = data.get("CFBundleShortVersionString") or data.get("CFBundleVersion") or ""
    return version[:100] if isinstance(version, str) else ""


def mac_app(bundles: Iterable[str], folders: Iterable[Path]) -> InstalledApp | None:
    for folder in folders:
        for name in bundles:
            version = bundle_version(folder / name)
            if version is not None:
                return InstalledApp(name, version, "app bundle")
    return None


# --- Windows ----------------------------------------------------------------------------------

_UNINSTALL = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
_UNINSTALL_32 = r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"


def uninstall_entries(winreg: Any = None) -> Iterator[tuple[str, str]]:
    """(DisplayName, DisplayVersion) of each program in the uninstall keys of the machine
    (64- and 32-bit views) and of the user. ``winreg`` is the standard module on Windows; a
    test passes a stand-in with the same functions."""
    if winreg is None:
        import winreg as real  # Windows only: imported here so the module loads everywhere

        winreg = real
    roots = ((winreg.HKEY_LOCAL_MACHINE, _UNINSTALL), (winreg.HKEY_LOCAL_MACHINE, _UNINSTALL_32),
             (winreg.HKEY_CURRENT_USER, _UNINSTALL))
    seen = 0
    for root, path in roots:
        try:
            key = winreg.OpenKey(root, path)
        except OSError:
            continue
        with key:
            for i in range(MAX_UNINSTALL_KEYS):
                try:
                    sub = winreg.EnumKey(key, i)
                except OSError:  # no more subkeys
                    break
                seen += 1
                if seen > MAX_UNINSTALL_KEYS:
                    return
                try:
                    with winreg.OpenKey(key, sub) as entry:
                        name = _value(winreg, entry, "DisplayName")
                        if name:
                            yield name, _value(winreg, entry, "DisplayVersion")
                except OSError:
                    continue


def _value(winreg: Any, key: Any, name: str) -> str:
    try:
        value, _kind = winreg.QueryValueEx(key, name)
    except OSError:
        return ""
    return value[:200] if isinstance(value, str) else ""


def registry_app(app: AppNames, entries: Iterable[tuple[str, str]]) -> InstalledApp | None:
    for name, version in entries:
        low = name.lower()
        if low.startswith(app.windows_names) and not low.startswith(app.windows_excluded):
            return InstalledApp(name, version, "registry")
    return None


def parse_appx_version(text: str) -> str | None:
    """The version ``Get-AppxPackage … | Select-Object -ExpandProperty Version`` printed."""
    m = re.search(r"^\s*(\d+(?:\.\d+){1,3})\s*$", text, re.MULTILINE)
    return m.group(1) if m else None


def msix_app(packages: Iterable[str]) -> InstalledApp | None:
    """New Teams is an MSIX package, not in the uninstall keys."""
    for name in packages:
        res = run_bounded(["powershell", "-NoProfile", "-NonInteractive", "-Command",
                           f"Get-AppxPackage -Name {name} | Select-Object -ExpandProperty "
                           "Version"], timeout=10)
        if res is not None and res[0] == 0 and (version := parse_appx_version(res[1])):
            return InstalledApp(name, version, "msix")
        local = os.environ.get("LOCALAPPDATA")
        if local and any(Path(local, "Packages").glob(f"{name}_*")):
            return InstalledApp(name, "", "msix")
    return None


# --- one question for every system -------------------------------------------------------------


def find_app(platform: str, where: Where | None = None,
             system: str | None = None) -> InstalledApp | None:
    """The installed desktop app of ``platform`` (a profile's platform), or None when none of
    the system's sources knows it (or the platform has no app)."""
    app = APPS.get(platform)
    if app is None:
        return None
    where = where or Where()
    system = system or sys.platform
    lookups: list[Callable[[], InstalledApp | None]]
    if system.startswith("win"):
        lookups = [lambda: registry_app(app, uninstall_entries()), lambda: msix_app(app.msix)]
    elif system == "darwin":
        folders = where.mac_folders or (Path("/Applications"), Path.home() / "Applications")
        lookups = [lambda: mac_app(app.mac_bundles, folders)]
    else:
        by_source = {
            "dpkg": lambda: dpkg_app(app.linux_packages, where.dpkg_admindir),
            "rpm": lambda: rpm_app(app.linux_packages),
            "flatpak": lambda: flatpak_app(app.flatpaks),
            "snap": lambda: snap_app(app.snaps),
        }
        lookups = [by_source[s] for s in where.linux_sources if s in by_source]
    for lookup in lookups:
        try:
            found = lookup()
        except Exception as exc:  # one broken source must not hide the others
            log.info("looking for the %s app: %s", platform, exc)
            continue
        if found is not None:
            return found
    return None
