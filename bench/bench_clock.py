"""How well the network check finds a wrong clock: ``techcheck run --only network`` against a
local ``techcheck serve`` with this computer's clock moved by libfaketime (Debian ``faketime``),
for offsets on both sides of the one-minute and one-day limits. Prints a Markdown table for
docs/benchmarks.md: the offset set, the offset measured with its uncertainty, the status, and
whether the status is the one the limits call for (precision and recall of ``network.clock_off``).

    .venv/bin/python bench/bench_clock.py

(in a second checkout put its ``.cache/devshim`` on ``PYTHONPATH``). Each run takes ~4 s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from techcheck.checks.network.server import start_server

#: Seconds the clock is moved; the limits are 60 s (warn) and 86400 s (fail).
OFFSETS = (-172800, -3600, -600, -90, -45, -5, 0, 5, 45, 90, 600, 3600, 172800)


def expected(offset: float, sources: int = 1) -> str:
    """What the limits call for: one server alone (here the measurement server) can be the
    wrong clock, so past a day it warns; only two or more servers that agree fail it."""
    if abs(offset) > 86400:
        return "fail" if sources >= 2 else "warn"
    return "warn" if abs(offset) > 60 else "pass"


def run(offset: int, url: str, folder: Path) -> dict:
    shim = folder / "shim"
    shim.mkdir(exist_ok=True)
    # libfaketime 0.9.10 refuses Python's absolute monotonic sleep when only the wall clock
    # is faked (tests/unit/test_network_clock.py says why): sleep in select() instead.
    (shim / "sitecustomize.py").write_text(
        "import select, time\n"
        "time.sleep = lambda s: select.select([], [], [], max(0.0, s))\n")
    profile = folder / "lab.toml"
    profile.write_text('[profile]\nname = "lab"\ntitle = "Lab"\nplatform = "other"\n'
                       'extends = "generic"\n\n[network]\nstun_servers = []\nendpoints = []\n'
                       'captive_url = ""\n')
    out = folder / "report.json"
    env = dict(os.environ, FAKETIME_DONT_FAKE_MONOTONIC="1",
               PYTHONPATH=os.pathsep.join([str(shim), os.environ.get("PYTHONPATH", "")]))
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "all_proxy"):
        env.pop(var, None)
    subprocess.run(["faketime", "-f", f"{offset:+d}", sys.executable, "-m", "techcheck.app.cli",
                    "run", "--only", "network", "--profile", str(profile), "--server", url,
                    "--duration", "2", "--no-history", "--json", str(out)],
                   env=env, capture_output=True, timeout=120, check=False)
    check = next(c for c in json.loads(out.read_text())["checks"] if c["id"] == "network")
    out.unlink()
    return check


def main() -> None:
    if shutil.which("faketime") is None:
        raise SystemExit("needs the Debian package faketime")
    server = start_server("127.0.0.1", 0)
    rows, hits = [], {"tp": 0, "fp": 0, "fn": 0}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for offset in OFFSETS:
                c = run(offset, server.url, Path(tmp))
                clock = c["details"].get("clock") or {}
                status = c["metrics"]["clock_offset"]["status"] or "unknown"
                want = expected(offset)
                found, should = status in ("warn", "fail"), want != "pass"
                key = "tp" if found and should else "fp" if found else "fn" if should else "tn"
                hits[key] = hits.get(key, 0) + 1
                half = (clock["high_s"] - clock["low_s"]) / 2 if clock else 0.0
                measured = f"{clock['offset_s']:+.2f} s ± {half:.2f}" if clock else "not measured"
                rows.append(f"| {offset:+d} s | {measured} | {status} | {want} | "
                            f"{'yes' if status == want else 'NO'} |")
    finally:
        server.stop()
    print("| clock moved | measured offset | status | limits call for | right |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    tp, fp, fn = hits["tp"], hits["fp"], hits["fn"]
    print(f"\nnetwork.clock_off: precision {tp}/{tp + fp}, recall {tp}/{tp + fn}")


if __name__ == "__main__":
    main()
