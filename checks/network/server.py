"""The measurement server behind ``techcheck serve``, the GUI's demo mode and the tests.

One port number serves both halves: HTTP on TCP (download, upload and latency endpoints in the
Cloudflare style, the LibreSpeed style and the speedtest.net style, so speedtest-cli and a
LibreSpeed page can use it too) and a STUN Binding responder on UDP. Everything is bounded so
that an open port cannot be used to exhaust the machine or to keep others out: request sizes,
how long a request's head may take to arrive and how large it may be, how long one request may
run, idle connections, connections per address and in all, and the STUN answer rate. Every
refusal is an HTTP answer (400, 408, 411, 413, 414, 431, 501 or 503) before the connection
closes. HTTP runs on one asyncio loop: a connection waiting for a slow client holds no thread,
so 200 idle or slow clients cost memory in kilobytes and do not delay anyone's measurement
(numbers in docs/input-limits.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import os
import re
import select
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from techcheck.checks.network import stun

log = logging.getLogger("techcheck.network.server")

MAX_DOWNLOAD_BYTES = 1 << 30  # one request; a client wanting more asks again
MAX_UPLOAD_BYTES = 1 << 30
MAX_REQUEST_S = 60.0  # a single request's body is cut off after this
IDLE_TIMEOUT_S = 10.0  # a transfer that moves no byte for this long is closed
HEADER_TIMEOUT_S = 10.0  # a request's line and headers must all arrive within this
MAX_HEAD_BYTES = 16 * 1024  # request line and headers together (nginx allows 4 x 8 KiB)
MAX_REQUEST_LINE = 8 * 1024
MAX_HEADERS = 100  # header fields per request (as Python's http.client and Apache)
MAX_CONNECTIONS = 512  # open connections, all clients together; more get "503 busy"
MAX_PER_ADDRESS = 64  # open connections from one address (a measurement uses about 6)
MAX_STUN_PER_S = 2000  # answers per second, all clients together
#: Answers per second to one address (a probe every 20 ms is 50; the fastest profile setting
#: a few times that): one client flooding cannot spend the others' share of MAX_STUN_PER_S.
MAX_STUN_PER_ADDRESS_S = 250
#: Addresses the STUN rate table remembers; beyond that, new addresses share one budget.
MAX_STUN_ADDRESSES = 4096
_STREAM_LIMIT = 64 * 1024  # asyncio's buffer per connection (a head longer is refused)
_CHUNK = 64 * 1024  # download write size: with asyncio's buffer, about 128 KiB per client
_PACED_RCVBUF = 64 * 1024  # a paced server's receive buffer (the kernel doubles it, socket(7))
_BACKLOG = 128
_LINGER_S = 2.0  # after a refusal, how long the client's leftover bytes are read and dropped
_LINGER_BYTES = 1 << 20
_BLOCK = os.urandom(1 << 20)
_SPEEDTEST_IMG = re.compile(r"random(\d{2,4})x\1\.jpg$")


class _BadRequest(Exception):
    """A request refused with ``status``; ``message`` is the body sent back."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class _Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]  # lower-case names

    @property
    def keep_alive(self) -> bool:
        conn = self.headers.get("connection", "").lower()
        return self.version == "HTTP/1.1" and "close" not in conn


_REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found",
            408: "Request Timeout", 411: "Length Required", 413: "Content Too Large",
            414: "URI Too Long", 431: "Request Header Fields Too Large",
            501: "Not Implemented", 503: "Service Unavailable"}
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 §5.6.2 token
_DIGITS = re.compile(r"^[0-9]{1,19}$")  # ASCII only: str.isdigit() takes '١٢' and '²'
_METHODS = ("GET", "HEAD", "POST")


def _head(status: int, length: int, ctype: str, close: bool, extra: str = "") -> bytes:
    # RFC 9110 §6.6.1: a server with a clock sends Date (the network check compares the
    # client's clock with it: checks/network/clock.py).
    return (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
            f"Server: techcheck-serve\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {length}\r\nCache-Control: no-store\r\n"
            f"Access-Control-Allow-Origin: *\r\n{extra}"
            f"{'Connection: close' + chr(13) + chr(10) if close else ''}\r\n").encode("latin-1")


