"""Issue 21, the network items: hostile and half-dead servers, PAC answers and PAC files, a
flooded STUN responder, and private hosts written another way. Every server is real and on
127.0.0.x; every loop is bounded in count and time."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import threading
import time

import pytest

from techcheck.checks.model import Status
from techcheck.checks.network import probes, stun
from techcheck.checks.network.httpio import parse_origin
from techcheck.checks.network.server import start_server
from techcheck.checks.network.transfer import CLOUDFLARE, Transfer
from tests.services import test_network_pac, test_serve_hostile
from tests.services.test_network import hermetic_profile, run_check
from tests.services.test_serve_hostile import send_and_read, status_of

kde_pac = test_network_pac.kde_pac  # fixtures
serve_process = test_serve_hostile.serve

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="binds to 127.0.0.2, which only Linux routes to lo")


@pytest.fixture
def serve():
    s = start_server("127.0.0.1", 0)
    yield s
    s.stop()


# --- item 12: serve answers malformed request targets with 400 ------------------------------


@pytest.mark.parametrize("target", [b"//[x/", b"http://[::1", b"//[", b"/a/../[%zz"])
def test_serve_answers_a_malformed_target_with_400_and_no_traceback(serve, caplog, target):
    caplog.set_level(logging.DEBUG, logger="techcheck.network.server")
    with socket.create_connection(("127.0.0.1", serve.port), timeout=5) as s:
        answer = send_and_read(s, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n", 5.0)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    assert status_of(answer) in (400, 404), answer[:120]
    if target.startswith(b"//[") or target.startswith(b"http://["):
        assert status_of(answer) == 400


@pytest.mark.parametrize(("line", "want"), [(b"GET x HTTP/1.1", 400),
                                            (b"OPTIONS * HTTP/1.1", 501),
                                            (b"CONNECT a:443 HTTP/1.1", 501)])
def test_serve_answers_other_target_forms_by_rfc_9112(serve, line, want):
    with socket.create_connection(("127.0.0.1", serve.port), timeout=5) as s:
        answer = send_and_read(s, line + b"\r\nHost: x\r\n\r\n", 5.0)
    assert status_of(answer) == want, answer[:120]


# --- item 4: one STUN flooder cannot spend the others' share --------------------------------


def _flood(port: int, stop: threading.Event, rate: float, most: int, sent: list[int]) -> None:
    """Binding requests from 127.0.0.2 at about ``rate`` a second, at most ``most``."""
    data, _ = stun.binding_request()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.2", 0))
        s.setblocking(False)
        start = time.monotonic()
        n = 0
        while not stop.is_set() and n < most:
            due = int((time.monotonic() - start) * rate)
            while n < due and n < most:
                with contextlib.suppress(OSError):  # a full send buffer: that one is dropped
                    s.sendto(data, ("127.0.0.1", port))
                n += 1
            time.sleep(0.001)
            if time.monotonic() - start > 10:
                break
    sent.append(n)


@pytest.mark.slow
@pytest.mark.slow
@linux_only
def test_a_stun_flood_from_one_address_does_not_cost_another_client_its_answers(serve_process):
    _proc, port = serve_process  # `techcheck serve` in its own process, as in use
    stop = threading.Event()
    sent: list[int] = []
    flooder = threading.Thread(target=_flood, args=(port, stop, 5000.0, 30000, sent),
                               daemon=True)
    flooder.start()
    try:
        time.sleep(0.3)  # the flood is under way before the probe starts
        probe = stun.StunProbe(("127.0.0.1", port), socket.AF_INET, 0.02).start()
        time.sleep(2.5)
        probe.stop(grace_s=0.5)
    finally:
        stop.set()
        flooder.join(5)
    answered = [p for p in probe.probes if p.rtt_ms is not None]
    sent_n = sent[0] if sent else 0
    print(f"flood {sent_n} requests; probe {len(answered)} of {len(probe.probes)} answered")
    assert sent_n > 5000, "the flood did not happen"
    assert len(probe.probes) >= 50
    loss = 1 - len(answered) / len(probe.probes)
    assert loss <= 0.02, f"{loss:.0%} of the probe's requests unanswered"


def test_the_stun_rate_table_stays_bounded_and_forgets_refilled_addresses():
    from techcheck.checks.network.server import _StunBudget

    b = _StunBudget(per_address=10, total=10_000, max_addresses=100)
    t = 1000.0
    for i in range(1000):  # 1000 addresses in one instant: the table keeps 100, and the rest
        # share one overflow bucket (its 10 answers go to the first of them)
        assert b.allow(f"10.0.{i // 256}.{i % 256}", t) == (i < 110)
    assert len(b) == 101  # 100 addresses and the shared overflow bucket
    # One address gets its 10 a second and no more.
    assert sum(b.allow("10.0.0.1", t + 0.001) for _ in range(50)) == 9
    # A second later every bucket has refilled: new addresses get their own again.
    assert all(b.allow(f"192.0.2.{i}", t + 1.5) for i in range(50))
    assert len(b) <= 101


# --- item 5: a server that stops answering is not the candidate's slow line -----------------


class HalfDeadServer:
    """A measurement server that goes quiet. ``upload_once``: downloads are served in full,
    the first upload request is read and answered, every later connection is accepted and
    never read nor answered. ``download_stalls``: each download gets its headers and 1 MB of
    its body, then nothing more (the connection stays open); uploads are answered."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stop = threading.Event()
        self.uploads_answered = 0
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        deadline = time.monotonic() + 60  # bounded even if close() is never called
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                c, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.conns.append(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _head(self, c: socket.socket) -> bytes | None:
        c.settimeout(5)
        buf = b""
        while b"\r\n\r\n" not in buf and len(buf) < 65536:
            chunk = c.recv(4096)
            if not chunk:
                return None
            buf += chunk
        return buf

    def _serve(self, c: socket.socket) -> None:
        try:
            if self.mode == "upload_once" and self.uploads_answered >= 1:
                self.stop.wait(30)  # accepted, never read, never answered
                return
            buf = self._head(c)
            if buf is None:
                return
            head, _, rest = buf.partition(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0]
            if line.startswith(b"POST"):
                with self.lock:
                    if self.mode == "upload_once" and self.uploads_answered >= 1:
                        self.stop.wait(30)
                        return
                    self.uploads_answered += 1
                n = int(next(v for k, _, v in (h.partition(b":") for h in head.split(b"\r\n"))
                             if k.strip().lower() == b"content-length"))
                got = len(rest)
                while got < n:
                    chunk = c.recv(1 << 20)
                    if not chunk:
                        return
                    got += len(chunk)
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                return
            n = int(line.split(b"bytes=", 1)[1].split()[0])
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                      b"Content-Length: " + str(n).encode() + b"\r\n\r\n")
            block = os.urandom(1 << 20)
            if self.mode == "download_stalls":
                c.sendall(block)
                self.stop.wait(30)  # headers and 1 MB, then silence
                return
            if self.mode == "headers_only":
                self.stop.wait(30)  # headers, then silence
                return
            sent = 0
            while sent < n and not self.stop.is_set():
                k = min(len(block), n - sent)
                c.sendall(block[:k])
                sent += k
        except OSError:
            pass

    def close(self) -> None:
        self.stop.set()
        for c in self.conns:
            with contextlib.suppress(OSError):
                c.close()
        self.sock.close()


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "direction"), [("upload_once", "up"),
                                                 ("download_stalls", "down"),
                                                 ("headers_only", "down")])
