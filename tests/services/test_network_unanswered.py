"""Servers that do not answer, judged by docs/verdicts.md: one silent or refusing server (the
measurement server, one of the platform's servers) is a warning naming it, with its fix; only
when nothing answers at all is the connection unusable (NOT READY). Every server is real and
on 127.0.0.x: one that accepts and never answers, one that refuses (a bound port that does not
listen), a UDP socket that never answers STUN, and TLS servers with a lab certificate
authority the test makes this process trust."""

from __future__ import annotations

import socket
import ssl
import sys

import pytest

from techcheck.checks import registry
from techcheck.checks.model import Status, Verdict, verdict_for
from techcheck.checks.network import probes
from techcheck.checks.profile import load_profile
from tests.services import test_network
from tests.services.test_network import FaultServer, hermetic_profile, run_check
from tests.verdict_policy import violations

private_ca_tls_server = test_network.private_ca_tls_server  # fixture
server = test_network.server  # fixture

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="binds to 127.0.0.2, which only Linux routes to lo")


@pytest.fixture
def clean_env(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "all_proxy", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def refused_port(host: str = "127.0.0.1") -> tuple[socket.socket, int]:
    """A port bound and not listening: connections to it are refused. Keep the socket open."""
    s = socket.socket()
    s.bind((host, 0))
    return s, s.getsockname()[1]


def profile_with(tmp_path, endpoints: list[str], base: str = "teams"):
    """The hermetic profile with these platform servers."""
    hermetic_profile(tmp_path, base=base)
    p = tmp_path / "lab.toml"
    names = ", ".join(f'"{e}"' for e in endpoints)
    p.write_text(p.read_text().replace("endpoints = []\n", f"endpoints = [{names}]\n"))
    return load_profile(str(p), registry.limit_schemas(registry.discover()))


@pytest.mark.slow
@linux_only
def test_nothing_answering_anywhere_is_no_usable_connection(tmp_path, clean_env):
    """The measurement server refuses, the STUN server (another host) and the platform's server
    never answer: nothing on the internet answered, so the line cannot carry a call: a failure
    that says so (``network.offline``), NOT READY. Before, only the measurement server's
    "could not measure" was said."""
    held, dead = refused_port()
    silent = FaultServer("silent")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:
        mute.bind(("127.0.0.2", 0))
        stun_spec = f"127.0.0.2:{mute.getsockname()[1]}"
        try:
            result, _ = run_check(profile_with(tmp_path, [f"localhost:{silent.port}"]),
                                  f"http://127.0.0.1:{dead}", stun_spec=stun_spec, duration=2.5)
        finally:
            silent.close()
            held.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    f = {x.code: x for x in result.findings}
    offline = f["network.offline"]
    assert offline.status is Status.FAIL
    assert offline.text() == (f"Nothing on the internet answered: not the measurement server "
                              f"http://127.0.0.1:{dead}, and not {stun_spec}, "
                              f"localhost:{silent.port}. This connection cannot carry a call.")
    assert offline.fix_text() and offline.text("sv").startswith("Ingenting på internet svarade")
    assert f["network.server_unreachable"].status is Status.WARN
    assert verdict_for([result]) is Verdict.NOT_READY


@pytest.mark.slow
def test_one_silent_host_alone_is_could_not_measure_not_a_dead_line(tmp_path, clean_env):
    """Only the measurement server's host was tried (its STUN is on the same host and port):
    its silence cannot tell a broken line from a broken server, so it is "could not measure",
    a warning, never "no usable connection"."""
    silent = FaultServer("silent")
    try:
        result, _ = run_check(hermetic_profile(tmp_path), silent.url, duration=2.5)
    finally:
        silent.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    f = {x.code: x for x in result.findings}
    assert "network.offline" not in f
    assert f["network.server_unreachable"].status is Status.WARN
    assert silent.url in f["network.server_unreachable"].text()
    assert result.metrics["download"].value == "unknown"
    assert verdict_for([result]) is Verdict.READY_WITH_WARNINGS


@pytest.fixture
def lab_trusted(private_ca_tls_server, monkeypatch):
    """A TLS server for ``localhost`` whose lab authority this process trusts, as the OS trust
    store and as the public roots alike (it stands in for a public platform server: no public
    certificate can be had on 127.0.0.1)."""
    port, ca = private_ca_tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    monkeypatch.setattr(probes, "public_roots_context",
                        lambda: ssl.create_default_context(cafile=str(ca)))
    return port


@pytest.mark.slow
def test_one_platform_server_silent_and_one_refusing_is_a_warning_naming_them(
        tmp_path, clean_env, lab_trusted, server):
    """Teams' profile names three servers: one answers TLS, one accepts and never answers, one
    refuses. The call can still go through the one that works: a warning naming the other two
    with the fix, and the row and the sentence quote the same declared limit (all three).
    Before, any unreachable server of a named platform failed the check (NOT READY)."""
    held, dead = refused_port()
    silent = FaultServer("silent")
    try:
        endpoints = [f"localhost:{lab_trusted}", f"localhost:{silent.port}",
                     f"localhost:{dead}"]
        result, _ = run_check(profile_with(tmp_path, endpoints), server.url,
                              stun_spec=server.stun, duration=3.0)
    finally:
        silent.close()
        held.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    f = {x.code: x for x in result.findings}
    found = f["network.platform_unreachable"]
    assert found.status is Status.WARN
    text = found.text()
    assert text.startswith("Some of the servers of Microsoft Teams could not be reached: ")
    # the engine's word kept in the file, read as the network check declares it
    assert f"localhost:{dead} (tcp)" in found.params["names"]
    assert f"localhost:{silent.port} (" in text and \
        f"localhost:{dead} (connection refused)" in text
    assert f"localhost:{lab_trusted}" not in text
    assert "phone hotspot" in found.fix_text()
    assert found.text("sv").startswith("Några av servrarna för Microsoft Teams")
    metric = result.metrics["endpoints_reachable"]
    assert (metric.value, metric.threshold, metric.op, metric.status) == (1, 3.0, ">=",
                                                                          Status.WARN)
    assert found.threshold == metric.threshold
    assert result.status is Status.WARN, [(x.code, x.status, x.text()) for x in result.findings]
    assert verdict_for([result]) is Verdict.READY_WITH_WARNINGS


@pytest.mark.slow
def test_no_platform_server_reachable_fails_with_the_declared_limit(tmp_path, clean_env, server):
    held, dead = refused_port()
    silent = FaultServer("silent")
    try:
        endpoints = [f"localhost:{silent.port}", f"localhost:{dead}"]
        result, _ = run_check(profile_with(tmp_path, endpoints), server.url,
                              stun_spec=server.stun, duration=2.5)
    finally:
        silent.close()
        held.close()
    assert not violations(result), violations(result)  # docs/verdicts.md's table
    found = next(x for x in result.findings if x.code == "network.platform_unreachable")
    assert found.status is Status.FAIL
    assert found.text().startswith("The servers of Microsoft Teams could not be reached: ")
    metric = result.metrics["endpoints_reachable"]
    assert (metric.value, metric.threshold, metric.status) == (0, 1.0, Status.FAIL)
    assert found.threshold == metric.threshold
    assert verdict_for([result]) is Verdict.NOT_READY


def test_the_platform_measure_is_declared_and_graded_through_its_declaration():
    """``endpoints_reachable`` has limits of its own (every server, then one) instead of a
    status set by hand, so every surface quotes them."""
    from techcheck.checks.base import ResultBuilder
    from techcheck.checks.network.measures import ENDPOINTS_REACHABLE

    class Lim:
        endpoints = ("a:443", "b:443", "c:443", "d:443")

    bound = ENDPOINTS_REACHABLE.bind(Lim())
    assert ENDPOINTS_REACHABLE.graded and bound.low is not None
    assert bound.low.bound()[:2] == (4.0, 1.0)
    for reached, status in ((4, Status.PASS), (3, Status.WARN), (1, Status.WARN),
                            (0, Status.FAIL)):
        r = ResultBuilder("network", "Internet connection")
        assert r.grade(ENDPOINTS_REACHABLE, reached, Lim(), variant="other", names="x",
                       platform="video calls") is status
        assert r.build().metrics["endpoints_reachable"].status is status
