"""A userspace link emulator for the network tests and benchmark (this kernel has no netem).

Runs inside the middle namespace of a ``NetLab``: every packet between client and server is
routed into a TUN device, read here, held for the one-way delay (plus jitter, first in first
out so TCP sees no reordering), dropped with the loss probability, and written back into the
TUN device for the kernel to forward. It counts the probe packets (UDP to or from
``--probe-port``) it passed and dropped, so loss has an exact ground truth.

Control: a UNIX socket; send ``stats`` for JSON counters, ``reset`` for them and then zero.
"""

from __future__ import annotations

import argparse
import collections
import fcntl
import json
import os
import random
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Relay:
    """The impaired link: packets read from the TUN device wait in one queue per direction
    until their release time (delay ± jitter, never reordered), or are dropped (loss)."""

    def __init__(self, a: argparse.Namespace) -> None:
        self.rng = random.Random(a.seed)
        self.p_dir = 1 - (1 - a.loss) ** 0.5 if a.loss > 0 else 0.0
        self.client_prefix = bytes(int(x) for x in a.client_net.strip(".").split("."))
        self.probe_port = a.probe_port
        self.base, self.jit = a.delay_ms / 1000, a.jitter_ms / 1000
        self.queues: dict[str, collections.deque] = {"down": collections.deque(),
                                                      "up": collections.deque()}
        self.last_release = {"down": 0.0, "up": 0.0}
        self.stats = _zero()

    def timeout(self) -> float:
        due = [q[0][0] for q in self.queues.values() if q]
        return max(0.0, min(due) - time.monotonic()) if due else 0.5

    def control(self, ctl: socket.socket) -> None:
        msg, addr = ctl.recvfrom(64)
        if addr:  # the counters so far; "reset" then starts them again from zero
            ctl.sendto(json.dumps(self.stats).encode(), addr)
        if msg == b"reset":
            self.stats = _zero()

    def take(self, pkt: bytes, now: float) -> None:
        if len(pkt) < 20 or pkt[0] >> 4 != 4:
            return
        direction = "down" if pkt[16:16 + len(self.client_prefix)] == self.client_prefix else "up"
        probe = False
        if self.probe_port and pkt[9] == 17:
            ihl = (pkt[0] & 0x0F) * 4
            sport, dport = struct.unpack_from("!HH", pkt, ihl)
            probe = self.probe_port in (sport, dport)
        if probe:
            self.stats[f"probe_{direction}"] += 1
        if self.p_dir and self.rng.random() < self.p_dir:
            if probe:
                self.stats[f"probe_{direction}_lost"] += 1
            return
        d = self.base + (self.rng.uniform(-self.jit, self.jit) if self.jit else 0.0)
        release = max(now + max(0.0, d), self.last_release[direction])
        self.last_release[direction] = release
        if probe:
            self.stats[f"probe_{direction}_delay_sum"] += release - now
        self.queues[direction].append((release, pkt))

    def release(self, fd: int) -> None:
        now = time.monotonic()
        for q in self.queues.values():
            while q and q[0][0] <= now:
                try:  # noqa: SIM105 - the hot loop; a context manager per packet costs
                    os.write(fd, q.popleft()[1])
                except OSError:
                    pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tun", default="tr0")
    ap.add_argument("--client-net", default="10.77.1.")
    ap.add_argument("--delay-ms", type=float, default=0.0, help="one-way delay, each direction")
    ap.add_argument("--jitter-ms", type=float, default=0.0, help="± uniform, each direction")
    ap.add_argument("--loss", type=float, default=0.0, help="round-trip loss fraction")
    ap.add_argument("--probe-port", type=int, default=0)
    ap.add_argument("--control", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    relay = Relay(a)
    fd = open_tun(a.tun)
    ctl = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ctl.bind(a.control)
    print("ready", flush=True)
    while True:
        r, _, _ = select.select([fd, ctl], [], [], relay.timeout())
        if ctl in r:
            relay.control(ctl)
        if fd in r:
            for _ in range(256):
                try:
                    pkt = os.read(fd, 65536)
                except BlockingIOError:
                    break
                relay.take(pkt, time.monotonic())
        relay.release(fd)


def _zero() -> dict:
    return {"probe_up": 0, "probe_down": 0, "probe_up_lost": 0, "probe_down_lost": 0,
            "probe_up_delay_sum": 0.0, "probe_down_delay_sum": 0.0}


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
