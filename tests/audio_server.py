"""A private PipeWire sound server for tests and benchmarks: a real audio path with no sound card.

Everything it starts runs with its own ``XDG_RUNTIME_DIR``, ``XDG_CONFIG_HOME``,
``XDG_STATE_HOME`` and its own ``dbus-daemon --session`` (wireplumber exits without a bus), so
it never talks to a sound server the user may be running, and it stops exactly the processes it
started (by pid). Layout (PipeWire's module-null-sink, as PulseAudio documents
it): a mono null sink ``micfeed`` is both the default
output and, through its monitor, the default input. What ``play`` sends into ``micfeed`` is
what ``sd.InputStream`` on ALSA's ``default`` records, bit-exact at 48 kHz; what PortAudio plays
on ``default`` comes back into the microphone too: a real echo path with a measurable delay.

Fixtures (registered in tests/conftest.py with ``pytest_plugins``):

- ``pipewire_server`` (session): the running server; this process's PortAudio points at it.
- ``virtual_microphone``: ``.play(path_or_array, samplerate=48000, wait=False)`` feeds sound into
  the default input; restores the default devices and stops its players afterwards.
- ``private_pipewire_factory``: a fresh, separate server per call (for tests that kill it).

``PrivatePipeWire.add_room(name, impulse_response_wav)`` puts a room between a sink and the
microphone: PipeWire's filter-chain module with its builtin convolver, as its own client
process, so what is played on the sink ``name`` reaches ``micfeed`` through the impulse
response (PipeWire's documentation: "Filter-Chain", builtin ``convolver``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.private_bus import (
    session_bus_address,
    spawn,
    start_session_bus,
    stop_process,
    wait_until,
)

#: The real-time priority (SCHED_FIFO, 1-99) the servers' and their clients' audio threads
#: take, or None for PipeWire's own (88: "rt.prio" of libpipewire-module-rt,
#: https://docs.pipewire.org/page_module_rt.html). tests/conftest.py lowers it in the shared
#: phase: its sound tests run beside the timed phase's, and two threads of one FIFO priority
#: never preempt each other, so a shared test's audio thread held the processor while the timed
#: phase's waited, and the timed recording lost pieces (twice in 8 runs of the play-back test).
#: Lower, the timed phase's threads take the processor at once.
RT_PRIO: int | None = None
#: The configuration files that load libpipewire-module-rt: the servers' (the session manager's
#: too), and client-rt.conf, which PortAudio's ALSA plugin (pipewire-alsa) reads in every test
#: process. Each is looked for in /etc, then /usr/share, as PipeWire and WirePlumber do.
RT_CONFIGS = (("pipewire", "pipewire.conf"), ("pipewire", "pipewire-pulse.conf"),
              ("pipewire", "client-rt.conf"), ("wireplumber", "wireplumber.conf"))

PROGRAMS = ("pipewire", "wireplumber", "pipewire-pulse", "pactl", "paplay", "pw-link", "dbus-daemon")


def fifo_threads(pid: int) -> dict[int, int]:
    """The process ``pid``'s SCHED_FIFO threads, each with its real-time priority."""
    found = {}
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = task.read_text().rsplit(")", 1)[1].split()  # after "pid (comm)"
            if int(fields[38]) == os.SCHED_FIFO:  # field 41, the third being fields[0]
                found[int(task.parent.name)] = int(fields[37])
    return found


def missing_programs() -> list[str]:
    return [p for p in PROGRAMS if shutil.which(p) is None]


