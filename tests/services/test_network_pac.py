"""PAC files: evaluated by a full JavaScript engine (pacparser) in a child process with a
deadline and a memory limit, on real-world shapes of PAC files and on hostile ones; and the
check reading a PAC file from the desktop's settings (KDE's kioslaverc, from a file and over
HTTP on 127.0.0.1) and telling whether the platform's traffic goes through the proxy. The
corpus of published PAC files is scored by bench/bench_pac.py."""

from __future__ import annotations

import http.server
import multiprocessing
import threading
import time

import pytest

from techcheck.checks.model import Status
from techcheck.checks.network import pac, probes
from tests.httpproxy import HttpProxy
from tests.services import test_network
from tests.services.test_network import hermetic_profile, run_check
from tests.services.test_network_proxy import closed_port

server = test_network.server

# Name lookups answer from this table (this machine has no internet DNS); others do not resolve.
NO_DNS = {"intranet.corp.example": "10.1.2.3", "printer": "10.9.9.9"}


def script(text: str) -> pac.PacScript:
    return pac.parse(text, hosts=NO_DNS, my_ip="10.20.30.40")


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
    home = pac.parse(UNIVERSITY, hosts=NO_DNS, my_ip="192.168.1.5")
    assert home.find_proxy("https://www.webex.com/", "www.webex.com") == "DIRECT"


def test_settings_follow_the_pac_answer(tmp_path):
    p = probes.ProxySettings(pac_url="file:///x.pac", pac=script(CORPORATE))
    assert p.proxy_for("https://teams.microsoft.com/") is None
    got = p.proxy_for("https://meet.google.com/")
    assert got is not None and got.label == "proxy.contoso.example:8080"
    socks_only = probes.ProxySettings(pac_url="x", pac=script(
        'function FindProxyForURL(u, h) { return "SOCKS5 s:1080"; }'))
    assert socks_only.proxy_for("https://a.example/") is None  # nothing we can speak


MODERN = r"""
// What the old subset interpreter refused: arrays, loops, regular expressions, objects,
// String methods, date rules, try/catch.
var bypass = ["zoom.us", "teams.microsoft.com", "webex.com"];
var internal = /^(10|192\.168)\./;
var routes = {eu: "PROXY eu.proxy.example:8080", us: "PROXY us.proxy.example:8080"};
function FindProxyForURL(url, host) {
    for (var i = 0; i < bypass.length; i++)
        if (host === bypass[i] || host.endsWith("." + bypass[i])) return "DIRECT";
    if (internal.test(host) || host.match(/\.corp\.example$/)) return "DIRECT";
    try { if (weekdayRange("SAT", "SUN") && false) return "DIRECT"; } catch (e) {}
    return new RegExp("\\.se$").test(host) ? routes.eu : routes.us + "; DIRECT";
}
"""


def test_a_full_engine_answers_what_the_subset_refused():
    s = script(MODERN)
    answers = s.evaluate(["https://us04web.zoom.us/", "https://x.teams.microsoft.com/",
                          "https://10.1.1.1/", "https://wiki.corp.example/",
                          "https://www.svt.se/", "https://meet.google.com/"])
    assert {u: a for u, (a, _) in answers.items()} == {
        "https://us04web.zoom.us/": "DIRECT", "https://x.teams.microsoft.com/": "DIRECT",
        "https://10.1.1.1/": "DIRECT", "https://wiki.corp.example/": "DIRECT",
        "https://www.svt.se/": "PROXY eu.proxy.example:8080",
        "https://meet.google.com/": "PROXY us.proxy.example:8080; DIRECT"}
    assert s.engine == "pacparser"


def test_weekday_ranges_wrap_past_sunday_as_netscape_defined():
    """weekdayRange("FRI", "MON") is Friday through Monday (Netscape's PAC definition);
    pacparser's own version says false for every wrapping range."""
    today = time.localtime().tm_wday  # Monday 0
    js_day = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
    tomorrow, yesterday = js_day[(today + 1) % 7], js_day[(today - 1) % 7]
    s = script('function FindProxyForURL(u, h) { return [weekdayRange("MON", "SUN"), '
               f'weekdayRange("{tomorrow}", "{yesterday}"), '
               f'weekdayRange("{tomorrow}")].join(","); }}')
    assert s.find_proxy("https://a.example/") == "true,false,false"


def test_real_name_lookups_and_my_address():
    """Without a hosts table the engine resolves names itself (localhost from /etc/hosts) and
    myIpAddress() is the address of the default route, as Chrome chooses it."""
    s = pac.parse('function FindProxyForURL(u, h) { return "PROXY " + dnsResolve("localhost") '
                  '+ ":1; " + isResolvable("nonexistent.invalid") + " " + myIpAddress(); }')
    assert s.find_proxy("https://a.example/") == f"PROXY 127.0.0.1:1; false {pac._my_ip()}"


