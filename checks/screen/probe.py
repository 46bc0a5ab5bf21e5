"""What the desktop says about its screens and about sharing one, per platform, each behind a
function with a fallback: a platform that cannot tell gives an empty list or ``None`` (not
measured), never an exception and never a guess.

No module-level import of a platform's own modules (tests/app/test_platform_imports.py): ctypes'
Windows and macOS parts are reached only inside the functions for that platform.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("techcheck.screen")

#: How long a helper program (xrandr, xrdb, gdbus) may take: a desktop that does not answer
#: within this is treated as one that cannot tell.
TIMEOUT_S = 3.0
#: The most output read from a helper: xrandr on a desk with many outputs and modes stays
#: far below this.
MAX_OUTPUT = 256 * 1024


@dataclass(frozen=True)
class Screen:
    """One screen in device pixels, with its display scale (1.0 = 100 %; None: unknown)."""

    name: str
    width_px: int
    height_px: int
    scale: float | None
    primary: bool = False


@dataclass
class Desktop:
    """What a platform reports: its kind, its screens, and whether it can share one
    (``can_share`` None: could not tell) with the reason in ``share_note``."""

    kind: str  # "x11", "wayland", "macos", "windows" or "none"
    screens: list[Screen] = field(default_factory=list)
    can_share: bool | None = None
    share_note: str = ""  # a machine-readable reason: "portal_missing", "pipewire_missing"…
    details: dict[str, object] = field(default_factory=dict)


def _run(cmd: list[str], env: dict[str, str] | None = None) -> str | None:
    """A helper program's output (bounded in time and size), or None when it is missing,
    fails or does not answer in time."""
    if shutil.which(cmd[0]) is None:
        return None
    try:
        res = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, env=env, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("%s: %s", cmd[0], exc)
        return None
    if res.returncode != 0:
        return None
    return res.stdout[:MAX_OUTPUT].decode("utf-8", "replace")


# --- X11 --------------------------------------------------------------------------------------

#: "DP-1 connected primary 3840x2160+0+0 (normal…) 600mm x 340mm": an output that shows a
#: picture (a connected output without a mode has no geometry and is left out).
_OUTPUT = re.compile(r"^(\S+) connected( primary)? (\d{1,5})x(\d{1,5})\+(\d{1,5})\+(\d{1,5})\b")
#: "Screen 0: minimum 1 x 1, current 3840 x 2160, maximum …": the whole X screen.
_SCREEN = re.compile(r"^Screen (\d+):.*\bcurrent (\d{1,5}) x (\d{1,5})\b")
_XFT_DPI = re.compile(r"^Xft\.dpi:\s*([0-9]+(?:\.[0-9]+)?)\s*$", re.M)


def parse_xrandr(text: str) -> list[tuple[str, int, int, bool]]:
    """(name, width, height, primary) of each output showing a picture in ``xrandr --query``
    output; the X screen's current size when no output line has a geometry (some servers).
    Lines that do not match are skipped: the format is read defensively."""
    outputs, screens = [], []
    for line in text.splitlines()[:5000]:
        m = _OUTPUT.match(line)
        if m:
            w, h = int(m.group(3)), int(m.group(4))
            if w > 0 and h > 0:
                outputs.append((m.group(1), w, h, bool(m.group(2))))
            continue
        s = _SCREEN.match(line)
        if s and int(s.group(2)) > 0 and int(s.group(3)) > 0:
            screens.append((f"screen {s.group(1)}", int(s.group(2)), int(s.group(3)), False))
    return outputs or screens


def x11_scale(resources: str | None, env: dict[str, str]) -> float | None:
    """The desktop's scale on X11: ``Xft.dpi`` over 96 (what GNOME, KDE, Xfce and Qt set for
    their scale), else ``GDK_SCALE`` or ``QT_SCALE_FACTOR``; with none of them set an X server
    draws at 100 % (1.0)."""
    if resources:
        m = _XFT_DPI.search(resources)
        if m and 24.0 <= float(m.group(1)) <= 960.0:
            return round(float(m.group(1)) / 96.0, 3)
    for key in ("GDK_SCALE", "QT_SCALE_FACTOR"):
        try:
            value = float(env.get(key, ""))
        except ValueError:
            continue
        if 0.25 <= value <= 10:
            return value
    return 1.0


def x11_screens(env: dict[str, str] | None = None) -> list[Screen] | None:
    """The X server's screens through ``xrandr --query``; None when it cannot be asked."""
    env = dict(os.environ if env is None else env)
    text = _run(["xrandr", "--query"], env)
    if text is None:
        return None
    scale = x11_scale(_run(["xrdb", "-query"], env), env)
    return [Screen(n, w, h, scale, p) for n, w, h, p in parse_xrandr(text)]


# --- Wayland ----------------------------------------------------------------------------------

