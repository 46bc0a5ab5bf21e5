"""Name resolution with a time limit, timed.

``getaddrinfo`` cannot be interrupted, so it runs in a daemon thread and we stop waiting after
the limit: a hung resolver then reads as "DNS failed" within seconds instead of freezing the
check (and cancel still works, because nobody waits on that thread).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: One address of a name: (family, sockaddr), as ``socket.getaddrinfo`` gives them.
Address = tuple[int, tuple[Any, ...]]


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


#: What inet_aton reads as an IPv4 address: one to four parts, each decimal, octal (leading 0)
#: or hex (0x), so "127.1", "0177.0.0.1", "0x7f.1" and "2130706433" are all 127.0.0.1.
_INET_ATON = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}", re.IGNORECASE)


def numeric_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``host`` stands for when the system reads it as a number, before any name
    lookup, or None for a name. Besides the standard notations, getaddrinfo (POSIX
    ``inet_aton``, and Windows' ``inet_addr``) reads IPv4 in the old BSD forms: fewer than
    four parts (the last fills the remaining bytes: "10.1" is 10.0.0.1, "169.254.43518" is
    169.254.169.254), octal and hex parts. So a host must be judged by this, not its spelling."""
    h = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(h.split("%", 1)[0])
    except ValueError:
        pass
    if not _INET_ATON.fullmatch(h):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(h))
    except OSError:
        return None


def is_internal_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``ip`` is this computer or inside a private network: anything not globally
    routable in IANA's special-purpose registries (loopback, link-local such as the cloud
    metadata address 169.254.169.254, RFC 1918, RFC 6598, unique-local…), and multicast.
    An IPv4-mapped IPv6 address is judged as the IPv4 address it carries."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def address_inside(address: Address) -> bool:
    """``is_internal_address`` of one (family, sockaddr) a lookup gave."""
    return is_internal_address(ipaddress.ip_address(str(address[1][0]).split("%", 1)[0]))


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


class InsideNetwork(OSError):
    """A connection that must go outside the candidate's network would have gone inside it
    (``open_tcp(..., public_only=True)``): it was not made."""


def open_tcp(host: str, port: int, timeout_s: float, deadline: float | None = None,
             addresses: Sequence[Address] | None = None, public_only: bool = False
             ) -> socket.socket:
    """A TCP connection to ``host:port`` (its first four addresses, IPv4 first, Nagle off).
    ``NoAddress`` when the name does not resolve, else the last address's ``OSError``.
    ``addresses`` ((family, sockaddr) pairs) replaces the lookup: the connection goes to an
    address that was already judged, so a name that resolves differently the second time
    (DNS rebinding) cannot send it elsewhere. With ``public_only`` every address is judged
    here, at connection time, and one inside the network (``is_internal_address``) is never
    connected to: ``InsideNetwork`` when no other is left."""
    if addresses:
        targets = [(family, (addr[0], port, *addr[2:])) for family, addr in addresses]
    else:
        res = resolve(host, port, socket.SOCK_STREAM, min(timeout_s, 5.0))
        if not res.ok:
            raise NoAddress(f"cannot resolve {host}: {res.error}")
        targets = res.addresses
    if public_only:
        refused = [a for a in targets if address_inside(a)]
        targets = [a for a in targets if a not in refused]
        if not targets:
            raise InsideNetwork(f"{host} is at {refused[0][1][0]}, on this computer or inside "
                                "the network: not connected")
    last: OSError | None = None
    for family, addr in targets[:4]:
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
