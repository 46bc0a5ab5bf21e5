"""The ``microphone`` check: will the interviewer hear the candidate clearly?

A short guided recording (stay quiet, then read a sentence), analysed with
``techcheck.checks.audio.analysis`` and judged against the profile's ``[microphone]`` limits. A WAV/FLAC
file given as the microphone goes through the same analysis without the questions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

import numpy as np

from techcheck.checks.audio import backend
from techcheck.checks.audio.analysis import AudioAnalysis, analyse
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.livelevel import window_seconds
from techcheck.checks.audio.meter import Level
from techcheck.checks.audio.problems import report_microphone_problem, silent_fix
from techcheck.checks.audio.recorder import Recorder
from techcheck.checks.audio.source import is_file_spec, open_input
from techcheck.checks.base import Check, Device, ResultBuilder, assess
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
        judge(r, lim, a)
        if ctx.interactive and not is_file_spec(spec) and not a.silent:
            self._offer_playback(ctx, r, audio, fs)
        ctx.progress(Progress(self.id, 1.0, N_("Done")))
        return r.build()

    # --- sources -----------------------------------------------------------------------------

    def _from_file(self, ctx: CheckContext, r: ResultBuilder, path: str) -> tuple[np.ndarray, int]:
        ctx.progress(Progress(self.id, 0.1, N_("Reading the recording"), {"file": path}))
        with open_input(path, realtime=False) as src:
            rec = Recorder(src, max_seconds=600.0)
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

        def level(lv: Level) -> None:
            frac = min(0.9, 0.9 * rec.seconds / (quiet + speech))
            ctx.progress(Progress(self.id, frac, "", {
                "kind": "level", "rms_dbfs": round(lv.rms_dbfs, 1),
                "peak_dbfs": round(lv.peak_dbfs, 1), "clipping": lv.clipping, "t": lv.t}))

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

#: The statuses past the first and the second limit of a measure with a tip and a warning limit
#: (docs/verdicts.md).
_TIP_WARN = (Status.TIP, Status.WARN)


def judge(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> None:
    """Metrics and findings for one analysed recording (shared by device and file input)."""
    r.metric("duration", a.duration_s, "s")
    r.metric("samplerate", int(a.samplerate), "Hz")
    r.metric("channels", a.channels, "")
    r.metric("peak", a.peak_dbfs, "dBFS", threshold=lim.peak_tip_dbfs, op="<=")
    r.metric("rms", a.rms_dbfs, "dBFS")
    r.metric("speech_seconds", a.speech_s, "s", threshold=lim.min_speech_s, op=">=")
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

    _clipping(r, lim, a)
    noise_ok = _noise(r, lim, a)
    if not a.has_speech:
        r.metric("speech_level", None, "dBFS")
        r.finding(
            "microphone.no_speech", Status(lim.no_speech_status),
            N_("We heard no speech in the recording (only {value:.1f} s that sounds like a "
               "voice), so the speech level could not be measured."),
            N_("Run the check again and read the sentence aloud when asked. If you did speak, "
               "another microphone is probably in use: choose your headset or microphone in "
               "TechCheck and in the system's sound settings."),
            value=a.speech_s, threshold=lim.min_speech_s, unit="s", op=">=",
        )
    else:
        _speech_level(r, lim, a)
        _snr(r, lim, a, noise_ok)
    _hum(r, lim, a)
    _dc(r, lim, a)


def _clipping(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> None:
    # Any audible crackle is noticed by the listener, and none stops the call: one limit, a
    # warning (docs/verdicts.md).
    st = Status.WARN if a.clip_ratio > lim.clip_ratio_warn else Status.PASS
    r.metric("clipping", a.clip_ratio * 100, "%", threshold=lim.clip_ratio_warn * 100, status=st,
             op="<=")
    if st is not Status.PASS:
        limit = lim.clip_ratio_warn
        r.finding(
            "microphone.clipping", st,
            N_("The sound is clipping: {value:.2f} % of the samples hit the ceiling at "
               "{level:.1f} dBFS (limit {threshold:.2f} %). Clipped speech sounds harsh and "
               "crackles."),
            N_("Lower the microphone's input level in the sound settings (on Windows also turn "
               "off 'Microphone Boost') or move it a little further from your mouth, until the "
               "loudest words stay below the top of the meter."),
            value=a.clip_ratio * 100, threshold=limit * 100, unit="%", op="<=",
            level=a.clip_level_dbfs,
        )


def _speech_level(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> None:
    lvl = float(a.speech_level_dbfs)  # type: ignore[arg-type]
    # Past the first limit a call app's AGC still brings the voice to level (RFC 7874: about
    # ±6 dB): a tip; past the second the interviewer hears it (a warning). Never a failure.
    low = assess(lvl, warn=lim.speech_level_low_tip_dbfs, fail=lim.speech_level_low_warn_dbfs,
                higher_is_better=True, levels=_TIP_WARN)
    high = assess(lvl, warn=lim.speech_level_high_tip_dbfs,
                 fail=lim.speech_level_high_warn_dbfs, higher_is_better=False, levels=_TIP_WARN)
    r.metric("speech_level", lvl, "dBFS",
             threshold=[lim.speech_level_low_tip_dbfs, lim.speech_level_high_tip_dbfs],
             status=Status.worst([low.status, high.status]),
             op="between")
    r.metric("speech_activity", a.activity * 100, "%")
    if low.status is not Status.PASS:
        r.graded_finding(
            low, "microphone.too_quiet",
            N_("Your voice is too quiet: {value:.1f} dBFS while speaking (want at least "
               "{threshold:.0f} dBFS)."),
            N_("Move the microphone closer to your mouth (a hand's width to 30 cm) or raise its "
               "input level: Windows Settings › System › Sound › Input, macOS System Settings › "
               "Sound › Input."),
            unit="dBFS",
        )
    elif high.status is not Status.PASS:
        r.graded_finding(
            high, "microphone.too_loud",
            N_("Your voice is too loud: {value:.1f} dBFS while speaking (want at most "
               "{threshold:.0f} dBFS); it will sound distorted when you speak up."),
            N_("Lower the microphone's input level in the sound settings or move it a little "
               "further away; turn off any 'boost' setting."),
            unit="dBFS",
        )
    elif a.peak_dbfs > lim.peak_tip_dbfs and a.clip_ratio < lim.clip_ratio_warn:
        r.finding(
            "microphone.too_loud", Status.TIP,
            N_("Your loudest sounds reach {value:.1f} dBFS, right at the ceiling (want at most "
               "{threshold:.0f} dBFS); a laugh or a louder word will clip."),
            N_("Lower the microphone's input level a little in the sound settings."),
            value=a.peak_dbfs, threshold=lim.peak_tip_dbfs, unit="dBFS", op="<=",
        )


def _noise(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> bool:
    if a.noise_floor_dbfs is None:
        r.metric("noise_floor", None, "dBFS")
        return True
    st = r.graded(
        "noise_floor", a.noise_floor_dbfs, "dBFS", warn=lim.noise_floor_tip_dbfs,
        fail=lim.noise_floor_warn_dbfs, higher_is_better=False, code="microphone.noisy",
        levels=_TIP_WARN,
        message=N_("The background noise is loud: {value:.1f} dBFS when nobody speaks (want at "
                   "most {threshold:.0f} dBFS)."),
        fix=N_("Find a quieter room: close windows and doors, switch off fans and machines, and "
               "keep the laptop's own fan away from the microphone. A headset microphone close "
               "to your mouth helps most."),
    )
    return st is Status.PASS


def _snr(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis, noise_ok: bool) -> None:
    if a.snr_db is None:
        r.metric("snr", None, "dB")
        return
    r.graded(
        "snr", a.snr_db, "dB", warn=lim.snr_tip_db, fail=lim.snr_warn_db, higher_is_better=True,
        code="microphone.low_snr", levels=_TIP_WARN,
        message=N_("Your voice is only {value:.1f} dB louder than the background (want at least "
                   "{threshold:.0f} dB); the interviewer will struggle to follow you."),
        fix=N_("Move the microphone closer to your mouth (a headset is best) and reduce the "
               "noise around you."),
    )


def _hum(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> None:
    h = a.hum
    if not h.measured:  # every part of the recording clipped: nothing left to judge hum on
        r.metric("hum_level", None, "dBFS")
        r.metric("hum_frequency", None, "Hz")
        return
    r.metric("hum_level", h.level_dbfs, "dBFS", threshold=lim.hum_tip_dbfs, op="<=")
    r.metric("hum_frequency", h.frequency_hz, "Hz")
    if h.frequency_hz is None:
        return
    # hum that is a small part of a louder broadband noise is reported as noise, not hum
    dominant = a.noise_floor_dbfs is None or h.level_dbfs >= a.noise_floor_dbfs - 6.0
    g = assess(h.level_dbfs, warn=lim.hum_tip_dbfs, fail=lim.hum_warn_dbfs,
              higher_is_better=False, levels=_TIP_WARN)
    if dominant:
        r.graded_finding(
            g, "microphone.hum",
            N_("There is a {frequency:.0f} Hz mains hum at {value:.1f} dBFS ({harmonics} "
               "harmonics; want at most {threshold:.0f} dBFS)."),
            N_("Mains hum usually comes from a power supply or a ground loop: unplug the "
               "laptop's charger for a moment to test, keep the microphone cable away from "
               "power cables, and plug a USB microphone straight into the computer rather than "
               "into a hub or dock."),
            unit="dBFS", frequency=h.frequency_hz, harmonics=h.harmonics,
        )


def _dc(r: ResultBuilder, lim: MicrophoneLimits, a: AudioAnalysis) -> None:
    r.metric("dc_offset", a.dc_offset * 100, "%", threshold=lim.dc_offset_tip * 100, op="<=")
    if a.dc_offset > lim.dc_offset_tip:  # call apps high-pass it away: advice only
        r.finding(
            "microphone.dc_offset", Status.TIP,
            N_("The microphone signal is shifted by {value:.1f} % of full scale (DC offset), "
               "which wastes headroom and can make clicks."),
            N_("This usually is a faulty microphone or sound card input: try another USB port, "
               "another microphone, or the computer's built-in one."),
            value=a.dc_offset * 100, threshold=lim.dc_offset_tip * 100, unit="%", op="<=",
        )