def screencast_portal(env: dict[str, str]) -> bool | None:
    """Whether the session bus offers ``org.freedesktop.portal.ScreenCast`` (its ``version``
    property answers), through gdbus or busctl; None when neither can ask."""
    target = ["org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop"]
    out = _run(["gdbus", "call", "--session", "--timeout", "3", "--dest", target[0],
                "--object-path", target[1], "--method", "org.freedesktop.DBus.Properties.Get",
                "org.freedesktop.portal.ScreenCast", "version"], env)
    if out is not None:
        return True
    if shutil.which("gdbus") is not None:
        return False  # gdbus asked and the portal did not answer
    out = _run(["busctl", "--user", "--timeout=3", "get-property", *target,
                "org.freedesktop.portal.ScreenCast", "version"], env)
    if out is not None:
        return True
    return False if shutil.which("busctl") is not None else None


def pipewire_running(env: dict[str, str]) -> bool:
    """Whether a PipeWire server's socket is there (screen casting on Wayland goes through it)."""
    folder = env.get("PIPEWIRE_RUNTIME_DIR") or env.get("XDG_RUNTIME_DIR") or ""
    name = env.get("PIPEWIRE_REMOTE") or "pipewire-0"
    return bool(folder) and os.path.exists(os.path.join(folder, name))


def linux_desktop(env: dict[str, str] | None = None) -> Desktop:
    env = dict(os.environ if env is None else env)
    wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"
    screens = x11_screens(env) if env.get("DISPLAY") else None
    if wayland:
        # The screens come through Xwayland when it runs; sharing needs the portal and PipeWire.
        portal, pipewire = screencast_portal(env), pipewire_running(env)
        can = None if portal is None else (portal and pipewire)
        note = "" if can else ("pipewire_missing" if portal else
                               "portal_missing" if portal is False else "portal_unknown")
        return Desktop("wayland", screens or [], can, note,
                       {"screencast_portal": portal, "pipewire": pipewire})
    if screens is None:
        return Desktop("none", share_note="no_display")
    # On X11 every client may read the screen (the X protocol's GetImage): sharing works.
    return Desktop("x11", screens, True)


# --- macOS ------------------------------------------------------------------------------------

def macos_desktop() -> Desktop:
    """Screens through CoreGraphics (pixels of the display mode over points for the scale) and
    whether TechCheck itself has Screen Recording permission (``CGPreflightScreenCaptureAccess``,
    macOS 10.15+, asks nothing and shows no dialog)."""
    import ctypes
    import ctypes.util

    path = ctypes.util.find_library("CoreGraphics") or \
        "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
    try:
        cg = ctypes.CDLL(path)
    except OSError:
        return Desktop("macos")
    cg.CGMainDisplayID.restype = ctypes.c_uint32
    cg.CGGetActiveDisplayList.argtypes = [ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint32),
                                          ctypes.POINTER(ctypes.c_uint32)]
    for fn in ("CGDisplayPixelsWide", "CGDisplayPixelsHigh"):
        getattr(cg, fn).restype = ctypes.c_size_t
        getattr(cg, fn).argtypes = [ctypes.c_uint32]
    cg.CGDisplayCopyDisplayMode.restype = ctypes.c_void_p
    cg.CGDisplayCopyDisplayMode.argtypes = [ctypes.c_uint32]
    for fn in ("CGDisplayModeGetPixelWidth", "CGDisplayModeGetPixelHeight"):
        getattr(cg, fn).restype = ctypes.c_size_t
        getattr(cg, fn).argtypes = [ctypes.c_void_p]
    cg.CGDisplayModeRelease.argtypes = [ctypes.c_void_p]
    ids = (ctypes.c_uint32 * 16)()
    count = ctypes.c_uint32(0)
    screens = []
    if cg.CGGetActiveDisplayList(16, ids, ctypes.byref(count)) == 0:
        main = cg.CGMainDisplayID()
        for i in range(min(count.value, 16)):
            d = ids[i]
            points_w = cg.CGDisplayPixelsWide(d)
            mode = cg.CGDisplayCopyDisplayMode(d)
            if not mode or not points_w:
                continue
            w, h = cg.CGDisplayModeGetPixelWidth(mode), cg.CGDisplayModeGetPixelHeight(mode)
            cg.CGDisplayModeRelease(mode)
            screens.append(Screen(f"display {d}", int(w), int(h), round(w / points_w, 3),
                                  d == main))
    can: bool | None = None
    if hasattr(cg, "CGPreflightScreenCaptureAccess"):
        cg.CGPreflightScreenCaptureAccess.restype = ctypes.c_bool
        can = bool(cg.CGPreflightScreenCaptureAccess())
    return Desktop("macos", screens, can, "" if can else "macos_permission")


# --- Windows ----------------------------------------------------------------------------------

