"""The room's tilt (``scene_roll``) on the first frame of every camera item of the corpus and on
the same frame rolled by -20° and +20° (rotated about its centre, mirrored borders), against
the tilt it was made with (0, the ±20° roll, plus the item's own ``rotate`` operation), for the
current rule (a roll needs the room's verticals and horizontals both; a lone family of lines
only near level) and the named baseline measured in the same run (every lone family read, at
any slant up to ``SCENE_MAX_ROLL``).

    .venv/bin/python bench/bench_scene_roll.py [--json out.json]

Reported for each: frames with a reading, readings within 2.5° of the made tilt ("right"),
further off ("wrong"), and the good items' unrolled frames read past ``roll_tip_deg`` (8°).
The person is masked out as the check masks them (``M.person_mask`` of the faces the detector
finds with their face mesh, ``FaceDetector().detect``).
The made tilt assumes the sources' cameras were level; a source whose room is itself seen
in perspective (face-api's sample 6, its blinds) reads a few degrees off at 0° too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from techcheck.checks.camera import metrics as M  # noqa: E402
from techcheck.checks.camera.detector import FaceDetector  # noqa: E402
from tests.corpus_media import build, load, render  # noqa: E402

RIGHT_DEG = 2.5
TIP_DEG = 8.0


def rolled(frame: np.ndarray, angle: float) -> np.ndarray:
    h, w = frame.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(frame, m, (w, h), borderMode=cv2.BORDER_REFLECT)


def first_frame(path: Path) -> np.ndarray:
    cap = cv2.VideoCapture(str(path))
    ok, frame = cap.read()
    cap.release()
    if not ok:
        raise RuntimeError(f"cannot read {path}")
    return frame


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--items", default="")
    args = ap.parse_args()
    det = FaceDetector()
    seen: list[tuple[float, float]] = []  # what the two-family rule measured, frame by frame
    measure = M.family_support

    def recorded(theta, weights, peak):
        seen.append(measure(theta, weights, peak))
        return seen[-1]

    M.family_support = recorded
    lone = M.SCENE_LONE_LEVEL
    rows = []
    for item in load().items:
        if args.items and item.id not in args.items.split(","):
            continue
        try:
            first = render(item)[0]
        except RuntimeError:  # a source file used as it is (``codec = "original"``)
            first = first_frame(build(item))
        made = dict(item.ops).get("rotate", 0.0)
        for angle in (0.0, -20.0, 20.0):
            frame = first if angle == 0.0 else rolled(first, angle)
            gray = M.luma(frame)
            background = np.ones(M.downscale(gray).shape, bool)
            for f in det.detect(frame):
                background &= ~M.person_mask(f, frame.shape)
            seen.clear()
            now = M.scene_roll(gray, background)
            support = seen[-1] if seen else None  # asked only for a peak off level
            M.SCENE_LONE_LEVEL = 180.0  # the baseline: every lone family read
            try:
                before = M.scene_roll(gray, background)
            finally:
                M.SCENE_LONE_LEVEL = lone
            rows.append({"id": item.id, "good": item.good, "roll": angle, "truth": made + angle,
                         "now": now, "before": before, "support": support})
    out = {}
    for key, name in (("before", "baseline: every lone family of lines read"),
                      ("now", "new: both families, or a lone family within "
                              f"{M.SCENE_LONE_LEVEL:g}° of level")):
        read = [r for r in rows if r[key] is not None]
        right = [r for r in read if abs(r[key] - r["truth"]) <= RIGHT_DEG]
        wrong = [r for r in read if abs(r[key] - r["truth"]) > RIGHT_DEG]
        good_tilted = [r for r in read if r["good"] and r["roll"] == 0.0 and r["truth"] == 0.0
                       and abs(r[key]) > TIP_DEG]
        out[key] = {"name": name, "frames": len(rows), "read": len(read), "right": len(right),
                    "wrong": len(wrong),
                    "wrong_items": sorted(f"{r['id']}@{r['roll']:+.0f}: {r[key]:+.1f} "
                                          f"(made {r['truth']:+.0f})" for r in wrong),
                    "good_read_past_tip": sorted(f"{r['id']}: {r[key]:+.1f}"
                                                 for r in good_tilted)}
        print(f"{name}: {len(rows)} frames, {len(read)} read, {len(right)} within "
              f"{RIGHT_DEG}° of the made tilt, {len(wrong)} further off; good items read past "
              f"{TIP_DEG:g}° unrolled: {out[key]['good_read_past_tip'] or 'none'}")
        for w in out[key]["wrong_items"]:
            print(f"    {w}")
    lost = sorted(f"{r['id']}@{r['roll']:+.0f}: {r['before']:+.1f}" for r in rows
                  if r["before"] is not None and r["now"] is None
                  and abs(r["before"] - r["truth"]) <= RIGHT_DEG)
    print(f"right readings the new rule gives up (the eyes' line then stands): {len(lost)}")
    for w in lost:
        print(f"    {w}")
    out["lost_right"] = lost
    for label, pick in (("right before, kept", lambda r: r["now"] is not None),
                        ("right before, given up", lambda r: r["now"] is None)):
        sup = [r["support"] for r in rows if r["support"] is not None and pick(r)
               and r["before"] is not None and abs(r["before"] - r["truth"]) <= RIGHT_DEG]
        if sup:
            print(f"two-family rule on readings {label}: support {min(s[0] for s in sup):.2f}-"
                  f"{max(s[0] for s in sup):.2f}, share {min(s[1] for s in sup):.3f}-"
                  f"{max(s[1] for s in sup):.3f} ({len(sup)} frames)")
    if args.json:
        args.json.write_text(json.dumps({"summary": out, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
