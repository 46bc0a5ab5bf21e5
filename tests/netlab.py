"""Emulated links for the network tests and ``bench/bench_network.py``: three network
namespaces the caller creates and always removes.

    client ns (c0 10.77.1.2) ── m0 │ middle ns │ m1 ── (s0 10.77.2.2) server ns
                                    tbf on m0 (download rate) and m1 (upload rate);
                                    every packet passes tests/netrelay.py (delay, jitter, loss)

Nothing here reaches any address outside these namespaces. Needs root, ``ip`` and ``tc``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENT_IP, SERVER_IP = "10.77.1.2", "10.77.2.2"
MIDDLE_IP = "10.77.1.1"  # the middle namespace, as the client sees it
PORT = 8080
_counter = 0


def available() -> str | None:
    """None when namespaces can be made here, else the reason they cannot."""
    if not sys.platform.startswith("linux"):
        return "network namespaces are Linux's"
    if os.geteuid() != 0:
        return "needs root"
    if not shutil.which("ip") or not shutil.which("tc"):
        return "needs iproute2"
    if not os.path.exists("/dev/net/tun"):
        return "needs /dev/net/tun"
    return None


@dataclass(frozen=True)
class Link:
    down_mbit: float = 0.0  # 0: not shaped
    up_mbit: float = 0.0
    rtt_ms: float = 0.0
    jitter_ms: float = 0.0  # ± per direction
    loss_pct: float = 0.0  # round trip, probe packets and all
    queue_ms: float = 100.0  # bottleneck buffer, as time at the shaped rate

    def label(self) -> str:
        return (f"{self.down_mbit:g}/{self.up_mbit:g} Mbit/s, {self.rtt_ms:g} ms, "
                f"±{self.jitter_ms:g} ms, {self.loss_pct:g} %")


def _run(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=30)


class NetLab:
    """``with NetLab(Link(...)) as lab:`` — the link, a ``techcheck`` server in the server
    namespace (``lab.url``, ``lab.stun``), and ``lab.client(...)`` to run things as a client."""

    def __init__(self, link: Link, *, server: bool = True, dns_broken: bool = False,
                 default_route: bool = True, server_route: bool = True) -> None:
        global _counter
        _counter += 1
        tag = f"tc{os.getpid() % 100000}x{_counter}"
        self.link = link
        self.ns = {k: f"{tag}{k}" for k in "cms"}
        self.tmp = Path(tempfile.mkdtemp(prefix="netlab-"))
        self.control = str(self.tmp / "relay.sock")
        self.procs: list[subprocess.Popen] = []
        self.want_server = server
        self.dns_broken = dns_broken
        self.default_route = default_route
        # False: the client has no route to the server's network at all (a network where only
        # a proxy in the middle namespace, at MIDDLE_IP, gets out).
        self.server_route = server_route
        self.url = f"http://{SERVER_IP}:{PORT}"
        self.stun = f"{SERVER_IP}:{PORT}"

    # --- set-up and tear-down ---------------------------------------------------------------

    def __enter__(self) -> NetLab:
        try:
            self._up()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _up(self) -> None:
        c, m, s = self.ns["c"], self.ns["m"], self.ns["s"]
        for ns in (c, m, s):
            _run("ip", "netns", "add", ns)
            _run("ip", "-n", ns, "link", "set", "lo", "up")
        # Each namespace gets its own resolv.conf pointing at its own loopback (nothing listens):
        # a lookup fails at once and never leaves the namespace.
        etc = Path("/etc/netns") / c
        etc.mkdir(parents=True, exist_ok=True)
        (etc / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        (etc / "hosts").write_text(
            "127.0.0.1 localhost\n"
            + ("" if self.dns_broken else f"{SERVER_IP} speed.lab.test stun.lab.test\n"))
        _run("ip", "link", "add", "c0", "netns", c, "type", "veth", "peer", "m0", "netns", m)
        _run("ip", "link", "add", "s0", "netns", s, "type", "veth", "peer", "m1", "netns", m)
        _run("ip", "-n", c, "addr", "add", f"{CLIENT_IP}/24", "dev", "c0")
        _run("ip", "-n", m, "addr", "add", "10.77.1.1/24", "dev", "m0")
        _run("ip", "-n", m, "addr", "add", "10.77.2.1/24", "dev", "m1")
        _run("ip", "-n", s, "addr", "add", f"{SERVER_IP}/24", "dev", "s0")
        for ns, dev in ((c, "c0"), (m, "m0"), (m, "m1"), (s, "s0")):
            _run("ip", "-n", ns, "link", "set", dev, "up")
        if self.server_route:
            _run("ip", "-n", c, "route", "add", "10.77.2.0/24", "via", MIDDLE_IP)
        if self.default_route:  # like a home network; the middle namespace drops what is not
            _run("ip", "-n", c, "route", "add", "default", "via", "10.77.1.1")  # for the server
        _run("ip", "-n", s, "route", "add", "10.77.1.0/24", "via", "10.77.2.1")
        for key in ("net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
                    "net.ipv4.conf.default.rp_filter=0"):
            _run("ip", "netns", "exec", m, "sysctl", "-qw", key)
        lk = self.link
        self._shape(m, "m0", lk.down_mbit, lk.queue_ms)
        self._shape(m, "m1", lk.up_mbit, lk.queue_ms)
        relay = self.spawn("m", [sys.executable, str(ROOT / "tests" / "netrelay.py"),
                                 "--delay-ms", str(lk.rtt_ms / 2), "--jitter-ms", str(lk.jitter_ms),
                                 "--loss", str(lk.loss_pct / 100), "--probe-port", str(PORT),
                                 "--control", self.control], stdout=subprocess.PIPE)
        if relay.stdout is None or relay.stdout.readline().strip() != "ready":
            raise RuntimeError("the link relay did not start")
        _run("ip", "-n", m, "link", "set", "tr0", "up")
        _run("ip", "netns", "exec", m, "sysctl", "-qw", "net.ipv4.conf.tr0.rp_filter=0")
        _run("ip", "-n", m, "route", "add", "default", "dev", "tr0", "table", "100")
        for dev in ("m0", "m1"):
            _run("ip", "-n", m, "rule", "add", "iif", dev, "lookup", "100")
        if self.want_server:
            self.spawn("s", [sys.executable, "-c",
                             "import sys; from checks.network.server import start_server; "
                             f"s = start_server({SERVER_IP!r}, {PORT}); print('ready', flush=True); "
                             "s.serve_forever()"], stdout=subprocess.PIPE)
            if self.procs[-1].stdout.readline().strip() != "ready":
                raise RuntimeError("the measurement server did not start")

    @staticmethod
    def _shape(ns: str, dev: str, mbit: float, queue_ms: float) -> None:
        if mbit <= 0:
            return
        rate_bps = mbit * 1e6 / 8
        burst = int(max(1514 * 4, rate_bps / 500))
        limit = int(rate_bps * queue_ms / 1000) + burst
        _run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root", "tbf",
             "rate", f"{mbit}mbit", "burst", str(burst), "limit", str(limit))

    def close(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    p.wait(5)
            for stream in (p.stdin, p.stdout, p.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):  # a pipe to a killed process
                        stream.close()
        self.procs.clear()
        for ns in self.ns.values():
            _run("ip", "netns", "del", ns, check=False)
            shutil.rmtree(Path("/etc/netns") / ns, ignore_errors=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- use --------------------------------------------------------------------------------

    def spawn(self, where: str, argv: list[str], **kw) -> subprocess.Popen:
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        p = subprocess.Popen(["ip", "netns", "exec", self.ns[where], *argv], cwd=ROOT, text=True,
                             start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def client(self, argv: list[str], timeout: float = 90) -> subprocess.CompletedProcess:
        """Run ``argv`` in the client namespace and wait for it."""
        return subprocess.run(["ip", "netns", "exec", self.ns["c"], *argv], cwd=ROOT, text=True,
                              capture_output=True, timeout=timeout)

    def relay(self, command: str = "stats") -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            me = str(self.tmp / f"q{time.monotonic_ns()}.sock")
            s.bind(me)
            s.settimeout(2)
            s.sendto(command.encode(), self.control)
            data = s.recv(4096)
            os.unlink(me)
        return json.loads(data)

    def backlog_bytes(self, dev: str) -> int:
        """Bytes waiting in the shaper's queue on ``dev`` (m0: download, m1: upload)."""
        out = _run("ip", "netns", "exec", self.ns["m"], "tc", "-s", "-j", "qdisc", "show", "dev",
                   dev).stdout
        try:
            return int(json.loads(out)[0].get("backlog", 0))
        except (ValueError, IndexError, KeyError):
            return 0
