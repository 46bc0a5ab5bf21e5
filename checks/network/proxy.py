"""Reaching a server through an HTTP proxy, as browsers and call apps do on company networks.

``https`` goes through a tunnel (``CONNECT host:port``, then TLS end to end with the server,
so the server's certificate is still the one verified); plain ``http`` is sent to the proxy in
absolute form (``GET http://host:port/path``). Credentials in the proxy URL are sent as Basic
authentication; a proxy that wants another login (NTLM, Kerberos) answers 407, which is
reported as such — we never ask for or store a password.

Which proxy applies to a URL follows the settings the way ``urllib`` and curl read them:
``https_proxy`` for https, ``http_proxy`` for http, ``all_proxy`` otherwise, and ``no_proxy``
exempts hosts. A PAC file's answer (``techcheck.checks.network.pac``) takes precedence when there is one.
"""

from __future__ import annotations

import base64
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from techcheck.checks.network.dns import NoAddress, open_tcp


@dataclass(frozen=True)
class Proxy:
    """One HTTP proxy: where it listens and, optionally, the Basic credentials in its URL."""

    host: str
    port: int
    user: str = ""
    password: str = ""

    @property
    def label(self) -> str:
        """``host:port`` (never the credentials: this goes into reports)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def auth_header(self) -> dict[str, str]:
        if not self.user:
            return {}
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return {"Proxy-Authorization": f"Basic {token}"}


def parse_proxy(spec: str) -> Proxy | None:
    """``http://[user:pass@]host:port``, ``host:port`` or ``PROXY host:port`` → Proxy.

    None for what we cannot use: SOCKS proxies, HTTPS-to-the-proxy, empty or malformed specs.
    """
    spec = spec.strip()
    if spec.upper().startswith("PROXY "):
        spec = spec[6:].strip()
    if not spec:
        return None
    if "://" not in spec:
        spec = "http://" + spec
    try:
        parts = urlsplit(spec)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "http" or not parts.hostname:
        return None
    return Proxy(parts.hostname, port or 8080, unquote(parts.username or ""),
                 unquote(parts.password or ""))


def bypassed(host: str, no_proxy: str) -> bool:
    """Whether ``no_proxy`` (comma-separated names, ``.suffix``, ``*``) exempts ``host``."""
    host = host.lower().strip("[]")
    for item in no_proxy.replace(" ", "").lower().split(","):
        if not item:
            continue
        if item == "*":
            return True
        item = item.split(":", 1)[0] if item.count(":") == 1 else item  # drop a port
        item = item.lstrip("*")
        if host == item.lstrip(".") or (item.startswith(".") and host.endswith(item)) \
                or host.endswith("." + item):
            return True
    return False


def for_url(proxies: dict[str, str], scheme: str, host: str) -> Proxy | None:
    """The proxy configured for ``scheme://host`` in a scheme → URL map (environment style)."""
    if bypassed(host, proxies.get("no", "")):
        return None
    spec = proxies.get(scheme) or proxies.get("all") or ""
    if not spec and scheme == "https":
        spec = proxies.get("http", "")  # many set only http_proxy and mean both
    return parse_proxy(spec) if spec else None


class ProxyFailure(Exception):
    """``kind``: proxy_connect (proxy not reachable), proxy_auth (407), proxy_refused (other
    status to CONNECT), proxy_reset, proxy_stall."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def open_to_proxy(proxy: Proxy, timeout_s: float) -> socket.socket:
    try:
        return open_tcp(proxy.host, proxy.port, timeout_s)
    except NoAddress as exc:
        raise ProxyFailure("proxy_connect", f"the proxy: {exc}") from None
    except OSError as exc:
        raise ProxyFailure("proxy_connect", f"proxy {proxy.label}: {exc}") from None


def tunnel(sock: socket.socket, proxy: Proxy, host: str, port: int, timeout_s: float) -> float:
    """Ask the proxy on ``sock`` for a tunnel to ``host:port``; seconds until it said yes.

    Reads the answer byte by byte up to the blank line, so not one byte of what the server
    sends next (the TLS handshake) is swallowed.
    """
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}", "User-Agent: techcheck",
             *(f"{k}: {v}" for k, v in proxy.auth_header().items())]
    start = time.monotonic()
    deadline = start + timeout_s
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        buf = b""
        while not buf.endswith(b"\r\n\r\n"):
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            b = sock.recv(1)
            if not b:
                raise ProxyFailure("proxy_reset", "the proxy closed the connection")
            buf += b
            if len(buf) > 16384:
                raise ProxyFailure("proxy_refused", "the proxy's answer is too long")
    except TimeoutError:
        raise ProxyFailure("proxy_stall", f"no answer from the proxy in {timeout_s:.0f} s") \
            from None
    except OSError as exc:
        raise ProxyFailure("proxy_reset", str(exc)) from None
    took = time.monotonic() - start
    status_line = buf.split(b"\r\n", 1)[0].decode("latin-1")
    try:
        status = int(status_line.split()[1])
    except (IndexError, ValueError):
        raise ProxyFailure("proxy_refused", f"not an HTTP answer: {status_line[:60]!r}") \
            from None
    if status == 407:
        raise ProxyFailure("proxy_auth", "the proxy wants a login (HTTP 407)")
    if not 200 <= status < 300:
        raise ProxyFailure("proxy_refused", f"the proxy refused {target}: {status_line[:80]}")
    return took


def connect_via(proxy: Proxy, scheme: str, host: str, port: int, timeout_s: float,
                ctx: ssl.SSLContext | None = None) -> socket.socket:
    """A socket to ``host:port`` through ``proxy``: tunnelled and TLS-wrapped for https; for
    http the plain connection to the proxy (the request then names the full URL)."""
    sock = open_to_proxy(proxy, timeout_s)
    if scheme != "https":
        return sock
    try:
        tunnel(sock, proxy, host, port, timeout_s)
        sock.settimeout(timeout_s)
        from techcheck.checks.network.httpio import tls_context

        return (ctx or tls_context()).wrap_socket(sock, server_hostname=host)
    except BaseException:
        sock.close()
        raise
