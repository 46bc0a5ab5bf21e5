"""Parallel HTTP download and upload streams that count what was actually delivered.

Download counts body bytes as they arrive. Upload counts bytes the server's TCP stack has
acknowledged (the kernel's ``tcpi_bytes_acked``, Linux, read by the sampler at the moment it
samples), not bytes handed to the socket — the latter is how speedtest-cli over-reports
upload by 5-13 % (measured against delivered bytes on an emulated link: docs/benchmarks.md,
"Network measurement accuracy"). Where
the OS cannot tell, or a proxy is in between (its buffers would acknowledge bytes the server
never got), a request's bytes count when the server confirms the whole request. Either way an
upload without a single request the server answered has no speed: the kernel acknowledges what
it buffers for a server that never reads.

The rate is taken over the steady part of the transfer: the ramp-up (TCP slow start, the first
connections) is found in the byte-count series and discarded.

On a busy computer (when people run this) every sample pairs a byte count with the moment it
was true: the upload count is read from the kernel when sampled rather than taken from the
stream thread's last update (which lags by up to a third of the send buffer: 50 kB typical,
240 kB worst, measured with 3 CPU hogs on 2 cores at 5 Mbit/s), and a sample whose reading was
interrupted by the scheduler is read again (docs/benchmarks.md, "Network measurement accuracy").
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from techcheck.checks.network.httpio import (
    Head,
    HttpFailure,
    Origin,
    acked_bytes,
    close_quietly,
    connect,
    read_head,
    request_head,
    tls_context,
)
from techcheck.checks.network.proxy import Proxy

log = logging.getLogger("techcheck.network")

SAMPLE_S = 0.1  # byte-count sampling period
_SAMPLE_SKEW_S = 0.002  # a sample's reading taking longer than this was interrupted
_CHUNK = 256 * 1024
_FIRST_UPLOAD = 128 * 1024
UPLOAD_REQUEST_S = 0.6  # aim of one server-confirmed upload request (see _next_upload_size)
#: A transfer in which no stream moved a byte (none received, none acknowledged by the
#: server's side) for its last ``max(QUIET_MIN_S, QUIET_FRACTION × duration)``, capped at the
#: stall limit, ends with a server that stopped answering: its rate says nothing about the
#: line, so it has no speed (kind "stopped"). A slow line still moves bytes every few tens of
#: milliseconds. An upload counted by the server's confirmations only (through a proxy, or
#: without the kernel's count) moves in steps of up to a request, so there the stall limit.
QUIET_MIN_S = 0.5
QUIET_FRACTION = 0.25
_PAYLOAD = os.urandom(1 << 20)  # incompressible, so no middlebox can shrink it


@dataclass(frozen=True)
class Protocol:
    """How one kind of measurement server is asked for data."""

    name: str
    download: Callable[[Origin, int], str]  # (origin, bytes) → path
    upload: Callable[[Origin], str]
    exact_length: bool  # the server must send exactly the bytes asked for
    request_bytes: int  # size of one download/upload request


CLOUDFLARE = Protocol(
    "cloudflare",
    lambda o, n: o.path(f"__down?bytes={n}"),
    lambda o: o.path("__up"),
    True,
    25_000_000,
)
LIBRESPEED = Protocol(
    "librespeed",
    # garbage.php sends ckSize chunks of 1 MiB; empty.php swallows uploads.
    lambda o, n: o.path(f"garbage.php?ckSize={max(1, n >> 20)}"),
    lambda o: o.path("empty.php"),
    False,
    25 << 20,
)
PROTOCOLS = {p.name: p for p in (CLOUDFLARE, LIBRESPEED)}


@dataclass
class TransferResult:
    direction: str  # down | up
    mbps: float | None  # steady delivered rate; None when nothing could be measured
    bytes: int
    seconds: float
    ramp_s: float  # discarded at the start
    samples: list[tuple[float, int]] = field(default_factory=list)  # (s since start, bytes)
    errors: list[HttpFailure] = field(default_factory=list)
    requests_ok: int = 0

    @property
    def error_kinds(self) -> list[str]:
        return sorted({e.kind for e in self.errors if e.kind != "cancelled"})


def steady_rate(samples: list[tuple[float, int]], *, min_ramp_s: float = 0.5,
                max_ramp_frac: float = 0.5, window_s: float = 0.5) -> tuple[float | None, float]:
    """(bits per second over the steady part, seconds of ramp-up discarded).

    The ramp ends at the first moment the rolling rate reaches 90 % of the median rolling
    rate of the second half (TCP has left slow start and all streams are up), but never
    before ``min_ramp_s`` nor after ``max_ramp_frac`` of the transfer.
    """
    if len(samples) < 3:
        return None, 0.0
    t_end, b_end = samples[-1]
    if t_end <= 0:
        return None, 0.0
    rolling: list[tuple[float, float]] = []
    j = 0
    for t, b in samples:
        while samples[j][0] < t - window_s:
            j += 1
        t0, b0 = samples[j]
        if t - t0 >= window_s * 0.8:
            rolling.append((t, (b - b0) / (t - t0)))
    ramp = min_ramp_s
    later = sorted(r for t, r in rolling if t >= t_end / 2)
    if later:
        target = 0.9 * later[len(later) // 2]
        for t, r in rolling:
            if r >= target and t - window_s >= min_ramp_s:
                ramp = t - window_s
                break
        else:
            ramp = t_end * max_ramp_frac
    ramp = min(max(ramp, min_ramp_s), t_end * max_ramp_frac)
    start = next(((t, b) for t, b in samples if t >= ramp), samples[0])
    if t_end - start[0] <= 0:
        return None, ramp
    return (b_end - start[1]) * 8 / (t_end - start[0]), start[0]


def spread_confirmed(samples: list[tuple[float, int]], streams: list[_Stream]
                     ) -> list[tuple[float, int]]:
    """An upload counted by the server's confirmations, as bytes on the wire over time: each
    confirmed request's bytes spread evenly from its start to its confirmation, up to when the
    earliest request still unanswered began (after that, bytes were sent that nothing counts).

    The confirmations alone move in steps of a whole request per stream (~0.6 s of data each,
    several streams): the steady part's rate then depended on where its ends fell between
    steps, and read +34 % through a proxy on a 5 Mbit/s link once (tests/services/
    test_network_links.py::test_only_the_proxy_reaches_the_server)."""
    spans: list[tuple[float, float, int]] = []
    pending: list[float] = []
    for s in streams:
        with s.lock:  # a stream adds a span and clears its pending request together
            spans += s.spans
            if s.pending_since is not None:
                pending.append(s.pending_since)
    cut = min(pending, default=samples[-1][0])
    out = []
    for t, _ in samples:
        if t > cut:
            break
        out.append((t, int(sum(n * min(1.0, max(0.0, (t - a) / (b - a))) if b > a
                               else (n if t >= b else 0) for a, b, n in spans))))
    return out


class _Stream(threading.Thread):
    """One connection after another, for as long as the transfer runs."""

    def __init__(self, transfer: Transfer, n: int) -> None:
        super().__init__(name=f"{transfer.direction}-{n}", daemon=True)
        self.t = transfer
        self.count = 0  # delivered bytes; only ever grows, so a sampler can read it any time
        self.live = 0  # delivered bytes of the request in progress
        self.up_size = _FIRST_UPLOAD  # grows with every request the server confirms
        self.confirmed = 0  # upload requests the server answered with 200
        # Confirmation-counted upload requests: (began, confirmed, bytes) in seconds since the
        # transfer's start, and when the request still unanswered began (None: none).
        self.spans: list[tuple[float, float, int]] = []
        self.pending_since: float | None = None
        self.answered = False  # the server answered a download request with 200
        self.sock: socket.socket | None = None
        # Upload counted by the kernel: the socket's acknowledged bytes before this request's
        # own body, and the body's size; None when the stream itself counts.
        self.ack_base: int | None = None
        self.ack_size = 0
        self.lock = threading.Lock()  # count and live change together (sampler vs stream)
        # When the server last did something for this stream: sent a byte, took one (a
        # write that the socket accepted), or answered.
        self.active_t = time.monotonic()

    def run(self) -> None:
        t = self.t
        while not t.stopped():
            try:
                if t.direction == "down":
                    self._download()
                else:
                    self._upload()
                t.requests_ok += 1
            except (HttpFailure, OSError) as exc:
                # OSError: a send on a connection the server dropped, or on a socket the
                # transfer closed while stopping (EBADF) — the same as a reset.
                if not isinstance(exc, HttpFailure):
                    exc = HttpFailure("reset", str(exc))
                if exc.kind != "cancelled" and not t.stopped():
                    log.info("%s stream: %s", t.direction, exc)
                    t.errors.append(exc)
                    t.stop_event.wait(0.2)  # do not hammer a failing server
            finally:
                with self.lock:
                    self.ack_base = None
                    if not t.stopped():
                        self.pending_since = None  # failed: its bytes never count
                    close_quietly(self.sock)
                    self.sock = None
                    self.live = 0

    def current(self) -> int:
        """Delivered bytes now: for a kernel-counted upload, asks the kernel first."""
        self._count_acked()
        return self.count

    def _add(self, live: int) -> None:
        """Set the live request's delivered bytes, growing the stream's count with it."""
        with self.lock:
            self._grow(live)

    def _grow(self, live: int) -> None:  # with self.lock held
        if live > self.live:
            self.count += live - self.live
            self.live = live
            self.active_t = time.monotonic()

    def _download(self) -> None:
        t = self.t
        self.sock = sock = connect(t.origin, t.connect_timeout, t.ssl_ctx, via=t.via)
        n = t.protocol.request_bytes
        sock.sendall(request_head(t.origin, "GET", t.protocol.download(t.origin, n),
                                  via=t.via))
        head = read_head(sock, t.stopped, t.stall_s)
        self.active_t = time.monotonic()
        _judge_head(head, n if t.protocol.exact_length else None)
        self.answered = True
        self._add(len(head.rest))
        want = head.length
        buf = bytearray(_CHUNK)
        last = time.monotonic()
        while not t.stopped():
            if want is not None and self.live >= want:
                return
            try:
                got = sock.recv_into(buf)
            except TimeoutError:
                if time.monotonic() - last > t.stall_s:
                    raise HttpFailure("stall", f"no data for {t.stall_s:.0f} s") from None
                continue
            except OSError as exc:
                raise HttpFailure("reset", str(exc)) from None
            if not got:
                if want is not None and self.live < want:
                    raise HttpFailure("reset", f"closed after {self.live} of {want} bytes")
                return
            self._add(self.live + got)
            last = time.monotonic()
        raise HttpFailure("cancelled", "stopped")

    def _upload(self) -> None:
        t = self.t
        self.sock = sock = connect(t.origin, t.connect_timeout, t.ssl_ctx, via=t.via)
        # Through a proxy the kernel's acknowledgements come from the proxy, which buffers
        # megabytes: only the server's confirmation shows what reached it.
        base = acked_bytes(sock) if t.via is None else None
        exact = base is not None
        t.kernel_counted = t.kernel_counted or exact
        # Without the kernel's count of acknowledged bytes (Windows, macOS) or through a proxy,
        # a request counts only once the server confirms it: start small and grow to about
        # UPLOAD_REQUEST_S per request, so the count keeps moving on slow uplinks too.
        # With the kernel's count, the first request is small too: an acknowledgement only says
        # the server's kernel buffered the bytes (a server that never reads acknowledges
        # megabytes), so a transfer counts only if the server confirmed at least one request.
        n = min(self.up_size, t.protocol.request_bytes)
        began = time.monotonic()
        if not exact:
            with self.lock:
                self.pending_since = began - t.started
        head = request_head(t.origin, "POST", t.protocol.upload(t.origin), n, via=t.via)
        if base is not None:
            with self.lock:
                self.ack_base, self.ack_size = base + len(head), n
        sock.sendall(head)
        sent = 0
        last = time.monotonic()
        view = memoryview(_PAYLOAD)
        while sent < n:
            if t.stopped():
                self._count_acked()
                raise HttpFailure("cancelled", "stopped")
            k = min(len(view), n - sent, _CHUNK)
            off = sent % len(view)
            k = min(k, len(view) - off)
            try:
                wrote = sock.send(view[off: off + k])
            except TimeoutError:
                self._count_acked()
                if time.monotonic() - last > t.stall_s:
                    raise HttpFailure("stall", f"server took no data for {t.stall_s:.0f} s") from None
                continue
            except OSError as exc:
                self._count_acked()
                raise HttpFailure("reset", str(exc)) from None
            sent += wrote
            last = self.active_t = time.monotonic()
            self._count_acked()
        answer = read_head(sock, t.stopped, t.stall_s)
        self.active_t = time.monotonic()
        _judge_head(answer, None)
        with self.lock:
            self._grow(n)  # the server confirmed the whole request
            if not exact:
                self.spans.append((began - t.started, time.monotonic() - t.started, n))
                self.pending_since = None
        self.confirmed += 1
        # Counted live, a request may be as long as the test: after the first, small one the
        # server answered, full size (a new connection per request costs a slow start).
        self.up_size = t.protocol.request_bytes if exact else \
            _next_upload_size(n, time.monotonic() - began, t.protocol.request_bytes)

    def _count_acked(self) -> None:
        """Grow the count to what the server's kernel acknowledged of this request's body.

        Called by the stream after each write and by the sampler at each sample, so the count
        is as of now whichever thread last ran."""
        with self.lock:  # held throughout: the request must not change under the reading
            if self.ack_base is None or self.sock is None:
                return
            acked = acked_bytes(self.sock)
            if acked is not None:
                self._grow(min(self.ack_size, max(0, acked - self.ack_base)))


def _next_upload_size(n: int, took_s: float, most: int, target_s: float = UPLOAD_REQUEST_S
                      ) -> int:
    """Size of the next server-confirmed upload request: what this stream moved in about
    ``target_s`` at the rate its last request was confirmed at, at most double the last.

    Why not just double: the count only moves when a request is confirmed, so requests that
    grow past a second make the count too coarse to rate the steady part; much smaller ones
    spend the stream's time on connection set-up (through a proxy, a new tunnel each)."""
    if took_s <= 0:
        return min(n * 2, most)
    return int(max(_FIRST_UPLOAD // 2, min(n * 2, most, n / took_s * target_s)))


def _judge_head(head: Head, exact_length: int | None) -> None:
    if head.status != 200:
        raise HttpFailure("status", f"HTTP {head.status}")
    ctype = head.headers.get("content-type", "")
    if "html" in ctype:
        raise HttpFailure("content", f"a web page ({ctype}) instead of test data")
    if exact_length is not None and head.length is not None and head.length != exact_length:
        raise HttpFailure("content", f"{head.length} bytes instead of {exact_length}")


class Transfer:
    """Runs ``streams`` parallel streams in one direction for ``seconds``."""

    def __init__(self, origin: Origin, protocol: Protocol, direction: str, streams: int,
                 seconds: float, cancelled: Callable[[], bool],
                 on_rate: Callable[[float, float, float | None], None] | None = None,
                 stall_s: float = 4.0, connect_timeout: float = 4.0,
                 via: Proxy | None = None) -> None:
        self.origin, self.protocol, self.direction = origin, protocol, direction
        self.via = via  # an HTTP proxy every stream goes through, or None for direct
        self.streams_n, self.seconds, self.cancelled = streams, seconds, cancelled
        self.on_rate = on_rate
        self.stall_s, self.connect_timeout = stall_s, connect_timeout
        self.ssl_ctx = tls_context() if origin.scheme == "https" else None
        self.stop_event = threading.Event()
        self.errors: list[HttpFailure] = []
        self.requests_ok = 0
        self.kernel_counted = False  # an upload stream had the kernel's acknowledged count
        self.started = time.monotonic()  # the transfer's clock (``run`` resets it)

    def stopped(self) -> bool:
        return self.stop_event.is_set() or self.cancelled()

    def run(self) -> TransferResult:
        streams = [_Stream(self, i) for i in range(self.streams_n)]
        start = self.started = time.monotonic()
        for s in streams:
            s.start()
        samples: list[tuple[float, int]] = [(0.0, 0)]
        try:
            self._follow(streams, start, samples)
        finally:
            self.stop_event.set()
            for s in streams:
                close_quietly(s.sock)  # unblock a stream stuck in connect or TLS
            deadline = time.monotonic() + 1.0  # cancel must take effect within a second
            for s in streams:
                s.join(max(0.0, deadline - time.monotonic()))
        return self._result(streams, start, samples)

    def _follow(self, streams: list[_Stream], start: float,
                samples: list[tuple[float, int]]) -> None:
        """Sample the delivered bytes into ``samples`` until the time is up, every stream
        has ended, the transfer stalls or it is cancelled; report the rate as it goes."""
        last_bytes_t = start
        next_report = 0.25
        while not self.cancelled():
            time.sleep(SAMPLE_S)
            now, total = _sample(streams, start)
            if total != samples[-1][1]:
                last_bytes_t = time.monotonic()
            samples.append((now, total))
            if self.on_rate is not None and now >= next_report:
                next_report += 0.25
                # the last half second as the graph draws it, and the steady rate so far
                # by the very function the result's figure comes from (``steady_rate``)
                bps, _ramp = steady_rate(samples)
                self.on_rate(now, _recent_mbps(samples), None if bps is None else bps / 1e6)
            if now >= self.seconds or not any(s.is_alive() for s in streams):
                return
            if time.monotonic() - last_bytes_t > self.stall_s + self.connect_timeout:
                if not self.errors:
                    self.errors.append(HttpFailure("stall", "no data arrived"))
                return

    def _result(self, streams: list[_Stream], start: float,
                samples: list[tuple[float, int]]) -> TransferResult:
        """The transfer's speed from ``samples``, or none with the reason when the server
        stopped answering or never confirmed an upload."""
        if samples[-1][1] == 0 and not self.errors and not self.cancelled():
            self.errors.append(HttpFailure("stall", "no data arrived during the test"))
        elapsed = samples[-1][0]
        if self.direction == "up" and not self.kernel_counted:
            bps, ramp = steady_rate(spread_confirmed(samples, streams))
        else:
            bps, ramp = steady_rate(samples)
        total = samples[-1][1]
        mbps = bps / 1e6 if bps is not None and total > 0 else None
        quiet_s = min(self.stall_s, max(QUIET_MIN_S, QUIET_FRACTION * self.seconds))
        if self.direction == "up" and not self.kernel_counted:
            quiet_s = self.stall_s
        silent_s = (start + elapsed) - max(s.active_t for s in streams)
        answered = any(s.answered or s.confirmed for s in streams)
        if answered and silent_s >= quiet_s and not self.cancelled():
            # The server answered, then nothing moved: it stopped answering (a line that
            # slows down still moves bytes). Its silence is not the candidate's speed.
            mbps = None
            self.errors.append(HttpFailure(
                "stopped", f"the server stopped answering: nothing moved for the last "
                           f"{silent_s:.1f} s"))
        if self.direction == "up" and not any(s.confirmed for s in streams):
            # Acknowledged is not received: without one answered request, nothing shows that
            # the server read a byte (a server that accepts and never answers, or answers
            # garbage). No speed, and say why.
            mbps = None
            if total > 0 and not self.cancelled():
                self.errors.append(HttpFailure(
                    "unconfirmed", "the server confirmed none of the uploaded data"))
        return TransferResult(self.direction, mbps, total, elapsed, ramp, samples,
                              list(self.errors), self.requests_ok)


def _sample(streams: list[_Stream], start: float) -> tuple[float, int]:
    """(seconds since ``start``, delivered bytes), read so that the two belong together.

    Reading the streams takes microseconds, unless the scheduler or another thread holding
    the interpreter lock interrupts it; then the bytes and the clock are from different
    moments. Such a reading is taken again; the last try is stamped with the clock read after
    the bytes, which can only make the final sample's rate lower, never higher."""
    for _ in range(3):
        before = time.monotonic()
        total = sum(s.current() for s in streams)
        after = time.monotonic()
        if after - before <= _SAMPLE_SKEW_S:
            break
    return after - start, total


def _recent_mbps(samples: list[tuple[float, int]], window_s: float = 0.5) -> float:
    t, b = samples[-1]
    for t0, b0 in reversed(samples):
        if t - t0 >= window_s:
            return (b - b0) * 8 / (t - t0) / 1e6
    t0, b0 = samples[0]
    return (b - b0) * 8 / (t - t0) / 1e6 if t > t0 else 0.0