def test_a_server_that_stops_answering_gives_no_speed(mode, direction):
    fault = HalfDeadServer(mode)
    try:
        res = Transfer(parse_origin(fault.url), CLOUDFLARE, direction, 4, 3.0,
                       lambda: False).run()
    finally:
        fault.close()
    if mode != "headers_only":
        assert res.bytes > 0  # something did get through before it went quiet
    assert res.mbps is None, f"{res.mbps} Mbit/s from a server that stopped answering"
    assert "stopped" in res.error_kinds, res.error_kinds


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["upload_once", "download_stalls", "headers_only"])
def test_the_check_blames_the_server_that_stopped_not_the_candidate(mode, tmp_path, serve):
    fault = HalfDeadServer(mode)
    try:
        result, _ = run_check(hermetic_profile(tmp_path), fault.url, stun_spec=serve.stun,
                              duration=4.0)
    finally:
        fault.close()
    f = {x.code: x for x in result.findings}
    assert "network.slow_upload" not in f and "network.slow_download" not in f, \
        [x.text() for x in result.findings]
    gone = "upload" if mode == "upload_once" else "download"
    assert result.metrics[gone].value == "unknown"
    finding = f["network.server_unreachable"]
    assert finding.text() == (f"The speed could not be measured: the measurement server "
                              f"{fault.url} stopped answering during the test.")
    # docs/verdicts.md: the server's fault is never more than a warning
    assert finding.status is Status.WARN
    assert result.status is Status.WARN, [(x.code, x.status) for x in result.findings]