class PrivatePipeWire:
    """One private PipeWire + WirePlumber + pipewire-pulse + session bus under ``root``."""

    def __init__(self, root: Path | None = None, rt_prio: int | None = None) -> None:
        self._own_root = root is None
        self.rt_prio = rt_prio if rt_prio is not None else RT_PRIO
        self.root = Path(root or tempfile.mkdtemp(prefix="techcheck-pw-"))
        self.runtime = self.root / "runtime"
        self.procs: list[subprocess.Popen] = []
        self.players: list[subprocess.Popen] = []
        self.rooms: dict[str, subprocess.Popen] = {}
        self._n = 0
        self._log = None

    # --- environment ----------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        """The environment of a client of this server (pactl, paplay, a techcheck process)."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("PIPEWIRE_REMOTE", "PULSE_SERVER", "PULSE_RUNTIME_PATH")}
        env.update({
            "XDG_RUNTIME_DIR": str(self.runtime),
            "PIPEWIRE_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_STATE_HOME": str(self.root / "state"),
            "DBUS_SESSION_BUS_ADDRESS": session_bus_address(self.runtime),
            "PULSE_SERVER": f"unix:{self.runtime / 'pulse' / 'native'}",
        })
        if self.rt_prio is not None:
            # Looked in first, before $XDG_CONFIG_HOME (PipeWire's pw_conf_load); what it
            # lacks comes from the system's directories.
            env["PIPEWIRE_CONFIG_DIR"] = str(self.config_dir)
        return env

    @property
    def config_dir(self) -> Path:
        return self.root / "config" / "pipewire"

    def real_time_priorities(self) -> dict[str, set[int]]:
        """The SCHED_FIFO priorities of each of this server's programs' threads (proc(5):
        /proc/PID/task/TID/stat, fields 40 and 41: rt_priority, policy)."""
        return {p.args[0]: set(fifo_threads(p.pid).values())
                for p in self.procs if p.poll() is None}

    def client_env(self) -> dict[str, str]:
        """The variables this process needs so PortAudio (ALSA → pipewire plugin) uses us."""
        e = self.env
        keys = ["XDG_RUNTIME_DIR", "PIPEWIRE_RUNTIME_DIR", "PULSE_SERVER"]
        return {k: e[k] for k in keys + ["PIPEWIRE_CONFIG_DIR"] * (self.rt_prio is not None)}

    def _write_rt_configs(self) -> None:
        """The system's configuration files that set real-time priorities, with ``rt_prio``
        in place of PipeWire's default."""
        for program, name in RT_CONFIGS:
            source = next((Path(d, program, name) for d in ("/etc", "/usr/share")
                           if Path(d, program, name).is_file()), None)
            if source is None:
                continue
            text, n = re.subn(r"(libpipewire-module-rt\s+args\s*=\s*\{)",
                              rf"\1\n            rt.prio = {self.rt_prio}",
                              re.sub(r"^\s*#?\s*rt\.prio\s*=.*$", "", source.read_text(),
                                     flags=re.M))
            if n:
                target = self.root / "config" / program / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)

    # --- life cycle -----------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> PrivatePipeWire:
        for d in (self.root / "config", self.root / "state"):
            d.mkdir(parents=True, exist_ok=True)
        if self.rt_prio is not None:
            self._write_rt_configs()
        env = self.env
        log = self._log = (self.root / "server.log").open("ab")
        try:
            self.procs.append(start_session_bus(self.runtime, env, log, timeout))
        except RuntimeError as exc:
            raise RuntimeError(f"private sound server: {exc}") from None
        self._spawn(["pipewire"], env, log)
        self._wait(lambda: (self.runtime / "pipewire-0").exists(), timeout, "pipewire")
        self._spawn(["wireplumber"], env, log)
        self._spawn(["pipewire-pulse"], env, log)
        self._wait(lambda: self.pactl("info", check=False).returncode == 0, timeout,
                   "pipewire-pulse")
        self.add_sink("micfeed")
        self.set_default_source("micfeed.monitor", timeout)
        self.set_default_sink("micfeed", timeout)
        return self

    def _spawn(self, argv: list[str], env: dict[str, str], log) -> None:
        self.procs.append(spawn(argv, env, log))

    @staticmethod
    def _wait(ok, timeout: float, what: str) -> None:
        try:
            wait_until(ok, timeout, what)
        except RuntimeError as exc:
            raise RuntimeError(f"private sound server: {exc}") from None

    def pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True,
                              timeout=10, check=check)

    def add_sink(self, name: str, channels: int = 1) -> None:
        cmap = "mono" if channels == 1 else "front-left,front-right"
        self.pactl("load-module", "module-null-sink", f"sink_name={name}",
                   f"channel_map={cmap}", f"channels={channels}", "rate=48000")
        self._wait(lambda: name in self.pactl("list", "short", "sinks").stdout, 5.0, name)

    def set_default_source(self, name: str, timeout: float = 5.0) -> None:
        """WirePlumber applies defaults asynchronously: retry until the server agrees."""
        def ok() -> bool:
            self.pactl("set-default-source", name, check=False)
            return self.pactl("get-default-source", check=False).stdout.strip() == name
        self._wait(ok, timeout, f"default source {name}")

    def set_default_sink(self, name: str, timeout: float = 5.0) -> None:
        def ok() -> bool:
            self.pactl("set-default-sink", name, check=False)
            return self.pactl("get-default-sink", check=False).stdout.strip() == name
        self._wait(ok, timeout, f"default sink {name}")

    def kill_server(self) -> None:
        """Stop pipewire itself (what a crashed or restarted sound server looks like)."""
        for p in self.procs:
            if p.args[0] == "pipewire" and p.poll() is None:
                p.kill()
                p.wait(5)

    def add_room(self, name: str, impulse_response: Path, timeout: float = 10.0) -> None:
        """A mono sink ``name`` whose sound reaches ``micfeed`` convolved with the impulse
        response in ``impulse_response`` (a WAV file at 48 kHz; leading zeros are a delay)."""
        self._n += 1
        conf = self.root / f"room-{self._n}.conf"
        rt_args = f"rt.prio = {self.rt_prio}" if self.rt_prio is not None else ""
        conf.write_text(f"""
context.properties = {{ log.level = 1 }}
context.spa-libs = {{ audio.convert.* = audioconvert/libspa-audioconvert
  support.* = support/libspa-support }}
context.modules = [
  {{ name = libpipewire-module-rt args = {{ {rt_args} }} flags = [ ifexists nofail ] }}
  {{ name = libpipewire-module-protocol-native }}
  {{ name = libpipewire-module-client-node }}
  {{ name = libpipewire-module-adapter }}
  {{ name = libpipewire-module-filter-chain
    args = {{
      node.description = "{name}"
      media.name = "{name}"
      filter.graph = {{ nodes = [ {{ type = builtin name = room label = convolver
          config = {{ filename = "{impulse_response}" }} }} ] }}
      audio.channels = 1
      audio.position = [ MONO ]
      capture.props = {{ node.name = "{name}" media.class = Audio/Sink audio.rate = 48000 }}
      playback.props = {{ node.name = "{name}.out" target.object = "micfeed"
                          node.dont-reconnect = true node.passive = true }}
    }}
  }}
]
""")
        self.rooms[name] = spawn(["pipewire", "-c", str(conf)], self.env, self._log)
        self._wait(lambda: name in self.pactl("list", "short", "sinks").stdout, timeout, name)
        # The sink appears before the session manager links its output to micfeed; a sound
        # played into the room in between reaches nobody (on a busy machine the link came
        # late once, and the check rightly heard no echo). Wait for the link itself.
        self._wait(lambda: self.linked(f"{name}.out", "micfeed"), timeout,
                   f"{name}.out linked to micfeed")

    def linked(self, output_node: str, input_node: str) -> bool:
        """Whether a port of ``output_node`` feeds a port of ``input_node`` (``pw-link -l``:
        an output port's line, then its links as ``  |-> node:port``)."""
        out = subprocess.run(["pw-link", "-l"], env=self.env, capture_output=True, text=True,
                             timeout=10, check=False).stdout
        current = ""
        for line in out.splitlines():
            if not line.startswith(" "):
                current = line.split(":", 1)[0]
            elif (current == output_node and line.strip().startswith("|->")
                  and line.strip()[3:].strip().split(":", 1)[0] == input_node):
                return True
        return False

    def remove_room(self, name: str) -> None:
        p = self.rooms.pop(name, None)
        if p is not None:
            stop_process(p)

    def stop(self) -> None:
        for name in list(self.rooms):
            self.remove_room(name)
        for p in self.players:
            stop_process(p)
        self.players.clear()
        for p in reversed(self.procs):
            stop_process(p)
        self.procs.clear()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- sound in -------------------------------------------------------------------------

    def write_wav(self, audio: np.ndarray, samplerate: int = 48000) -> Path:
        import soundfile as sf

        self._n += 1
        path = self.root / f"feed-{self._n}.wav"
        sf.write(str(path), np.asarray(audio, dtype=np.float32), samplerate, subtype="FLOAT")
        return path

    def play(self, what: str | Path | np.ndarray, samplerate: int = 48000, *,
             sink: str = "micfeed", wait: bool = False, started: bool = False
             ) -> subprocess.Popen:
        """Play a file or an array into ``sink`` (default: the virtual microphone).

        ``started``: return only once the server has paplay's stream (its sink input), so a
        recording begun next hears the whole file. Starting a process and connecting it takes
        a few tens of milliseconds on an idle machine and over half a second on a busy one."""
        path = self.write_wav(what, samplerate) if isinstance(what, np.ndarray) else Path(what)
        before = self._sink_inputs() if started else set()
        p = subprocess.Popen(["paplay", f"--device={sink}", "--latency-msec=20", str(path)],
                             env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.players.append(p)
        if started:
            self._wait(lambda: p.poll() is not None or bool(self._sink_inputs() - before),
                       20.0, "paplay's stream")
        if wait:
            p.wait(60)
        return p

    def _sink_inputs(self) -> set[str]:
        out = self.pactl("list", "short", "sink-inputs", check=False).stdout
        return {line.split()[0] for line in out.splitlines() if line.strip()}


@contextlib.contextmanager
def pointed_at(server: PrivatePipeWire) -> Iterator[None]:
    """Point this process's PortAudio at ``server`` and re-scan; restore afterwards."""
    from techcheck.checks.audio import backend

    saved = {k: os.environ.get(k) for k in server.client_env()}
    os.environ.update(server.client_env())
    backend.rescan()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        backend.rescan()


def _require_programs() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the private PipeWire server is Linux's (Windows and macOS have no such server)")
    missing = missing_programs()
    if missing:
        msg = f"private sound server needs {', '.join(missing)} (scripts/debian-packages.txt)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture(scope="session")
def pipewire_server() -> Iterator[PrivatePipeWire]:
    _require_programs()
    server = PrivatePipeWire().start()
    try:
        with pointed_at(server):
            yield server
    finally:
        server.stop()


class VirtualMicrophone:
    """What a test (or a GUI test) needs: sound in the default input, a clean slate after."""

    samplerate = 48000

    def __init__(self, server: PrivatePipeWire) -> None:
        self.server = server

    def play(self, what: str | Path | np.ndarray, samplerate: int = 48000, *,
             wait: bool = False, started: bool = False) -> subprocess.Popen:
        return self.server.play(what, samplerate, wait=wait, started=started)

    def stop(self) -> None:
        for p in self.server.players:
            stop_process(p)
        self.server.players.clear()


@pytest.fixture
def virtual_microphone(pipewire_server: PrivatePipeWire) -> Iterator[VirtualMicrophone]:
    mic = VirtualMicrophone(pipewire_server)
    yield mic
    mic.stop()
    pipewire_server.set_default_source("micfeed.monitor")
    pipewire_server.set_default_sink("micfeed")


@pytest.fixture
def private_pipewire_factory(tmp_path_factory: pytest.TempPathFactory):
    """Start separate servers (e.g. to kill one mid-test); all are stopped afterwards."""
    _require_programs()
    started: list[PrivatePipeWire] = []

    def make(rt_prio: int | None = None) -> PrivatePipeWire:
        s = PrivatePipeWire(tmp_path_factory.mktemp("pw"), rt_prio=rt_prio).start()
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()
