"""Name resolution with a time limit, timed.

``getaddrinfo`` cannot be interrupted, so it runs in a daemon thread and we stop waiting after
the limit: a hung resolver then reads as "DNS failed" within seconds instead of freezing the
check (and cancel still works, because nobody waits on that thread).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Resolution:
    host: str
    ms: float | None  # None: no answer
    addresses: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (family, sockaddr)
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.addresses)


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


def resolve(host: str, port: int = 443, socktype: int = socket.SOCK_STREAM,
            timeout_s: float = 3.0) -> Resolution:
    """Resolve ``host``; IPv4 addresses first (what most call clients try first)."""
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["r"] = socket.getaddrinfo(host.strip("[]"), port, 0, socktype)
        except (OSError, UnicodeError) as exc:
            box["e"] = exc
        done.set()

    start = time.monotonic()
    threading.Thread(target=work, name=f"dns-{host}", daemon=True).start()
    if not done.wait(timeout_s):
        return Resolution(host, None, error=f"no answer within {timeout_s:.0f} s")
    ms = (time.monotonic() - start) * 1000.0
    if "e" in box:
        exc = box["e"]
        return Resolution(host, None, error=str(getattr(exc, "strerror", None) or exc))
    infos = box["r"]
    assert isinstance(infos, list)
    addrs = [(fam, sa) for fam, _, _, _, sa in infos]
    addrs.sort(key=lambda a: a[0] != socket.AF_INET)
    return Resolution(host, ms, addrs)


class NoAddress(OSError):
    """The name did not resolve (``open_tcp``)."""


def open_tcp(host: str, port: int, timeout_s: float, deadline: float | None = None
             ) -> socket.socket:
    """A TCP connection to ``host:port`` (its first four addresses, IPv4 first, Nagle off).
    ``NoAddress`` when the name does not resolve, else the last address's ``OSError``."""
    res = resolve(host, port, socket.SOCK_STREAM, min(timeout_s, 5.0))
    if not res.ok:
        raise NoAddress(f"cannot resolve {host}: {res.error}")
    last: OSError | None = None
    for family, addr in res.addresses[:4]:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        left = timeout_s if deadline is None else max(0.05, min(timeout_s,
                                                                 deadline - time.monotonic()))
        sock.settimeout(left)
        try:
            sock.connect(addr)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        return sock
    raise last or OSError(f"no address for {host}")
