"""The microphone's and the speaker's measures, each declared once: unit, label, the profile
keys of its limits, its finding's message and fix, and the live meter's hint
(checks/measure.py)."""

from __future__ import annotations

from techcheck.checks.i18n import N_
from techcheck.checks.measure import TIP_ONLY, TIP_WARN, WARN_ONLY, Measure, Side, table

# --- microphone ----------------------------------------------------------------------------

DURATION = Measure("duration", "s", label=N_("Measured for"))
SAMPLERATE = Measure("samplerate", "Hz", label=N_("Sample rate"))
CHANNELS = Measure("channels", "", label=N_("Channels"))
RMS = Measure("rms", "dBFS", label=N_("Average level"))
SPEECH_ACTIVITY = Measure("speech_activity", "%", label=N_("Speech activity"))
HUM_FREQUENCY = Measure("hum_frequency", "Hz", label=N_("Hum frequency"))

PEAK = Measure(
    "peak", "dBFS", label=N_("Peak level"),
    # Near the ceiling is advice only while the voice itself is at a good level and does
    # not clip: otherwise that finding says it.
    explained_by=("microphone.too_quiet", "microphone.too_loud", "microphone.clipping"),
    high=Side("microphone.too_loud", "peak_tip_dbfs", None,
              N_("Your loudest sounds reach {value:.1f} dBFS, right at the ceiling (want at most "
                 "{threshold:.0f} dBFS); a laugh or a louder word will clip."),
              N_("Lower the microphone's input level a little in the sound settings."),
              N_("Loudest sounds near the ceiling"), TIP_ONLY))
SPEECH_SECONDS = Measure(
    "speech_seconds", "s", label=N_("Speech heard"),
    low=Side("microphone.no_speech", "min_speech_s", None,
             N_("We heard no speech in the recording (only {value:.1f} s that sounds like a "
                "voice), so the speech level could not be measured."),
             N_("Run the check again and read the sentence aloud when asked. If you did speak, "
                "another microphone is probably in use: choose your headset or microphone in "
                "TechCheck and in the system's sound settings."),
             levels="no_speech_status"))
# Any audible crackle is noticed by the listener, and none stops the call: one limit, a
# warning (docs/verdicts.md). The profile holds a share of samples; the report shows %.
CLIPPING = Measure(
    "clipping", "%", label=N_("Clipping"), scale=100.0,
    high=Side("microphone.clipping", "clip_ratio_warn", None,
              N_("The sound is clipping: {value:.2f} % of the samples hit the ceiling at "
                 "{level:.1f} dBFS (limit {threshold:.2f} %). Clipped speech sounds harsh and "
                 "crackles."),
              N_("Lower the microphone's input level in the sound settings (on Windows also "
                 "turn off 'Microphone Boost') or move it a little further from your mouth, "
                 "until the loudest words stay below the top of the meter."),
              N_("Clipping: lower the input level"), WARN_ONLY))
# Past the first limit a call app's AGC still brings the voice to level (RFC 7874: about
# ±6 dB): a tip; past the second the interviewer hears it (a warning). Never a failure.
SPEECH_LEVEL = Measure(
    "speech_level", "dBFS", label=N_("Speech level"), margin=1.0,
    ok_hint=N_("Good level"),
    low=Side("microphone.too_quiet", "speech_level_low_tip_dbfs", "speech_level_low_warn_dbfs",
             N_("Your voice is too quiet: {value:.1f} dBFS while speaking (want at least "
                "{threshold:.0f} dBFS)."),
             N_("Move the microphone closer to your mouth (a hand's width to 30 cm) or raise "
                "its input level: Windows Settings › System › Sound › Input, macOS System "
                "Settings › Sound › Input."),
             N_("Quiet: speak up or move closer"), TIP_WARN),
    high=Side("microphone.too_loud", "speech_level_high_tip_dbfs",
              "speech_level_high_warn_dbfs",
              N_("Your voice is too loud: {value:.1f} dBFS while speaking (want at most "
                 "{threshold:.0f} dBFS); it will sound distorted when you speak up."),
              N_("Lower the microphone's input level in the sound settings or move it a little "
                 "further away; turn off any 'boost' setting."),
              N_("Loud: move back a little"), TIP_WARN))
NOISE_FLOOR = Measure(
    "noise_floor", "dBFS", label=N_("Background noise"),
    high=Side("microphone.noisy", "noise_floor_tip_dbfs", "noise_floor_warn_dbfs",
              N_("The background noise is loud: {value:.1f} dBFS when nobody speaks (want at "
                 "most {threshold:.0f} dBFS)."),
              N_("Find a quieter room: close windows and doors, switch off fans and machines, "
                 "and keep the laptop's own fan away from the microphone. A headset microphone "
                 "close to your mouth helps most."),
              N_("Noisy room"), TIP_WARN))
SNR = Measure(
    "snr", "dB", label=N_("Speech above noise"),
    low=Side("microphone.low_snr", "snr_tip_db", "snr_warn_db",
             N_("Your voice is only {value:.1f} dB louder than the background (want at least "
                "{threshold:.0f} dB); the interviewer will struggle to follow you."),
             N_("Move the microphone closer to your mouth (a headset is best) and reduce the "
                "noise around you."),
             N_("Voice barely above the noise"), TIP_WARN))
