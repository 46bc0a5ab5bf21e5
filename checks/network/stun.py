"""STUN (RFC 5389 / RFC 8489) Binding messages and a voice-like UDP probe stream.

Why our own codec: a Binding request is 20 bytes plus a FINGERPRINT, and the answer only has to
yield the transaction id and the mapped address; a dependency for that would be larger than the
code. The same codec serves the client (``StunProbe``) and ``techcheck serve``'s responder.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import select
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techcheck.checks.network.proxy import Proxy

log = logging.getLogger("techcheck.network")

MAGIC_COOKIE = 0x2112A442
BINDING_REQUEST = 0x0001
BINDING_SUCCESS = 0x0101
BINDING_ERROR = 0x0111
ATTR_MAPPED_ADDRESS = 0x0001
ATTR_ERROR_CODE = 0x0009
ATTR_XOR_MAPPED_ADDRESS = 0x0020
ATTR_SOFTWARE = 0x8022
ATTR_FINGERPRINT = 0x8028
_FINGERPRINT_XOR = 0x5354554E
_HEADER = struct.Struct("!HHI12s")
#: Linux's SO_TIMESTAMPNS (and SCM_TIMESTAMPNS): the kernel stamps each datagram on arrival.
#: Python's socket module does not name it.
_SO_TIMESTAMPNS = 35
_TIMESPEC = struct.Struct("@ll")


class StunError(ValueError):
    """A datagram that is not a well-formed STUN message."""


@dataclass
class StunMessage:
    msg_type: int
    transaction_id: bytes
    attributes: list[tuple[int, bytes]] = field(default_factory=list)

    def attribute(self, attr_type: int) -> bytes | None:
        return next((v for t, v in self.attributes if t == attr_type), None)

    @property
    def mapped_address(self) -> tuple[str, int] | None:
        """The address the server saw us at: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS."""
        raw = self.attribute(ATTR_XOR_MAPPED_ADDRESS)
        if raw is not None:
            return _decode_address(raw, self.transaction_id, xor=True)
        raw = self.attribute(ATTR_MAPPED_ADDRESS)
        if raw is not None:
            return _decode_address(raw, self.transaction_id, xor=False)
        return None


def _pad(n: int) -> int:
    return (4 - n % 4) % 4


def encode(msg: StunMessage, *, fingerprint: bool = True) -> bytes:
    """Serialise ``msg``; with ``fingerprint`` a CRC-32 FINGERPRINT attribute goes last."""
    body = b"".join(
        struct.pack("!HH", t, len(v)) + v + b"\0" * _pad(len(v)) for t, v in msg.attributes
    )
    length = len(body) + (8 if fingerprint else 0)
    head = _HEADER.pack(msg.msg_type, length, MAGIC_COOKIE, msg.transaction_id)
    data = head + body
    if fingerprint:
        crc = (zlib.crc32(data) ^ _FINGERPRINT_XOR) & 0xFFFFFFFF
        data += struct.pack("!HHI", ATTR_FINGERPRINT, 4, crc)
    return data


def decode(data: bytes) -> StunMessage:
    """Parse a datagram; raises ``StunError`` for anything that is not STUN (RFC 8489 §6.3)."""
    if len(data) < 20:
        raise StunError("shorter than a STUN header")
    msg_type, length, cookie, txid = _HEADER.unpack_from(data)
    if msg_type & 0xC000:
        raise StunError("the two leading bits are not zero")
    if cookie != MAGIC_COOKIE:
        raise StunError("wrong magic cookie")
    if length % 4 or 20 + length != len(data):
        raise StunError("length field does not match the datagram")
    attrs: list[tuple[int, bytes]] = []
    pos = 20
    while pos < len(data):
        if pos + 4 > len(data):
            raise StunError("truncated attribute header")
        t, n = struct.unpack_from("!HH", data, pos)
        value = data[pos + 4: pos + 4 + n]
        if len(value) != n:
            raise StunError("truncated attribute")
        if t == ATTR_FINGERPRINT:
            want = (zlib.crc32(data[:pos]) ^ _FINGERPRINT_XOR) & 0xFFFFFFFF
            if n != 4 or struct.unpack("!I", value)[0] != want:
                raise StunError("bad FINGERPRINT")
        attrs.append((t, value))
        pos += 4 + n + _pad(n)
    return StunMessage(msg_type, txid, attrs)


def binding_request(txid: bytes | None = None) -> tuple[bytes, bytes]:
    """(datagram, transaction id) of a new Binding request."""
    txid = txid or os.urandom(12)
    return encode(StunMessage(BINDING_REQUEST, txid)), txid


def binding_response(request: StunMessage, addr: tuple[str, int],
                     software: str = "techcheck") -> bytes:
    """The success response a server sends to ``request`` received from ``addr``."""
    attrs = [(ATTR_XOR_MAPPED_ADDRESS, _encode_address(addr, request.transaction_id, xor=True))]
    if software:
        attrs.append((ATTR_SOFTWARE, software.encode()[:128]))
    return encode(StunMessage(BINDING_SUCCESS, request.transaction_id, attrs))


def _encode_address(addr: tuple[str, int], txid: bytes, *, xor: bool) -> bytes:
    ip = ipaddress.ip_address(addr[0].split("%")[0])
    port = addr[1]
    raw = ip.packed
    if xor:
        port ^= MAGIC_COOKIE >> 16
        key = struct.pack("!I", MAGIC_COOKIE) + txid
        raw = bytes(a ^ b for a, b in zip(raw, key, strict=False))
    family = 0x01 if ip.version == 4 else 0x02
    return struct.pack("!BBH", 0, family, port) + raw


def _decode_address(raw: bytes, txid: bytes, *, xor: bool) -> tuple[str, int]:
    if len(raw) < 8:
        raise StunError("address attribute too short")
    _, family, port = struct.unpack_from("!BBH", raw)
    size = 4 if family == 0x01 else 16
    body = raw[4: 4 + size]
    if family not in (0x01, 0x02) or len(body) != size:
        raise StunError("unknown address family")
    if xor:
        port ^= MAGIC_COOKIE >> 16
        key = struct.pack("!I", MAGIC_COOKIE) + txid
        body = bytes(a ^ b for a, b in zip(body, key, strict=False))
    return str(ipaddress.ip_address(body)), port


# --- the probe stream -----------------------------------------------------------------------


@dataclass
class Probe:
    """One Binding request: when it left (monotonic s), its RTT in ms once answered, and the
    phase of the measurement it belongs to ("idle", "download", "upload")."""

    sent: float
    phase: str
    rtt_ms: float | None = None
    sent_wall: float = 0.0  # time.time() at the send, to pair with the kernel's arrival stamp


def parse_hostport(spec: str, default_port: int = 3478) -> tuple[str, int]:
    """``host:port``, ``[v6]:port``, ``host`` or ``stun:host:port`` → (host, port)."""
    raw = spec
    spec = spec.strip().removeprefix("stun:").removeprefix("stuns:")
    if spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        port = rest.lstrip(":") or str(default_port)
    elif spec.count(":") == 1:
        host, port = spec.split(":")
    else:
        host, port = spec, str(default_port)
    if not host or any(c.isspace() or c in "/@?#" for c in host) or not port.isdigit() \
            or not 0 < int(port) < 65536:
        raise ValueError(f"{raw!r} is not a STUN server as HOST:PORT (port 1-65535)")
    return host, int(port)


class StunProbe:
    """Sends a Binding request every ``interval_s`` from one UDP socket and matches answers.

    One socket and a fixed cadence is what a voice stream looks like to the network (50 packets
    a second at 20 ms), so loss and jitter here are what a call's audio would meet. The probe
    runs in its own thread for as long as the check wants; the phase label tells idle samples
    from the ones taken during a transfer. ``on_sample`` sees each answered probe.
    """

    def __init__(self, address: tuple[Any, ...], family: int, interval_s: float = 0.02,
                 on_sample: Callable[[Probe], None] | None = None) -> None:
        self.address = address
        self.family = family
        self.interval_s = interval_s
        self.on_sample = on_sample
        self.phase = "idle"
        self.probes: list[Probe] = []
        self.mapped: tuple[str, int] | None = None
        self.invalid = 0  # datagrams that were not a matching STUN answer
        self._pending: dict[bytes, Probe] = {}
        self._stop = threading.Event()
        self._sending = threading.Event()
        self._sending.set()
        self._thread: threading.Thread | None = None
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        self._sock.setblocking(False)
        self.kernel_stamps = _enable_arrival_stamps(self._sock)

    def start(self) -> StunProbe:
        self._thread = threading.Thread(target=self._loop, name="stun-probe", daemon=True)
        self._thread.start()
        return self

    def stop(self, grace_s: float = 0.0) -> None:
        self._sending.clear()
        if grace_s > 0 and self._pending:
            deadline = time.monotonic() + grace_s
            while self._pending and time.monotonic() < deadline:
                time.sleep(0.01)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
        if self._thread is None or not self._thread.is_alive():
            # Answers already in the socket's queue arrived in time; on a busy computer the
            # probe thread may not have run since they did. Counted, not called lost (with
            # the kernel's arrival stamps their round trip is exact, too).
            self._drain()
        self._sock.close()

    def _loop(self) -> None:
        next_send = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if self._sending.is_set() and now >= next_send:
                data, txid = binding_request()
                probe = Probe(time.monotonic(), self.phase, sent_wall=time.time())
                try:
                    self._sock.sendto(data, self.address)
                except OSError as exc:  # no route, network down: the probe counts as lost
                    log.debug("STUN send failed: %s", exc)
                else:
                    self._pending[txid] = probe
                self.probes.append(probe)
                # Keep the cadence even if a send was late, without bursting to catch up.
                next_send = max(next_send + self.interval_s, now)
            wait = max(0.0, min(next_send - time.monotonic(), 0.05))
            try:
                ready, _, _ = select.select([self._sock], [], [], wait)
            except (OSError, ValueError):
                return
            if ready:
                self._drain()

    def _drain(self) -> None:
        while True:
            try:
                if self.kernel_stamps:
                    data, ancillary, _flags, _ = self._sock.recvmsg(2048, 64)
                else:  # recvmsg does not exist on Windows
                    data, ancillary = self._sock.recvfrom(2048)[0], []
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # ICMP port unreachable surfaces here on Linux
                log.debug("STUN receive error: %s", exc)
                return
            now = time.monotonic()
            arrived = _arrival_stamp(ancillary)
            try:
                msg = decode(data)
            except StunError:
                self.invalid += 1
                continue
            probe = self._pending.pop(msg.transaction_id, None)
            if probe is None or msg.msg_type != BINDING_SUCCESS:
                self.invalid += 1
                continue
            probe.rtt_ms = _rtt_ms(probe, now, arrived)
            if self.mapped is None:
                with contextlib.suppress(StunError):
                    self.mapped = msg.mapped_address
            if self.on_sample is not None:
                self.on_sample(probe)


def _enable_arrival_stamps(sock: socket.socket) -> bool:
    """Ask the kernel to stamp each answer's arrival (Linux).

    Why: under load the probe thread shares the interpreter with the transfer threads and may
    wake milliseconds after an answer arrived; with the kernel's stamp that wait is not counted
    as network delay, so loaded latency reads what the network did, not what Python did."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
    except OSError:
        return False
    return True


