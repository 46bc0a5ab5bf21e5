"""``techcheck profiles``: the built-in platform profiles, or the limits of one."""

from __future__ import annotations

import argparse
import dataclasses
import json

from techcheck.app.commands.common import CommandError, fail, load
from techcheck.checks import registry
from techcheck.checks.profile import ProfileError, available_profiles, load_profile


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profiles", help="list the platform profiles or show one's limits")
    p.add_argument("name", nargs="?", metavar="NAME|FILE", help="show this profile's limits")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.name:
        try:
            plugins, profile = load(args.name)
        except CommandError as exc:
            return fail(str(exc))
        limits = {
            p.id: dataclasses.asdict(profile.limits(p.id)) for p in plugins if p.cls is not None
        }
        if args.json:
            print(json.dumps({"profile": profile.summary(), "limits": limits}, indent=2))
            return 0
        print(f"{profile.title} ({profile.name}) — {profile.path}")
        for check_id, values in limits.items():
            print(f"[{check_id}]")
            for k, v in values.items():
                print(f"  {k} = {v}")
        return 0
    schemas = registry.limit_schemas(registry.discover())
    rows = []
    for path in available_profiles():
        try:
            prof = load_profile(str(path), schemas)
            rows.append({"name": prof.name, "title": prof.title, "platform": prof.platform,
                         "description": prof.description, "path": str(path)})
        except ProfileError as exc:
            rows.append({"name": path.stem, "error": str(exc), "path": str(path)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(f"{r['name']:<10} {r.get('title') or 'BROKEN: ' + r['error']}")
    return 0
