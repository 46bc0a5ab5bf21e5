"""The measurement server behind ``techcheck serve``, the GUI's demo mode and the tests.

One port number serves both halves: HTTP on TCP (download, upload and latency endpoints in the
Cloudflare style, the LibreSpeed style and the speedtest.net style, so speedtest-cli and a
LibreSpeed page can use it too) and a STUN Binding responder on UDP. Everything is bounded so
that an open port cannot be used to exhaust the machine: request sizes, how long one request
may run, idle connections, concurrent clients and the STUN answer rate.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import select
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from checks.network import stun

log = logging.getLogger("techcheck.network.server")

MAX_DOWNLOAD_BYTES = 1 << 30  # one request; a client wanting more asks again
MAX_UPLOAD_BYTES = 1 << 30
MAX_REQUEST_S = 60.0  # a single request is cut off after this
IDLE_TIMEOUT_S = 10.0  # a connection that sends or takes nothing for this long is closed
MAX_CLIENTS = 32  # concurrent connections; more get "503 busy" at once
MAX_STUN_PER_S = 2000  # answers per second, all clients together
_BLOCK = os.urandom(1 << 20)
_SPEEDTEST_IMG = re.compile(r"random(\d{2,4})x\1\.jpg$")


class _Handler(BaseHTTPRequestHandler):
    server_version = "techcheck-serve"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S

    def log_message(self, fmt: str, *args) -> None:  # to our log, not stderr
        log.debug("%s %s", self.client_address[0], fmt % args)

    # --- routing ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        name = url.path.rsplit("/", 1)[-1]
        if name == "__down":
            self._send_bytes(_int(q, "bytes", 0))
        elif name == "garbage.php":
            self._send_bytes(min(_int(q, "ckSize", 4), 1024) << 20)
        elif name in ("empty.php", "__ping", "__up"):
            self._reply(200, b"")
        elif name == "getIP.php":
            self._reply(200, self.client_address[0].encode(), "text/plain")
        elif name == "latency.txt":
            self._reply(200, b"test=test", "text/plain")
        elif name == "generate_204":
            self._reply(204, b"")
        elif m := _SPEEDTEST_IMG.search(name):
            side = int(m.group(1))
            self._send_bytes(side * side * 2, "image/jpeg")
        elif url.path in ("/", "/index.html"):
            self._reply(200, _INDEX.encode(), "text/plain; charset=utf-8")
        else:
            self._reply(404, b"not found\n", "text/plain")

    def do_POST(self) -> None:
        name = urlsplit(self.path).path.rsplit("/", 1)[-1]
        if name not in ("__up", "empty.php", "upload.php"):
            self._discard_body()
            self._reply(404, b"not found\n", "text/plain")
            return
        got = self._discard_body()
        if got is None:
            return
        body = f"size={got}".encode() if name == "upload.php" else b""
        self._reply(200, body, "text/plain")

    # --- helpers -----------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        # Latency answers must not wait for Nagle's algorithm (40 ms with delayed ACKs).
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _reply(self, status: int, body: bytes, ctype: str = "application/octet-stream") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        # Head and a small body in one segment, so a latency probe costs one round trip.
        self._headers_buffer.append(b"\r\n")
        if body and self.command != "HEAD":
            self._headers_buffer.append(body)
        self.flush_headers()

    def _send_bytes(self, n: int, ctype: str = "application/octet-stream") -> None:
        if n < 0 or n > MAX_DOWNLOAD_BYTES:
            self._reply(400, f"at most {MAX_DOWNLOAD_BYTES} bytes per request\n".encode(),
                        "text/plain")
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(n))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        deadline = time.monotonic() + MAX_REQUEST_S
        view = memoryview(_BLOCK)
        left = n
        while left > 0:
            if time.monotonic() > deadline:
                self.close_connection = True
                return
            k = min(left, len(view))
            self.wfile.write(view[:k])
            left -= k

    def _discard_body(self) -> int | None:
        """Read and drop the request body; None when it was refused (reply already sent)."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                self._reply(411, b"Content-Length required\n", "text/plain")
                return None
            return 0
        n = int(length)
        if n > MAX_UPLOAD_BYTES:
            self.close_connection = True
            self._reply(413, f"at most {MAX_UPLOAD_BYTES} bytes per request\n".encode(),
                        "text/plain")
            return None
        deadline = time.monotonic() + MAX_REQUEST_S
        got = 0
        while got < n:
            if time.monotonic() > deadline:
                self.close_connection = True
                self._reply(408, b"request took too long\n", "text/plain")
                return None
            chunk = self.rfile.read1(min(n - got, 1 << 20)) if hasattr(self.rfile, "read1") \
                else self.rfile.read(min(n - got, 1 << 20))
            if not chunk:
                self.close_connection = True
                return None
            got += len(chunk)
        return got


