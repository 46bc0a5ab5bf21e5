"""Upload measured through a web proxy on an emulated link: the server's confirmations spread over
each request's time on the wire (``transfer.spread_confirmed``, what the check reports) against
the bare step count of confirmed requests (the baseline, what it reported before), from the same
transfers in the same run.

    sudo .venv/bin/python bench/bench_proxy_upload.py [--runs 12] [--seconds 5]

Needs root, ``ip`` and ``tc`` (tests/netlab.py): a client namespace without a route out, the
proxy (tests/httpproxy.py) in the middle namespace, the server behind a 5 Mbit/s uplink. Prints
each run's two readings and a Markdown summary; the expected payload rate is the link's rate
times the payload share of its packets (tests/services/test_network_links.py, EFFICIENCY).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def client(url: str, proxy: str, seconds: float) -> None:
    """In the client namespace: one upload through ``proxy``; prints both readings (Mbit/s)."""
    from techcheck.checks.network import transfer as T
    from techcheck.checks.network.httpio import parse_origin
    from techcheck.checks.network.proxy import parse_proxy

    seen: dict[str, object] = {}
    original = T.Transfer._result

    def keep(self, streams, start, samples):  # type: ignore[no-untyped-def]
        seen["samples"] = list(samples)
        return original(self, streams, start, samples)

    T.Transfer._result = keep  # type: ignore[method-assign]
    res = T.Transfer(parse_origin(url), T.CLOUDFLARE, "up", 4, seconds, lambda: False,
                     via=parse_proxy(proxy)).run()
    steps, _ramp = T.steady_rate(seen["samples"])  # type: ignore[arg-type]
    print(json.dumps({"spread": res.mbps, "steps": None if steps is None else steps / 1e6}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--client", nargs=3, metavar=("URL", "PROXY", "SECONDS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:
        client(args.client[0], args.client[1], float(args.client[2]))
        return 0
    from tests import netlab
    from tests.netlab import Link, NetLab
    from tests.services.test_network_links import EFFICIENCY

    problem = netlab.available()
    if problem:
        print(f"bench_proxy_upload: {problem}", file=sys.stderr)
        return 1
    up_mbit = 5.0
    readings: list[tuple[float, float]] = []
    with NetLab(Link(down_mbit=20, up_mbit=up_mbit, rtt_ms=20), default_route=False,
                server_route=False) as lab:
        proxy = lab.spawn("m", [sys.executable, "tests/httpproxy.py", "--listen",
                                f"{netlab.MIDDLE_IP}:3128", "--allow", "10.77.0.0/16"],
                          stdout=subprocess.PIPE)
        assert proxy.stdout is not None and proxy.stdout.readline().strip() == "ready"
        for i in range(args.runs):
            r = lab.client([sys.executable, str(Path(__file__).resolve()), "--client", lab.url,
                            f"http://{netlab.MIDDLE_IP}:3128", str(args.seconds)], timeout=120)
            if r.returncode:
                print(f"run {i + 1}: failed\n{r.stderr[-2000:]}", file=sys.stderr)
                continue
            d = json.loads(r.stdout.strip().splitlines()[-1])
            readings.append((d["spread"], d["steps"]))
            print(f"run {i + 1}: spread {d['spread']:.3f}, steps {d['steps']:.3f} Mbit/s",
                  flush=True)
    expected = up_mbit * EFFICIENCY
    print(f"\nexpected payload rate {expected:.2f} Mbit/s, {len(readings)} runs of "
          f"{args.seconds:g} s\n")
    print("| reading | min | median | max | worst error |")
    print("|---|---:|---:|---:|---:|")
    for name, k in (("steps (before, baseline)", 1), ("**spread (now)**", 0)):
        v = [r[k] for r in readings]
        worst = max(abs(x / expected - 1) for x in v)
        print(f"| {name} | {min(v):.2f} | {statistics.median(v):.2f} | {max(v):.2f} "
              f"| {worst:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
