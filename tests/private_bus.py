"""A private D-Bus session bus and the process handling around it, shared by the fixtures that
start desktop services of their own: the PipeWire sound server (tests/audio_server.py) and the
accessibility bus (tests/atspi_session.py).

Each service runs with its own ``XDG_RUNTIME_DIR`` and its own ``dbus-daemon --session``, so it
never talks to a bus or a service the user may be running; every process started here is
stopped by its pid, never by name.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO


def spawn(argv: list[str], env: dict[str, str], log: IO[bytes]) -> subprocess.Popen:
    """Start a service in its own session (a terminal's Ctrl+C does not reach it), its output
    into ``log``."""
    return subprocess.Popen(argv, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                            start_new_session=True)


def wait_until(ok: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``ok`` until it is true; ``RuntimeError`` naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ok():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def session_bus_address(runtime: Path) -> str:
    return f"unix:path={runtime / 'bus'}"


def start_session_bus(runtime: Path, env: dict[str, str], log: IO[bytes],
                      timeout: float = 10.0) -> subprocess.Popen:
    """A ``dbus-daemon --session`` listening on ``runtime/bus`` (the address
    ``session_bus_address(runtime)`` names); returns once its socket exists."""
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    proc = spawn(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                  f"--address={session_bus_address(runtime)}"], env, log)
    try:
        wait_until(lambda: (runtime / "bus").exists() or proc.poll() is not None, timeout,
                   "dbus-daemon")
    except RuntimeError:
        stop_process(proc)
        raise
    if proc.poll() is not None:
        raise RuntimeError(f"dbus-daemon exited with status {proc.returncode}")
    return proc


def stop_process(p: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 3 s; reaps the process."""
    if p.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(3)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(3)
