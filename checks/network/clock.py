"""The computer's clock against the measurement server's: the HTTP ``Date`` header of a small
request to the server the network check measures against anyway (no other destination).

RFC 9110 §6.6.1: an origin server with a clock sends ``Date`` in its 2xx, 3xx and 4xx answers,
to the second (IMF-fixdate, §5.6.7), stamped at some instant while it made the answer. So one
answer says only that the server's clock read ``D`` ≤ server < ``D`` + 1 at some moment between
the instant the request was sent and the instant the answer's head arrived (both read on this
computer's clock). The computer's offset (its clock minus the server's) therefore lies in
``[sent - (D + 1), received - D]``: one second plus the round trip wide. Several answers narrow
it to where their intervals overlap. The offset is judged by how far it *surely* is from zero
(the interval's nearest point to zero), so neither the one-second resolution nor a slow round
trip can make a right clock look wrong.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Callable
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

    def to_dict(self) -> dict[str, float | int]:
        return {"offset_s": round(self.estimate, 3), "low_s": round(self.low, 3),
                "high_s": round(self.high, 3), "samples": self.samples}


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
