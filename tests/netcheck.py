"""Runs the network check as the app does (registry, profile, runner) and prints the result
and the live progress it reported as JSON. Used in a test namespace by the network tests:
``python tests/netcheck.py --server URL --stun HOST:PORT --duration S [--profile P]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from techcheck.checks import registry
from techcheck.checks.context import CheckContext, Devices
from techcheck.checks.profile import load_profile
from techcheck.checks.runner import run_one


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--server")
    ap.add_argument("--stun")
    ap.add_argument("--duration", type=float)
    ap.add_argument("--profile", default="generic")
    a = ap.parse_args()
    plugins = registry.discover()
    profile = load_profile(a.profile, registry.limit_schemas(plugins))
    events = []
    ctx = CheckContext(profile, Devices(server=a.server, stun=a.stun), duration=a.duration,
                       progress=lambda p: events.append(p.data) if p.data else None)
    plugin = next(p for p in plugins if p.id == "network")
    result = run_one(plugin, ctx)
    print(json.dumps({"result": result.to_dict(), "progress": events}))


if __name__ == "__main__":
    main()
