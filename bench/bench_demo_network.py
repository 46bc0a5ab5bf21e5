"""The network check in demo mode: what it costs against the local measurement server playing
the demo's line (``demo.DEMO_LINE_MBPS``, what the app does) against the unpaced server (the
baseline, what it did before: the loopback as fast as both ends can copy), in the same run.

    .venv/bin/python bench/bench_demo_network.py [--rounds 3]

Each round runs the check once per contender, alternating, each in a process of its own (the
server runs in the checking process, as in the app), at demo mode's duration
(``demo.DURATION_S``). Prints each run's wall time, processor time (the process's user + system,
the server's threads included) and the figures the check measured, then a Markdown summary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONTENDERS = ("baseline: unpaced loopback", "demo line")


def one(paced: bool) -> dict[str, float]:
    """In a child process: one demo network check; its cost and figures."""
    from techcheck.app import demo
    from techcheck.checks import registry
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.network import NetworkCheck
    from techcheck.checks.network.server import Line, start_server
    from techcheck.checks.profile import load_profile

    profile = demo.local_profile(load_profile("generic",
                                              registry.limit_schemas(registry.discover())))
    server = start_server(line=Line(*demo.DEMO_LINE_MBPS) if paced else None)
    try:
        t0, w0 = os.times(), time.monotonic()
        r = NetworkCheck().run(CheckContext(profile, Devices(server=server.url, stun=server.stun),
                                            duration=demo.DURATION_S))
        t1, w1 = os.times(), time.monotonic()
    finally:
        server.stop()
    m = {k: v.value for k, v in r.metrics.items()}
    return {"wall_s": w1 - w0, "cpu_s": (t1.user - t0.user) + (t1.system - t0.system),
            "download": m.get("download"), "upload": m.get("upload"), "status": r.status.value}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", choices=("paced", "unpaced"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one(a.child == "paced")))
        return
    runs: dict[str, list[dict]] = {c: [] for c in CONTENDERS}
    for i in range(a.rounds):
        for name, flag in zip(CONTENDERS, ("unpaced", "paced"), strict=True):
            out = subprocess.run([sys.executable, __file__, "--child", flag], cwd=ROOT,
                                 capture_output=True, text=True, check=True, timeout=300)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            runs[name].append(r)
            print(f"round {i + 1} {name}: {r}", flush=True)
    load = os.getloadavg()[0]
    print(f"\nload average at the end: {load:.1f}\n")
    print("| contender | wall s (median) | processor s (best / median) | download Mbit/s | "
          "upload Mbit/s | status |")
    print("|---|---|---|---|---|---|")
    for name, rs in runs.items():
        cpu = [r["cpu_s"] for r in rs]
        down = [r["download"] for r in rs if isinstance(r["download"], float)]
        up = [r["upload"] for r in rs if isinstance(r["upload"], float)]
        print(f"| {name} | {statistics.median(r['wall_s'] for r in rs):.1f} | "
              f"{min(cpu):.2f} / {statistics.median(cpu):.2f} | "
              f"{min(down, default=0):.0f}-{max(down, default=0):.0f} | "
              f"{min(up, default=0):.1f}-{max(up, default=0):.1f} | "
              f"{', '.join(sorted({r['status'] for r in rs}))} |")


if __name__ == "__main__":
    main()