def _parse_head(raw: bytes) -> _Request:
    """The request line and headers, or ``_BadRequest`` with the status RFC 9112 asks for."""
    lines = raw[:-4].decode("latin-1").split("\r\n")
    if len(lines[0]) > MAX_REQUEST_LINE:
        raise _BadRequest(414, "request line too long")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or not _TOKEN.match(parts[0]):
        raise _BadRequest(400, "not an HTTP/1.x request line")
    try:  # origin-form or absolute-form (RFC 9112 §3.2); urlsplit refuses e.g. "//[x/"
        urlsplit(parts[1])
    except ValueError:
        raise _BadRequest(400, "malformed request target") from None
    if len(lines) - 1 > MAX_HEADERS:
        raise _BadRequest(431, f"at most {MAX_HEADERS} header fields")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.match(name):  # also refuses obsolete line folding
            raise _BadRequest(400, "malformed header field")
        name, value = name.lower(), value.strip(" \t")
        if name in ("content-length", "host", "transfer-encoding") \
                and headers.get(name, value) != value:
            raise _BadRequest(400, f"conflicting {name} fields")
        headers[name] = value
    return _Request(parts[0], parts[1], parts[2], headers)


@dataclass(frozen=True)
class Line:
    """A line the server plays: it sends and takes in bytes no faster than these rates, all
    clients together. Demo mode's stand-in for a person's connection (``demo.DEMO_LINE_MBPS``): a
    measurement against this machine's own loopback would read several Gbit/s, which no
    interview line has, and spend both processor cores on copying bytes while it ran."""

    down_mbps: float
    up_mbps: float


class _Pace:
    """A shared budget of bytes per second (one virtual clock for every connection): each
    ``take`` books its bytes after the ones booked before it and waits until they are due.
    Runs on the server's one asyncio loop, so it needs no lock."""

    def __init__(self, mbps: float) -> None:
        self.bytes_per_s = max(mbps, 0.001) * 1e6 / 8
        self.due = 0.0  # when the bytes booked so far have all been sent

    async def take(self, n: int) -> None:
        now = time.monotonic()
        # an idle line does not save up: at most 50 ms of its rate goes at once
        self.due = max(self.due, now - 0.05) + n / self.bytes_per_s
        if self.due > now:
            await asyncio.sleep(self.due - now)


