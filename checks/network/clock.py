"""The computer's clock against the servers': the HTTP ``Date`` header of small requests to the
servers the network check talks to anyway (the measurement server, the platform's servers; no
other destination).

RFC 9110 §6.6.1: an origin server with a clock sends ``Date`` in its 2xx, 3xx and 4xx answers,
to the second (IMF-fixdate, §5.6.7), stamped at some instant while it made the answer. So one
answer says only that the server's clock read ``D`` ≤ server < ``D`` + 1 at some moment between
the instant the request was sent and the instant the answer's head arrived (both read on this
computer's clock). The computer's offset (its clock minus the server's) therefore lies in
``[sent - (D + 1), received - D]``: one second plus the round trip wide. Several answers narrow
it to where their intervals overlap. The offset is judged by how far it *surely* is from zero
(the interval's nearest point to zero), so neither the one-second resolution nor a slow round
trip can make a right clock look wrong.

One server's clock can be wrong too (a misconfigured box, a cache that replays a stored
``Date``), and one wrong ``Date`` must not make a right computer's clock fail. So each server
gives its own offset (``combine`` over its answers), and ``agree`` takes the servers' median:
the servers within ``AGREE_S`` of it agree, one that disagrees is left out and named, and when
no majority agrees the clock is "could not measure". The grade itself never fails on one
source (``ClockOffset.sources``): a lone server can only warn.
"""

from __future__ import annotations

import email.utils
import logging
import math
import statistics
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from techcheck.checks.network.httpio import (
    HttpFailure,
    Origin,
    close_quietly,
    connect,
    read_head,
    request_head,
)
from techcheck.checks.network.proxy import Proxy

log = logging.getLogger("techcheck.network.clock")

#: An IMF-fixdate is 29 characters; the obsolete forms RFC 9110 §5.6.7 still asks recipients
#: to read are shorter than 40. Anything longer is not a date and is not parsed.
MAX_DATE_CHARS = 64
#: Dates before this (2000-01-01) or after 9999 are not a server's clock but a broken header.
_EARLIEST = 946684800.0
_LATEST = 253402300799.0
#: How far a server's offset may lie from the servers' median and still agree with it, beyond
#: what its own interval already allows for (the Date's whole second, RFC 9110 §5.6.7, and the
#: round trip). Servers that keep time by NTP are within milliseconds of UTC (RFC 5905 §1), so
#: two seconds separates a server that keeps time from one that does not.
AGREE_S = 2.0
#: At most this many servers are asked (each in its own thread, one short request each).
MAX_SOURCES = 6


@dataclass(frozen=True)
class ClockSample:
    """One answer: this computer's clock when the request went out and when the answer's head
    arrived, and the server's ``Date`` (seconds since the epoch, a whole second)."""

    sent: float
    received: float
    server: float

    @property
    def interval(self) -> tuple[float, float]:
        """Where the offset (computer minus server, seconds) can be, given this answer."""
        return self.sent - (self.server + 1.0), self.received - self.server


@dataclass(frozen=True)
class ClockOffset:
    """The computer's clock minus the server's, in seconds: ``low`` ≤ offset ≤ ``high``."""

    low: float
    high: float
    samples: int
    #: how many servers agree on it: one server alone can be wrong, so it never fails the check
    sources: int = 1

    @property
    def estimate(self) -> float:
        return (self.low + self.high) / 2.0

    @property
    def at_least(self) -> float:
        """How far from the server's the computer's clock surely is: 0 when the interval holds
        zero, else the distance of its nearer end."""
        if self.low <= 0.0 <= self.high:
            return 0.0
        return min(abs(self.low), abs(self.high))

    @property
    def uncertainty(self) -> float:
        return (self.high - self.low) / 2.0

    def distance(self, point: float) -> float:
        """How far ``point`` (an offset) lies outside this interval; 0 inside it."""
        if self.low <= point <= self.high:
            return 0.0
        return min(abs(self.low - point), abs(self.high - point))

    def to_dict(self) -> dict[str, float | int]:
        return {"offset_s": round(self.estimate, 3), "low_s": round(self.low, 3),
                "high_s": round(self.high, 3), "samples": self.samples,
                "sources": self.sources}


@dataclass(frozen=True)
class Agreement:
    """What several servers' clocks say together: ``offset`` the majority's (None: could not
    measure: no server answered with a Date, or no majority agrees); ``outliers`` the servers
    left out because they disagree with the others."""

    offset: ClockOffset | None
    by_server: Mapping[str, ClockOffset | None]
    outliers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = dict(self.offset.to_dict()) if self.offset is not None else {
            "offset_s": None}
        out["servers"] = {k: None if v is None else round(v.estimate, 3)
                          for k, v in self.by_server.items()}
        out["disagree"] = list(self.outliers)
        return out


