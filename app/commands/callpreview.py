"""``techcheck run --preview FOLDER``: write what the interviewer would see and hear, modelled
from this run's measured connection, camera and recording (``techcheck.checks.callmodel``), for IT
support to look at. Nothing is written without the flag; the files go only where asked."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from techcheck.app.atomicfile import (
    NotRegularFileError,
    describe_write_error,
    refuse_special,
    write_atomic_many,
)
from techcheck.app.report.formats import same_file_problem
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.source import is_file_spec, read_audio_file
from techcheck.checks.callmodel import (
    APPROXIMATION,
    CallPlan,
    Conditions,
    conditions_from_metrics,
    model_audio,
    model_clip,
    plan_for_limits,
    video_bytes,
    wav_bytes,
)
from techcheck.checks.camera.source import CameraError, open_camera
from techcheck.checks.i18n import N_, translate
from techcheck.checks.l10n import quantity
from techcheck.checks.model import CheckResult
from techcheck.checks.profile import Profile
from techcheck.checks.safefile import os_error_text

log = logging.getLogger("techcheck.cli")

#: Seconds of camera picture modelled (the demo clip is 2 s and loops).
SECONDS = 5.0
STEM = "techcheck-preview"


#: The files ``--preview FOLDER`` writes, in FOLDER.
SUFFIXES = (".avi", ".wav", ".txt")
#: How ``write_files`` reports a file it wrote, followed by its path.
WRITTEN = "preview written: "


def check_folder(folder: str, check_ids: list[str] | None = None,
                 outputs: dict[str, str] | None = None) -> str | None:
    """Before the run: None when the preview can be made from the checks ``check_ids`` and
    its files written into ``folder`` beside the reports ``outputs`` (option → path)."""
    p = Path(folder)
    try:
        p.stat()
    except FileNotFoundError:
        pass
    except OSError as exc:
        return f"cannot write the preview into {p}: {os_error_text(exc)}."
    if not p.is_dir():
        return f"cannot write the preview: {p} is not a folder. Create it or give another one."
    if not os.access(p, os.W_OK):
        return f"cannot write the preview into {p}: permission denied. Choose a folder you can " \
               "write to."
    if check_ids is not None and "network" not in check_ids:
        return ("--preview needs the network check: the preview is modelled from its upload, "
                "loss and jitter (leave 'network' in --only and out of --skip).")
    targets = {f"--preview's {STEM}{suffix}": p / f"{STEM}{suffix}" for suffix in SUFFIXES}
    try:
        for target in targets.values():
            refuse_special(target)
    except NotRegularFileError as exc:
        return str(exc)
    return same_file_problem({**{f"--{fmt}": path for fmt, path in (outputs or {}).items()},
                              **targets})


def _frames(camera: str | int | None, seconds: float) -> tuple[list[tuple[Any, float]], float]:
    """Up to ``seconds`` of (frame, t) from the camera or file, and its frame rate."""
    with open_camera(camera, realtime=False, loop=True) as src:
        fps = src.info.fps or 30.0
        out = []
        while True:
            frame, t = src.read()
            if frame is None or t >= seconds:
                break
            out.append((frame, t))
    return out, fps


#: Headings of the numbers file's sections: what was measured is kept apart from what the
#: person set the "what if" sliders to try.
TRIED = N_("Upload and loss you set to try (the picture and sound were modelled with these):")
MEASURED = N_("Measured by the connection check:")
MODEL = N_("The modelled call:")
MEASURED_KEYS = ("measured_upload", "measured_loss", "download", "jitter", "rtt")


def numbers_text(plan: CallPlan, lang: str, audio_note: str = "") -> str:
    """The numbers file for IT support: the plain summary the person saw, then the numbers,
    measured values apart from what-if ones."""
    lines = [plan.summary_text(lang),
             translate(APPROXIMATION, lang)]
    numbers = plan.numbers()
    tried = {"upload", "loss"} if plan.conditions.what_if else set()
    measured = set(MEASURED_KEYS) | ({"upload", "loss"} - tried)
    for heading, keys in ((TRIED, tried), (MEASURED, measured), (MODEL, None)):
        rows = [n for n in numbers if (n.key in keys if keys is not None
                                       else n.key not in tried | measured)]
        if not rows:
            continue
        lines += ["", translate(heading, lang)]
        for n in rows:
            lines.append(f"{translate(n.label, lang)}: {quantity(n.value, n.unit, lang)}")
    if audio_note:
        lines += ["", audio_note]
    return "\n".join(lines) + "\n"


def write_preview(folder: str, results: list[CheckResult], profile: Profile,
                  camera: str | None, microphone: str | None, kept: dict, lang: str
                  ) -> tuple[list[str], bool]:
    """Model this run and write the preview files into ``folder``: one message per file
    written or per reason not, and whether the files were written."""
    messages = _write_preview(folder, results, profile, camera, microphone, kept, lang)
    return messages, any(m.startswith(WRITTEN) for m in messages)


def _write_preview(folder: str, results: list[CheckResult], profile: Profile,
                   camera: str | None, microphone: str | None, kept: dict, lang: str
                   ) -> list[str]:
    net = next((r for r in results if r.id == "network"), None)
    if net is None:
        return ["no preview: the network check did not run, and the preview needs its upload, "
                "loss and jitter (leave 'network' in --only)."]
    conditions, missing = conditions_from_metrics(net.metrics)
    if conditions is None:
        return [f"no preview: the connection's {', '.join(missing)} could not be measured. "
                "Run again when the measurement server answers."]
    messages: list[str] = []
    recording = kept.get("recording")
    if recording is None and is_file_spec(microphone):
        try:
            recording = read_audio_file(str(microphone))
        except AudioProblem as exc:
            messages.append(f"no preview sound: {exc.detail}")
    if recording is None and not messages:
        messages.append("no preview sound: the microphone check made no recording "
                        "(leave 'microphone' in --only).")
    # The camera is opened again only when this run checked it (not with --only network).
    with_camera = any(r.id == "camera" for r in results)
    return messages + write_files(Path(folder) / STEM, profile.limits("network"), conditions,
                                  camera, recording, lang, with_camera=with_camera)


def write_files(stem: Path, limits: Any, conditions: Conditions, camera: str | int | None,
                recording: tuple[Any, int] | None, lang: str, *,
                with_camera: bool = True) -> list[str]:
    """Model ``SECONDS`` of ``camera`` and the ``recording`` under ``conditions`` and write
    ``stem``.avi, .wav and .txt (all or none, each atomically): the suffixes added to
    ``stem``'s whole name, so a chosen "notes.v2" gives "notes.v2.txt", not "notes.txt".
    Used by ``run --preview`` and the app's "Save for IT support" button."""
    messages: list[str] = []
    plan = plan_for_limits(limits, conditions)
    frames: list[tuple[Any, float]] = []
    fps = 30.0
    if with_camera:
        try:
            frames, fps = _frames(camera, SECONDS)
        except CameraError as exc:
            messages.append(translate(N_("No preview picture: {why} {fix}"), lang, {
                "why": translate(exc.message, lang, exc.params),
                "fix": translate(exc.fix, lang, exc.params)}))
    files: dict[Path, bytes | str] = {}
    if frames:
        h, w = frames[0][0].shape[:2]
        plan = plan_for_limits(limits, conditions, capture=(w, h))
        modelled = model_clip(frames, plan)
        files[_beside(stem, ".avi")] = video_bytes(modelled, fps, (plan.width, plan.height))
    if recording is not None:
        audio = model_audio(recording[0], recording[1], plan)
        files[_beside(stem, ".wav")] = wav_bytes(audio.samples, audio.samplerate)
    files[_beside(stem, ".txt")] = numbers_text(plan, lang)
    return messages + _write_all(files, lang)


