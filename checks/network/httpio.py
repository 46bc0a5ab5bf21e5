"""A small HTTP/1.1 client made for measuring: every byte is counted as it arrives or is
acknowledged, reads wake up four times a second to honour cancel and deadlines, and a failure
says what kind it was (connect, TLS, status, content, reset, stall).

``http.client`` is not used because a timed-out read poisons its response object, and a
speed test must be able to stop a stream at any instant and count exactly what got through.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from techcheck.checks.network.dns import Address, InsideNetwork, NoAddress, open_tcp
from techcheck.checks.network.proxy import Proxy, ProxyFailure, connect_via

#: How often a blocked read or write wakes up to look at cancel and deadlines.
TICK_S = 0.25
#: Linux ``struct tcp_info`` (include/uapi/linux/tcp.h): ``tcpi_bytes_acked``, the RFC 4898
#: tcpEStatsAppHCThruOctetsAcked counter (Linux 4.1+), is the u64 at byte offset 120.
_TCPI_BYTES_ACKED = 120
_TCP_INFO_LEN = 232


class HttpFailure(Exception):
    """``kind`` is one of dns, connect, private (an address inside the network that must not
    be connected to: ``Origin.public_only``), tls, status, content, reset, stall, unconfirmed
    (upload bytes the server never confirmed receiving), stopped (the server answered, then
    went silent: see ``transfer.QUIET_MIN_S``), cancelled, or
    proxy_connect, proxy_auth, proxy_refused, proxy_reset, proxy_stall (``proxy.ProxyFailure``)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class Origin:
    scheme: str  # http | https
    host: str
    port: int
    base_path: str  # without a trailing slash
    #: (family, sockaddr) pairs connections must use instead of looking ``host`` up again:
    #: set by ``pinned`` once the addresses were judged (see ``dns.open_tcp``).
    addresses: tuple[Address, ...] = field(default=(), compare=False, repr=False)
    #: Connections must not go to this computer or inside the network: every address is
    #: judged when connecting (``dns.open_tcp``), whether pinned or looked up again.
    public_only: bool = field(default=False, compare=False, repr=False)

    def pinned(self, addresses: Sequence[Address], public_only: bool = False) -> Origin:
        """This origin, connecting only to ``addresses`` (none: looked up at each connection
        as usual; the name still goes into the Host header and TLS's server name, so
        certificates are verified as usual), and with ``public_only`` never inside."""
        return replace(self, addresses=tuple(addresses), public_only=public_only)

    @property
    def url(self) -> str:
        default = 443 if self.scheme == "https" else 80
        port = "" if self.port == default else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}{port}{self.base_path}"

    def path(self, rel: str) -> str:
        return f"{self.base_path}/{rel.lstrip('/')}"


def parse_origin(url: str) -> Origin:
    """The origin of an http(s) URL; ``ValueError`` with a sentence for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a web address starting with http:// or https://")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or any(c.isspace() for c in parts.netloc):
        raise ValueError(f"{url!r} does not have a valid host and port (1-65535)")
    port = port or (443 if parts.scheme == "https" else 80)
    return Origin(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))


def tls_context() -> ssl.SSLContext:
    """Verification against the operating system's trust store (``truststore``), so a
    company's own certificate authority is accepted exactly as the call apps accept it."""
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - a declared dependency; fall back to OpenSSL's store
        return ssl.create_default_context()


def connect(origin: Origin, timeout_s: float, ctx: ssl.SSLContext | None = None,
            deadline: float | None = None, via: Proxy | None = None) -> socket.socket:
    """A connected (and for https, TLS-wrapped) socket, or ``HttpFailure``; ``via`` goes
    through that HTTP proxy (then send requests made with ``request_head(..., via=)``)."""
    if via is not None:
        return _connect_via(origin, timeout_s, ctx, via)
    try:
        sock = open_tcp(origin.host, origin.port, timeout_s, deadline, origin.addresses,
                        origin.public_only)
    except InsideNetwork as exc:
        raise HttpFailure("private", str(exc)) from None
    except NoAddress as exc:
        raise HttpFailure("dns", str(exc)) from None
    except OSError as exc:
        raise HttpFailure("connect", f"{origin.host}:{origin.port}: {exc}") from None
    if origin.scheme == "https":
        try:
            sock = (ctx or tls_context()).wrap_socket(sock, server_hostname=origin.host)
        except (ssl.SSLError, ssl.CertificateError) as exc:
            sock.close()
            raise HttpFailure("tls", str(exc)) from None
        except OSError as exc:
            sock.close()
            raise HttpFailure("reset", f"TLS handshake: {exc}") from None
    sock.settimeout(TICK_S)
    return sock