def windows_desktop() -> Desktop:
    """Screens through ``EnumDisplayMonitors``: each monitor's mode in device pixels
    (``EnumDisplaySettingsW``, right whatever this process's DPI awareness) and its scale
    (``GetDpiForMonitor`` effective DPI over 96, Windows 8.1+). Windows can always share."""
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
    try:
        shcore = ctypes.WinDLL("shcore")  # type: ignore[attr-defined]
    except OSError:
        shcore = None

    class MonitorInfoEx(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.DWORD), ("rcMonitor", wintypes.RECT),
                    ("rcWork", wintypes.RECT), ("dwFlags", wintypes.DWORD),
                    ("szDevice", wintypes.WCHAR * 32)]

    class DevMode(ctypes.Structure):  # DEVMODEW (wingdi.h), display part of its union
        _fields_ = [("dmDeviceName", wintypes.WCHAR * 32), ("dmSpecVersion", wintypes.WORD),
                    ("dmDriverVersion", wintypes.WORD), ("dmSize", wintypes.WORD),
                    ("dmDriverExtra", wintypes.WORD), ("dmFields", wintypes.DWORD),
                    ("dmPosition", ctypes.c_long * 2), ("dmDisplayOrientation", wintypes.DWORD),
                    ("dmDisplayFixedOutput", wintypes.DWORD), ("dmColor", ctypes.c_short),
                    ("dmDuplex", ctypes.c_short), ("dmYResolution", ctypes.c_short),
                    ("dmTTOption", ctypes.c_short), ("dmCollate", ctypes.c_short),
                    ("dmFormName", wintypes.WCHAR * 32), ("dmLogPixels", wintypes.WORD),
                    ("dmBitsPerPel", wintypes.DWORD), ("dmPelsWidth", wintypes.DWORD),
                    ("dmPelsHeight", wintypes.DWORD), ("dmDisplayFlags", wintypes.DWORD),
                    ("dmDisplayFrequency", wintypes.DWORD), ("dmICM", wintypes.DWORD * 6),
                    ("dmPanning", wintypes.DWORD * 2)]  # 220 bytes, DEVMODEW's full size

    screens: list[Screen] = []
    proc = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HMONITOR, wintypes.HDC,  # type: ignore[attr-defined]
                              ctypes.POINTER(wintypes.RECT), wintypes.LPARAM)
    # Handles are pointer-sized: without argtypes ctypes would pass them as 32-bit ints.
    user32.EnumDisplayMonitors.argtypes = [wintypes.HDC, ctypes.c_void_p, proc, wintypes.LPARAM]
    user32.GetMonitorInfoW.argtypes = [wintypes.HMONITOR, ctypes.POINTER(MonitorInfoEx)]
    user32.EnumDisplaySettingsW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD,
                                            ctypes.POINTER(DevMode)]
    if shcore is not None:
        shcore.GetDpiForMonitor.argtypes = [wintypes.HMONITOR, ctypes.c_int,
                                            ctypes.POINTER(wintypes.UINT),
                                            ctypes.POINTER(wintypes.UINT)]

    def each(hmon: Any, _hdc: Any, _rect: Any, _data: Any) -> bool:  # Win32 handles
        info = MonitorInfoEx()
        info.cbSize = ctypes.sizeof(MonitorInfoEx)
        if not user32.GetMonitorInfoW(hmon, ctypes.byref(info)):
            return True
        mode = DevMode()
        mode.dmSize = ctypes.sizeof(DevMode)
        if not user32.EnumDisplaySettingsW(info.szDevice, 0xFFFFFFFF,  # ENUM_CURRENT_SETTINGS
                                           ctypes.byref(mode)):
            return True
        scale = None
        x, y = wintypes.UINT(), wintypes.UINT()
        if shcore is not None and shcore.GetDpiForMonitor(hmon, 0, ctypes.byref(x),
                                                          ctypes.byref(y)) == 0:
            scale = x.value / 96.0
            logical = info.rcMonitor.right - info.rcMonitor.left
            if scale == 1.0 and 0 < logical < mode.dmPelsWidth:
                scale = mode.dmPelsWidth / logical  # a DPI-unaware process is told 96
        screens.append(Screen(info.szDevice, int(mode.dmPelsWidth), int(mode.dmPelsHeight),
                              None if scale is None else round(scale, 3),
                              bool(info.dwFlags & 1)))
        return True

    user32.EnumDisplayMonitors(None, None, proc(each), 0)
    return Desktop("windows", screens, True)


def desktop() -> Desktop:
    """This computer's desktop, by platform; a platform whose probe breaks is "could not
    tell" (logged), never an error of the check."""
    import ctypes

    try:
        if sys.platform == "win32":
            return windows_desktop()
        if sys.platform == "darwin":
            return macos_desktop()
        return linux_desktop()
    except (OSError, AttributeError, ValueError, TypeError, ctypes.ArgumentError) as exc:
        log.warning("cannot read the screens: %s", exc)
        return Desktop("unknown")
