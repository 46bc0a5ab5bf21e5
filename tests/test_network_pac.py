"""PAC files: the safe evaluator on real-world shapes of PAC files and on hostile ones, and the
check reading a PAC file from the desktop's settings (KDE's kioslaverc, from a file and over
HTTP on 127.0.0.1) and telling whether the platform's traffic goes through the proxy."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from checks.model import Status
from checks.network import pac, probes
from tests import test_network
from tests.httpproxy import HttpProxy
from tests.test_network import hermetic_profile, run_check
from tests.test_network_proxy import closed_port

server = test_network.server

NO_DNS = {"intranet.corp.example": "10.1.2.3", "printer": "10.9.9.9"}


def script(text: str) -> pac.PacScript:
    """Parsed with a fake resolver: no test looks a name up for real."""
    return pac.parse(text, resolver=NO_DNS.get, my_ip=lambda: "10.20.30.40")


CORPORATE = r"""
/* Contoso web proxy: internal names and the call platforms go directly. */
var PROXY = "PROXY proxy.contoso.example:8080; PROXY backup.contoso.example:3128; DIRECT";

function FindProxyForURL(url, host) {
    host = host.toLowerCase();
    // plain names and our own domain
    if (isPlainHostName(host) ||
        dnsDomainIs(host, ".corp.example") ||
        localHostOrDomainIs(host, "intranet.corp.example"))
        return "DIRECT";

    // private networks
    if (isInNet(dnsResolve(host), "10.0.0.0", "255.0.0.0") ||
        isInNet(host, "192.168.0.0", "255.255.0.0"))
        return "DIRECT";

    // Microsoft Teams media and signalling bypass the proxy (Microsoft's advice)
    if (shExpMatch(host, "*.teams.microsoft.com") || host == "teams.microsoft.com")
        return "DIRECT";
    else if (shExpMatch(url, "https://*.zoom.us/*") || dnsDomainIs(host, "zoom.us"))
        return 'DIRECT';
    else
        return PROXY;
}
"""

UNIVERSITY = """
function inCampus() {
  return isInNet(myIpAddress(), "10.20.0.0", "255.255.0.0");
}
function FindProxyForURL(url, host)
{
  var level = dnsDomainLevels(host);
  if (level == 0) return "DIRECT";
  if (!inCampus()) return "DIRECT";                      // at home: no proxy
  if (url.substring(0, 5) == "http:" && host.indexOf("webex") >= 0)
    return "PROXY cache.uni.example:3128";
  return host.length > 40 ? "SOCKS socks.uni.example:1080" :
         "PROXY web.uni.example:8080; DIRECT";
}
"""


def test_corporate_pac():
    s = script(CORPORATE)
    assert s.find_proxy("https://teams.microsoft.com/", "teams.microsoft.com") == "DIRECT"
    assert s.find_proxy("https://x.teams.microsoft.com/", "X.Teams.Microsoft.com") == "DIRECT"
    assert s.find_proxy("https://us04web.zoom.us/j/1", "us04web.zoom.us") == "DIRECT"
    assert s.find_proxy("http://printer/", "printer") == "DIRECT"
    assert s.find_proxy("https://intranet.corp.example/", "intranet.corp.example") == "DIRECT"
    assert s.find_proxy("https://192.168.1.1/", "192.168.1.1") == "DIRECT"
    answer = s.find_proxy("https://meet.google.com/", "meet.google.com")
    assert pac.routes(answer) == [("PROXY", "proxy.contoso.example:8080"),
                                  ("PROXY", "backup.contoso.example:3128"), ("DIRECT", "")]


def test_university_pac_with_helpers_and_expressions():
    s = script(UNIVERSITY)
    assert s.find_proxy("https://www.webex.com/", "www.webex.com") == \
        "PROXY web.uni.example:8080; DIRECT"
    assert s.find_proxy("http://www.webex.com/", "www.webex.com") == \
        "PROXY cache.uni.example:3128"
    assert s.find_proxy("https://wiki/", "wiki") == "DIRECT"
    long = "a" * 30 + ".b" * 6
    assert s.find_proxy(f"https://{long}/", long).startswith("SOCKS")
    home = pac.parse(UNIVERSITY, resolver=NO_DNS.get, my_ip=lambda: "192.168.1.5")
    assert home.find_proxy("https://www.webex.com/", "www.webex.com") == "DIRECT"


def test_settings_follow_the_pac_answer(tmp_path):
    p = probes.ProxySettings(pac_url="file:///x.pac", pac=script(CORPORATE))
    assert p.proxy_for("https://teams.microsoft.com/") is None
    got = p.proxy_for("https://meet.google.com/")
    assert got is not None and got.label == "proxy.contoso.example:8080"
    socks_only = probes.ProxySettings(pac_url="x", pac=script(
        'function FindProxyForURL(u, h) { return "SOCKS5 s:1080"; }'))
    assert socks_only.proxy_for("https://a.example/") is None  # nothing we can speak


HOSTILE = {
    "endless loop": 'function FindProxyForURL(u, h) { while (true) {} return "DIRECT"; }',
    "for loop": 'function FindProxyForURL(u, h) { for (;;) {} }',
    "eval": 'function FindProxyForURL(u, h) { return eval("DIRECT"); }',
    "constructor escape": 'function FindProxyForURL(u, h) { return h.constructor; }',
    "new Function": 'function FindProxyForURL(u, h) { var f = new Function("x"); }',
    "unknown function": 'function FindProxyForURL(u, h) { alert(h); return "DIRECT"; }',
    "regular expression": 'function FindProxyForURL(u, h) { if (/evil/.test(h)) return 1; }',
    "array": 'function FindProxyForURL(u, h) { var a = [1, 2]; return "DIRECT"; }',
    "object": 'function FindProxyForURL(u, h) { var o = {a: 1}; return "DIRECT"; }',
    "time rule": 'function FindProxyForURL(u, h) { if (weekdayRange("MON", "FRI")) '
                 'return "PROXY p:1"; return "DIRECT"; }',
    "recursion": 'function FindProxyForURL(u, h) { return FindProxyForURL(u, h); }',
    "mutual recursion": 'function a(x) { return b(x); } function b(x) { return a(x); } '
                        'function FindProxyForURL(u, h) { return a(h); }',
    "no entry point": 'function findProxy(u, h) { return "DIRECT"; }',
    "not a string": 'function FindProxyForURL(u, h) { return 42; }',
    "string bomb": 'var s = "xxxxxxxxxxxxxxxx"; ' + "s = s + s; " * 40
                   + 'function FindProxyForURL(u, h) { return s; }',
    "deep nesting": 'function FindProxyForURL(u, h) { return ' + "(" * 500 + '"DIRECT"'
                    + ")" * 500 + "; }",
    "deep blocks": 'function FindProxyForURL(u, h) { ' + "{" * 500 + "}" * 500 + " }",
    "too big": "// " + "x" * (pac.MAX_BYTES + 10) + "\nfunction FindProxyForURL(u, h) {}",
    "garbage": "\x00\x01 function FindProxyForURL(u, h) { return 'DIRECT'; }",
    "unclosed": 'function FindProxyForURL(u, h) { if (h) { return "DIRECT";',
    "name lookups": 'function FindProxyForURL(u, h) { if (' + " || ".join(
        f'isResolvable("n{i}.example")' for i in range(200)) + ') return "DIRECT"; }',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pac_files_are_refused_quickly(name):
    lookups = []

    def resolver(host):
        lookups.append(host)
        return None

    start = time.monotonic()
    with pytest.raises(pac.PacError) as err:
        pac.parse(HOSTILE[name], resolver=resolver).find_proxy("https://a.example/",
                                                              "a.example")
    assert time.monotonic() - start < 1.0
    assert len(lookups) <= pac.MAX_LOOKUPS
    assert str(err.value)  # says what it refused, for the report


def test_long_but_honest_chains_are_fine():
    """Real PAC files have long else-if chains and || lists: flat, not refused as nesting."""
    chain = "".join(f'if (dnsDomainIs(h, ".d{i}.example")) return "DIRECT"; else '
                    for i in range(300))
    ors = " || ".join(f'shExpMatch(h, "*.s{i}.example")' for i in range(2000))
    text = (f'function FindProxyForURL(u, h) {{ {chain} if ({ors}) return "PROXY p:1"; '
            'return "PROXY q:2"; }')
    s = script(text)
    assert s.find_proxy("https://x.d299.example/", "x.d299.example") == "DIRECT"
    assert s.find_proxy("https://x.s1999.example/", "x.s1999.example") == "PROXY p:1"
    assert s.find_proxy("https://other/", "other") == "PROXY q:2"


# --- the check reading the desktop's PAC setting -------------------------------------------


@pytest.fixture
def kde_pac(tmp_path, monkeypatch):
    """A KDE desktop whose proxy setting points at a PAC file; returns a function that
    writes the PAC text and gives its URL."""
    for var in ("DISPLAY", "WAYLAND_DISPLAY", *(v for v in __import__(
            "tests.test_network_proxy", fromlist=["x"]).PROXY_VARS)):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".config").mkdir()

    def write(text: str, url: str | None = None) -> str:
        path = tmp_path / "proxy.pac"
        path.write_text(text)
        url = url or path.as_uri()
        (tmp_path / ".config" / "kioslaverc").write_text(
            f"[Proxy Settings]\nProxyType=2\nProxy Config Script={url}\n")
        return url

    return write


def test_pac_sends_the_platform_through_the_proxy(server, tmp_path, kde_pac):
    with HttpProxy() as px:
        url = kde_pac('function FindProxyForURL(url, host) {\n'
                      '  if (isPlainHostName(host)) return "DIRECT";\n'
                      f'  return "PROXY 127.0.0.1:{px.port}; DIRECT";\n}}\n')
        result, _ = run_check(hermetic_profile(tmp_path), server.url, duration=1.5)
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.status is Status.WARN
    assert f.text().startswith(f"This network's proxy configuration (PAC file {url}) sends "
                               f"the traffic of video calls through the proxy 127.0.0.1:{px.port}")
    assert result.metrics["measured_via"].value == "direct"  # the direct way works here
    assert result.details["pac"]["answers"]["127.0.0.1"].startswith("PROXY")


def test_pac_lets_the_platform_go_directly(server, tmp_path, kde_pac):
    kde_pac('function FindProxyForURL(url, host) {\n'
            '  if (isInNet(host, "127.0.0.0", "255.0.0.0")) return "DIRECT";\n'
            '  return "PROXY proxy.corp.example:8080";\n}\n')
    result, _ = run_check(hermetic_profile(tmp_path), server.url, duration=1.5)
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.status is Status.PASS
    assert "go directly, not through a proxy" in f.text()


def test_pac_that_cannot_be_evaluated_says_so(server, tmp_path, kde_pac):
    kde_pac('function FindProxyForURL(url, host) { while (1) {} }')
    result, _ = run_check(hermetic_profile(tmp_path), server.url, duration=1.5)
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.status is Status.WARN
    assert "could not be evaluated" in f.text() and "'while' is not supported" in f.text()


def test_pac_over_http_chooses_the_proxy_when_direct_fails(server, tmp_path, kde_pac):
    dead = closed_port()
    hosts = {f"127.0.0.1:{dead}": f"127.0.0.1:{server.port}"}
    with HttpProxy(hosts=hosts) as px:
        text = f'function FindProxyForURL(url, host) {{ return "PROXY 127.0.0.1:{px.port}"; }}'
        (tmp_path / "wpad.dat").write_text(text)
        handler = lambda *a: http.server.SimpleHTTPRequestHandler(  # noqa: E731
            *a, directory=str(tmp_path))
        web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        web.RequestHandlerClass.log_message = lambda *a: None
        threading.Thread(target=web.serve_forever, daemon=True).start()
        try:
            kde_pac(text, f"http://127.0.0.1:{web.server_address[1]}/wpad.dat")
            result, _ = run_check(hermetic_profile(tmp_path), f"http://127.0.0.1:{dead}",
                                  f"127.0.0.1:{server.port}", duration=2.0)
        finally:
            web.shutdown()
            web.server_close()
    m = {k: v.value for k, v in result.metrics.items()}
    assert m["measured_via"] == "proxy"
    assert isinstance(m["download"], float) and m["download"] > 10
    assert px.counts.get("forward", 0) >= 3