class _Connection:
    """One client connection: requests one after another, each with its deadlines."""

    def __init__(self, server: _AsyncServer, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.server, self.reader, self.writer = server, reader, writer
        peer = writer.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "?"

    async def run(self) -> None:
        first = True
        while True:
            try:
                async with asyncio.timeout(HEADER_TIMEOUT_S):
                    raw = await self.reader.readuntil(b"\r\n\r\n")
            except TimeoutError:
                # An idle keep-alive connection just ends; a request that did not arrive in
                # time (or never began) is told so (RFC 9110 §15.5.9).
                if first:
                    await self._refuse(408, f"the request must arrive within "
                                            f"{HEADER_TIMEOUT_S:.0f} s")
                return
            except asyncio.LimitOverrunError:
                await self._refuse(431, f"request head over {MAX_HEAD_BYTES} bytes")
                return
            except asyncio.IncompleteReadError:
                return  # closed between requests
            first = False
            try:
                if len(raw) > MAX_HEAD_BYTES:
                    raise _BadRequest(431, f"request head over {MAX_HEAD_BYTES} bytes")
                req = _parse_head(raw)
                length = self._body_length(req)
                if req.method not in _METHODS:
                    raise _BadRequest(501, f"only {', '.join(_METHODS)}")
                if not req.target.startswith(("/", "http://", "https://")):
                    raise _BadRequest(400, "the request target must be a path or an http(s) URL")
            except _BadRequest as exc:
                await self._refuse(exc.status, exc.message)
                return
            if not await self._handle(req, length) or not req.keep_alive:
                return

    def _body_length(self, req: _Request) -> int:
        if "transfer-encoding" in req.headers:
            # Chunked uploads are not needed by any client here, and Transfer-Encoding next
            # to Content-Length is how requests are smuggled (RFC 9112 §6.3).
            raise _BadRequest(411, "Content-Length required")
        value = req.headers.get("content-length")
        if value is None:
            return 0
        if not _DIGITS.match(value):
            if value.isascii() and value.isdigit():
                raise _BadRequest(413, f"at most {MAX_UPLOAD_BYTES} bytes per request")
            raise _BadRequest(400, "Content-Length must be a decimal number")
        n = int(value)
        if n > MAX_UPLOAD_BYTES:
            raise _BadRequest(413, f"at most {MAX_UPLOAD_BYTES} bytes per request")
        return n

    async def _handle(self, req: _Request, length: int) -> bool:
        """Answer one request; False when the connection must close."""
        if req.headers.get("expect", "").lower() == "100-continue" and length:
            self.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        got = await self._discard_body(length)
        if got is None:
            return False
        url = urlsplit(req.target)
        q = parse_qs(url.query)
        name = url.path.rsplit("/", 1)[-1]
        head_only = req.method == "HEAD"
        if req.method == "POST":
            if name not in ("__up", "empty.php", "upload.php"):
                return await self._reply(404, b"not found\n", "text/plain")
            body = f"size={got}".encode() if name == "upload.php" else b""
            return await self._reply(200, body, "text/plain")
        if name == "__down":
            return await self._send_bytes(_int(q, "bytes", 0), head_only=head_only)
        if name == "garbage.php":
            return await self._send_bytes(min(_int(q, "ckSize", 4), 1024) << 20,
                                          head_only=head_only)
        if name in ("empty.php", "__ping", "__up"):
            return await self._reply(200, b"", head_only=head_only)
        if name == "getIP.php":
            return await self._reply(200, self.address.encode(), "text/plain", head_only)
        if name == "latency.txt":
            return await self._reply(200, b"test=test", "text/plain", head_only)
        if name == "generate_204":
            return await self._reply(204, b"", head_only=head_only)
        if m := _SPEEDTEST_IMG.search(name):
            side = int(m.group(1))
            return await self._send_bytes(side * side * 2, "image/jpeg", head_only)
        if url.path in ("/", "/index.html"):
            return await self._reply(200, _INDEX.encode(), "text/plain; charset=utf-8",
                                     head_only)
        return await self._reply(404, b"not found\n", "text/plain", head_only)

    async def _reply(self, status: int, body: bytes, ctype: str = "application/octet-stream",
                     head_only: bool = False, close: bool = False, extra: str = "") -> bool:
        # Head and a small body in one write, so a latency probe costs one round trip.
        data = _head(status, len(body), ctype, close, extra)
        self.writer.write(data if head_only else data + body)
        try:
            async with asyncio.timeout(IDLE_TIMEOUT_S):
                await self.writer.drain()
        except (TimeoutError, ConnectionError):
            return False
        return not close

    async def _refuse(self, status: int, message: str) -> None:
        """Every refusal is an HTTP answer, then the connection closes."""
        log.debug("%s: %d %s", self.address, status, message)
        self.server.refused[status] = self.server.refused.get(status, 0) + 1
        extra = "Retry-After: 5\r\n" if status == 503 else ""
        await self._reply(status, (message + "\n").encode(), "text/plain", close=True,
                          extra=extra)
        # Lingering close: closing with unread bytes from the client would send a reset that
        # can destroy the answer before the client reads it (RFC 9112 §9.6). Half-close, then
        # drop what still comes, briefly and boundedly.
        try:
            if self.writer.can_write_eof():
                self.writer.write_eof()
            async with asyncio.timeout(_LINGER_S):
                dropped = 0
                while dropped < _LINGER_BYTES:
                    chunk = await self.reader.read(1 << 16)
                    if not chunk:
                        break
                    dropped += len(chunk)
        except (TimeoutError, ConnectionError, OSError):
            pass

    async def _send_bytes(self, n: int, ctype: str = "application/octet-stream",
                          head_only: bool = False) -> bool:
        if n < 0 or n > MAX_DOWNLOAD_BYTES:
            return await self._reply(400, f"at most {MAX_DOWNLOAD_BYTES} bytes per request\n"
                                     .encode(), "text/plain", head_only)
        self.writer.write(_head(200, n, ctype, False))
        if head_only:
            return True
        view = memoryview(_BLOCK)
        left = n
        try:
            async with asyncio.timeout(MAX_REQUEST_S):
                while left > 0:
                    k = min(left, _CHUNK)
                    off = (n - left) % len(view)
                    k = min(k, len(view) - off)
                    if self.server.down is not None:
                        await self.server.down.take(k)
                    self.writer.write(view[off: off + k])
                    left -= k
                    # A reader that takes nothing for IDLE_TIMEOUT_S is dropped; the write
                    # buffer stays under asyncio's high-water mark plus one chunk.
                    async with asyncio.timeout(IDLE_TIMEOUT_S):
                        await self.writer.drain()
        except (TimeoutError, ConnectionError):
            return False
        return True

    async def _discard_body(self, n: int) -> int | None:
        """Read and drop ``n`` body bytes; None when the connection must close."""
        got = 0
        try:
            async with asyncio.timeout(MAX_REQUEST_S):
                while got < n:
                    up = self.server.up
                    async with asyncio.timeout(IDLE_TIMEOUT_S):
                        chunk = await self.reader.read(min(n - got, _CHUNK if up else 1 << 20))
                    if not chunk:
                        return None
                    got += len(chunk)
                    if up is not None:
                        await up.take(len(chunk))
        except TimeoutError:
            await self._refuse(408, "the request body took too long")
            return None
        except ConnectionError:
            return None
        return got


_INDEX = """techcheck measurement server

GET  /__down?bytes=N        N random bytes (Cloudflare style)
POST /__up                  upload, discarded
GET  /garbage.php?ckSize=N  N MiB (LibreSpeed style); /empty.php for upload and ping
GET  /latency.txt, /randomNxN.jpg; POST /upload.php (speedtest.net style)
UDP  same port: STUN Binding (RFC 8489)
"""


def _int(q: dict[str, list[str]], key: str, default: int) -> int:
    try:
        return int(q.get(key, [default])[0])
    except (TypeError, ValueError):
        return -1


class _AsyncServer:
    """The HTTP half: one asyncio loop in one thread, so an idle or slow client costs a few
    kilobytes and no thread, and cannot hold a slot a measuring client needs."""

    def __init__(self, sock: socket.socket, line: Line | None = None) -> None:
        self.sock = sock
        self.loop = asyncio.new_event_loop()
        self.down = _Pace(line.down_mbps) if line is not None else None
        self.up = _Pace(line.up_mbps) if line is not None else None
        self.open = 0
        self.per_address: dict[str, int] = {}
        self.refused: dict[int, int] = {}  # status → count, for tests and the log
        self._server: asyncio.AbstractServer | None = None
        self._ready = threading.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        # Every open connection's writer, from the moment asyncio hands it over: a task
        # cancelled before it started never runs its ``finally``, so stopping closes these.
        self._writers: set[asyncio.StreamWriter] = set()
        self._shutting_down = False  # then connections are aborted, not closed

    def serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self._server = self.loop.run_until_complete(asyncio.start_server(
            self._connected, sock=self.sock, limit=_STREAM_LIMIT))
        self._ready.set()
        try:
            self.loop.run_forever()
        finally:
            self._shut_down()

    def _shut_down(self) -> None:
        """Close every connection, then the loop, leaving nothing for the garbage collector.

        Connections accepted in the last moment are still being set up by asyncio's own
        tasks (socket, then transport, then ``connection_made``: a loop turn each). Closing
        the server first would make Python 3.11 fail those with an AssertionError and leak
        their sockets, so: stop accepting, let the set-up finish, cancel every task, ours
        and asyncio's, abort what is left, and only then close the server."""
        assert self._server is not None
        self._shutting_down = True
        with contextlib.suppress(NotImplementedError):  # Windows' proactor loop has no readers
            self.loop.remove_reader(self.sock.fileno())  # no new connections from here on
        for _ in range(4):
            self.loop.run_until_complete(asyncio.sleep(0))
        tasks = asyncio.all_tasks(self.loop)
        for task in tasks:
            task.cancel()
        if tasks:
            self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        for writer in list(self._writers):  # connections whose task never started
            writer.transport.abort()
        self._writers.clear()
        self._server.close()
        self.loop.run_until_complete(self._server.wait_closed())
        self.loop.run_until_complete(asyncio.sleep(0))  # the transports' last callbacks
        self.loop.close()

    def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Called by asyncio as each connection is made (a plain function, so that the writer
        is known at once, before any task runs)."""
        self._writers.add(writer)
        task = self.loop.create_task(self._accept(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def stop(self) -> None:
        if not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.loop.stop)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Connection(self, reader, writer)
        counted = False
        try:
            with contextlib.suppress(OSError):
                writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP,
                                                           socket.TCP_NODELAY, 1)
            if self.open >= MAX_CONNECTIONS or \
                    self.per_address.get(conn.address, 0) >= MAX_PER_ADDRESS:
                await conn._refuse(503, "busy: too many connections, try again in a moment")
                return
            counted = True
            self.open += 1
            self.per_address[conn.address] = self.per_address.get(conn.address, 0) + 1
            await conn.run()
        except (ConnectionError, OSError):
            pass
        except Exception:  # a bug must cost one connection, never the server
            log.exception("connection from %s failed", conn.address)
        finally:
            if counted:
                self.open -= 1
                left = self.per_address[conn.address] - 1
                if left:
                    self.per_address[conn.address] = left
                else:
                    del self.per_address[conn.address]
            if self._shutting_down:  # close() would wait for a client that may never read
                writer.transport.abort()
            else:
                writer.close()
            self._writers.discard(writer)


class _StunBudget:
    """Token buckets: one per client address (``MAX_STUN_PER_ADDRESS_S`` a second, a second's
    worth of burst) and one for everyone (``MAX_STUN_PER_S``). Keyed by the address without
    the port, so a client cannot get more by sending from many ports. The table is bounded:
    when it is full, addresses whose bucket has refilled (nothing owed: the same as never
    seen) are forgotten, and if none has, a new address shares one overflow bucket."""

    OVERFLOW = "*"

    def __init__(self, per_address: float = MAX_STUN_PER_ADDRESS_S,
                 total: float = MAX_STUN_PER_S, max_addresses: int = MAX_STUN_ADDRESSES) -> None:
        self.per_address, self.total, self.max_addresses = per_address, total, max_addresses
        self._buckets: dict[str, list[float]] = {}  # address -> [tokens, last refill time]
        self._all = [total, time.monotonic()]

    @staticmethod
    def _take(bucket: list[float], rate: float, now: float) -> bool:
        bucket[0] = min(rate, bucket[0] + max(0.0, now - bucket[1]) * rate)
        bucket[1] = now
        if bucket[0] < 1.0:
            return False
        bucket[0] -= 1.0
        return True

    def allow(self, address: str, now: float) -> bool:
        """Whether a request from ``address`` at ``now`` may be answered (and count it)."""
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= self.max_addresses:
                self._forget_idle(now)
            if len(self._buckets) >= self.max_addresses:
                address = self.OVERFLOW
                bucket = self._buckets.get(address)
            if bucket is None:
                bucket = self._buckets[address] = [self.per_address, now]
        if not self._take(bucket, self.per_address, now):
            return False
        return self._take(self._all, self.total, now)

    def _forget_idle(self, now: float) -> None:
        full_after = 1.0  # a bucket refills completely in one second
        for key in [k for k, (_, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


class _StunResponder(threading.Thread):
    def __init__(self, sock: socket.socket) -> None:
        super().__init__(name="stun-responder", daemon=True)
        self.sock = sock
        self.stopped = threading.Event()
        self.answered = 0
        self.budget = _StunBudget()
        self.sock.setblocking(False)  # drained after each select until the queue is empty

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                ready, _, _ = select.select([self.sock], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            for _ in range(256):  # what is queued, without a select per datagram
                try:
                    data, addr = self.sock.recvfrom(2048)
                except OSError:  # BlockingIOError: the queue is empty
                    break
                self._answer(data, addr)

    def _answer(self, data: bytes, addr: tuple[Any, ...]) -> None:
        # The budget is checked first, before any parsing: a flood costs as little as can be.
        if len(data) < 20 or data[0] & 0xC0 or not self.budget.allow(addr[0], time.monotonic()):
            return
        try:
            msg = stun.decode(data)
        except stun.StunError:
            return
        if msg.msg_type != stun.BINDING_REQUEST:
            return
        with contextlib.suppress(OSError):
            self.sock.sendto(stun.binding_response(msg, addr[:2]), addr)
            self.answered += 1


@dataclass
class RunningServer:
    host: str
    port: int
    _http: _AsyncServer
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
        self._http.stop()
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

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(host: str = "127.0.0.1", port: int = 0, line: Line | None = None
                 ) -> RunningServer:
    """Start HTTP on TCP ``port`` and STUN on UDP ``port`` (0: a free number for both).
    ``line``: send and take in bytes no faster than it (None: as fast as the client can)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _attempt in range(20):
        tcp = socket.socket(family, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if line is not None:
            # A paced upload is taken in at the line's rate; the kernel would otherwise take in
            # (and acknowledge) several megabytes ahead of it into a receive buffer it grows
            # on its own (tcp(7), tcp_rmem), and the client's reading of its acknowledged bytes
            # would be that buffer filling, not the line. Accepted sockets inherit the size.
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _PACED_RCVBUF)
        try:
            tcp.bind((host, port))
            tcp.listen(_BACKLOG)
        except OSError:
            tcp.close()
            raise
        real_port = tcp.getsockname()[1]
        udp = socket.socket(family, socket.SOCK_DGRAM)
        try:
            udp.bind((host, real_port))
        except OSError:
            udp.close()
            tcp.close()
            if port:
                raise
            continue  # the TCP number is taken for UDP: pick another
        break
    else:  # pragma: no cover - twenty clashes in a row
        raise OSError("no port number free for both TCP and UDP")
    http = _AsyncServer(tcp, line)
    responder = _StunResponder(udp)
    t_http = threading.Thread(target=http.serve, name="serve-http", daemon=True)
    t_http.start()
    http._ready.wait(5.0)
    responder.start()
    log.info("serving on %s (TCP) and UDP port %d", host, real_port)
    return RunningServer(host, real_port, http, responder, [t_http, responder])