def _connect_via(origin: Origin, timeout_s: float, ctx: ssl.SSLContext | None,
                 via: Proxy) -> socket.socket:
    try:
        sock = connect_via(via, origin.scheme, origin.host, origin.port, timeout_s, ctx)
    except ProxyFailure as exc:
        raise HttpFailure(exc.kind, exc.detail) from None
    except (ssl.SSLError, ssl.CertificateError) as exc:
        raise HttpFailure("tls", str(exc)) from None
    except OSError as exc:
        raise HttpFailure("proxy_reset", f"through the proxy: {exc}") from None
    sock.settimeout(TICK_S)
    return sock


def request_head(origin: Origin, method: str, path: str, length: int | None = None,
                 extra: dict[str, str] | None = None, via: Proxy | None = None) -> bytes:
    """The request's head. Plain http through a proxy names the whole URL (absolute form) and
    carries the proxy's credentials; https through a proxy is inside its tunnel, so as usual."""
    host = f"[{origin.host}]" if ":" in origin.host else origin.host
    default = 443 if origin.scheme == "https" else 80
    if origin.port != default:
        host += f":{origin.port}"
    target = path
    extra = dict(extra or {})
    if via is not None and origin.scheme == "http":
        target = f"http://{host}{path}"
        extra.update(via.auth_header())
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "User-Agent: techcheck",
             "Accept-Encoding: identity", "Cache-Control: no-store", "Connection: close"]
    if length is not None:
        lines += [f"Content-Length: {length}", "Content-Type: application/octet-stream"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Head:
    status: int
    headers: dict[str, str]
    rest: bytes  # body bytes that came with the head

    @property
    def length(self) -> int | None:
        v = self.headers.get("content-length")
        return int(v) if v and v.isdigit() else None


def read_head(sock: socket.socket, stop: Callable[[], bool], stall_s: float, deadline: float | None = None
              ) -> Head:
    """Read the status line and headers. ``stop()`` true → cancelled; past ``deadline``
    (``time.monotonic()``) → a stall, however steadily bytes trickle in: the stall limit
    alone would let a server that sends one byte a second hold the reader for ever."""
    buf = b""
    start = last = time.monotonic()
    while b"\r\n\r\n" not in buf:
        if stop():
            raise HttpFailure("cancelled", "stopped")
        if deadline is not None and time.monotonic() > deadline:
            raise HttpFailure("stall", f"the answer's headers did not end within "
                                       f"{deadline - start:.0f} s")
        try:
            chunk = sock.recv(16384)
        except TimeoutError:
            if time.monotonic() - last > stall_s:
                raise HttpFailure("stall", f"no answer for {stall_s:.0f} s") from None
            continue
        except OSError as exc:
            raise HttpFailure("reset", str(exc)) from None
        if not chunk:
            raise HttpFailure("reset", "connection closed before the answer")
        buf += chunk
        last = time.monotonic()
        if len(buf) > 65536:
            raise HttpFailure("content", "answer headers too long")
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        raise HttpFailure("content", f"not an HTTP answer: {lines[0][:60]!r}") from None
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return Head(status, headers, rest)


def acked_bytes(sock: socket.socket) -> int | None:
    """Bytes the peer has acknowledged on this connection so far (Linux), else None.

    Read from the kernel at the moment of asking, so a sampler gets the count as it is now,
    not as it was when the thread writing to the socket last ran (on a busy computer that can
    be a third of a second of data behind: the writer sleeps until the kernel frees a third of
    the send buffer, then waits for the CPU). The count includes the SYN and anything sent
    before the caller's own data (a TLS handshake): take a baseline first. None tells the caller
    to count an upload by the server's confirmations instead (Windows and macOS have no
    ``tcpi_bytes_acked``; kernels before 4.1 return a shorter ``tcp_info``).
    """
    opt = getattr(socket, "TCP_INFO", None)
    if opt is None or not sys.platform.startswith("linux"):
        return None
    try:
        raw = sock.getsockopt(socket.IPPROTO_TCP, opt, _TCP_INFO_LEN)
    except (OSError, ValueError, AttributeError):
        return None
    if len(raw) < _TCPI_BYTES_ACKED + 8:
        return None
    acked: int = struct.unpack_from("Q", raw, _TCPI_BYTES_ACKED)[0]
    return acked


def close_quietly(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.close()
