"""The ``speaker`` check: can the candidate hear the interviewer, without echo?

Plays a chime and a sweep on the chosen output while recording from the chosen microphone
(one duplex stream, one clock). If the microphone hears the sound, the interviewer would hear
themselves: ``speaker.echo_risk`` with the measured acoustic round trip. Then asks the person
whether they heard it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from techcheck.checks.audio import backend
from techcheck.checks.audio import measures as M
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.echo import chime_and_sweep, find_echo
from techcheck.checks.audio.microphone import _devices
from techcheck.checks.audio.playback import play, playrec
from techcheck.checks.audio.problems import report_speaker_problem
from techcheck.checks.audio.source import is_file_spec
from techcheck.checks.base import Check, Device, ResultBuilder
from techcheck.checks.context import CheckContext, Progress, Question
from techcheck.checks.i18n import N_
from techcheck.checks.model import CheckResult, LimitStatus, Status

log = logging.getLogger("techcheck.audio")

SAMPLERATE = 48000


@dataclass(frozen=True)
class SpeakerLimits:
    echo_return_loss_warn_db: float
    echo_min_prominence: float
    round_trip_warn_ms: float
    test_level_dbfs: float
    not_heard_status: LimitStatus


class SpeakerCheck(Check):
    id = "speaker"
    title = N_("Speakers")
    needs = frozenset({"speaker"})
    Limits = SpeakerLimits
    timeout_s = 120.0
    order = 40

    @classmethod
    def list_devices(cls) -> list[Device]:
        return _devices("speaker")

    def run(self, ctx: CheckContext) -> CheckResult:
        lim: SpeakerLimits = ctx.limits(self.id)
        r = self.result()
        ctx.progress(Progress(self.id, 0.0, N_("Opening the speaker")))
        try:
            out = backend.resolve(ctx.devices.speaker, "output")
        except AudioProblem as p:
            report_speaker_problem(r, p)
            return r.build()
        r.detail("output", {"device": out.name, "index": out.index, "hostapi": out.hostapi})
        # Demo mode: the stand-in's echo path is known (see checks.audio.standin), and it makes
        # no sound, so there is no volume to set and nothing to hear: the person is not asked.
        simulated = out.echo_path is not None
        if out.echo_path is not None:
            r.detail("simulated_output", out.echo_path.describe())
        else:
            ctx.ask(Question(self.id, "instruction",
                             N_("We will play a short sound on '{device}'. Set the volume to a "
                                "level you would use in the call."), params={"device": out.name}))
        sound = chime_and_sweep(SAMPLERATE, lim.test_level_dbfs)
        ctx.progress(Progress(self.id, 0.2, N_("Playing the test sound")))
        try:
            played = self._echo_test(ctx, r, lim, sound, out)
            if not played:
                play(sound, SAMPLERATE, out, cancel=ctx.cancel)
        except AudioProblem as p:
            report_speaker_problem(r, AudioProblem(p.kind, p.detail, p.device or out.name))
            return r.build()
        if simulated:
            r.detail("heard", "not asked: the sample speaker makes no sound a person could hear")
            ctx.progress(Progress(self.id, 1.0, N_("Done")))
            return r.build()
        ctx.progress(Progress(self.id, 0.9, N_("Did you hear it?")))
        heard = ctx.ask(Question(self.id, "confirm", N_("Did you hear the test sound?"),
                                 default=True))
        r.record(M.HEARD, bool(heard))
        if not heard:
            r.finding(
                "speaker.not_heard", Status(lim.not_heard_status),
                N_("You did not hear the test sound on '{device}'."),
                N_("Check that the headphones or speakers are switched on and connected (a "
                   "Bluetooth headset must be paired and connected), that the volume is up and "
                   "not muted, and that this output is chosen in the system's sound settings "
                   "and in TechCheck."),
                value=False, threshold=True, op="==", device=out.name,
            )
        ctx.progress(Progress(self.id, 1.0, N_("Done")))
        return r.build()

    def _echo_test(self, ctx: CheckContext, r: ResultBuilder, lim: SpeakerLimits, sound: np.ndarray,
                   out: backend.AudioDevice) -> bool:
        """Play while recording; False when no microphone can take part (then play only).
        The stand-in speaker brings its own echo path and needs no microphone."""
        mic = ctx.devices.microphone
        if out.echo_path is None:
            if is_file_spec(mic):
                r.detail("echo_test", "skipped: the microphone is a file")
                return False
            try:
                backend.resolve(mic, "input")
            except AudioProblem as p:
                r.detail("echo_test", f"skipped: {p.detail}")
                return False
        try:
            rec, info = playrec(sound, SAMPLERATE, mic, out, cancel=ctx.cancel)
        except AudioProblem as p:
            if p.kind == "portaudio_missing":
                raise
            # the duplex stream failed (e.g. devices on different host APIs): plain playback
            log.info("echo test not possible: %s", p.detail)
            r.detail("echo_test", f"skipped: {p.detail}")
            return False
        echo = find_echo(sound, rec, SAMPLERATE, min_prominence=lim.echo_min_prominence)
        r.detail("echo_test", {**info, "prominence": round(echo.prominence, 1),
                               "band_prominence": round(echo.band_prominence, 1),
                               "correlation": round(echo.correlation, 3),
                               "recording_level_dbfs": round(echo.level_dbfs, 1),
                               "direct_sound_loss_db": None if echo.direct_loss_db is None
                               else round(echo.direct_loss_db, 1)})
        r.record(M.ECHO_DETECTED, echo.found)
        if not echo.found:
            return True
        r.grade(M.ROUND_TRIP, echo.delay_ms, lim)
        # No measurable damping is the sound coming back at full strength: 0 dB.
        loss = echo.return_loss_db if echo.return_loss_db is not None else 0.0
        r.grade(M.ECHO_RETURN_LOSS, loss, lim, variant=None if loss >= 1.0 else "full_strength",
                delay_ms=echo.delay_ms)
        return True
