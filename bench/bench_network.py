"""Network measurement accuracy: our engine and speedtest-cli on the same emulated links,
each against the emulator's truth, in one run.

    sudo .venv/bin/python bench/bench_network.py [--quick] [--seconds 6]

Links are made with tests/netlab.py (namespaces, tbf for rate, a userspace relay for delay,
jitter and loss). Truth:
- throughput: the shaped rate × 1448/1514 (TCP payload per byte on the wire at MTU 1500:
  the most any HTTP test can deliver);
- RTT: the relay's own record of the delay it gave the probe packets (mean, both directions);
- loss: the relay's count of probe packets it dropped, over the probes sent;
- loaded latency: the median, over the probes sent in the engine's steady window, of each
  probe's own round trip across the link as the kernel stamped it passing the middle
  namespace's interfaces (tests/netsniff.py): relay delay and scheduling plus the bottleneck
  queue, exactly as that packet met them. The former truth (idle RTT + the tbf backlog sampled
  every 50 ms) is kept in the JSON as ``backlog_loaded_*``: it misses the relay's own delays
  under CPU load and counts full-queue moments whose probes the queue dropped.
speedtest-cli runs through its own code (offline: its configuration fetch replaced, pointed at
``techcheck serve``'s speedtest.net-compatible URLs); it reports no loss or loaded latency.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EFFICIENCY = 1448 / 1514
SETTLE_S = 2.0  # between phases, so a queue left by one tool never delays the next
LINKS = [  # down, up Mbit/s; RTT ms; jitter ± ms; loss %
    (5, 1, 20, 0, 0),
    (20, 5, 40, 2, 0),
    (100, 20, 20, 0, 0),
    (20, 5, 100, 10, 0),
    (20, 5, 60, 5, 1),
    (5, 1, 50, 0, 2),
]


# --- the client side, run inside the client namespace --------------------------------------


def client(url: str, seconds: float) -> None:
    from techcheck.checks.network import analysis, speedtest_backend, stun
    from techcheck.checks.network.httpio import parse_origin
    from techcheck.checks.network.transfer import CLOUDFLARE, Transfer

    def emit(d: dict) -> None:
        print(json.dumps(d), flush=True)
        sys.stdin.readline()  # wait for the emulator side to read its counters

    origin = parse_origin(url)
    addr = (origin.host, origin.port)
    sys.stdin.readline()
    probe = stun.StunProbe(addr, socket.AF_INET, 0.02).start()
    time.sleep(seconds)
    probe.stop(grace_s=0.8)
    idle = analysis.latency_stats([p.rtt_ms for p in probe.probes])
    emit({"phase": "idle", "rtt": idle.median_ms, "loss": idle.loss_pct, "jitter": idle.jitter_ms})
    for direction, streams in (("down", 6), ("up", 4)):
        time.sleep(SETTLE_S)
        probe = stun.StunProbe(addr, socket.AF_INET, 0.02).start()
        start = time.monotonic()
        res = Transfer(origin, CLOUDFLARE, direction, streams, seconds, lambda: False).run()
        end = time.monotonic()
        probe.stop(grace_s=0.5)
        window = (start + res.ramp_s, end)
        loaded = analysis.latency_stats([p.rtt_ms for p in probe.probes
                                         if window[0] <= p.sent <= window[1]])
        emit({"phase": direction, "mbps": res.mbps, "window": window,
              "loaded": loaded.median_ms})
    time.sleep(SETTLE_S)
    down, up, ping = speedtest_backend.run(f"speedtest+{url}/speedtest/upload.php", seconds,
                                           seconds, lambda: False, lambda _p: None)
    emit({"phase": "speedtest", "down": down.mbps, "up": up.mbps, "ping": ping})


# --- the emulator side ---------------------------------------------------------------------


class Backlog(threading.Thread):
    def __init__(self, lab) -> None:
        super().__init__(daemon=True)
        self.lab, self.samples, self.stop = lab, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            t = time.monotonic()
            self.samples.append((t, self.lab.backlog_bytes("m0"), self.lab.backlog_bytes("m1")))
            self.stop.wait(0.05)

    def queue_ms(self, window, which: int, mbit: float) -> float:
        vals = [s[which] for s in self.samples if window[0] <= s[0] <= window[1]]
        return statistics.median(vals) * 8 / (mbit * 1e6) * 1000 if vals else 0.0


def measure(link, seconds: float) -> dict:
    from tests.netlab import Link, NetLab

    down, up, rtt, jitter, loss = link
    out: dict = {"link": link}
    with NetLab(Link(down, up, rtt, jitter, loss, queue_ms=100)) as lab:
        sampler = Backlog(lab)
        sampler.start()
        sniffer = lab.spawn("m", [sys.executable, str(ROOT / "tests" / "netsniff.py")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if sniffer.stdout.readline().strip() != "ready":
            raise RuntimeError("the probe sniffer did not start")

        def crossed() -> list[list[float]]:
            """Probes that crossed the link since the last call: [t_a, link ms, server ms]."""
            sniffer.stdin.write("dump\n")
            sniffer.stdin.flush()
            return json.loads(sniffer.stdout.readline())

        p = lab.spawn("c", [sys.executable, str(Path(__file__).resolve()), "--client", lab.url,
                            "--seconds", str(seconds)], stdin=subprocess.PIPE,
                      stdout=subprocess.PIPE, stderr=None)
        lab.relay("reset")
        p.stdin.write("go\n")
        p.stdin.flush()
        while True:
            line = p.stdout.readline()
            if not line:
                raise RuntimeError(f"the client stopped (exit {p.wait()})")
            d = json.loads(line)
            wire = crossed()
            if d["phase"] == "idle":
                r = lab.relay("reset")
                passed_up = r["probe_up"] - r["probe_up_lost"]
                passed_down = r["probe_down"] - r["probe_down_lost"]
                out["truth_rtt"] = 1000 * (r["probe_up_delay_sum"] / max(1, passed_up)
                                           + r["probe_down_delay_sum"] / max(1, passed_down))
                out["truth_loss"] = 100 * (r["probe_up_lost"] + r["probe_down_lost"]) / max(
                    1, r["probe_up"])
                out["wire_idle"] = _median([w[1] for w in wire])
                out["server_idle"] = _median([w[2] for w in wire])
                out["idle"] = d
            elif d["phase"] in ("down", "up"):
                which, mbit = (1, down) if d["phase"] == "down" else (2, up)
                a, b = d["window"]
                out[d["phase"]] = d
                # Truth: the link's round trip as the probes of the steady window met it.
                out[f"truth_loaded_{d['phase']}"] = _median(
                    [w[1] for w in wire if a <= w[0] <= b])
                out[f"server_loaded_{d['phase']}"] = _median(
                    [w[2] for w in wire if a <= w[0] <= b])
                # The former truth, for comparison: idle RTT + the shaper's sampled backlog.
                out[f"backlog_loaded_{d['phase']}"] = out["truth_rtt"] + sampler.queue_ms(
                    d["window"], which, mbit)
            else:
                out["speedtest"] = d
            p.stdin.write("go\n")
            p.stdin.flush()
            if d["phase"] == "speedtest":
                break
        p.wait(10)
        sampler.stop.set()
        sniffer.stdin.close()
    return out


def _median(vals: list[float]) -> float | None:
    return statistics.median(vals) if vals else None


def _pct(v, truth):
    return None if v is None or not truth else 100 * (v - truth) / truth


def table(rows: list[dict]) -> str:
    head = ("| link (down/up Mbit/s, RTT, jitter, loss) | tool | download (err) | upload (err) "
            "| RTT (err) | loss (err) | loaded down (err) | loaded up (err) |")
    lines = [head, "|" + "---|" * 8]

    def f(v, e, unit="", err_unit="%"):
        if v is None:
            return "—"
        return f"{v:.2f}{unit} ({e:+.1f}{err_unit})" if e is not None else f"{v:.2f}{unit}"

    for r in rows:
        d, u, rtt, j, loss = r["link"]
        label = f"{d}/{u}, {rtt} ms, ±{j} ms, {loss} %"
        td, tu = d * EFFICIENCY, u * EFFICIENCY
        i = r["idle"]
        lines.append(
            f"| {label} | ours | {f(r['down']['mbps'], _pct(r['down']['mbps'], td))} "
            f"| {f(r['up']['mbps'], _pct(r['up']['mbps'], tu))} "
            f"| {f(i['rtt'], i['rtt'] - r['truth_rtt'] if i['rtt'] else None, ' ms', ' ms')} "
            f"| {f(i['loss'], i['loss'] - r['truth_loss'], ' %', ' pp')} "
            f"| {f(r['down']['loaded'], _pct(r['down']['loaded'], r['truth_loaded_down']), ' ms')} "
            f"| {f(r['up']['loaded'], _pct(r['up']['loaded'], r['truth_loaded_up']), ' ms')} |")
        s = r["speedtest"]
        lines.append(
            f"| | speedtest-cli | {f(s['down'], _pct(s['down'], td))} "
            f"| {f(s['up'], _pct(s['up'], tu))} "
            f"| {f(s['ping'], s['ping'] - r['truth_rtt'] if s['ping'] else None, ' ms', ' ms')} "
            "| — | — | — |")
        lines.append(
            f"| | truth | {td:.2f} | {tu:.2f} | {r['truth_rtt']:.2f} ms | {r['truth_loss']:.2f} % "
            f"| {r['truth_loaded_down']:.1f} ms | {r['truth_loaded_up']:.1f} ms |")
    return "\n".join(lines)


def summary(rows: list[dict]) -> str:
    def worst(vals):
        vals = [abs(v) for v in vals if v is not None]
        return max(vals) if vals else float("nan")

    ours_tp = [_pct(r[k]["mbps"], r["link"][i] * EFFICIENCY) for r in rows
               for k, i in (("down", 0), ("up", 1)) if r["link"][4] == 0]
    st_tp = [_pct(r["speedtest"][k], r["link"][i] * EFFICIENCY) for r in rows
             for k, i in (("down", 0), ("up", 1)) if r["link"][4] == 0]
    rtt = [r["idle"]["rtt"] - r["truth_rtt"] for r in rows]
    st_rtt = [r["speedtest"]["ping"] - r["truth_rtt"] for r in rows if r["speedtest"]["ping"]]
    loss = [r["idle"]["loss"] - r["truth_loss"] for r in rows]
    loaded = [_pct(r[k]["loaded"], r[f"truth_loaded_{k}"]) for r in rows for k in ("down", "up")]
    backlog = [_pct(r[k]["loaded"], r[f"backlog_loaded_{k}"]) for r in rows
               for k in ("down", "up")]
    return (f"worst |error| — throughput on loss-free links: ours {worst(ours_tp):.1f} %, "
            f"speedtest-cli {worst(st_tp):.1f} % (goal 5 %); RTT: ours {worst(rtt):.1f} ms, "
            f"speedtest-cli {worst(st_rtt):.1f} ms (goal 3 ms); loss: ours {worst(loss):.2f} pp "
            f"(goal 0.5 pp); loaded latency: ours {worst(loaded):.1f} % (goal 15 %; "
            f"{worst(backlog):.1f} % against the former truth, idle RTT + sampled tbf backlog)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--client", metavar="URL")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--quick", action="store_true", help="two links only")
    ap.add_argument("--json", metavar="PATH")
    a = ap.parse_args()
    if a.client:
        client(a.client, a.seconds)
        return
    from tests import netlab

    reason = netlab.available()
    if reason:
        sys.exit(f"bench_network: cannot emulate links here: {reason}")
    rows = []
    for link in LINKS[:2] if a.quick else LINKS:
        print(f"measuring {link} …", file=sys.stderr, flush=True)
        rows.append(measure(link, a.seconds))
    print(table(rows))
    print()
    print(summary(rows))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
