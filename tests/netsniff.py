"""Ground truth for latency on an emulated link: when each STUN probe really crossed it.

Runs inside the middle namespace of a ``NetLab`` (``bench/bench_network.py`` starts it) and
watches both of its interfaces with packet sockets. The kernel stamps every packet as it
passes the interface — after the shaper's queue on the way out — so for each probe

    request:  m0 in (t_a) … relay, shaper on m1 … m1 out (t_b)
    answer:   m1 in (t_c) … relay, shaper on m0 … m0 out (t_d)

the link's round trip is (t_b − t_a) + (t_d − t_c): the relay's delay, jitter and scheduling
and the bottleneck queue, exactly as this packet met them, without the client's or the
server's own time. Probes the link dropped have no such figure.

A kernel filter passes only UDP to or from the probe port, so the sniffer costs next to
nothing at 100 Mbit/s. Commands on standard input: ``dump`` prints (and forgets) the probes
completed so far as one JSON line ``[[t_a monotonic s, link RTT ms, server ms], …]``;
end of input stops it.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_ATTACH_FILTER = 26
SO_TIMESTAMPNS = 35
STUN_COOKIE = b"\x21\x12\xa4\x42"


def _udp_port_filter(port: int) -> list[tuple[int, int, int, int]]:
    """Classic BPF: IPv4, UDP, source or destination port ``port``; 256 bytes of it."""
    return [
        (0x28, 0, 0, 12),  # ldh [12]          ethertype
        (0x15, 0, 7, 0x0800),  # jeq IPv4, else drop
        (0x30, 0, 0, 23),  # ldb [23]          IP protocol
        (0x15, 0, 5, 17),  # jeq UDP, else drop
        (0xB1, 0, 0, 14),  # ldxb 4*([14]&0xf) IP header length
        (0x48, 0, 0, 14),  # ldh [x+14]        source port
        (0x15, 3, 0, port),  # jeq port → accept
        (0x48, 0, 0, 16),  # ldh [x+16]        destination port
        (0x15, 1, 0, port),  # jeq port → accept
        (0x06, 0, 0, 0),  # drop
        (0x06, 0, 0, 256),  # accept
    ]


def open_tap(dev: str, port: int) -> tuple[socket.socket, object]:
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    code = _udp_port_filter(port)
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in code))
    prog = struct.pack("@HP", len(code), ctypes.addressof(buf))
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    s.bind((dev, ETH_P_ALL))
    s.setblocking(False)
    return s, buf  # the filter's buffer must outlive the socket's set-up


def _stamp(ancillary) -> float | None:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            sec, nsec = struct.unpack_from("@ll", data)
            return sec + nsec / 1e9
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--client-dev", default="m0")
    ap.add_argument("--server-dev", default="m1")
    ap.add_argument("--port", type=int, default=8080)
    a = ap.parse_args()
    taps = {open_tap(a.client_dev, a.port)[0]: "c", open_tap(a.server_dev, a.port)[0]: "s"}
    wall_to_mono = time.monotonic() - time.time()
    seen: dict[bytes, list[float | None]] = {}
    done: list[list[float]] = []
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([*taps, sys.stdin], [], [], 1.0)
        for s in ready:
            if s is sys.stdin:
                line = sys.stdin.readline()
                if not line:
                    return
                print(json.dumps(done), flush=True)
                done = []
                continue
            side = taps[s]
            while True:
                try:
                    data, anc, _flags, addr = s.recvmsg(256, 64)
                except BlockingIOError:
                    break
                t = _stamp(anc)
                if t is None or len(data) < 14 + 20 + 8 + 20:
                    continue
                ihl = (data[14] & 0x0F) * 4
                stun = data[14 + ihl + 8:]
                if stun[4:8] != STUN_COOKIE:
                    continue
                kind, txid = stun[0:2], stun[8:20]
                out = addr[2] == PACKET_OUTGOING
                slot = {(b"\x00\x01", "c", False): 0, (b"\x00\x01", "s", True): 1,
                        (b"\x01\x01", "s", False): 2, (b"\x01\x01", "c", True): 3}.get(
                    (kind, side, out))
                if slot is None:
                    continue
                ts = seen.setdefault(txid, [None] * 4)
                ts[slot] = t
                if all(x is not None for x in ts):
                    ta, tb, tc, td = ts
                    done.append([ta + wall_to_mono, 1000 * ((tb - ta) + (td - tc)),
                                 1000 * (tc - tb)])
                    del seen[txid]
        if len(seen) > 20000:  # requests the link dropped never complete
            for txid in list(seen)[:10000]:
                del seen[txid]


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
