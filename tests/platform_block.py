"""Make this Python process look, to TechCheck's own code, like one without some platform's
standard modules: Windows has no ``fcntl``, ``termios``, ``pwd`` or ``grp``; Linux and macOS
have no ``winreg`` or ``msvcrt``; only macOS has ``_scproxy`` and PyObjC.

Only imports made *by TechCheck's code* (modules under ``techcheck``) are refused, with
the same ``ModuleNotFoundError`` the missing platform raises. The standard library and
third-party packages keep their own platform branches: on Linux psutil imports ``resource`` and
``shutil`` imports ``pwd``, and on Windows they take other branches, so refusing them would
test a process no real system runs.

Two hooks, because an import reaches a module two ways: ``builtins.__import__`` sees every
``import`` statement with the importer's globals, even when the module is already in
``sys.modules``; a ``sys.meta_path`` finder sees ``importlib.import_module`` calls, which are
attributed to the first caller outside importlib.

Used by tests/app/test_platform_imports.py in a fresh subprocess per blocked set:
``python -c "from tests import platform_block; platform_block.install('posix'); ..."``.
"""

from __future__ import annotations

import builtins
import importlib.abc
import sys
from collections.abc import Iterable
from types import FrameType

#: Standard-library modules that exist on Linux and macOS but not on Windows (Python docs,
#: "Unix Specific Services" and the "Availability: Unix" notes of each module).
POSIX_ONLY = frozenset({
    "fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog", "posix", "crypt",
    "spwd", "nis", "curses", "readline", "_posixsubprocess", "_posixshmem",
})

#: Modules that exist only on Windows ("MS Windows Specific Services" in the Python docs) or only
#: on macOS (``_scproxy`` and the PyObjC bridges), plus the Windows-only third-party bindings
#: code is tempted to use (pywin32, WMI, comtypes).
WINDOWS_AND_MACOS_ONLY = frozenset({
    "winreg", "_winreg", "msvcrt", "_winapi", "winsound", "_overlapped", "nt", "_msi", "msilib",
    "_wmi", "win32api", "win32con", "win32com", "pywintypes", "wmi", "comtypes",
    "_scproxy", "objc", "AppKit", "Foundation", "CoreFoundation", "CoreWLAN", "AVFoundation",
    "Quartz", "IOKit", "SystemConfiguration",
})

SETS = {"posix": POSIX_ONLY, "windows-macos": WINDOWS_AND_MACOS_ONLY}

#: Top-level package whose imports are policed: TechCheck's own code.
TOP = "techcheck"
#: The packages whose every module is imported.
OURS = ("techcheck.app", "techcheck.checks")

_refused: list[str] = []


_policed: set[str] = {TOP}


def _ours(module_name: object) -> bool:
    return isinstance(module_name, str) and module_name.split(".")[0] in _policed


def _refuse(name: str, importer: str) -> ModuleNotFoundError:
    if f"{importer} -> {name}" not in _refused:
        _refused.append(f"{importer} -> {name}")
    return ModuleNotFoundError(f"No module named {name!r}", name=name)


def _caller_outside_importlib(frame: FrameType | None) -> str | None:
    while frame is not None:
        filename = frame.f_code.co_filename
        name = frame.f_globals.get("__name__", "")
        if not (filename.startswith("<frozen importlib") or name.startswith("importlib")
                or name == __name__):
            return name
        frame = frame.f_back
    return None


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, blocked: frozenset[str]) -> None:
        self.blocked = blocked

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in self.blocked:
            importer = _caller_outside_importlib(sys._getframe(1))
            if _ours(importer):
                raise _refuse(fullname, str(importer))
        return None  # let the real finders decide


def install(which: str | Iterable[str], also: Iterable[str] = ()) -> frozenset[str]:
    """Refuse ``which`` (a key of ``SETS`` or module names) to TechCheck's code, and to the
    top-level packages in ``also`` (e.g. ``tests``), from now on."""
    blocked = SETS[which] if isinstance(which, str) else frozenset(which)
    _policed.update(also)
    real_import = builtins.__import__

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name.split(".")[0] in blocked and _ours((globals or {}).get("__name__")):
            raise _refuse(name, globals["__name__"])
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = guarded_import
    sys.meta_path.insert(0, _Finder(blocked))
    return blocked


def refused() -> list[str]:
    """Each refused import so far, once, as ``importer -> module``: what a real Windows or
    macOS would have failed on, had the code not caught it."""
    return list(_refused)


def import_every_module() -> dict[str, str]:
    """Import every module of ``techcheck.app`` and ``techcheck.checks``; module name → error for those that fail."""
    import importlib
    import pkgutil
    import traceback

    failed: dict[str, str] = {}

    def note(name: str) -> None:
        failed[name] = traceback.format_exc(limit=-3)

    for top in OURS:
        try:
            package = importlib.import_module(top)
        except Exception:
            note(top)
            continue
        for info in pkgutil.walk_packages(package.__path__, f"{top}.", onerror=note):
            try:
                importlib.import_module(info.name)
            except Exception:
                note(info.name)
    return failed


def upload_without_kernel_count() -> dict[str, object]:
    """A real upload to the local measurement server, counted the way it must be where the
    kernel's unacknowledged-byte count is unavailable (the code cannot import ``fcntl``)."""
    from techcheck.checks.network.httpio import parse_origin
    from techcheck.checks.network.server import start_server
    from techcheck.checks.network.transfer import CLOUDFLARE, Transfer

    server = start_server("127.0.0.1", 0)
    try:
        res = Transfer(parse_origin(server.url), CLOUDFLARE, "up", 2, 1.5, lambda: False).run()
    finally:
        server.stop()
    return {"mbps": res.mbps, "requests_ok": res.requests_ok, "error_kinds": res.error_kinds}


def main(argv: list[str]) -> int:
    """``python -m tests.platform_block SET OUT.json``: with SET blocked, import every module,
    discover the checks, run ``techcheck selftest`` (every check on the demo media and a local
    server, then the main window offscreen) and a server-confirmed upload; write what happened.

    ``python -m tests.platform_block collect SET``: collect the test suite with SET blocked to
    the tests too (the Windows and macOS test jobs must at least collect every module)."""
    import json
    import os
    import tempfile

    if argv[0] == "collect":  # python -m tests.platform_block collect SET [pytest args]
        import pytest

        install(argv[1], also=["tests"])
        code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *argv[2:]])
        print("refused:", refused())
        return int(code)
    which, out = argv
    install(which)
    doc: dict[str, object] = {"blocked": which, "import_errors": import_every_module()}
    from techcheck.checks import registry

    doc["plugins"] = {p.id: p.error for p in registry.discover()}
    from techcheck.app import cli

    with tempfile.TemporaryDirectory(prefix="techcheck-platform-") as tmp:
        report = os.path.join(tmp, "selftest.json")
        doc["selftest_exit"] = cli.main(["selftest", "--duration", "2", "--json", report])
        with open(report, encoding="utf-8") as fh:
            doc["selftest"] = json.load(fh)
    doc["upload"] = upload_without_kernel_count()
    doc["refused"] = refused()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
