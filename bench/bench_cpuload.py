"""Processor load (issue 20): what the background sampler costs and how long the system
check waits for its window.

    .venv/bin/python bench/bench_cpuload.py [--ticks 40]

1. The cost of one tick (reading the machine's counters and every process's, and splitting
   them into TechCheck's own and everyone else's), with the number of processes it read.
2. The processor-load step of the system check (a) when the sampler was started when the app
   or the run started, several seconds before (the normal case), and (b) cold, when the check
   itself starts it and has to wait for the whole window.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.checkout import use_this_checkout  # noqa: E402

use_this_checkout(ROOT)

from techcheck.checks.context import CancelToken  # noqa: E402
from techcheck.checks.system import probe  # noqa: E402


def tick_cost(n: int) -> tuple[list[float], int]:
    """Seconds of CPU time one tick takes (process CPU time, not wall time), ``n`` times."""
    costs = []
    prev = probe._read_counters()
    for _ in range(n):
        time.sleep(0.05)
        c0 = time.process_time()
        cur = probe._read_counters()
        probe.cpu_tick(prev, cur, probe.os.getpid())
        costs.append(time.process_time() - c0)
        prev = cur
    return costs, len(prev.procs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ticks", type=int, default=40)
    ap.add_argument("--window", type=float, default=6.0)
    args = ap.parse_args()
    costs, procs = tick_cost(args.ticks)
    print(f"tick: {procs} processes, CPU time median {1000 * statistics.median(costs):.1f} ms, "
          f"max {1000 * max(costs):.1f} ms; at {probe.CPU_TICK_S} s per tick that is "
          f"{100 * statistics.median(costs) / probe.CPU_TICK_S:.1f} % of one core")
    sampler = probe.CpuSampler()
    sampler.start()
    time.sleep(args.window + 1.0)  # the app started it when its window opened
    t0 = time.monotonic()
    warm = sampler.window(args.window, CancelToken())
    warm_s = time.monotonic() - t0
    sampler.stop()
    cold_sampler = probe.CpuSampler()
    t0 = time.monotonic()
    cold = cold_sampler.window(args.window, CancelToken())
    cold_s = time.monotonic() - t0
    cold_sampler.stop()
    print(f"window {args.window} s, started before: the check waited {warm_s:.2f} s "
          f"(figure {warm.percent:.0f} %, {len(warm.samples)} ticks)")
    print(f"window {args.window} s, cold: the check waited {cold_s:.2f} s "
          f"(figure {cold.percent:.0f} %, {len(cold.samples)} ticks)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
