"""The clock cross-checked over several servers (checks/network/clock.py ``agree``): real HTTP
and HTTPS servers on 127.0.0.1 that answer with a ``Date`` the test chooses. One server with a
wrong clock is left out and named, two that disagree are "could not measure", and one server
alone never fails the check."""

from __future__ import annotations

import email.utils
import socket
import ssl
import threading
import time

import pytest

from techcheck.checks.model import Status
from techcheck.checks.network import clock
from techcheck.checks.network.clock import ClockOffset, agree
from techcheck.checks.network.httpio import parse_origin
from tests.services import test_network
from tests.services.test_network import hermetic_profile, run_check
from tests.services.test_network_unanswered import clean_env, lab_trusted, profile_with
from tests.verdict_policy import violations

private_ca_tls_server = test_network.private_ca_tls_server  # fixtures
server = test_network.server
__all__ = ["clean_env", "lab_trusted"]

DAY = 86400.0


class DateServer:
    """Answers every HTTP request with 200, no body and ``Date`` = now + ``skew_s`` (for TLS,
    with the lab certificate in ``tls``). Bounded: at most 200 connections, 2 s each."""

    def __init__(self, skew_s: float, tls: ssl.SSLContext | None = None) -> None:
        self.skew_s = skew_s
        self.tls = tls
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.answered = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(200):
            if self.stop.is_set():
                return
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(2.0)
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            while not self.stop.is_set():
                data = b""
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                date = email.utils.formatdate(time.time() + self.skew_s, usegmt=True)
                conn.sendall(f"HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 0\r\n\r\n"
                             .encode())
                self.answered += 1
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.thread.join(3.0)


def measured(servers: list[DateServer]) -> clock.Agreement:
    """``clock.measure_all`` over ``servers`` (plain HTTP), closed afterwards."""
    try:
        return clock.measure_all([clock.Server(parse_origin(s.url), "/") for s in servers],
                                 lambda: False)
    finally:
        for s in servers:
            s.close()


def test_one_wrong_server_among_three_is_left_out_and_named():
    servers = [DateServer(0.0), DateServer(0.0), DateServer(2 * DAY)]
    got = measured(servers)
    assert got.offset is not None and got.offset.sources == 2
    assert got.offset.at_least == 0.0 and got.offset.uncertainty < 1.5
    assert got.outliers == (servers[2].url,)
    assert got.to_dict()["disagree"] == [servers[2].url]
    assert got.to_dict()["servers"][servers[2].url] == pytest.approx(-2 * DAY, abs=2)


def test_two_servers_that_disagree_are_could_not_measure():
    servers = [DateServer(0.0), DateServer(-2 * DAY)]
    got = measured(servers)
    assert got.offset is None
    assert set(got.outliers) == {s.url for s in servers}


def test_agreement_takes_the_median_and_needs_a_strict_majority():
    def off(seconds: float, width: float = 0.6) -> ClockOffset:
        return ClockOffset(seconds - width / 2, seconds + width / 2, 2)

    # Three agree (within the Date's second), one is a day off: the three, narrowed together.
    got = agree({"a": off(600.0), "b": off(600.4), "c": off(599.8), "d": off(DAY)})
    assert got.offset is not None and got.offset.sources == 3 and got.outliers == ("d",)
    assert 599.0 < got.offset.estimate < 601.0 and got.offset.samples == 6
    # Two against two: no majority, not measured.
    assert agree({"a": off(0.0), "b": off(0.3), "c": off(DAY), "d": off(DAY)}).offset is None
    # Servers that did not answer are neither for nor against.
    got = agree({"a": off(0.0), "b": None, "c": off(0.5)})
    assert got.offset is not None and got.offset.sources == 2
    assert agree({"a": None}).offset is None and agree({}).offset is None


def _clock_of(result):
    found = [f for f in result.findings if f.code == "network.clock_off"]
    return result.metrics["clock_offset"], found


@pytest.mark.slow
def test_a_lone_server_two_days_off_warns_and_never_fails(tmp_path, clean_env, server):
    """The only server asked (the measurement server) says the clock is two days off: that
    may be the server's clock, so a warning at most. Before, it failed the check."""
    liar = DateServer(-2 * DAY)
    try:
        result, _ = run_check(hermetic_profile(tmp_path), liar.url, stun_spec=server.stun,
                              duration=2.5)
    finally:
        liar.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    metric, found = _clock_of(result)
    assert len(found) == 1 and found[0].status is Status.WARN, found
    assert metric.status is Status.WARN and metric.threshold == found[0].threshold == 60.0
    assert found[0].text().startswith("The computer's clock is 2 days ahead")
    assert "ahead of the servers' clocks" in found[0].text()
    assert "före servrarnas klockor" in found[0].text("sv")


@pytest.fixture
def lab_tls(tmp_path, lab_trusted):
    """A server context with the lab certificate for localhost (made by the CA fixture)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "leaf.key")
    return ctx


@pytest.mark.slow
def test_the_platforms_servers_outvote_a_measurement_server_with_a_wrong_date(
        tmp_path, clean_env, server, lab_tls):
    """The measurement server's Date is two days off; the two platform servers (HTTPS with a
    trusted certificate) keep time: the clock passes, and the details name the server that
    disagrees. Before, the one server's Date failed the check (NOT READY)."""
    liar = DateServer(-2 * DAY)
    platform = [DateServer(0.0, lab_tls), DateServer(0.0, lab_tls)]
    try:
        profile = profile_with(tmp_path, [f"localhost:{p.port}" for p in platform])
        result, _ = run_check(profile, liar.url, stun_spec=server.stun, duration=3.0)
    finally:
        for s in (liar, *platform):
            s.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    metric, found = _clock_of(result)
    assert not found, [f.text() for f in found]
    assert metric.status is Status.PASS and metric.value == 0.0
    details = result.details["clock"]
    assert details["sources"] == 2 and details["disagree"] == [liar.url]
    assert all(p.answered >= 1 for p in platform)
    assert not [f for f in result.findings if f.code == "network.platform_unreachable"]


@pytest.mark.slow
def test_servers_that_agree_the_clock_is_two_days_off_fail_it(tmp_path, clean_env, server,
                                                               lab_tls):
    """Three servers agree the computer is two days ahead: secure connections will break,
    and with agreement that is a failure quoting the day limit."""
    servers = [DateServer(-2 * DAY), DateServer(-2 * DAY, lab_tls), DateServer(-2 * DAY, lab_tls)]
    try:
        profile = profile_with(tmp_path, [f"localhost:{s.port}" for s in servers[1:]])
        result, _ = run_check(profile, servers[0].url, stun_spec=server.stun, duration=3.0)
    finally:
        for s in servers:
            s.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    metric, found = _clock_of(result)
    assert len(found) == 1 and found[0].status is Status.FAIL
    assert metric.threshold == found[0].threshold == DAY
    assert result.details["clock"]["sources"] == 3
