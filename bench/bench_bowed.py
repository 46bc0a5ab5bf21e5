"""How long the camera corpus's re-rendered head items take to make (issue 22: the test suite's
time): ``render`` of every item with a "bow" or "glance" operation, per item, as wall-clock and
CPU seconds, with ``--before REV`` the same items by that git revision's
``tests/corpus_media.py`` too, the two taking turns item by item so that both meet the same
load, and how far apart their pictures are.

    .venv/bin/python bench/bench_bowed.py [--before REV] [--items ID,ID] [--save DIR]
        [--json out.json]

``--save`` keeps every item's frames as ``DIR/{now,before}/ID.npy`` (to look at side by side).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _before(rev: str, tmp: Path) -> types.ModuleType:
    """``tests/corpus_media.py`` as it was at ``rev``, loaded beside this one (its manifest
    is this checkout's; its cache, this checkout's cache)."""
    code = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:tests/corpus_media.py"],
                          check=True, capture_output=True, text=True).stdout
    (tmp / "tests").mkdir()
    (tmp / "tests" / "corpus").symlink_to(ROOT / "tests" / "corpus")
    path = tmp / "tests" / "corpus_media.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("corpus_media_before", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _timed(mod: types.ModuleType, item: object) -> tuple[list, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    frames = mod.render(item)
    return frames, round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--before", help="a git revision whose re-render to time as well")
    ap.add_argument("--items", default="")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import numpy as np

    from tests import corpus_media as now

    os.environ.setdefault("TECHCHECK_CORPUS_CACHE", str(now.cache_dir()))
    want = set(filter(None, args.items.split(",")))
    items = [it for it in now.load().items if any(op in ("bow", "glance") for op, _ in it.ops)
             and (not want or it.id in want)]
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"now": now}
        if args.before:
            versions["before"] = _before(args.before, Path(tmp))
        report: dict[str, dict[str, float]] = {}
        for it in items:
            row: dict[str, float] = {}
            pictures = {}
            for name, mod in versions.items():
                frames, row[f"{name}_s"], row[f"{name}_cpu_s"] = _timed(mod, it)
                pictures[name] = np.stack(frames)
                if args.save:
                    (args.save / name).mkdir(parents=True, exist_ok=True)
                    np.save(args.save / name / f"{it.id}.npy", pictures[name])
            if "before" in pictures:
                diff = np.abs(pictures["now"].astype(np.int16) - pictures["before"]).max(-1)
                row["mean_abs_diff"] = round(float(diff.mean()), 4)
                row["max_abs_diff"] = int(diff.max())
                row["pct_px_over_8"] = round(float((diff > 8).mean() * 100), 3)
            report[it.id] = row
            print(f"{it.id:28s} {len(frames):4d} frames  "
                  + "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
        for key in ("now_s", "now_cpu_s", "before_s", "before_cpu_s"):
            if items and key in report[items[0].id]:
                print(f"total {key}: {sum(r[key] for r in report.values()):.1f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
