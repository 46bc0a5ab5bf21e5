"""The quick questions about the path to the internet, each answering in a few seconds:
can the platform's servers be reached over TCP and TLS, is a captive portal in the way, does
traffic go through a proxy, is TLS intercepted, is the computer connected at all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from techcheck.checks.network import pac
from techcheck.checks.network.dns import resolve
from techcheck.checks.network.httpio import (
    HttpFailure,
    close_quietly,
    connect,
    parse_origin,
    read_head,
    tls_context,
)
from techcheck.checks.network.httpio import request_head as _head
from techcheck.checks.network.proxy import Proxy, ProxyFailure, open_to_proxy, parse_proxy, tunnel
from techcheck.checks.network.proxy import for_url as proxy_for_url
from techcheck.checks.safefile import InputFileError, read_bounded

log = logging.getLogger("techcheck.network")

#: Words in a certificate issuer that name a TLS-inspecting product (firewalls, proxies,
#: antivirus): when a platform's certificate is issued by one of them, traffic is intercepted.
INTERCEPTORS = ("zscaler", "fortinet", "fortigate", "palo alto", "netskope", "blue coat",
                "bluecoat", "symantec web", "sophos", "kaspersky", "avast", "avg ", "bitdefender",
                "eset", "cisco umbrella", "forcepoint", "websense", "barracuda", "mcafee web",
                "checkpoint", "check point", "untangle", "watchguard", "sonicwall", "lightspeed",
                "securly", "goguardian", "contentkeeper", "smoothwall", "iboss", "menlo")


@dataclass
class Reach:
    endpoint: str  # host:port as the profile names it
    dns_ms: float | None = None
    tcp_ms: float | None = None  # through a proxy: until the proxy's tunnel stood
    tls_ms: float | None = None
    error: str = ""  # dns | tcp | tls | proxy | timeout | "" (reachable)
    detail: str = ""
    issuer: str = ""
    intercepted_by: str = ""  # product name or "a certificate authority added to this computer"
    via: str = ""  # "" directly, else the proxy (host:port) that reached it
    direct_error: str = ""  # why the direct attempt failed when the proxy was tried

    @property
    def ok(self) -> bool:
        return not self.error

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def split_endpoint(spec: str, default_port: int = 443) -> tuple[str, int]:
    host, sep, port = spec.rpartition(":")
    if sep and port.isdigit() and not host.endswith(":"):
        return host.strip("[]"), int(port)
    return spec.strip("[]"), default_port


def reach(endpoint: str, timeout_s: float = 4.0, public_roots: ssl.SSLContext | None = None,
          via: Proxy | None = None) -> Reach:
    """DNS, TCP connect and TLS handshake (verified with the OS trust store) to ``endpoint``;
    when the direct way fails before TLS and ``via`` is the proxy the settings name for it,
    the same through that proxy's tunnel (the way the platform's web traffic would go).

    With ``public_roots`` (a context holding only the public web's root certificates), a
    certificate the OS accepts but the public roots do not is reported as interception: some
    software on this computer or network added its own authority and reads the traffic.
    """
    host, port = split_endpoint(endpoint)
    r = Reach(endpoint)
    res = resolve(host, port, socket.SOCK_STREAM, timeout_s)
    r.dns_ms = res.ms
    if not res.ok:
        r.error, r.detail = "dns", res.error
    else:
        addr = res.addresses[0][1]
        start = time.monotonic()
        try:
            sock = socket.create_connection(addr[:2], timeout=timeout_s)
        except OSError as exc:
            r.error, r.detail = "tcp", str(exc)
        else:
            r.tcp_ms = (time.monotonic() - start) * 1000
            return _handshake(r, sock, host, public_roots, timeout_s,
                              lambda: socket.create_connection(addr[:2], timeout=timeout_s))
    if via is None:
        return r
    return _reach_via(Reach(endpoint, r.dns_ms, direct_error=r.error), host, port, via,
                      timeout_s, public_roots)


def _reach_via(r: Reach, host: str, port: int, via: Proxy, timeout_s: float,
               public_roots: ssl.SSLContext | None) -> Reach:
    r.via = via.label

    def opener() -> socket.socket:
        sock = open_to_proxy(via, timeout_s)
        try:
            tunnel(sock, via, host, port, timeout_s)
        except BaseException:
            close_quietly(sock)
            raise
        return sock

    try:
        sock = open_to_proxy(via, timeout_s)
    except ProxyFailure as exc:
        r.error, r.detail = "proxy", exc.detail
        return r
    try:
        r.tcp_ms = tunnel(sock, via, host, port, timeout_s) * 1000
    except ProxyFailure as exc:
        close_quietly(sock)
        r.error, r.detail = "proxy", exc.detail
        return r
    return _handshake(r, sock, host, public_roots, timeout_s, opener)


def _handshake(r: Reach, sock: socket.socket, host: str, public_roots: ssl.SSLContext | None,
               timeout_s: float, reopen: Callable[[], socket.socket]) -> Reach:
    """The TLS half of ``reach`` on a connected socket; ``reopen`` gives another connection
    the same way for the public-roots comparison."""
    start = time.monotonic()
    sock.settimeout(timeout_s)
    try:
        tls = tls_context().wrap_socket(sock, server_hostname=host)
    except (ssl.SSLError, ssl.CertificateError) as exc:
        close_quietly(sock)
        r.error, r.detail = "tls", getattr(exc, "verify_message", None) or str(exc)
        r.intercepted_by = _interceptor_in(str(exc))
        return r
    except OSError as exc:
        close_quietly(sock)
        r.error, r.detail = "tls", str(exc)
        return r
    r.tls_ms = (time.monotonic() - start) * 1000
    cert = tls.getpeercert() or {}
    close_quietly(tls)
    r.issuer = _issuer_name(cert)
    r.intercepted_by = _interceptor_in(r.issuer)
    if not r.intercepted_by and public_roots is not None:
        r.intercepted_by = _private_root(reopen, host, public_roots)
    return r


def public_roots_context() -> ssl.SSLContext | None:
    """Only the public web's root authorities (Mozilla's list, from ``certifi``)."""
    try:
        import certifi
    except ImportError:
        return None
    return ssl.create_default_context(cafile=certifi.where())


def _private_root(reopen: Callable[[], socket.socket], host: str, ctx: ssl.SSLContext) -> str:
    try:
        sock = reopen()
    except (OSError, ProxyFailure):
        return ""
    try:
        ctx.wrap_socket(sock, server_hostname=host).close()
    except ssl.SSLCertVerificationError as exc:
        log.info("%s: OS trusts the certificate, public roots do not: %s", host, exc)
        return "a certificate authority added to this computer"
    except (ssl.SSLError, OSError):
        pass
    finally:
        close_quietly(sock)
    return ""


def _issuer_name(cert: dict[str, Any]) -> str:
    parts = []
    for rdn in cert.get("issuer", ()):
        for key, value in rdn:
            if key in ("organizationName", "commonName"):
                parts.append(value)
    return ", ".join(parts)


def _interceptor_in(text: str) -> str:
    low = text.lower()
    return next((name.strip().title() for name in INTERCEPTORS if name in low), "")


# --- captive portal ------------------------------------------------------------------------


@dataclass
class Captive:
    checked: bool
    portal: bool = False
    detail: str = ""


def captive_portal(url: str, timeout_s: float = 4.0) -> Captive:
    """Fetch a "generate_204" URL: a captive portal answers with a redirect or a login page."""
    try:
        origin = parse_origin(url)
    except ValueError as exc:
        return Captive(False, detail=str(exc))
    path = url.split(origin.host, 1)[1]
    path = path[path.find("/"):] if "/" in path else "/"
    sock = None
    try:
        sock = connect(origin, timeout_s)
        sock.sendall(_head(origin, "GET", path))
        deadline = time.monotonic() + timeout_s
        head = read_head(sock, lambda: False, timeout_s, deadline)
    except HttpFailure as exc:
        return Captive(False, detail=str(exc))
    finally:
        close_quietly(sock)
    if head.status == 204:
        return Captive(True)
    where = head.headers.get("location", "")
    detail = f"HTTP {head.status}" + (f" → {where}" if where else "")
    return Captive(True, True, detail)


# --- proxies -------------------------------------------------------------------------------


@dataclass
class ProxySettings:
    proxies: dict[str, str] = field(default_factory=dict)  # scheme → proxy URL
    pac_url: str = ""
    source: str = ""  # environment | system
    no_proxy: str = ""  # hosts exempt from the proxy (no_proxy), comma-separated

    @property
    def any(self) -> bool:
        return bool(self.proxies or self.pac_url)

    pac: pac.PacScript | None = None  # the PAC file, read; None: none or not usable
    pac_error: str = ""  # why the PAC file could not be used

    def proxy_for(self, url: str) -> Proxy | None:
        """The HTTP proxy traffic to ``url`` is sent through by these settings, or None
        (directly). A PAC file decides when there is one; its first entry we can use wins
        (SOCKS entries are skipped: we speak HTTP to proxies)."""
        try:
            origin = parse_origin(url)
        except ValueError:
            return None
        if self.pac is not None:
            answer, _error = self.pac_answer(url)
            if answer is not None:
                for kind, where in pac.routes(answer):
                    if kind == "DIRECT":
                        return None
                    if kind in ("PROXY", "HTTP") and (found := parse_proxy(where)):
                        return found
                return None
        return proxy_for_url({**self.proxies, "no": self.no_proxy}, origin.scheme, origin.host)

    def pac_answer(self, url: str) -> tuple[str | None, str]:
        """(what the PAC file's FindProxyForURL answers for ``url``, or None; why not)."""
        if self.pac is None:
            return None, self.pac_error or "no PAC file"
        return self.pac.evaluate([url])[url]

    def prefetch(self, urls: list[str]) -> None:
        """Ask the PAC file about all of ``urls`` at once (one child process, see
        ``techcheck.checks.network.pac``); later questions about them are answered from memory."""
        if self.pac is not None:
            self.pac.evaluate(urls)

    def describe(self) -> str:
        items = [f"{k}: {v}" for k, v in sorted(self.proxies.items()) if k != "no"]
        if self.pac_url:
            items.append(f"PAC {self.pac_url}")
        return "; ".join(items)


def proxy_settings() -> ProxySettings:
    """Proxies from the environment, then from the system's settings (Windows registry and
    macOS through ``urllib``; GNOME through gsettings; KDE's kioslaverc), and a PAC file URL."""
    every = urllib.request.getproxies_environment()
    env = {k: v for k, v in every.items() if k != "no"}
    if env:
        return ProxySettings(env, "", "environment", every.get("no", ""))
    system = platform.system()
    found = ProxySettings(source="system")
    if system in ("Windows", "Darwin"):
        with contextlib.suppress(OSError):
            found.proxies = {k: v for k, v in urllib.request.getproxies().items() if k != "no"}
        found.pac_url = _windows_pac() if system == "Windows" else _mac_pac()
    elif system == "Linux":
        found.proxies, found.pac_url = _gnome_proxy()
        if not found.any:
            found.proxies, found.pac_url = _kde_proxy(Path.home() / ".config" / "kioslaverc")
    if found.pac_url:
        load_pac(found)
    return found


def load_pac(settings: ProxySettings, timeout_s: float = 3.0) -> None:
    """Fetch and parse the PAC file the settings name (never through a proxy, as browsers
    fetch it). Failures land in ``pac_error``: a PAC we cannot read is a finding, not a crash."""
    url = settings.pac_url
    if url.upper() in ("WPAD", "PAC"):
        settings.pac_error = "automatic proxy discovery (WPAD) is not evaluated"
        return
    try:
        settings.pac = pac.parse(fetch_pac(url, timeout_s), url=url)
    except (pac.PacError, HttpFailure, InputFileError, OSError, ValueError) as exc:
        settings.pac_error = str(exc)
        log.info("PAC file %s not usable: %s", url, exc)


def fetch_pac(url: str, timeout_s: float = 3.0) -> bytes:
    """The PAC file's bytes, at most ``pac.MAX_BYTES`` + 1 (so the parser can refuse more).

    A local file is read only if it is a regular file (``safefile.read_bounded``: a named
    pipe would block the reading thread for ever, and with it the process's exit); over HTTP
    the whole fetch, name lookup, connection, headers and body, ends within ``timeout_s``,
    however slowly the server trickles."""
    limit = pac.MAX_BYTES + 1
    parts = urlsplit(url)
    if parts.scheme in ("", "file"):
        path = unquote(parts.path) if parts.scheme == "file" else url
        return read_bounded(path, pac.MAX_BYTES, "a PAC file")
    origin = parse_origin(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    deadline = time.monotonic() + timeout_s
    sock = connect(origin, timeout_s, deadline=deadline)
    try:
        sock.sendall(_head(origin, "GET", target))
        try:
            head = read_head(sock, lambda: False, timeout_s, deadline)
        except HttpFailure as exc:
            if exc.kind == "stall":
                raise HttpFailure("stall", f"the PAC file took more than {timeout_s:g} s") \
                    from None
            raise
        if head.status != 200:
            raise HttpFailure("status", f"HTTP {head.status} for the PAC file")
        body = bytearray(head.rest)
        while len(body) < limit and (head.length is None or len(body) < head.length):
            if time.monotonic() > deadline:
                raise HttpFailure("stall", f"the PAC file took more than {timeout_s:.0f} s")
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                break
            body += chunk
        return bytes(body[:limit])
    finally:
        close_quietly(sock)


def _gsettings(key: str, schema: str = "org.gnome.system.proxy") -> str:
    try:
        out = subprocess.run(["gsettings", "get", schema, key], capture_output=True, text=True,
                             timeout=2).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.strip().strip("'")


def _gnome_proxy() -> tuple[dict[str, str], str]:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return {}, ""  # no desktop session whose settings would apply
    mode = _gsettings("mode")
    if mode == "auto":
        return {}, _gsettings("autoconfig-url") or "WPAD"
    if mode != "manual":
        return {}, ""
    out = {}
    for scheme in ("http", "https", "socks"):
        host = _gsettings("host", f"org.gnome.system.proxy.{scheme}")
        port = _gsettings("port", f"org.gnome.system.proxy.{scheme}")
        if host:
            out[scheme] = f"{host}:{port}" if port and port != "0" else host
    return out, ""


def parse_kioslaverc(text: str) -> tuple[dict[str, str], str]:
    """KDE: ProxyType 1 manual, 2 PAC URL, 3 WPAD, 4 environment."""
    values: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Proxy Settings]" and "=" in line:
            k, _, v = line.partition("=")
            values[k.strip()] = v.strip()
    kind = values.get("ProxyType", "0")
    if kind == "1":
        out = {}
        for scheme, key in (("http", "httpProxy"), ("https", "httpsProxy"), ("socks", "socksProxy")):
            if values.get(key):
                out[scheme] = values[key].replace(" ", ":")
        return out, ""
    if kind == "2":
        return {}, values.get("Proxy Config Script", "PAC")
    if kind == "3":
        return {}, "WPAD"
    return {}, ""


def _kde_proxy(path: Path) -> tuple[dict[str, str], str]:
    try:
        return parse_kioslaverc(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return {}, ""


def _windows_pac() -> str:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # no registry elsewhere (and mypy then checks the rest as Windows)
        return ""
    try:
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER,
                            r"Software\Microsoft\Windows\CurrentVersion\Internet Settings") as k:
            return str(winreg.QueryValueEx(k, "AutoConfigURL")[0])
    except (ImportError, OSError):
        return ""


def _mac_pac() -> str:  # pragma: no cover - macOS only
    try:
        out = subprocess.run(["scutil", "--proxy"], capture_output=True, text=True,
                             timeout=2).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    enabled = "ProxyAutoConfigEnable : 1" in out
    for line in out.splitlines():
        if enabled and "ProxyAutoConfigURLString" in line:
            return line.split(":", 1)[1].strip()
    return ""


# --- connected at all? ----------------------------------------------------------------------


def has_route(v4_probe: str = "198.51.100.1", v6_probe: str = "2001:db8::1") -> bool:
    """Whether the OS has a route towards the internet. A UDP ``connect`` only chooses a route
    and sends nothing (the probe addresses are documentation addresses, RFC 5737/3849)."""
    for family, addr in ((socket.AF_INET, v4_probe), (socket.AF_INET6, v6_probe)):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((addr, 9))
                return True
        except OSError:
            continue
    return False