def agree(by_server: Mapping[str, ClockOffset | None]) -> Agreement:
    """The offset most servers agree on. The median of the servers' estimates is the
    reference (one wrong server cannot move it far while most are right); a server agrees when
    its interval lies within ``AGREE_S`` of it. Agreeing servers are narrowed to their common
    interval (or the span of them all, if they do not overlap), counted in ``sources``; those
    that disagree are left out and named. No strict majority: could not measure."""
    answered = {k: v for k, v in by_server.items() if v is not None}
    if not answered:
        return Agreement(None, by_server)
    middle = statistics.median(v.estimate for v in answered.values())
    agreeing = {k: v for k, v in answered.items() if v.distance(middle) <= AGREE_S}
    outliers = tuple(sorted(k for k in answered if k not in agreeing))
    if 2 * len(agreeing) <= len(answered):
        log.info("clock: the servers disagree (%s): not measured",
                 ", ".join(f"{k} {v.estimate:+.1f} s" for k, v in answered.items()))
        return Agreement(None, by_server, tuple(sorted(answered)))
    lows = [v.low for v in agreeing.values()]
    highs = [v.high for v in agreeing.values()]
    low, high = max(lows), min(highs)
    if low > high:
        low, high = min(lows), max(highs)
    combined = ClockOffset(low, high, sum(v.samples for v in agreeing.values()), len(agreeing))
    return Agreement(combined, by_server, outliers)


def parse_http_date(value: str | None) -> float | None:
    """A ``Date`` header's time in seconds since the epoch, or None when it is missing, too
    long, without a zone, or outside 2000-9999 (never a guess)."""
    if not value or len(value) > MAX_DATE_CHARS:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    try:
        stamp = when.timestamp()
    except (OverflowError, OSError, ValueError):
        return None
    if not math.isfinite(stamp) or not _EARLIEST <= stamp <= _LATEST:
        return None
    return stamp


def combine(samples: list[ClockSample]) -> ClockOffset | None:
    """The offset all answers agree on: where their intervals overlap. Answers that do not
    overlap (servers behind one name with different clocks, a clock stepped meanwhile) leave
    the interval that spans them all, so the finding stays on the side of caution."""
    if not samples:
        return None
    lows, highs = zip(*(s.interval for s in samples), strict=True)
    low, high = max(lows), min(highs)
    if low > high:
        low, high = min(lows), max(highs)
    return ClockOffset(low, high, len(samples))


def sample(origin: Origin, path: str, via: Proxy | None, timeout_s: float,
           stop: Callable[[], bool], clock: Callable[[], float] = time.time) -> ClockSample | None:
    """One request for ``path`` on the measurement server; its answer's ``Date`` with the
    computer's clock around the request, or None when there was no answer or no usable Date.
    The connection (and TLS) is set up before the clock is read, so only the request's own
    round trip widens the interval."""
    deadline = time.monotonic() + timeout_s
    sock = None
    try:
        sock = connect(origin, timeout_s, deadline=deadline, via=via)
        sent = clock()
        sock.sendall(request_head(origin, "GET", path, via=via))
        head = read_head(sock, stop, timeout_s, deadline)
        received = clock()
    except (HttpFailure, OSError) as exc:
        log.info("clock: no answer from %s (%s)", origin.url, exc)
        return None
    finally:
        close_quietly(sock)
    server = parse_http_date(head.headers.get("date"))
    if server is None:
        log.info("clock: %s answered without a usable Date header", origin.url)
        return None
    return ClockSample(sent, received, server)


def measure(origin: Origin, path: str, via: Proxy | None, stop: Callable[[], bool],
            tries: int = 3, timeout_s: float = 3.0) -> ClockOffset | None:
    """Up to ``tries`` answers (bounded: one request each, ``timeout_s`` each), combined; None
    when none carried a Date: the clock could not be measured."""
    samples = []
    for _ in range(max(1, min(tries, 5))):
        if stop():
            break
        got = sample(origin, path, via, timeout_s, stop)
        if got is None:
            break  # a server without Date will not grow one on the next request
        samples.append(got)
    return combine(samples)


@dataclass(frozen=True)
class Server:
    """One server whose ``Date`` is read: ``path`` is requested ``tries`` times along ``via``."""

    origin: Origin
    path: str
    via: Proxy | None = None
    tries: int = 3

    @property
    def label(self) -> str:
        return self.origin.url


def measure_all(servers: list[Server], stop: Callable[[], bool],
                timeout_s: float = 3.0) -> Agreement:
    """Every server's offset (at most ``MAX_SOURCES``, in parallel, each bounded by ``tries``
    requests of ``timeout_s``), and what they agree on."""
    servers = servers[:MAX_SOURCES]
    if not servers:
        return Agreement(None, {})
    with ThreadPoolExecutor(max_workers=len(servers), thread_name_prefix="net-clock") as pool:
        jobs = [(s.label, pool.submit(measure, s.origin, s.path, s.via, stop, s.tries,
                                      timeout_s)) for s in servers]
        by_server: dict[str, ClockOffset | None] = {}
        for label, job in jobs:
            try:
                by_server[label] = job.result()
            except Exception:  # one server's bug must not sink the others
                log.exception("clock: %s", label)
                by_server[label] = None
    return agree(by_server)
