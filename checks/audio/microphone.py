"""The ``microphone`` check: will the interviewer hear the candidate clearly?

A short guided recording (stay quiet, then read a sentence), analysed with
``techcheck.checks.audio.analysis`` and judged against the profile's ``[microphone]`` limits. A WAV/FLAC
file given as the microphone goes through the same analysis without the questions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import numpy as np

from techcheck.checks.audio import backend
from techcheck.checks.audio import measures as M
from techcheck.checks.audio.analysis import AudioAnalysis, analyse
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.livelevel import window_seconds
from techcheck.checks.audio.meter import Level
from techcheck.checks.audio.problems import report_microphone_problem, silent_fix
from techcheck.checks.audio.recorder import Recorder
from techcheck.checks.audio.source import is_file_spec, open_input
from techcheck.checks.audio.transport import narrow_cause
from techcheck.checks.base import Check, Device, ResultBuilder
from techcheck.checks.context import CheckContext, Progress, Question
from techcheck.checks.i18n import N_
from techcheck.checks.model import Between, CheckResult, LimitStatus, Status

log = logging.getLogger("techcheck.audio")

#: What the person reads aloud, per language: everyday interview words with voiced and
#: unvoiced sounds (s, f, t, k) so level and clipping are tested on real speech.
SENTENCES = {
    "en": "Hello, thank you for inviting me. I am looking forward to telling you about my "
          "experience and what I can do for your team.",
    "sv": "Hej, tack för att ni bjöd in mig. Jag ser fram emot att berätta om min erfarenhet "
          "och vad jag kan göra för ert team.",
}
#: The longest recording the check makes, whatever --duration says.
MAX_RECORD_S = 60.0


@dataclass(frozen=True)
class MicrophoneLimits:
    # *_tip: past it the report gives advice; *_warn: the interviewer would notice
    # (docs/verdicts.md). Only a microphone that delivers nothing fails.
    speech_level_low_tip_dbfs: float
    speech_level_low_warn_dbfs: float
    speech_level_high_tip_dbfs: float
    speech_level_high_warn_dbfs: float
    peak_tip_dbfs: float
    clip_ratio_warn: float
    noise_floor_tip_dbfs: float
    noise_floor_warn_dbfs: float
    snr_tip_db: float
    snr_warn_db: float
    hum_tip_dbfs: float
    hum_warn_dbfs: float
    dc_offset_tip: float
    # Where the speech's energy stops, kHz: under the first a tip, under the second a warning.
    band_tip_khz: Annotated[float, Between(1, 24)]
    band_warn_khz: Annotated[float, Between(1, 24)]
    # Phase lengths of the guided recording: a phrase is at least a fifth of a second; the
    # person is asked to stay quiet (at least half a second, for the noise floor) and to read
    # a sentence (at least 1 s), and nobody reads for more than a minute.
    min_speech_s: Annotated[float, Between(0.2, 30)]
    no_speech_status: LimitStatus
    quiet_s: Annotated[float, Between(0.5, 30)]
    speech_s: Annotated[float, Between(1, 60)]


class MicrophoneCheck(Check):
    id = "microphone"
    title = N_("Microphone")
    needs = frozenset({"microphone"})
    Limits = MicrophoneLimits
    timeout_s = 180.0  # includes the time a person takes to read the instructions
    order = 30
    _source_name = ""  # the device recorded from, for the system's word on its transport

    @classmethod
    def list_devices(cls) -> list[Device]:
        return _devices("microphone")

    def run(self, ctx: CheckContext) -> CheckResult:
        lim: MicrophoneLimits = ctx.limits(self.id)
        r = self.result()
        spec = ctx.devices.microphone
        try:
            if is_file_spec(spec):
                audio, fs = self._from_file(ctx, r, str(spec))
            else:
                got = self._record(ctx, r, lim, spec)
                if got is None:
                    return r.build()
                audio, fs = got
        except AudioProblem as p:
            report_microphone_problem(r, p)
            return r.build()
        keep = ctx.options.get("keep_media")
        if isinstance(keep, dict):  # the person asked for the call preview: in memory only
            keep["recording"] = (audio, fs)
        ctx.progress(Progress(self.id, 0.95, N_("Analysing the recording")))
        a = analyse(audio, fs, min_speech_s=lim.min_speech_s)
        device = not is_file_spec(spec)
        name = self._source_name if device else ""
        judge(r, lim, a, lambda: narrow_cause(fs, name, device=device))
        if ctx.interactive and not is_file_spec(spec) and not a.silent:
            self._offer_playback(ctx, r, audio, fs)
        ctx.progress(Progress(self.id, 1.0, N_("Done")))
        return r.build()

    # --- sources -----------------------------------------------------------------------------

    def _from_file(self, ctx: CheckContext, r: ResultBuilder, path: str) -> tuple[np.ndarray, int]:
        # A person watching (the app) hears nothing but sees the level of the whole file as
        # the check takes it in, at the file's own pace, as a microphone would deliver it
        # (issue 23); elsewhere the file is read as fast as it can be.
        live = bool(ctx.options.get("realtime"))
        ctx.progress(Progress(self.id, 0.1, N_("Listening to the recording") if live
                              else N_("Reading the recording"), {"file": path}))
        with open_input(path, realtime=live) as src:
            total = float(src.details.get("duration_s") or 0.0)

            def level(lv: Level) -> None:
                ctx.progress(Progress(
                    self.id, 0.1 + 0.8 * min(1.0, rec.seconds / max(total, 1e-6)), "",
                    _level_data(lv, max(0.0, total - rec.seconds), total, "file")))

            rec = Recorder(src, max_seconds=600.0, on_level=level if live else None)
            rec.record_for(None, ctx.cancel)
            r.detail("source", src.details)
            return rec.audio(), src.samplerate

    def _record(self, ctx: CheckContext, r: ResultBuilder, lim: MicrophoneLimits,
                spec: str | None) -> tuple[np.ndarray, int] | None:
        total = min(MAX_RECORD_S, ctx.duration) if ctx.duration else window_seconds(lim)
        quiet = min(lim.quiet_s, 0.3 * total)
        speech = max(0.5, total - quiet)
        ctx.progress(Progress(self.id, 0.0, N_("Opening the microphone")))
        src = open_input(spec)
        r.detail("source", src.details)
        self._source_name = str(src.name)

        def level(lv: Level) -> None:
            frac = min(0.9, 0.9 * rec.seconds / (quiet + speech))
            # what is left of the phase the person is in: staying quiet, then reading
            phase = quiet if rec.seconds < quiet else quiet + speech
            ctx.progress(Progress(self.id, frac, "", _level_data(
                lv, max(0.0, phase - rec.seconds), quiet if phase == quiet else speech,
                "quiet" if phase == quiet else "speech")))

        rec = Recorder(src, on_level=level)
        try:
            ctx.ask(Question(self.id, "instruction",
                             N_("Stay quiet for {seconds:.0f} seconds while we listen to the "
                                "room."), params={"seconds": quiet}))
            while src.read(timeout=0) is not None:  # what came before the answer is not asked for
                pass
            ctx.progress(Progress(self.id, 0.05, N_("Listening to the room: please stay quiet")))
            rec.record_for(quiet, ctx.cancel)
            sentence = SENTENCES.get(ctx.lang, SENTENCES["en"])
            ctx.ask(Question(self.id, "instruction",
                             N_("Now read this sentence aloud in your normal interview voice: "
                                "“{sentence}”"), params={"sentence": sentence}))
            rec.drain()
            ctx.progress(Progress(self.id, 0.3, N_("Recording: read the sentence aloud")))
            rec.record_for(speech, ctx.cancel)
        except AudioProblem as p:
            if p.kind == "disconnected":
                report_microphone_problem(r, AudioProblem(p.kind, p.detail, src.name),
                                          rec.seconds)
                return None
            raise
        finally:
            src.close()
        r.detail("overflows", src.overflows)
        return rec.audio(), src.samplerate

    def _offer_playback(self, ctx: CheckContext, r: ResultBuilder, audio: np.ndarray,
                        fs: int) -> None:
        from techcheck.checks.audio.playback import play

        if not ctx.ask(Question(self.id, "confirm",
                                N_("Play the recording back so you hear what the interviewer "
                                   "will hear?"), default=False)):
            return
        try:
            play(audio, fs, ctx.devices.speaker, cancel=ctx.cancel)
            r.detail("played_back", True)
        except AudioProblem as p:
            r.detail("played_back", f"not possible: {p.detail}")


def _level_data(lv: Level, left_s: float, phase_s: float, phase: str) -> dict[str, object]:
    """``Progress.data`` for the live meter: the level now, what the check is listening to
    (``phase``: "quiet" the room, "speech" the person reading, "file" a recording) and the
    seconds left of it (``left_s`` of ``phase_s``) for the page's countdown."""
    return {"kind": "level", "rms_dbfs": round(lv.rms_dbfs, 1),
            "peak_dbfs": round(lv.peak_dbfs, 1), "clipping": lv.clipping, "t": lv.t,
            "phase": phase, "left_s": round(left_s, 2), "duration_s": round(phase_s, 2)}