HOSTILE = {
    "endless loop": ('function FindProxyForURL(u, h) { while (true) {} }', "longer than"),
    "endless recursion": ('function FindProxyForURL(u, h) { return FindProxyForURL(u, h); }',
                          "Maximum call stack size exceeded"),
    "memory": ('function FindProxyForURL(u, h) { var a = new Array(1e8).fill(1.5); '
               'return "PROXY x:" + a.length; }', "out of memory"),
    "string bomb": ('var s = "xxxxxxxxxxxxxxxx"; for (var i = 0; i < 40; i++) s = s + s; '
                    'function FindProxyForURL(u, h) { return s; }', "string too long"),
    "syntax error": ('function FindProxyForURL(u, h) { if (h) { return "DIRECT";',
                     "not valid JavaScript: SyntaxError"),
    "throws while loading": ('throw new Error("boom"); function FindProxyForURL(u, h) {}',
                             "not valid JavaScript: Error: boom"),
    "garbage": ("\x00\x01 function FindProxyForURL(u, h) { return 'DIRECT'; }",
                "embedded null character"),
    "no answer": ('function FindProxyForURL(u, h) { if (h == "x") return "DIRECT"; }',
                  "returned undefined"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pac_files_are_stopped_and_said_why(name):
    text, reason = HOSTILE[name]
    start = time.monotonic()
    with pytest.raises(pac.PacError) as err:
        script(text).find_proxy("https://a.example/")
    assert time.monotonic() - start < pac.DEADLINE_S + 3.0
    assert reason in str(err.value)
    assert multiprocessing.active_children() == []  # the child is gone, killed if need be


def test_the_file_sees_no_host_objects():
    """Nothing but JavaScript and the PAC helpers: no files, processes or network."""
    s = script('function FindProxyForURL(u, h) { return [typeof require, typeof process, '
               'typeof std, typeof os, typeof XMLHttpRequest, typeof fetch, typeof Java]'
               '.join(","); }')
    assert s.find_proxy("https://a.example/") == ",".join(["undefined"] * 7)


def test_files_refused_before_running():
    with pytest.raises(pac.PacError, match="larger than"):
        pac.parse("// " + "x" * (pac.MAX_BYTES + 10) + "\nfunction FindProxyForURL(u, h) {}")
    with pytest.raises(pac.PacError, match="no FindProxyForURL"):
        pac.parse(b'function findProxy(u, h) { return "DIRECT"; }')


def test_long_but_honest_chains_are_fine():
    """Real PAC files have long else-if chains and || lists."""
    chain = "".join(f'if (dnsDomainIs(h, ".d{i}.example")) return "DIRECT"; else '
                    for i in range(300))
    ors = " || ".join(f'shExpMatch(h, "*.s{i}.example")' for i in range(2000))
    text = (f'function FindProxyForURL(u, h) {{ {chain} if ({ors}) return "PROXY p:1"; '
            'return "PROXY q:2"; }')
    answers = script(text).evaluate(["https://x.d299.example/", "https://x.s1999.example/",
                                     "https://other/"])
    assert [a for a, _ in answers.values()] == ["DIRECT", "PROXY p:1", "PROXY q:2"]


# --- the check reading the desktop's PAC setting -------------------------------------------


@pytest.fixture
def kde_pac(tmp_path, monkeypatch):
    """A KDE desktop whose proxy setting points at a PAC file; returns a function that
    writes the PAC text and gives its URL."""
    for var in ("DISPLAY", "WAYLAND_DISPLAY", *(v for v in __import__(
            "tests.services.test_network_proxy", fromlist=["x"]).PROXY_VARS)):
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_pac_lets_the_platform_go_directly(server, tmp_path, kde_pac):
    kde_pac('function FindProxyForURL(url, host) {\n'
            '  if (isInNet(host, "127.0.0.0", "255.0.0.0")) return "DIRECT";\n'
            '  return "PROXY proxy.corp.example:8080";\n}\n')
    result, _ = run_check(hermetic_profile(tmp_path), server.url, duration=1.5)
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.status is Status.PASS
    assert "go directly, not through a proxy" in f.text()


@pytest.mark.slow
def test_pac_that_cannot_be_evaluated_says_so(server, tmp_path, kde_pac):
    kde_pac('function FindProxyForURL(url, host) { while (1) {} }')
    result, _ = run_check(hermetic_profile(tmp_path), server.url, duration=1.5)
    f = next(x for x in result.findings if x.code == "network.proxy")
    assert f.status is Status.WARN
    assert "could not be evaluated" in f.text() and "longer than 5 s" in f.text()


@pytest.mark.slow
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
