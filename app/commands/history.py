"""``techcheck history``: the runs kept on this computer (newest first), and pruning them."""

from __future__ import annotations

import argparse
import json
import sys

from techcheck.app.report import history


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="list the runs kept on this computer",
                       description="List the runs kept on this computer, newest first. "
                       "Retention is set in history.toml in the settings folder.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--clear", action="store_true", help="delete every kept run")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    h = history.default()
    if args.clear:
        n = h.clear()
        print(f"Deleted {n} run(s) from {h.root}")
        return 0
    h.prune()
    rows = [{"created": e.created.astimezone().isoformat(timespec="seconds"),
             "verdict": e.verdict, "profile": e.profile, "path": str(e.path)}
            for e in h.entries()]
    for message in h.skipped:  # one damaged file is named, the others are still listed
        print(f"techcheck: skipped {message}", file=sys.stderr)
    if args.json:
        print(json.dumps({"folder": str(h.root), "retention": {
            "enabled": h.retention.enabled, "keep_runs": h.retention.keep_runs,
            "keep_days": h.retention.keep_days}, "runs": rows, "skipped": h.skipped}, indent=2))
        return 0
    if not rows:
        print(f"No runs kept yet (folder: {h.root}).")
        return 0
    for r in rows:
        print(f"{r['created']}  {r['verdict']:<20} {r['profile']:<8} {r['path']}")
    return 0