# --- items 6, 7 and 12: PAC answers that name no HTTP proxy, PAC files that block ----------


@pytest.mark.slow
@pytest.mark.parametrize(("answer", "status", "text"), [
    ("SOCKS5 127.0.0.1:1080", Status.WARN, "through the proxy SOCKS5 127.0.0.1:1080"),
    ("HTTPS proxy.corp.example:443", Status.WARN, "through the proxy HTTPS proxy.corp.example:443"),
    ("SOCKS 127.0.0.1:1080; DIRECT", Status.WARN, "through the proxy SOCKS 127.0.0.1:1080"),
    ("banana split", Status.WARN, "answer could not be used"),
    ("PROXY", Status.WARN, "answer could not be used"),
    ("DIRECT", Status.PASS, "go directly, not through a proxy"),
])
def test_a_pac_answer_naming_another_kind_of_proxy_is_reported(answer, status, text, tmp_path,
                                                               kde_pac, serve):
    kde_pac(f'function FindProxyForURL(url, host) {{ return "{answer}"; }}')
    result, _ = run_check(hermetic_profile(tmp_path), serve.url, duration=1.5)
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.status is status, f.text()
    assert text in f.text(), f.text()
    if status is Status.WARN and "could not be used" in text:
        assert repr(answer) in f.text() or answer in f.text()


def _unblock(fifo) -> None:
    """Open the FIFO's writing end without blocking and close it: a reader stuck opening it
    (the old code) gets end of file, so this test ends on the old code too."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("as_url", [False, True])
def test_a_pac_file_that_is_a_named_pipe_is_refused_at_once(tmp_path, as_url):
    fifo = tmp_path / "proxy.pac"
    os.mkfifo(fifo)
    settings = probes.ProxySettings(pac_url=fifo.as_uri() if as_url else str(fifo))
    done = threading.Event()
    worker = threading.Thread(target=lambda: (probes.load_pac(settings), done.set()),
                              daemon=True)
    start = time.monotonic()
    worker.start()
    try:
        assert done.wait(3.0), "reading the PAC file blocked"
    finally:
        _unblock(fifo)
        worker.join(3.0)
    assert time.monotonic() - start < 3.0
    assert settings.pac is None
    assert "named pipe" in settings.pac_error, settings.pac_error


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_the_check_with_a_named_pipe_pac_reports_it_and_the_process_exits(tmp_path, kde_pac,
                                                                          serve):
    """In a child process, as `techcheck run` would: the check reports the unusable PAC file
    and the process ends by itself (the old code left a thread blocked in open() forever,
    which the interpreter waits for at exit)."""
    fifo = tmp_path / "pipe.pac"
    os.mkfifo(fifo)
    kde_pac("unused", fifo.as_uri())
    code = (
        "import sys\n"
        "from tests.services.test_network import hermetic_profile, run_check\n"
        "from pathlib import Path\n"
        f"result, _ = run_check(hermetic_profile(Path({str(tmp_path)!r})), {serve.url!r}, "
        "duration=1.5)\n"
        "f = [x.text() for x in result.findings if x.code == 'network.proxy']\n"
        "print('FINDING', f)\n"
    )
    import subprocess

    from tests.conftest import ROOT

    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HOME": str(tmp_path)})
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        _unblock(fifo)
        proc.kill()
        out, err = proc.communicate(timeout=10)
        pytest.fail(f"the process did not exit: {out[-300:]}")
    finally:
        _unblock(fifo)
    assert proc.returncode == 0, err[-2000:]
    assert "FINDING" in out and "named pipe" in out, out[-500:]


class TricklingServer:
    """Answers every request with its status line and headers one byte every 0.2 s, never
    ending them (bounded: at most 20 s per connection)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        deadline = time.monotonic() + 60
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                c, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._trickle, args=(c,), daemon=True).start()

    def _trickle(self, c: socket.socket) -> None:
        data = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000
        with c:
            for i in range(100):
                if self.stop.wait(0.2):
                    return
                try:
                    c.sendall(data[i:i + 1])
                except OSError:
                    return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_pac_server_that_trickles_its_headers_is_cut_off_at_the_deadline():
    srv = TricklingServer()
    settings = probes.ProxySettings(pac_url=f"http://127.0.0.1:{srv.port}/proxy.pac")
    try:
        start = time.monotonic()
        probes.load_pac(settings, timeout_s=2.0)
        took = time.monotonic() - start
    finally:
        srv.close()
    assert took < 3.0, took
    assert settings.pac is None
    assert "cancelled" not in settings.pac_error and "stopped" not in settings.pac_error
    assert "took more than 2 s" in settings.pac_error, settings.pac_error