def _devices(kind: str) -> list[Device]:
    """Inputs (``microphone``) or outputs (``speaker``) for ``techcheck devices`` and the GUI."""
    try:
        devs = backend.devices()
    except AudioProblem as p:
        if p.kind == "portaudio_missing":
            raise RuntimeError(f"the PortAudio sound library is missing ({p.detail}); "
                               "install libportaudio2") from None
        raise RuntimeError(p.detail) from None
    out = []
    for d in devs:
        channels = d.max_input_channels if kind == "microphone" else d.max_output_channels
        if channels <= 0:
            continue
        default = d.default_input if kind == "microphone" else d.default_output
        out.append(Device(kind, d.index, d.name, default, backend.describe(d)))
    return out


# --- judgement --------------------------------------------------------------------------------


def judge(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis,
          cause: Callable[[], str] = lambda: "") -> None:
    """Metrics and findings for one analysed recording (shared by device and file input).
    ``cause`` names why the audio band is narrow (``transport.narrow_cause``); it is asked only
    when it is."""
    r.record(M.DURATION, a.duration_s)
    r.record(M.SAMPLERATE, int(a.samplerate))
    r.record(M.CHANNELS, a.channels)
    r.grade(M.PEAK, a.peak_dbfs, lim, finding=a.has_speech)  # a ceiling hit by speech only
    r.record(M.RMS, a.rms_dbfs)
    r.grade(M.SPEECH_SECONDS, a.speech_s, lim, finding=not a.has_speech and not a.silent)
    r.detail("channel_states", a.channel_states)
    r.detail("channel_peaks_dbfs", [round(p, 1) for p in a.channel_peaks_dbfs])

    if a.silent:
        r.finding(
            "microphone.silent", Status.FAIL,
            N_("The microphone delivers pure digital silence (every sample is zero): it is "
               "muted, blocked by the system, or a Bluetooth headset is in the wrong mode."),
            silent_fix(),
            value=a.peak_dbfs, threshold=-90.3, unit="dBFS", op=">",
        )
        return

    dead = [i + 1 for i, s in enumerate(a.channel_states) if s == "dead"]
    if dead:
        r.finding(
            "microphone.dead_channel", Status.WARN,
            N_("Channel {channels} of the {count}-channel microphone carries no sound; a call "
               "app that uses that channel sends silence."),
            N_("Check the plug and cable (a headset plug in a stereo line input often does "
               "this), set the microphone to mono in the sound settings if you can, or use "
               "another microphone."),
            value=len(dead), threshold=0, op="==", channels=", ".join(map(str, dead)),
            count=a.channels,
        )

    r.grade(M.CLIPPING, a.clip_ratio * 100, lim, level=a.clip_level_dbfs)
    r.grade(M.NOISE_FLOOR, a.noise_floor_dbfs, lim)
    if not a.has_speech:
        r.grade(M.SPEECH_LEVEL, None, lim)
    else:
        r.grade(M.SPEECH_LEVEL, float(a.speech_level_dbfs), lim)  # type: ignore[arg-type]
        r.record(M.SPEECH_ACTIVITY, a.activity * 100)
        r.grade(M.SNR, a.snr_db, lim)
    _hum(r, lim, a)
    r.grade(M.DC_OFFSET, a.dc_offset * 100, lim)
    _band(r, lim, a, cause)


