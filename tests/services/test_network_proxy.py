"""The network check behind an HTTP proxy, against a real proxy (tests/httpproxy.py) on
127.0.0.1: CONNECT tunnels and absolute-form requests, the proxy taken when the direct way
fails, its login demand reported, the platform's servers reached through its tunnel. The
namespace where only the proxy reaches the server is in test_network_links.py."""

from __future__ import annotations

import socket

import pytest

from techcheck.checks.model import Status
from techcheck.checks.network import probes, proxy
from techcheck.checks.network.httpio import parse_origin
from techcheck.checks.network.transfer import CLOUDFLARE, Transfer
from tests.httpproxy import HttpProxy
from tests.services import test_network
from tests.services.test_network import hermetic_profile, run_check

# The loopback measurement server and the private-CA TLS server, shared with test_network.py.
server = test_network.server
private_ca_tls_server = test_network.private_ca_tls_server

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY",
              "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def clean_env(monkeypatch):
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def closed_port() -> int:
    """A local port nothing listens on: a direct connection is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_proxy_specs_and_exemptions():
    p = proxy.parse_proxy("http://alice:s%3Ecret@proxy.corp.example:3128")
    assert p == proxy.Proxy("proxy.corp.example", 3128, "alice", "s>cret")
    assert p.label == "proxy.corp.example:3128"  # never the password
    assert p.auth_header() == {"Proxy-Authorization": "Basic YWxpY2U6cz5jcmV0"}
    assert proxy.parse_proxy("PROXY 10.0.0.1:8080") == proxy.Proxy("10.0.0.1", 8080)
    assert proxy.parse_proxy("proxy:80") == proxy.Proxy("proxy", 80)
    assert proxy.parse_proxy("socks5://proxy:1080") is None  # not an HTTP proxy
    assert proxy.parse_proxy("") is None and proxy.parse_proxy("http://:99999") is None
    assert proxy.bypassed("teams.microsoft.com", "localhost,.microsoft.com")
    assert proxy.bypassed("microsoft.com", ".microsoft.com")
    assert proxy.bypassed("api.zoom.us", "zoom.us")
    assert not proxy.bypassed("notzoom.us", "zoom.us")
    assert proxy.bypassed("anything", "*")
    env = {"http": "http://p:3128", "no": "internal.corp"}
    assert proxy.for_url(env, "https", "example.org") == proxy.Proxy("p", 3128)
    assert proxy.for_url(env, "http", "wiki.internal.corp") is None
    assert proxy.for_url({"https": "http://s:1"}, "http", "x") is None


@pytest.mark.slow
def test_transfers_both_ways_through_the_proxy(server):
    with HttpProxy() as px:
        via = proxy.parse_proxy(px.url)
        o = parse_origin(server.url)
        down = Transfer(o, CLOUDFLARE, "down", 2, 1.0, lambda: False, via=via).run()
        up = Transfer(o, CLOUDFLARE, "up", 2, 1.0, lambda: False, via=via).run()
    assert down.mbps is not None and down.mbps > 10, down.errors
    assert up.mbps is not None and up.mbps > 10, up.errors
    assert px.counts.get("forward", 0) >= 4  # every stream's request went through it


@pytest.mark.slow
def test_check_measures_through_the_proxy_when_direct_fails(server, tmp_path, clean_env):
    dead = closed_port()
    # Only the proxy knows the way to the server (as only a company proxy gets out).
    with HttpProxy(hosts={f"127.0.0.1:{dead}": f"127.0.0.1:{server.port}"}) as px:
        clean_env.setenv("HTTP_PROXY", px.url)
        result, _ = run_check(hermetic_profile(tmp_path), f"http://127.0.0.1:{dead}",
                              f"127.0.0.1:{server.port}", duration=3.0)
    m = {k: v.value for k, v in result.metrics.items()}
    assert m["measured_via"] == "proxy"
    assert isinstance(m["download"], float) and m["download"] > 10
    assert isinstance(m["upload"], float) and m["upload"] > 10
    assert px.counts.get("forward", 0) >= 5
    f = {x.code: x for x in result.findings}
    assert "network.server_unreachable" not in f
    assert f["network.proxy"].status is Status.WARN
    text = f["network.proxy"].text()
    assert text.startswith(f"Only the proxy 127.0.0.1:{px.port} reaches the internet"), text
    assert "connect" in text
    assert result.details["measured_via"]["proxy"] == f"127.0.0.1:{px.port}"


@pytest.mark.slow
def test_direct_is_measured_when_it_works(server, tmp_path, clean_env):
    with HttpProxy() as px:
        clean_env.setenv("HTTP_PROXY", px.url)
        result, _ = run_check(hermetic_profile(tmp_path), server.url, duration=1.5)
    assert result.metrics["measured_via"].value == "direct"
    assert px.counts == {}
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.text().startswith("Web traffic goes through a proxy")


@pytest.mark.slow
def test_proxy_that_wants_a_login(server, tmp_path, clean_env):
    dead = closed_port()
    hosts = {f"127.0.0.1:{dead}": f"127.0.0.1:{server.port}"}
    with HttpProxy(user="alice:secret", hosts=hosts) as px:
        clean_env.setenv("HTTP_PROXY", px.url)
        result, _ = run_check(hermetic_profile(tmp_path), f"http://127.0.0.1:{dead}",
                              f"127.0.0.1:{server.port}", duration=1.5)
        assert px.counts.get("refused_auth", 0) >= 1
        f = {x.code: x for x in result.findings}
        # the reason in words (the file keeps the raw "proxy_auth")
        assert "the proxy asks for a sign-in" in f["network.server_unreachable"].text()
        assert "proxy_auth" in f["network.server_unreachable"].params["reason"]
        assert result.metrics["download"].value == "unknown"
        # The login in the proxy URL (as IT configures it) is sent, never shown.
        clean_env.setenv("HTTP_PROXY", f"http://alice:secret@127.0.0.1:{px.port}")
        result, _ = run_check(hermetic_profile(tmp_path), f"http://127.0.0.1:{dead}",
                              f"127.0.0.1:{server.port}", duration=1.5)
    assert result.metrics["measured_via"].value == "proxy"
    assert isinstance(result.metrics["download"].value, float)
    assert all("secret" not in x.text() for x in result.findings)


def test_platform_reached_through_the_proxy_tunnel(private_ca_tls_server, clean_env):
    port, ca = private_ca_tls_server
    dead = closed_port()
    clean_env.setenv("SSL_CERT_FILE", str(ca))
    with HttpProxy(hosts={f"localhost:{dead}": f"127.0.0.1:{port}"}) as px:
        via = proxy.parse_proxy(px.url)
        direct = probes.reach(f"localhost:{dead}", 2.0)
        r = probes.reach(f"localhost:{dead}", 2.0, probes.public_roots_context(), via)
    assert direct.error == "tcp" and direct.via == ""
    assert r.ok, r.detail
    assert r.via == f"127.0.0.1:{px.port}" and r.direct_error == "tcp"
    assert r.tcp_ms is not None and r.tls_ms is not None
    # TLS runs end to end inside the tunnel: the server's own certificate is checked, and the
    # company's inspection authority is still recognised.
    assert "Corporate Inspection CA" in r.issuer
    assert r.intercepted_by == "a certificate authority added to this computer"
    assert px.counts.get("connect", 0) >= 2


def test_proxy_that_cannot_reach_the_platform(clean_env):
    dead = closed_port()
    with HttpProxy() as px:
        r = probes.reach(f"127.0.0.1:{dead}", 2.0, None, proxy.parse_proxy(px.url))
    assert r.error == "proxy" and "502" in r.detail


@pytest.mark.slow
def test_cancel_while_a_silent_proxy_holds_the_way(server, tmp_path, clean_env):
    """A proxy that accepts connections and never answers: the check waits for it in the
    background, and cancel still ends the check within a second."""
    dead = closed_port()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        clean_env.setenv("HTTP_PROXY", f"http://127.0.0.1:{silent.getsockname()[1]}")
        exc, took = test_network.cancel_after(2.5, hermetic_profile(tmp_path),
                                              f"http://127.0.0.1:{dead}",
                                              f"127.0.0.1:{server.port}")
    assert took < 1.0
    assert type(exc).__name__ == "Cancelled"
