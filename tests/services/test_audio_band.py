"""``microphone.narrowband`` (issue 24): where the energy of the speech stops.

Real speech (the alsa-utils voice, espeak-ng in English and Swedish) through real band limits:
resampled to 8 or 16 kHz and back (scipy's polyphase filter and sox's, the two shapes a sound
server's resampler has), and recorded at 8 or 16 kHz outright. The check runs on them as
``--microphone FILE`` runs it; tests/services/test_audio_devices.py has the same through PipeWire.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest

from techcheck.checks.audio import analysis as A
from techcheck.checks.audio import transport as T
from techcheck.checks.audio.microphone import MicrophoneCheck
from techcheck.checks.context import CheckContext, Devices
from techcheck.checks.i18n import translate
from techcheck.checks.model import Status
from tests.audio_material import alsa_voice, espeak48, mix

FS = 48000


@pytest.fixture(scope="module")
def profile():
    from techcheck.app.commands.common import load

    return load("generic")[1]


def voice48(name: str) -> np.ndarray:
    """The voice at 48 kHz, at a good level with a quiet room under it."""
    if name == "alsa":
        v = alsa_voice(("Front_Center", "Front_Left", "Front_Right", "Rear_Center"))
    else:
        v = espeak48(name)
    gain = -24 - A.active_speech_level(v, FS).level_dbfs
    return mix(v, FS, gain_db=gain, noise_dbfs=-70).signal


def through(x: np.ndarray, rate: int, how: str, tmp_path) -> np.ndarray:
    """``x`` (48 kHz) down to ``rate`` and back up, as a channel at that rate carries it."""
    if how == "scipy":
        from scipy.signal import resample_poly

        k = FS // rate
        return resample_poly(resample_poly(x, 1, k), k, 1).astype(np.float32)
    import soundfile as sf

    if shutil.which("sox") is None:
        pytest.skip("sox missing (scripts/debian-packages.txt)")
    src, out = tmp_path / "in.wav", tmp_path / "out.wav"
    sf.write(str(src), x, FS, subtype="FLOAT")
    mid = tmp_path / f"at{rate}.wav"
    subprocess.run(["sox", str(src), "-r", str(rate), "-e", "float", str(mid)], check=True,
                   timeout=60)
    subprocess.run(["sox", str(mid), "-r", str(FS), "-e", "float", str(out)], check=True,
                   timeout=60)
    y, fs = sf.read(str(out), dtype="float32")
    assert fs == FS
    return y


def check_file(profile, x: np.ndarray, fs: int, tmp_path, lang: str = "en"):
    import soundfile as sf

    path = tmp_path / "take.wav"
    sf.write(str(path), x, fs, subtype="FLOAT")
    return MicrophoneCheck().run(CheckContext(profile, Devices(microphone=str(path)), lang=lang))


def band_finding(result):
    return next((f for f in result.findings if f.code == "microphone.narrowband"), None)


# --- the analysis ----------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("voice", ["alsa", "en", "sv"])
@pytest.mark.parametrize("how", ["scipy", "sox"])
def test_band_edges_of_real_speech_through_8_and_16_khz(voice, how, tmp_path):
    x = voice48(voice)
    full = A.analyse(x, FS).band
    assert full.measured and full.top_hz > 9500, full  # espeak-ng itself stops at 11 kHz
    for rate, lo, hi in ((8000, 3300, 4600), (16000, 7300, 8900)):
        b = A.analyse(through(x, rate, how, tmp_path), FS).band
        assert b.cutoff and lo <= b.top_hz <= hi, (rate, b)
        assert b.drop_db >= A.BAND_DROP_DB


@pytest.mark.slow
def test_a_device_at_8_or_16_khz_reaches_half_its_rate():
    from scipy.signal import resample_poly

    x = voice48("alsa")
    for rate in (8000, 16000):
        y = resample_poly(x, 1, FS // rate).astype(np.float32)
        b = A.analyse(y, rate).band
        assert b.top_hz == rate / 2 and not b.cutoff, b


def test_a_dull_full_band_voice_has_no_cut_off():
    """Some voices (and microphones) have little energy up high: a slope, not a cut-off.
    Two one-pole low-passes at 1 kHz take 12 dB per octave off the voice above it."""
    from scipy.signal import lfilter

    x = voice48("alsa").astype(np.float64)
    g = np.exp(-2 * np.pi * 1000 / FS)
    for _ in range(2):
        x = lfilter([1 - g], [1, -g], x)
    x = mix((x * 10 ** (6 / 20)).astype(np.float32), FS, noise_dbfs=-80, lead_s=0.5).signal
    b = A.analyse(x, FS).band
    assert not b.cutoff and b.top_hz == FS / 2, b


def test_no_band_without_speech_or_under_loud_noise():
    quiet = mix(None, FS, noise_dbfs=-60, seconds=3.0).signal
    assert not A.analyse(quiet, FS).band.measured
    # speech 10 dB over a full-band hiss: no cut-off could show, so none is claimed either way
    noisy = mix(voice48("alsa"), FS, noise_dbfs=-34).signal
    b = A.analyse(noisy, FS).band
    assert not b.cutoff


def test_the_live_meter_skips_the_band():
    a = A.analyse(voice48("alsa"), FS, level_only=True)
    assert not a.band.measured and a.speech_level_dbfs is not None


# --- the check ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("voice", ["alsa", "en", "sv"])
def test_check_warns_at_8_khz_tips_at_16_and_is_quiet_at_full_band(voice, profile, tmp_path):
    x = voice48(voice)
    r = check_file(profile, x, FS, tmp_path)
    assert band_finding(r) is None and r.metrics["audio_band"].status is Status.PASS, r.findings

    r = check_file(profile, through(x, 16000, "scipy", tmp_path), FS, tmp_path)
    f = band_finding(r)
    assert f is not None and f.status is Status.TIP, r.findings
    assert translate(f.message, "en", f.params).startswith("Wideband quality: your voice")

    r = check_file(profile, through(x, 8000, "sox", tmp_path), FS, tmp_path)
    f = band_finding(r)
    assert f is not None and f.status is Status.WARN
    assert f.threshold == 6.0 and f.value < 6.0
    text = translate(f.message, "en", f.params)
    assert text.startswith("Phone quality: your voice reaches the interviewer only up to ")
    assert "built-in microphone" in translate(f.fix, "en")
    assert r.metrics["audio_band"].unit == "kHz"


def test_a_recording_at_8_khz_names_the_sample_rate_in_english_and_swedish(profile, tmp_path):
    from scipy.signal import resample_poly

    y = resample_poly(voice48("sv"), 1, 6).astype(np.float32)
    r = check_file(profile, y, 8000, tmp_path)
    f = band_finding(r)
    assert f is not None and f.status is Status.WARN and f.value == 4.0
    assert f.params["cause"] == T.CAUSE_RECORDING_RATE
    assert translate(f.message, "en", f.params).endswith(
        "The recording itself has a low sample rate, as a Bluetooth headset's hands-free mode "
        "gives.")
    sv = translate(f.message, "sv", f.params)
    assert sv.startswith("Telefonkvalitet: din röst når intervjuaren bara upp till 4,0 kHz")
    assert sv.endswith("som ett Bluetooth-headset ger i handsfree-läget.")
    assert "inbyggda mikrofon" in translate(f.fix, "sv")


# --- what the system says -------------------------------------------------------------------

PACTL_CARDS = """Card #42
\tName: alsa_card.pci-0000_00_1f.3
\tDriver: alsa
\tActive Profile: output:analog-stereo+input:analog-stereo
Card #57
\tName: bluez_card.AC_80_0A_12_34_56
\tDriver: module-bluez5-device.c
\tProfiles:
\t\ta2dp-sink: High Fidelity Playback (A2DP Sink) (sinks: 1, sources: 0)
\t\theadset-head-unit: Headset Head Unit (HSP/HFP) (sinks: 1, sources: 1)
\tActive Profile: headset-head-unit
"""


def test_pactl_cards_and_source_rates_are_read():
    assert T.pulse_cards(PACTL_CARDS) == [
        ("alsa_card.pci-0000_00_1f.3", "output:analog-stereo+input:analog-stereo"),
        ("bluez_card.AC_80_0A_12_34_56", "headset-head-unit")]
    sources = ("Source #3\n\tState: RUNNING\n\tName: bt.monitor\n"
               "\tSample Specification: float32le 1ch 8000Hz\n"
               "Source #4\n\tName: mic\n\tSample Specification: s16le 2ch 48000Hz\n")
    assert T.source_rates(sources) == {"bt.monitor": 8000, "mic": 48000}


MAC_AUDIO = """{"SPAudioDataType": [{"_name": "coreaudio_device", "_items": [
  {"_name": "MacBook Pro Microphone", "coreaudio_device_input": 1,
   "coreaudio_device_transport": "coreaudio_device_type_builtin"},
  {"_name": "AirPods Pro", "coreaudio_default_audio_input_device": "spaudio_yes",
   "coreaudio_device_input": 1, "coreaudio_device_srate": 24000,
   "coreaudio_device_transport": "coreaudio_device_type_bluetooth"}]}]}"""


def test_the_systems_words_for_a_headset_in_hands_free_mode(monkeypatch):
    """No machine here has a Bluetooth headset: the tools' answers are given as they print
    them (pactl 16 of PipeWire 0.3.65; system_profiler of macOS 14)."""
    answers: dict[str, str | None] = {}
    monkeypatch.setattr(T, "_tool", lambda cmd: answers.get(" ".join(cmd[:3])))
    answers["pactl list cards"] = PACTL_CARDS
    assert T.linux_cause("default") == T.CAUSE_PROFILE
    answers["pactl list cards"] = PACTL_CARDS.replace("Active Profile: headset-head-unit",
                                                      "Active Profile: a2dp-sink")
    answers["pactl get-default-source"] = "bluez_input.AC_80_0A_12_34_56.0\n"
    assert T.linux_cause("default") == T.CAUSE_BLUETOOTH
    answers["pactl get-default-source"] = "alsa_input.pci-0000_00_1f.3.analog-stereo\n"
    answers["pactl list sources"] = ("Source #5\n\tName: alsa_input.pci-0000_00_1f.3.analog-"
                                     "stereo\n\tSample Specification: s16le 2ch 48000Hz\n")
    assert T.linux_cause("default") is None
    answers["system_profiler SPAudioDataType -json"] = MAC_AUDIO
    assert T.mac_cause("") == T.CAUSE_BLUETOOTH  # the default input
    assert T.mac_cause("AirPods Pro") == T.CAUSE_BLUETOOTH
    assert T.mac_cause("MacBook Pro Microphone") is None  # chosen by name over the default
    answers["system_profiler SPAudioDataType -json"] = MAC_AUDIO.replace("spaudio_yes", "no")
    assert T.mac_cause("") is None
    answers["system_profiler SPAudioDataType -json"] = "{not json"
    assert T.mac_cause("") is None


def test_windows_hands_free_endpoint_and_the_fallbacks(monkeypatch):
    assert T.windows_cause("Headset (WH-1000XM4 Hands-Free AG Audio)") == T.CAUSE_HANDSFREE
    assert T.windows_cause("Headphones (WH-1000XM4 Stereo)") is None
    # a system TechCheck has no reader for says nothing; the sample rate still does
    monkeypatch.setattr(sys, "platform", "sunos5")
    assert T.platform_cause("x") is None
    assert T.narrow_cause(16000, "x") == T.CAUSE_SAMPLERATE
    assert T.narrow_cause(16000, device=False) == T.CAUSE_RECORDING_RATE
    assert T.narrow_cause(48000, "x") == ""
    # a tool that fails is no answer
    monkeypatch.setattr(T, "_tool", lambda cmd: None)
    assert T.linux_cause("default") is None and T.mac_cause("") is None


# --- through the private PipeWire server -----------------------------------------------------

@pytest.mark.audio
@pytest.mark.timed  # the band read from speech recorded in real time (test_audio_devices.py)
@pytest.mark.slow
@pytest.mark.parametrize("voice,rate,status", [
    ("alsa", 8000, Status.WARN), ("alsa", 16000, Status.TIP), ("alsa", 48000, None),
    ("sv", 8000, Status.WARN), ("en", 16000, Status.TIP)])
def test_a_microphone_the_sound_server_runs_at_8_or_16_khz(voice, rate, status, profile,
                                                          pipewire_server):
    """A headset in hands-free mode, as the sound server sees it: a source whose sample rate is
    ``rate`` (a null sink created with ``rate=``, its monitor the default source; ``pactl``
    lists it at that rate, as it lists a ``bluez_input`` in HFP) and a graph that runs at that
    rate (PipeWire's ``clock.force-rate``: a null sink alone only labels its format and runs at
    the graph's 48 kHz, measured here, so the label without the clock limits nothing). A
    full-band voice played into it is resampled by PipeWire itself down to ``rate`` and back up
    to the 48 kHz PortAudio records at: the band limit is the sound server's own resampler."""
    from tests.services.test_audio_devices import Asker

    name = f"bt{rate // 1000}k"
    srv = pipewire_server
    module = srv.pactl("load-module", "module-null-sink", f"sink_name={name}",
                       "channel_map=mono", "channels=1", f"rate={rate}").stdout.strip()
    try:
        srv._wait(lambda: name in srv.pactl("list", "short", "sinks").stdout, 5.0, name)
        srv.set_default_source(f"{name}.monitor")
        subprocess.run(["pw-metadata", "-n", "settings", "0", "clock.force-rate", str(rate)],
                       env=srv.env, capture_output=True, timeout=10, check=True)
        take = voice48(voice)

        class Mic:
            def play(self, what, fs, started=False):
                return srv.play(what, fs, sink=name, started=started)

        asker = Asker(Mic(), take, FS)
        ctx = CheckContext(profile=profile, devices=Devices(microphone="default"), ask=asker,
                           duration=take.size / FS + 0.6)
        r = MicrophoneCheck().run(ctx)
    finally:
        for p in srv.players:
            p.wait(30)
        srv.players.clear()
        subprocess.run(["pw-metadata", "-n", "settings", "0", "clock.force-rate", "0"],
                       env=srv.env, capture_output=True, timeout=10, check=False)
        srv.set_default_source("micfeed.monitor")
        srv.pactl("unload-module", module, check=False)
    assert r.metrics["samplerate"].value == FS  # PortAudio records at 48 kHz all the same
    assert r.metrics["speech_level"].value == pytest.approx(-24, abs=1.5)
    f = band_finding(r)
    if status is None:  # the same path at the usual 48 kHz: the whole band, nothing to say
        assert f is None and r.metrics["audio_band"].value > 20, r.metrics["audio_band"]
        return
    assert f is not None and f.status is status, (r.findings, r.metrics.get("audio_band"))
    # PipeWire's own resampler stops earlier than scipy's or sox's (its default quality gives
    # 3.1-3.5 kHz of an 8 kHz graph and 6.8-7.0 of a 16 kHz one here): within 30 % under half
    # the rate
    assert 0.7 * rate / 2000 <= f.value <= 1.1 * rate / 2000, (f.value, r.details["audio_band"])
    assert f.params["cause"] == T.CAUSE_SAMPLERATE  # pactl lists the source at ``rate``
