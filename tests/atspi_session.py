"""A private accessibility desktop for journey tests: the real app in its own process on the
X server that pytest-xvfb started, exporting its widgets over AT-SPI, and a screen-reader-like
driver (tests/atspi_driver.py) that finds controls by accessible name and role and acts on them.

What runs, all under a private ``XDG_RUNTIME_DIR`` and stopped by pid at the end:

1. a private ``dbus-daemon --session`` (tests/private_bus.py, shared with the PipeWire fixture);
2. ``at-spi-bus-launcher --launch-immediately`` (Debian ``at-spi2-core``): the accessibility bus,
   whose registry daemon is started on demand by that bus and leaves with it;
3. the app, from the project's Python, with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` (Qt exports
   its tree only when a screen reader is said to run, or with that variable);
4. the driver, under Debian's ``/usr/bin/python3``, which has ``pyatspi``
   (``python3-pyatspi``, ``gir1.2-atspi-2.0``); the project's venv does not.

Every wait has a deadline; a failed wait reports what was on screen (the accessible tree).

Fixture (registered in tests/conftest.py): ``atspi_desktop`` -> ``AccessibleDesktop`` with
``.launch_techcheck()`` and ``.reader`` (a ``ScreenReader``).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.private_bus import (
    session_bus_address,
    spawn,
    start_session_bus,
    stop_process,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
DRIVER = Path(__file__).with_name("atspi_driver.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-pyatspi installs
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APP_NAME = "TechCheck"  # QApplication.applicationName(): the application's accessible name

#: Roles a control someone acts on may have (AT-SPI role names, as pyatspi spells them).
CONTROL_ROLES = frozenset({"push button", "menu item", "text", "check box", "radio button",
                           "combo box", "list item", "page tab", "toggle button"})


def missing_parts() -> list[str]:
    """What of the accessibility stack this machine lacks (scripts/debian-packages.txt)."""
    missing = [p for p in ("dbus-daemon",) if shutil.which(p) is None]
    missing += [p for p in (BUS_LAUNCHER, SYSTEM_PYTHON) if not os.access(p, os.X_OK)]
    if os.access(SYSTEM_PYTHON, os.X_OK):
        probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True,
                               timeout=30)
        if probe.returncode != 0:
            missing.append("pyatspi for /usr/bin/python3")
    return missing


class DriverError(AssertionError):
    """The driver could not do what was asked; the message says what was on screen."""


class ScreenReader:
    """Talks to tests/atspi_driver.py: one JSON request a line, one reply a line, each with a
    deadline. Records every control it acted on in ``touched``."""

    def __init__(self, env: dict[str, str], log: Path, app: str = APP_NAME) -> None:
        self.app = app
        self.touched: list[dict[str, Any]] = []
        self._log = log.open("ab")
        self._proc = subprocess.Popen([SYSTEM_PYTHON, str(DRIVER)], env=env, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._log, start_new_session=True)
        self._replies: queue.Queue[dict] = queue.Queue()
        self._ids = 0
        self._reader = threading.Thread(target=self._read, name="atspi-driver-reader",
                                        daemon=True)
        self._reader.start()
        first = self._next_reply(30.0, "the driver to start")
        if first.get("result") != "ready":
            raise DriverError(f"the AT-SPI driver did not start: {first}")

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            try:
                self._replies.put(json.loads(line))
            except ValueError:
                self._replies.put({"ok": False, "error": f"not JSON: {line!r}"})
        self._replies.put({"ok": False, "error": "the driver exited", "eof": True})

    def _next_reply(self, timeout: float, what: str) -> dict:
        try:
            return self._replies.get(timeout=timeout)
        except queue.Empty:
            raise DriverError(f"no answer from the AT-SPI driver within {timeout:.0f} s "
                              f"({what})") from None

    def call(self, op: str, timeout: float = 15.0, **args: Any) -> Any:
        """Send one request and return its result; ``DriverError`` with the driver's message."""
        self._ids += 1
        req = {"op": op, "id": self._ids, "app": self.app, **args}
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(req) + "\n")
        self._proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            reply = self._next_reply(max(0.1, deadline - time.monotonic()), op)
            if reply.get("eof"):
                raise DriverError(f"the AT-SPI driver exited during {op}")
            if reply.get("id") == self._ids:
                break  # older ids are late answers to requests that already timed out
        if not reply["ok"]:
            raise DriverError(f"{op} {args}: {reply['error']}")
        return reply["result"]

    # --- what a screen reader would read ---------------------------------------------------

    def find(self, name: str | list[str] | None = None, role: str | None = None,
             contains: str | None = None) -> list[dict[str, Any]]:
        """Everything on screen (itself and every ancestor showing) that matches."""
        return self.call("find", name=name, role=role, contains=contains)

    def heard(self) -> list[dict[str, Any]]:
        """What a screen reader announced since the last call, oldest first: items becoming
        selected (the side list's current step) and progress bars moving, each with its
        ``type``, ``role``, ``name`` and its parent's name as ``parent``."""
        return self.call("heard")

    def tree(self) -> str:
        try:
            return self.call("tree", timeout=20)
        except DriverError as exc:
            return f"(the tree could not be read: {exc})"

    def wait_for(self, name: str | list[str] | None = None, role: str | None = None,
                 contains: str | None = None, timeout: float = 15.0, *,
                 action: str | None = None) -> dict[str, Any]:
        """The first showing object that matches (and offers ``action``, i.e. is enabled),
        polling until ``timeout``; on failure the message holds the tree on screen."""
        deadline = time.monotonic() + timeout
        last_error = ""
        while True:
            try:
                found = [f for f in self.find(name, role, contains)
                         if action is None or action in f["actions"]]
                if found:
                    return found[0]
            except DriverError as exc:  # e.g. an object went away while it was read
                last_error = str(exc)
            if time.monotonic() > deadline:
                what = {k: v for k, v in (("name", name), ("role", role), ("contains", contains),
                                          ("action", action)) if v is not None}
                raise DriverError(f"nothing on screen matched {what} within {timeout:.0f} s"
                                  f"{'; last error: ' + last_error if last_error else ''}\n"
                                  f"on screen:\n{self.tree()}")
            time.sleep(0.15)

    def wait_gone(self, name: str | None = None, role: str | None = None,
                  timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while self._still_there(name, role):
            if time.monotonic() > deadline:
                raise DriverError(f"{role} {name!r} still on screen after {timeout:.0f} s\n"
                                  f"on screen:\n{self.tree()}")
            time.sleep(0.15)

    def _still_there(self, name: str | None, role: str | None) -> bool:
        try:
            return bool(self.find(name, role))
        except DriverError:  # it went away while it was read
            return True  # ask again

    # --- what a screen-reader user does ----------------------------------------------------

    def press(self, name: str, role: str = "push button", action: str = "Press",
              timeout: float = 15.0) -> dict[str, Any]:
        """Wait until the control is on screen and enabled, then do its action, as a screen
        reader's "activate" does. Returns the control as it was before the action."""
        found = self.wait_for(name=name, role=role, action=action, timeout=timeout)
        done = self.call("act", name=name, role=role, action=action)
        self.touched.append(found)
        return done

    def type_into(self, name: str, text: str, role: str = "text",
                  timeout: float = 15.0) -> dict[str, Any]:
        """Replace the text of an editable field (AT-SPI EditableText)."""
        found = self.wait_for(name=name, role=role, timeout=timeout)
        self.call("set_text", name=name, role=role, text=text)
        self.touched.append(found)
        return found

    def extents(self, name: str, role: str) -> tuple[int, int, int, int]:
        """Where the object is on the screen: x, y, width, height in screen pixels."""
        return tuple(self.call("extents", name=name, role=role))  # type: ignore[return-value]

    def close(self) -> None:
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):  # the driver may have gone already
                self._proc.stdin.close()
        try:
            self._proc.wait(5)
        except subprocess.TimeoutExpired:
            stop_process(self._proc)
        self._reader.join(5)  # it ends at the end of the driver's output
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._log.close()


