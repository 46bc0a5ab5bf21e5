"""The camera check's CPU time on a 2.5 s 1280×720 clip against a named baseline measured in the
same run:

- ``--compare iris`` (the default): the camera check without the iris model
  (``FaceDetector.use_iris`` off: no gaze measure, the check as it was before the eyes turned
  aside were judged) against the iris model on the main face in every frame and at most every
  ``GAZE_INTERVAL_S`` (the current code); the time spent inside ``FaceDetector.irises`` is
  summed by a wrapper;
- ``--compare rate``: every frame of the clip analysed against the picture analysed at most
  15 times a second (``CameraCheck.analysis_interval_s``, every other frame at 30 fps); the
  time inside ``FrameAnalyser.analyse`` is summed;
- ``--compare scene``: the room's tilt (``scene_roll``) read on every frame against reading it
  at most every ``SCENE_INTERVAL_S``; the time inside ``scene_roll`` is summed.

    .venv/bin/python bench/bench_camera_check_cpu.py [--compare iris|scene|rate] [--rounds 5]
        [--json out.json]

Clips (tests/camera_scenarios.py, MJPG at 30 fps, 75 frames each): "good" (a real photo of a
person at webcam framing before a plain wall) and "cluttered" (the same before a full
bookshelf: a room with straight edges, where the tilt is read from the room). Each contender
checks each clip in its own child process with one OpenCV and one BLAS thread: one check
first to load the models (not timed), then the check as ``techcheck run --only camera
--camera FILE`` runs it (``CameraCheck.run``, 2.5 s of the clip, decoding included), timed
by the process's CPU clock. Rounds alternate the contenders, so both see the same load from
other processes; the best round is the cost on a quiet core, the median the typical one.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: comparison -> contender -> seconds between readings of the room's tilt ("scene") or of the
#: gaze ("iris"): 0 on every frame, None the code's own, -1 (iris) not at all
CONTENDERS: dict[str, dict[str, float | None]] = {
    "scene": {"baseline: the room's tilt read on every frame": 0.0,
              "new: the room's tilt read at most 4 times a second": None},
    "rate": {"baseline: every frame analysed": 0.0,
             "new: the picture analysed at most 15 times a second": None},
    "iris": {"baseline: no iris model (no gaze measure)": -1.0,
             "the iris model on every frame": 0.0,
             "new: the iris model at most 10 times a second": None},
}
CLIPS = ("good", "cluttered")
SECONDS = 2.5


def worker(clip: str, compare: str, setting: str) -> dict:
    import cv2

    cv2.setNumThreads(1)
    from techcheck.checks import registry
    from techcheck.checks.camera import CameraCheck, live
    from techcheck.checks.camera import metrics as M
    from techcheck.checks.camera.detector import FaceDetector
    from techcheck.checks.context import CheckContext, Devices
    from techcheck.checks.profile import load_profile

    spent = {"calls": 0, "cpu": 0.0}

    def timed(real):
        def run(*args):
            c0 = time.process_time()
            try:
                return real(*args)
            finally:
                spent["calls"] += 1
                spent["cpu"] += time.process_time() - c0
        return run

    if compare == "rate":
        live.FrameAnalyser.analyse = timed(live.FrameAnalyser.analyse)  # type: ignore[method-assign]
        if setting != "now":
            CameraCheck.analysis_interval_s = float(setting)
    elif compare == "scene":
        M.scene_roll = timed(M.scene_roll)
        if setting != "now":  # the baseline: every frame
            live.SCENE_INTERVAL_S = float(setting)
    else:
        FaceDetector.irises = timed(FaceDetector.irises)  # type: ignore[method-assign]
        if setting != "now":
            FaceDetector.use_iris = float(setting) >= 0
            live.GAZE_INTERVAL_S = max(0.0, float(setting))
    profile = load_profile("generic", registry.limit_schemas(registry.discover()))

    def check():
        ctx = CheckContext(profile, Devices(camera=clip), duration=SECONDS)
        return CameraCheck().run(ctx)

    check()  # models loaded, caches warm
    spent.update(calls=0, cpu=0.0)
    c0, t0 = time.process_time(), time.perf_counter()
    result = check()
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    tilt = result.metrics.get("camera_roll")
    gaze = result.metrics.get("gaze")
    return {"cpu_s": cpu, "wall_s": wall, "part_calls": spent["calls"],
            "part_cpu_s": spent["cpu"], "frames": result.metrics["frames"].value,
            "camera_roll": None if tilt is None else tilt.value,
            "gaze": None if gaze is None else gaze.value,
            "findings": sorted(f.code for f in result.findings)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--compare", choices=sorted(CONTENDERS), default="iris")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--setting", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.compare, args.setting)))
        return 0
    part = {"scene": "scene_roll", "rate": "analyse"}.get(args.compare, "irises")
    from tests.camera_scenarios import build

    runs: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        clips = {c: str(build(c, Path(tmp), seconds=SECONDS)) for c in CLIPS}
        for _ in range(max(1, args.rounds)):
            for clip, path in clips.items():
                for name, setting in CONTENDERS[args.compare].items():
                    out = subprocess.run(
                        [sys.executable, __file__, "--worker", path, "--compare", args.compare,
                         "--setting", "now" if setting is None else str(setting)],
                        capture_output=True, text=True, check=True, cwd=ROOT)
                    runs.setdefault((clip, name), []).append(
                        json.loads(out.stdout.strip().splitlines()[-1]))
    report = []
    print(f"| clip | contender | check CPU s (best / median) | {part} calls | {part} CPU s "
          "(best / median) | share of the check | picture tilt | gaze | findings |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (clip, name), rs in runs.items():
        cpu = [r["cpu_s"] for r in rs]
        scene = [r["part_cpu_s"] for r in rs]
        row = {"clip": clip, "contender": name, "rounds": len(rs),
               "cpu_best_s": min(cpu), "cpu_median_s": statistics.median(cpu),
               "scene_best_s": min(scene), "scene_median_s": statistics.median(scene),
               "part": part, "part_calls": rs[0]["part_calls"], "frames": rs[0]["frames"],
               "camera_roll": rs[0]["camera_roll"], "gaze": rs[0]["gaze"],
               "findings": rs[0]["findings"]}
        report.append(row)
        tilt = "—" if row["camera_roll"] is None else f"{row['camera_roll']:.1f}°"
        gaze = "—" if row["gaze"] is None else f"{row['gaze']:.1f}°"
        print(f"| {clip} | {name} | {row['cpu_best_s']:.3f} / {row['cpu_median_s']:.3f} | "
              f"{row['part_calls']} of {row['frames']} frames | {row['scene_best_s']:.3f} / "
              f"{row['scene_median_s']:.3f} | {row['scene_median_s'] / row['cpu_median_s']:.0%} | "
              f"{tilt} | {gaze} | {', '.join(row['findings']) or 'none'} |")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