HUM_LEVEL = Measure(
    "hum_level", "dBFS", label=N_("Hum level"),
    high=Side("microphone.hum", "hum_tip_dbfs", "hum_warn_dbfs",
              N_("There is a {frequency:.0f} Hz mains hum at {value:.1f} dBFS ({harmonics} "
                 "harmonics; want at most {threshold:.0f} dBFS)."),
              N_("Mains hum usually comes from a power supply or a ground loop: unplug the "
                 "laptop's charger for a moment to test, keep the microphone cable away from "
                 "power cables, and plug a USB microphone straight into the computer rather "
                 "than into a hub or dock."),
              N_("Mains hum"), TIP_WARN))
# Call apps high-pass it away: advice only. The profile holds a share of full scale.
DC_OFFSET = Measure(
    "dc_offset", "%", label=N_("DC offset"), scale=100.0,
    high=Side("microphone.dc_offset", "dc_offset_tip", None,
              N_("The microphone signal is shifted by {value:.1f} % of full scale (DC offset), "
                 "which wastes headroom and can make clicks."),
              N_("This usually is a faulty microphone or sound card input: try another USB "
                 "port, another microphone, or the computer's built-in one."),
              levels=TIP_ONLY))

# A Bluetooth headset that opens its microphone drops to its hands-free profile (Bluetooth
# HFP 1.8: CVSD at 8 kHz, mSBC at 16 kHz): the voice loses everything above 4 or 8 kHz. Phone
# quality (ITU-T G.712's 300-3400 Hz telephone band) is heard by anyone: a warning; wideband
# (ITU-T G.722's 50-7000 Hz, "HD voice") is clear but duller than the full band call apps send
# (Opus, RFC 6716, up to 20 kHz): advice. The value is where the speech stops, kHz.
AUDIO_BAND = Measure(
    "audio_band", "kHz", label=N_("Audio band"),
    low=Side("microphone.narrowband", "band_tip_khz", "band_warn_khz",
             N_("Wideband quality: your voice reaches the interviewer only up to {value:.1f} kHz "
                "(want at least {threshold:.1f} kHz); it sounds a little dull, like a phone "
                "call in HD voice. {cause}"),
             N_("A Bluetooth headset limits the sound this way while its microphone is on (its "
                "hands-free mode): use the computer's built-in microphone and keep the headset "
                "for listening, or use a wired headset. Some webcam and USB microphones are "
                "made this way too; a headset microphone sounds clearer."),
             N_("Narrow audio band"), TIP_WARN,
             variants=(("phone",
                        N_("Phone quality: your voice reaches the interviewer only up to "
                           "{value:.1f} kHz (want at least {threshold:.1f} kHz); you will sound "
                           "like an old telephone and be harder to understand. {cause}"),
                        N_("A Bluetooth headset drops to phone quality while its microphone is "
                           "on (its hands-free mode), and what you hear gets worse too. Use the "
                           "computer's built-in microphone and keep the headset for listening, "
                           "or use a wired headset.")),)))

# --- speaker -------------------------------------------------------------------------------

HEARD = Measure("heard", "", label=N_("Test sound heard"))
ECHO_DETECTED = Measure("echo_detected", "", label=N_("Echo heard"))
ROUND_TRIP = Measure(
    "round_trip", "ms", label=N_("Sound round trip"),
    high=Side("speaker.high_latency", "round_trip_warn_ms", None,
              N_("Sound takes {value:.0f} ms from the speaker back into the microphone (want "
                 "at most {threshold:.0f} ms); this delay adds to every turn in the "
                 "conversation."),
              N_("Wireless (Bluetooth) audio adds much delay: use a wired headset, or the "
                 "computer's own microphone with wired headphones."), levels=WARN_ONLY))
ECHO_RETURN_LOSS = Measure(
    "echo_return_loss", "dB", label=N_("Echo damping"),
    low=Side("speaker.echo_risk", "echo_return_loss_warn_db", None,
             N_("Your microphone picks up what your speakers play: the sound came back "
                "{value:.0f} dB quieter after {delay_ms:.0f} ms (want at least {threshold:.0f} "
                "dB). The interviewer may hear their own voice echo."),
             N_("Use headphones or a headset. If you must use speakers, turn them down and "
                "keep them away from the microphone."),
             levels=WARN_ONLY,
             variants=(("full_strength",
                        N_("Your microphone picks up what your speakers play at full strength, "
                           "{delay_ms:.0f} ms later (want it at least {threshold:.0f} dB "
                           "quieter). The interviewer will hear their own voice echo."), ""),)))

MEASURES = {
    "microphone": table((DURATION, SAMPLERATE, CHANNELS, PEAK, RMS, SPEECH_SECONDS, CLIPPING,
                         SPEECH_LEVEL, SPEECH_ACTIVITY, NOISE_FLOOR, SNR, HUM_LEVEL,
                         HUM_FREQUENCY, DC_OFFSET, AUDIO_BAND)),
    "speaker": table((HEARD, ECHO_DETECTED, ROUND_TRIP, ECHO_RETURN_LOSS)),
}