class AccessibleDesktop:
    """A private session bus and accessibility bus on ``display``, the apps started on it and
    the driver; ``stop()`` ends every process it started, newest first."""

    def __init__(self, root: Path, display: str) -> None:
        self.root = root
        self.runtime = root / "runtime"
        self.display = display
        self.procs: list[subprocess.Popen] = []
        self.reader: ScreenReader | None = None
        self.log_path = root / "desktop.log"
        self._log = self.log_path.open("ab")

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("AT_SPI_BUS_ADDRESS", "DBUS_SESSION_BUS_PID", "WAYLAND_DISPLAY")}
        env.update({"XDG_RUNTIME_DIR": str(self.runtime), "DISPLAY": self.display,
                    "DBUS_SESSION_BUS_ADDRESS": session_bus_address(self.runtime)})
        return env

    def start(self, timeout: float = 15.0) -> AccessibleDesktop:
        env = self.env
        self.procs.append(start_session_bus(self.runtime, env, self._log, timeout))
        launcher = spawn([BUS_LAUNCHER, "--launch-immediately"], env, self._log)
        self.procs.append(launcher)
        # the launcher starts the accessibility bus's own dbus-daemon on a socket in
        # $XDG_RUNTIME_DIR/at-spi/ and hands its address out over the session bus
        wait_until(lambda: any((self.runtime / "at-spi").glob("bus*")) or
                   launcher.poll() is not None, timeout, "the accessibility bus")
        if launcher.poll() is not None:
            raise RuntimeError(f"at-spi-bus-launcher exited with status {launcher.returncode}; "
                               f"see {self.log_path}")
        self.reader = ScreenReader(env, self.root / "driver.log")
        return self

    def launch_techcheck(self, *args: str, sound: Any = None,
                         log: Path | None = None) -> subprocess.Popen:
        """``techcheck`` (the desktop app) as a person starts it, on this desktop, with its
        accessibility tree exported. ``sound``: a ``PrivatePipeWire`` (tests/audio_server.py)
        whose devices the app uses as the computer's speakers and microphone."""
        full = {**self.env, "QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
        if sound is not None:  # its server, found through these; the bus stays this desktop's
            full.update({k: v for k, v in sound.client_env().items()
                         if k != "XDG_RUNTIME_DIR"})
        out = (log or self.root / "app.log").open("ab")
        try:
            proc = subprocess.Popen([sys.executable, "-m", "techcheck.app.cli", *args], cwd=ROOT,
                                    env=full, stdout=out, stderr=out,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            out.close()
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        for p in reversed(self.procs):
            stop_process(p)
        self.procs.clear()
        self._log.close()


def grab_screen(display: str, path: Path, rect: tuple[int, int, int, int]) -> None:
    """Save what ``display`` shows inside ``rect`` (x, y, w, h) as a PNG, grabbed from the X
    server as gui_tour grabs it (QScreen.grabWindow of the root window), in a process of its
    own because this one runs Qt offscreen."""
    code = ("import sys\n"
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication(sys.argv[:1])\n"
            "x, y, w, h = map(int, sys.argv[2:6])\n"
            "pm = app.primaryScreen().grabWindow(0, x, y, w, h)\n"
            "sys.exit(0 if pm.save(sys.argv[1]) else 1)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    subprocess.run([sys.executable, "-c", code, str(path), *map(str, rect)], env=env,
                   check=True, timeout=60, capture_output=True)


@pytest.fixture
def atspi_desktop(xvfb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AccessibleDesktop]:
    if xvfb is None:
        pytest.skip("no X server (run without --no-xvfb)")
    missing = missing_parts()
    if missing:
        msg = (f"the accessibility journey needs {', '.join(missing)} (Debian packages "
               "at-spi2-core, python3-pyatspi, gir1.2-atspi-2.0: scripts/debian-packages.txt)")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    desktop = AccessibleDesktop(tmp_path_factory.mktemp("a11y"), f":{xvfb.display}")
    try:
        desktop.start()
        yield desktop
    finally:
        desktop.stop()