def _band(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis,
          cause: Callable[[], str]) -> None:
    """Where the speech stops, in kHz, and the system's reason when it is narrow."""
    b = a.band
    if b.top_hz is None:
        r.grade(M.AUDIO_BAND, None, lim)
        return
    khz = round(b.top_hz / 1000.0, 1)
    r.detail("audio_band", {"top_hz": round(b.top_hz), "cutoff": b.cutoff,
                            "drop_db": round(b.drop_db, 1)})
    narrow = khz < lim.band_tip_khz
    why = cause() if narrow else ""
    if why:
        r.detail("audio_band_cause", why)
    r.grade(M.AUDIO_BAND, khz, lim, variant="phone" if khz < lim.band_warn_khz else None,
            cause=why)


def _hum(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> None:
    h = a.hum
    if not h.measured:  # every part of the recording clipped: nothing left to judge hum on
        r.grade(M.HUM_LEVEL, None, lim)
        r.record(M.HUM_FREQUENCY, None)
        return
    # Hum that is a small part of a louder broadband noise is reported as noise, not hum.
    dominant = a.noise_floor_dbfs is None or h.level_dbfs >= a.noise_floor_dbfs - 6.0
    r.grade(M.HUM_LEVEL, h.level_dbfs, lim, finding=h.frequency_hz is not None and dominant,
            frequency=h.frequency_hz, harmonics=h.harmonics)
    r.record(M.HUM_FREQUENCY, h.frequency_hz)
