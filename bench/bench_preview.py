"""Cost of the call model ("As they will see and hear you") per 1280×720 camera frame, against
the camera pipeline (bench/bench_camera.py's ``FrameAnalyser.analyse``) measured in the same run.

    .venv/bin/python bench/bench_preview.py [--frames 300] [--json bench/results/preview.json]

Same harness as bench_camera.py: the same scenario clips (decoded from MJPG first, 30 fps
timestamps), each contender in its own child process with one OpenCV and one BLAS thread; the
pipeline row is bench_camera.py's own worker. Contenders:

- **model 720p**: ``VideoModel.push`` for the generic profile at 3 Mbit/s upload (720p, 30 fps,
  JPEG budget 11 Mbit/s): scale, rate-controlled JPEG encode (one or two per frame), losses,
  JPEG decode of what arrives. The heaviest case a 720p camera gives.
- **model 360p**: the same at 0.8 Mbit/s (640×360: a resize, small JPEGs).
- **baseline: camera pipeline**: what the live preview already spends per frame.

The goal: the model keeps up with the live preview at 720p on one core, i.e. the pipeline and
the 720p model together take less than a 30 fps frame interval (33.3 ms) of one core's CPU
time per frame (``time.thread_time``: on a shared, loaded machine wall time also counts the
waits for a core; both are reported).
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_camera  # noqa: E402  (the shared harness: clips, warm-up, memory)

MODELS = {"model720": 3.0, "model360": 0.8}
LABELS = {
    "model720": "**VideoModel.push, 720p at 3 Mbit/s**",
    "model360": "VideoModel.push, 360p at 0.8 Mbit/s",
    "pipeline": "baseline: camera pipeline (FrameAnalyser.analyse)",
}
FRAME_MS = 1000.0 / 30.0


def worker(kind: str, clips: list[str], frames: int) -> dict:
    import numpy as np

    from techcheck.checks.callmodel import Conditions, VideoModel, plan_call
    from techcheck.checks.network.analysis import tiers_from

    decoded = bench_camera.decode(clips)
    tiers = tiers_from(["360p", "540p", "720p", "1080p"], [0.5, 1.2, 2.5, 4.0],
                       [0.5, 1.2, 2.5, 4.0])
    h, w = decoded[0].shape[:2]
    plan = plan_call(tiers, Conditions(MODELS[kind], 1.0, 10.0, 40.0), capture=(w, h))
    model = VideoModel(plan, seed=1)
    base = bench_camera._rss_mib()
    times, cpu = [], []
    bits = 0
    for i in range(frames + bench_camera.WARMUP):
        f = decoded[i % len(decoded)]
        t0, c0 = time.perf_counter(), time.thread_time()
        out = model.push(f, i / 30.0)
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.thread_time() - c0) * 1000.0)
        if i >= bench_camera.WARMUP:
            bits += out.bits
    ms = np.array(times[bench_camera.WARMUP:])
    return {
        "kind": kind,
        "frames": int(ms.size),
        "size": f"{plan.width}×{plan.height}",
        "jpeg_kbps_target": round(plan.jpeg_kbps),
        "jpeg_kbps_sent": round(bits / (frames / 30.0) / 1000.0),
        "cpu_median_ms": float(np.median(cpu[bench_camera.WARMUP:])),
        "median_ms": float(np.median(ms)),
        "p95_ms": float(np.percentile(ms, 95)),
        "mean_ms": float(ms.mean()),
        "peak_rss_mib": bench_camera._rss_mib(),
        "added_rss_mib": bench_camera._rss_mib() - base,
    }


def _child(script: Path, kind: str, frames: int, clips: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, str(script), "--worker", kind, "--frames", str(frames), "--clips", *clips],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--worker", choices=tuple(MODELS), help=argparse.SUPPRESS)
    ap.add_argument("--clips", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.clips, args.frames)))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        clips = bench_camera.make_clips(Path(tmp))
        results = [_child(Path(__file__), kind, args.frames, clips) for kind in MODELS]
        results.append(_child(Path(bench_camera.__file__), "pipeline", args.frames, clips))
    load = os.getloadavg()[0]
    print(f"Call model per camera frame, 1280×720 input, one thread, {args.frames} frames "
          f"(load average {load:.1f} on {os.cpu_count()} cores)\n")
    print("| contender | CPU ms (median) | wall ms median / p95 | frames/s (CPU) | "
          "JPEG kbit/s sent / target | peak RSS MiB |")
    print("|---|---|---|---|---|---|")
    for r in results:
        rate = (f"{r['jpeg_kbps_sent']} / {r['jpeg_kbps_target']} ({r['size']})"
                if "size" in r else "—")
        print(f"| {LABELS[r['kind']]} | {r['cpu_median_ms']:.2f} | {r['median_ms']:.2f} / "
              f"{r['p95_ms']:.2f} | {1000 / r['cpu_median_ms']:.0f} | {rate} | "
              f"{r['peak_rss_mib']:.0f} |")
    model, pipe = results[0], results[-1]
    both = model["cpu_median_ms"] + pipe["cpu_median_ms"]
    print(f"\n720p model / camera pipeline: {model['cpu_median_ms'] / pipe['cpu_median_ms']:.1f}× "
          "its CPU time; together "
          f"{both:.1f} ms of one core per frame against a 30 fps interval of "
          f"{FRAME_MS:.1f} ms: {'keeps up' if both <= FRAME_MS else 'does NOT keep up'} "
          f"on one core.")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"load": load, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