# --- item 2: private hosts written another way ----------------------------------------------

SPELLED_PRIVATE = ["127.1", "0177.0.0.1", "0x7f.1", "10.1", "192.168.257", "169.254.43518",
                   "0x7f000001", "2130706433", "0300.0250.0.1", "0.0.0.0", "0"]


@pytest.mark.parametrize("host", SPELLED_PRIVATE)
def test_private_hosts_written_another_way_are_inside_the_network(host):
    from techcheck.app import invitation

    assert socket.getaddrinfo(host, 80, 0, socket.SOCK_STREAM)  # the system takes it as is
    assert invitation.inside_network(host) is True
    inv = invitation.create(profile="teams", when="2026-12-01T10:00+01:00", contact="x",
                            server=f"http://{host}:8080/", stun=f"{host}:3478")
    assert [k for k, _ in inv.internal_servers] == ["server", "stun"]


@pytest.mark.parametrize("host", ["8.8.8.8", "0x8.0x8.0x8.0x8", "134744072", "speed.example.com",
                                  "a1.b2.example", "0xcafe.example"])
def test_public_hosts_are_not_inside_the_network(host):
    from techcheck.app import invitation

    assert invitation.inside_network(host) is False


@pytest.mark.slow
def test_the_cli_refuses_an_invitation_naming_127_1(tmp_path):
    from techcheck.app import invitation
    from tests.conftest import run_cli

    path = tmp_path / "invite.toml"
    inv = invitation.create(profile="teams", when="2026-12-01T10:00+01:00", contact="x",
                            server="http://127.1:9/", stun="0x7f.1:9")
    path.write_text(inv.to_toml(), encoding="utf-8")
    r = run_cli("run", "--invitation", str(path), "--only", "network", "--no-history",
                timeout=60)
    assert r.returncode == 3, r.stderr
    assert "server http://127.1:9/" in r.stderr and "stun 0x7f.1:9" in r.stderr
    assert "--allow-private-server" in r.stderr


