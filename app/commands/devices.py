"""``techcheck devices``: the cameras, microphones and speakers the checks can use."""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

from techcheck.checks import registry

log = logging.getLogger("techcheck.cli")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list cameras, microphones and speakers")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def collect() -> dict:
    """{"devices": [...], "problems": [{"check": id, "message": ...}]} from every plug-in."""
    devices: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for plugin in registry.discover():
        if plugin.cls is None:
            problems.append({"check": plugin.id, "message": plugin.error})
            continue
        try:
            devices.extend(d.to_dict() for d in plugin.cls.list_devices())
        except Exception as exc:  # a device listing must never stop the others
            log.exception("listing devices of %s failed", plugin.id)
            problems.append({"check": plugin.id, "message": f"{type(exc).__name__}: {exc}"})
    return {"devices": devices, "problems": problems}


def run(args: argparse.Namespace) -> int:
    found = collect()
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    kinds = ("camera", "microphone", "speaker")
    for kind in kinds:
        items = [d for d in found["devices"] if d["kind"] == kind]
        print(f"{kind.capitalize()}s:")
        if not items:
            print("  (none found)")
        for d in items:
            mark = " (default)" if d.get("default") else ""
            api = (d.get("details") or {}).get("hostapi")  # audio: ALSA, WASAPI, Core Audio…
            print(f"  [{d['index']}] {d['name']}{f' — {api}' if api else ''}{mark}")
    for p in found["problems"]:
        print(f"Cannot list devices for {p['check']}: {p['message']}")
    return 0