def _arrival_stamp(ancillary: list[tuple[int, int, bytes]]) -> float | None:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(data) >= _TIMESPEC.size:
            sec, nsec = _TIMESPEC.unpack_from(data)
            return float(sec + nsec / 1e9)
    return None


def _rtt_ms(probe: Probe, now: float, arrived: float | None) -> float:
    """Round trip from the send to the kernel's arrival stamp when there is one (both on the
    wall clock), else to when this thread read the answer. A wall clock stepped in between
    (the stamp falls outside the monotonic span) falls back to the monotonic figure."""
    mono = (now - probe.sent) * 1000.0
    if arrived is not None and probe.sent_wall:
        wall = (arrived - probe.sent_wall) * 1000.0
        if 0.0 <= wall <= mono + 1.0:
            return wall
    return mono


def resolve_udp(host: str, port: int,
                timeout_s: float = 3.0) -> tuple[int, tuple[Any, ...]] | None:
    """First UDP address of ``host``; None when it cannot be resolved within ``timeout_s``."""
    from techcheck.checks.network.dns import resolve

    res = resolve(host, port, socket.SOCK_DGRAM, timeout_s)
    if not res.addresses:
        return None
    family, addr = res.addresses[0]
    return family, addr


def ping_once(address: tuple[Any, ...], family: int, timeout_s: float = 1.0, tries: int = 3) -> float | None:
    """RTT in ms of one answered Binding request, trying ``tries`` times; None if none answered."""
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout_s / tries)
        for _ in range(tries):
            data, txid = binding_request()
            start = time.monotonic()
            try:
                s.sendto(data, address)
                while True:
                    reply, _ = s.recvfrom(2048)
                    try:
                        msg = decode(reply)
                    except StunError:
                        continue
                    if msg.transaction_id == txid and msg.msg_type == BINDING_SUCCESS:
                        return (time.monotonic() - start) * 1000.0
            except (TimeoutError, OSError):
                continue
    return None