class CountingServer:
    """Accepts TCP connections on 127.0.0.1 and counts them (and answers nothing)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        deadline = time.monotonic() + 60
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                c, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            c.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("host", ["127.1", "0x7f.0.0.1"])
def test_the_check_judges_the_address_it_would_connect_to_not_the_spelling(host, tmp_path):
    """The engine's own guard, at connection time: a server the person did not allow inside
    the network (``options["public_hosts"]``) is looked up by the system, and the address it
    would use is judged; nothing connects to it."""
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.network.check import NetworkCheck

    srv = CountingServer()
    try:
        url = f"http://{host}:{srv.port}"
        ctx = CheckContext(hermetic_profile(tmp_path), Devices(server=url), duration=1.5,
                           options={"public_hosts": frozenset({host})})
        result = NetworkCheck().run(ctx)
    finally:
        srv.close()
    assert srv.accepted == 0
    f = {x.code: x for x in result.findings}
    finding = f["network.private_server"]
    assert "127.0.0.1" in finding.text() and url in finding.text()
    assert result.metrics["download"].value == "unknown"
    assert finding.status is Status.WARN and result.status is Status.WARN


@pytest.mark.slow
def test_without_the_guard_the_same_address_is_measured(tmp_path, serve):
    """The control: the person allowed it (no ``public_hosts``), so 127.1 is measured."""
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.network.check import NetworkCheck

    ctx = CheckContext(hermetic_profile(tmp_path), Devices(server=f"http://127.1:{serve.port}"),
                       duration=1.5)
    result = NetworkCheck().run(ctx)
    assert isinstance(result.metrics["download"].value, float)
    assert "network.private_server" not in {x.code for x in result.findings}


def test_a_pinned_origin_connects_only_to_the_address_that_was_judged(serve):
    """Against DNS rebinding: once judged, the connection uses the judged address, and the
    name is not looked up again (here the name does not even resolve)."""
    from techcheck.checks.network.httpio import close_quietly, connect

    origin = parse_origin(f"http://nowhere.invalid:{serve.port}")
    with pytest.raises(Exception, match="resolve"):
        connect(origin, 2.0)
    pinned = origin.pinned([(socket.AF_INET, ("127.0.0.1", 0))])
    sock = connect(pinned, 2.0)
    close_quietly(sock)
    assert pinned.host == "nowhere.invalid" and pinned.url == origin.url


def test_both_surfaces_ask_the_check_to_judge_an_invitations_names(tmp_path):
    """The terminal and the app pass the invitation's host names to the network check, so a
    name that resolves inside is caught there; not when the person allowed it, and not for a
    server the person typed (``--server``)."""
    from dataclasses import replace

    from techcheck.app import invitation
    from techcheck.app.cli import build_parser
    from techcheck.app.commands import run
    from techcheck.app.gui.checkrun import run_setup
    from techcheck.app.gui.session import Session

    inv = invitation.create(profile="generic", when="2026-12-01T10:00+01:00", contact="x",
                            server="https://measure.example.com/", stun="stun.example.net:3478")
    path = tmp_path / "invite.toml"
    path.write_text(inv.to_toml(), encoding="utf-8")

    def cli(*argv: str) -> dict:
        args = build_parser().parse_args(["run", "--yes", "--invitation", str(path), *argv])
        return run._plan(args, False).setup.context("network").options

    want = frozenset({"measure.example.com", "stun.example.net"})
    assert cli()["public_hosts"] == want
    assert "public_hosts" not in cli("--allow-private-server")
    assert cli("--server", "https://mine.example.org/")["public_hosts"] == {"stun.example.net"}
    session = replace(Session.create("other"), invitation=inv)
    assert run_setup(session).context("network").options["public_hosts"] == want
    confirmed = invitation.create(profile="generic", when="2026-12-01T10:00+01:00",
                                  contact="x", server="http://10.1:8080/")
    asked = replace(Session.create("other"), invitation=confirmed)  # the person said yes
    assert "public_hosts" not in run_setup(asked).context("network").options


@pytest.mark.slow
def test_stopping_serve_closes_connections_that_arrived_in_its_last_moment():
    """A client connecting just as the server stops (a check's background probe) left a
    transport that was never closed: a ResourceWarning when it was collected, during some
    later test. Every connection is closed by the time ``stop`` returns."""
    import gc

    for _ in range(20):
        srv = start_server("127.0.0.1", 0)
        clients = [socket.create_connection(("127.0.0.1", srv.port), timeout=2)
                   for _ in range(3)]
        srv.stop()
        for c in clients:
            c.close()
        gc.collect()


def test_a_public_only_origin_is_judged_again_at_every_connection():
    """The guard at connection time: an origin that must stay outside the network, looked up
    again (not pinned, as when its first lookup did not answer in time), never connects to an
    address inside it, and says why."""
    from techcheck.checks.network.httpio import HttpFailure, connect

    srv = CountingServer()
    try:
        origin = parse_origin(f"http://localhost:{srv.port}").pinned((), public_only=True)
        with pytest.raises(HttpFailure) as info:
            connect(origin, 2.0)
        pinned = parse_origin(f"http://x.example:{srv.port}").pinned(
            [(socket.AF_INET, ("127.0.0.1", 0))], public_only=True)
        with pytest.raises(HttpFailure, match="inside the network"):
            connect(pinned, 2.0)
        time.sleep(0.3)
    finally:
        srv.close()
    assert info.value.kind == "private" and "inside the network" in info.value.detail
    assert srv.accepted == 0