_INDEX = """techcheck measurement server

GET  /__down?bytes=N        N random bytes (Cloudflare style)
POST /__up                  upload, discarded
GET  /garbage.php?ckSize=N  N MiB (LibreSpeed style); /empty.php for upload and ping
GET  /latency.txt, /randomNxN.jpg; POST /upload.php (speedtest.net style)
UDP  same port: STUN Binding (RFC 8489)
"""


def _int(q: dict, key: str, default: int) -> int:
    try:
        return int(q.get(key, [default])[0])
    except (TypeError, ValueError):
        return -1


class BoundedClients:
    """Mix-in for a threading ``socketserver``: at most ``max_clients`` connections at once;
    one more gets ``busy_reply`` and is closed at once instead of queuing a thread."""

    max_clients = MAX_CLIENTS
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


class _BoundedServer(BoundedClients, ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, handler, family: int) -> None:
        self.address_family = family
        self._slots = threading.BoundedSemaphore(MAX_CLIENTS)
        super().__init__(addr, handler)

    def handle_error(self, request, client_address) -> None:
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


class _StunResponder(threading.Thread):
    def __init__(self, sock: socket.socket) -> None:
        super().__init__(name="stun-responder", daemon=True)
        self.sock = sock
        self.stopped = threading.Event()
        self.answered = 0

    def run(self) -> None:
        window, count = time.monotonic(), 0
        while not self.stopped.is_set():
            try:
                ready, _, _ = select.select([self.sock], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            try:
                data, addr = self.sock.recvfrom(2048)
            except OSError:
                continue
            now = time.monotonic()
            if now - window >= 1.0:
                window, count = now, 0
            if count >= MAX_STUN_PER_S:
                continue
            try:
                msg = stun.decode(data)
            except stun.StunError:
                continue
            if msg.msg_type != stun.BINDING_REQUEST:
                continue
            count += 1
            with contextlib.suppress(OSError):
                self.sock.sendto(stun.binding_response(msg, addr[:2]), addr)
                self.answered += 1


@dataclass
class RunningServer:
    host: str
    port: int
    _http: _BoundedServer
    _stun: _StunResponder
    _threads: list[threading.Thread]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def stun(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._stun.stopped.set()
        for t in self._threads:
            t.join(2.0)
        self._stun.sock.close()

    def serve_forever(self) -> None:
        """Block until interrupted (``techcheck serve``)."""
        try:
            while all(t.is_alive() for t in self._threads):
                time.sleep(0.5)
        finally:
            self.stop()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_server(host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start HTTP on TCP ``port`` and STUN on UDP ``port`` (0: a free number for both)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _attempt in range(20):
        http = _BoundedServer((host, port), _Handler, family)
        real_port = http.server_address[1]
        udp = socket.socket(family, socket.SOCK_DGRAM)
        try:
            udp.bind((host, real_port))
        except OSError:
            udp.close()
            http.server_close()
            if port:
                raise
            continue  # the TCP number is taken for UDP: pick another
        break
    else:  # pragma: no cover - twenty clashes in a row
        raise OSError("no port number free for both TCP and UDP")
    responder = _StunResponder(udp)
    t_http = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.2},
                              name="serve-http", daemon=True)
    t_http.start()
    responder.start()
    log.info("serving on %s (TCP) and UDP port %d", host, real_port)
    return RunningServer(host, real_port, http, responder, [t_http, responder])