def preview_stem(path: str | Path) -> Path:
    """The name a chosen path stands for, without the suffix of one of the files it is
    written as ("for IT.txt" → "for IT"; "notes.v2" keeps its ".v2")."""
    chosen = Path(path)
    return chosen.with_suffix("") if chosen.suffix.lower() in SUFFIXES else chosen


def preview_files(path: str | Path) -> list[Path]:
    """Every file a save to the chosen ``path`` writes (``write_files``): asked about at once
    before any of them is replaced."""
    stem = preview_stem(path)
    return [_beside(stem, suffix) for suffix in SUFFIXES]


def _beside(stem: Path, suffix: str) -> Path:
    return stem.with_name(stem.name + suffix)


def _write_all(files: dict[Path, bytes | str], lang: str) -> list[str]:
    """Write the preview's files all or none (``write_atomic_many``), as the reports are: a
    picture without the numbers it was modelled from would mislead. A failure is told in
    ``lang``."""
    try:
        write_atomic_many(files)  # type: ignore[arg-type]
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(next(iter(files)))
        log.error("writing the preview %s failed: %s", where, exc)
        return [translate(N_("{why} No preview file was written."), lang,
                          {"why": describe_write_error(where, exc, lang)})]
    return [f"{WRITTEN}{path}" for path in files]
