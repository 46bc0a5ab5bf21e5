"""A small, real HTTP proxy for the network tests: ``CONNECT`` tunnels and absolute-form
requests, like Squid or a company's web proxy, on an address the tests choose.

    python tests/httpproxy.py --listen 10.77.1.1:3128 [--user u:p]   (prints "ready")

or in-process: ``with HttpProxy("127.0.0.1", 0) as p: p.url``. ``hosts`` maps names (or
``name:port``) only the proxy can resolve or reach, as on networks where the proxy does all
outside name lookups and connections; with
``user`` set, requests without those Basic credentials get 407. It counts what it served, so a
test can tell that traffic really went through it. Bounded: 64 clients, 30 s idle per
connection; it connects only to IP addresses in its ``allow`` networks (loopback unless told),
after the ``hosts`` map, and never looks a name up.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import ipaddress
import select
import socket
import socketserver
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script too


MAX_CLIENTS = 64
IDLE_S = 30.0


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        px = self.server.proxy
        client = self.request
        client.settimeout(IDLE_S)
        head = b""
        try:
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
                if len(head) > 65536:
                    return
        except OSError:
            return
        raw_head, _, rest = head.partition(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ", 2)
        except ValueError:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        headers = [ln for ln in lines[1:] if ln]
        if px.user and not any(
                ln.lower().startswith("proxy-authorization:")
                and ln.split(":", 1)[1].strip() == "Basic " + base64.b64encode(
                    px.user.encode()).decode() for ln in headers):
            px.count("refused_auth")
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                           b"Proxy-Authenticate: Basic realm=\"lab\"\r\nContent-Length: 0\r\n"
                           b"Connection: close\r\n\r\n")
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = self._open(host.strip("[]"), int(port) if port.isdigit() else 443)
            if upstream is None:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            px.count("connect")
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
        else:
            if not target.startswith("http://"):
                client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                return
            hostport, _, path = target[7:].partition("/")
            host, _, port = hostport.rpartition(":") if "]" not in hostport.rpartition(":")[2] \
                and hostport.count(":") >= 1 else (hostport, "", "80")
            upstream = self._open(host.strip("[]") or hostport, int(port) if port.isdigit()
                                  else 80)
            if upstream is None:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            px.count("forward")
            kept = [ln for ln in headers if not ln.lower().startswith(
                ("proxy-authorization:", "proxy-connection:"))]
            upstream.sendall((f"{method} /{path} {version}\r\n" + "\r\n".join(kept)
                              + "\r\n\r\n").encode("latin-1") + rest)
        with upstream:
            _splice(client, upstream)

    def _open(self, host: str, port: int) -> socket.socket | None:
        px = self.server.proxy
        dest = px.hosts.get(f"{host}:{port}") or px.hosts.get(host) or host
        if dest.count(":") == 1:  # "addr:port": somewhere else than asked, as the proxy knows
            dest, _, p = dest.partition(":")
            port = int(p)
        host = dest
        if not px.allowed(host):
            px.count("refused_target")
            return None
        try:
            s = socket.create_connection((host, port), timeout=5)
        except OSError:
            return None
        s.settimeout(IDLE_S)
        return s


def _splice(a: socket.socket, b: socket.socket) -> None:
    """Copy both ways until either side closes or both stay silent for ``IDLE_S``."""
    peers = {a: b, b: a}
    while True:
        ready, _, _ = select.select(list(peers), [], [], IDLE_S)
        if not ready:
            return
        for s in ready:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            try:
                peers[s].sendall(data)
            except OSError:
                return


class BoundedClients:
    """Mix-in for a threading ``socketserver``: at most ``max_clients`` connections at once;
    one more gets ``busy_reply`` and is closed at once instead of queuing a thread."""

    max_clients = 32
    busy_reply = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n"
                  b"Connection: close\r\nRetry-After: 5\r\n\r\nbusy\n")
    _slots: threading.BoundedSemaphore | None = None

    def process_request(self, request, client_address) -> None:
        if self._slots is None:
            self._slots = threading.BoundedSemaphore(self.max_clients)
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(self.busy_reply)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()



class _Server(BoundedClients, socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    max_clients = MAX_CLIENTS
    busy_reply = b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n"

    def __init__(self, proxy: HttpProxy, addr: tuple[str, int]) -> None:
        self.proxy = proxy
        super().__init__(addr, _Handler)


class HttpProxy:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, user: str = "",
                 hosts: dict[str, str] | None = None,
                 allow: tuple[str, ...] = ("127.0.0.0/8", "::1/128")) -> None:
        self.user = user
        self.allow = [ipaddress.ip_network(n) for n in allow]
        self.hosts = dict(hosts or {})
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = _Server(self, (host, port))
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="test-proxy")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def allowed(self, host: str) -> bool:
        """Only addresses in ``allow``, and never a name lookup: the proxy cannot be made to
        send anything beyond loopback and the tests' own namespaces."""
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(ip in net for net in self.allow)

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def __enter__(self) -> HttpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True, help="ADDR:PORT")
    ap.add_argument("--user", default="", help="USER:PASSWORD the proxy demands")
    ap.add_argument("--allow", action="append", default=[],
                    help="a network it may connect to (repeatable); loopback when none")
    a = ap.parse_args()
    host, _, port = a.listen.rpartition(":")
    allow = tuple(a.allow) or ("127.0.0.0/8", "::1/128")
    with HttpProxy(host, int(port), user=a.user, allow=allow):
        print("ready", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