class TcpProbe:
    """Latency by TCP handshake time, for networks that block UDP: a connect is one round trip
    answered by the server's kernel, so no server-side processing adds to it. It cannot see
    loss (TCP retransmits hide it), so loss and jitter from it are not reported as such."""

    def __init__(self, address: tuple[Any, ...], family: int, interval_s: float = 0.1,
                 on_sample: Callable[[Probe], None] | None = None,
                 via: Proxy | None = None) -> None:
        self.address, self.family, self.interval_s = address, family, interval_s
        self.on_sample = on_sample
        # Through an HTTP proxy (``proxy.Proxy``; ``address`` is then (host, port) of the
        # server): the time from asking for a tunnel to the proxy's yes, which is one round
        # trip to the proxy plus the proxy's handshake with the server — the path's RTT.
        self.via = via
        self.phase = "idle"
        self.probes: list[Probe] = []
        self.mapped = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tcp-probe", daemon=True)

    def start(self) -> TcpProbe:
        self._thread.start()
        return self

    def stop(self, grace_s: float = 0.0) -> None:
        self._stop.set()
        self._thread.join(1.5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            start = time.monotonic()
            probe = Probe(start, self.phase)
            if self.via is not None:
                probe.rtt_ms = self._through_proxy()
            else:
                try:
                    with socket.socket(self.family, socket.SOCK_STREAM) as s:
                        s.settimeout(1.0)
                        s.connect(self.address)
                        probe.rtt_ms = (time.monotonic() - start) * 1000.0
                except OSError:
                    pass
            self.probes.append(probe)
            if probe.rtt_ms is not None and self.on_sample is not None:
                self.on_sample(probe)
            self._stop.wait(max(0.0, self.interval_s - (time.monotonic() - start)))

    def _through_proxy(self) -> float | None:
        from techcheck.checks.network.proxy import ProxyFailure, open_to_proxy, tunnel

        if self.via is None:
            return None
        try:
            with open_to_proxy(self.via, 1.0) as s:
                return tunnel(s, self.via, self.address[0], self.address[1], 1.0) * 1000.0
        except (OSError, ProxyFailure):
            return None
