"""The audio analysis on signals whose true values are known by construction, the file source,
the level meter, the echo finder, and the microphone check on files. No sound server needed."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from techcheck.checks.audio import analysis as A
from techcheck.checks.audio import backend
from techcheck.checks.audio.backend import AudioProblem
from techcheck.checks.audio.echo import chime_and_sweep, find_echo
from techcheck.checks.audio.meter import LevelMeter
from techcheck.checks.audio.microphone import MicrophoneCheck
from techcheck.checks.audio.source import is_file_spec, open_input, read_audio_file
from techcheck.checks.context import CheckContext, Devices
from techcheck.checks.model import Status
from tests.audio_material import alsa_voice, espeak, hum, mix, white_noise

FS = 48000


def sine(freq: float, peak_dbfs: float, seconds: float, fs: int = FS) -> np.ndarray:
    t = np.arange(int(seconds * fs)) / fs
    return (10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


# --- building blocks ------------------------------------------------------------------------

def test_one_pole_and_running_max_match_the_plain_loops():
    rng = np.random.default_rng(1)
    x = rng.random(3000)
    y = A.one_pole(x, 0.97)
    s, ref = 0.0, []
    for v in x:
        s = 0.97 * s + 0.03 * v
        ref.append(s)
    assert np.abs(y - np.array(ref)).max() < 1e-12
    for w in (1, 5, 64):
        rm = A.running_max(x, w)
        assert np.array_equal(rm, [x[max(0, i - w + 1): i + 1].max() for i in range(x.size)])


def test_active_level_of_a_steady_tone_is_its_rms():
    # P.56 on a continuous tone: everything is active, so the level equals the RMS (-3.01 dB
    # below the peak of a sine)
    lvl = A.active_speech_level(sine(1000, -20, 3), FS)
    assert lvl.level_dbfs == pytest.approx(-23.01, abs=0.1)
    assert lvl.activity > 0.98


def test_active_level_ignores_pauses_and_follows_gain():
    v = alsa_voice()
    base = A.active_speech_level(v, FS).level_dbfs
    padded = np.concatenate([np.zeros(3 * FS, np.float32), v, np.zeros(2 * FS, np.float32)])
    assert A.active_speech_level(padded, FS).level_dbfs == pytest.approx(base, abs=0.05)
    # plain RMS drops by the share of silence; the active level does not
    assert A.power_db(float(np.mean(padded**2))) < base - 5
    assert A.active_speech_level(v * 0.1, FS).level_dbfs == pytest.approx(base - 20, abs=0.05)
    assert -24 < base < -20  # the clips are recorded around -22 dBFS active level


def test_vad_finds_speech_wherever_it_is():
    v = alsa_voice()
    early = mix(v, FS, noise_dbfs=-60, lead_s=0.3, tail_s=3.0)
    late = mix(v, FS, noise_dbfs=-60, lead_s=3.0, tail_s=0.3)
    a, b = A.analyse(early.signal, FS), A.analyse(late.signal, FS)
    for x in (a, b):
        assert x.speech_level_dbfs == pytest.approx(early.speech_dbfs, abs=0.5)
        assert x.noise_floor_dbfs == pytest.approx(-60, abs=0.5)
        assert x.speech_s > 1.5
    assert a.snr_db == pytest.approx(early.speech_dbfs + 60, abs=1)


def test_stationary_noise_is_not_speech():
    a = A.analyse(white_noise(4 * FS, -45), FS)
    assert not a.has_speech and a.speech_s == 0
    assert a.noise_floor_dbfs == pytest.approx(-45, abs=0.3)


@pytest.mark.parametrize("f0", [50.0, 60.0])
def test_mains_hum_frequency_and_level(f0: float):
    take = mix(alsa_voice(), FS, noise_dbfs=-75, hum_dbfs=-50, hum_f0=f0, lead_s=1.5)
    a = A.analyse(take.signal, FS)
    assert a.hum.frequency_hz == f0
    assert a.hum.level_dbfs == pytest.approx(-50, abs=1)
    assert a.hum.harmonics >= 3
    clean = A.analyse(mix(alsa_voice(), FS, noise_dbfs=-75).signal, FS)
    assert clean.hum.level_dbfs < -70  # speech harmonics alone are not hum


def test_clipping_ratio_of_an_overdriven_sine():
    x = np.clip(sine(997, 20 * np.log10(1.25), 2), -1, 1)
    c = A.clipping(x)
    # the share of a sine above 0.8 of its peak: 1 - (2/pi) * arcsin(0.8)
    assert c.ratio == pytest.approx(1 - 2 / np.pi * np.arcsin(0.8), rel=0.03)
    assert c.level_dbfs == pytest.approx(0, abs=0.01)
    assert A.clipping(sine(997, -1, 2)).ratio == 0  # loud but clean
    assert A.clipping(hum(2 * FS, FS, -3.5)).ratio == 0  # low frequency near full scale


def _voice(name: str) -> tuple[np.ndarray, int]:
    if name == "alsa":
        return alsa_voice(("Front_Center", "Front_Left", "Front_Right", "Rear_Center")), FS
    return espeak(name)


# Issue 20 item 5: a voice driven 18 dB into the converter's ceiling, starting at once (the live
# meter's window, a file) or after a stream that delivers digital zeros first. Clipping turns each
# voiced sound into a comb of harmonics; before hum was judged without the clipped stretches these
# measured as 50/60 Hz hum at -26 to -36 dBFS (a warning).
@pytest.mark.parametrize("voice,lead_s", [("alsa", 0.3), ("en", 0.3), ("en", 2.0), ("sv", 0.3),
                                          ("sv", 2.0)])
def test_a_clipped_voice_raises_clipping_not_hum(tmp_path, profile, voice: str, lead_s: float):
    import soundfile as sf

    speech, fs = _voice(voice)
    take = mix(speech, fs, gain_db=18, clip=True, lead_s=lead_s, tail_s=0.05)
    a = A.analyse(take.signal, fs)
    assert a.clip_ratio > 0.01
    assert a.hum.frequency_hz is None or a.hum.level_dbfs < -60
    sf.write(str(tmp_path / "loud.wav"), take.signal, fs, subtype="FLOAT")
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "loud.wav")))
    assert "microphone.clipping" in codes(r) and "microphone.hum" not in codes(r), codes(r)


@pytest.mark.parametrize("voice", ["alsa", "en"])
@pytest.mark.parametrize("gain_db", [0, 18])
def test_real_hum_under_a_voice_is_found_clipped_or_not(tmp_path, profile, voice: str,
                                                         gain_db: int):
    """Leaving out the clipped stretches must not hide hum: the pauses still carry it."""
    import soundfile as sf

    speech, fs = _voice(voice)
    take = mix(speech, fs, gain_db=gain_db, noise_dbfs=-75, hum_dbfs=-45, clip=True)
    a = A.analyse(take.signal, fs)
    assert (a.clip_ratio > 0.01) == (gain_db > 0)
    assert a.hum.frequency_hz == 50.0 and a.hum.level_dbfs == pytest.approx(-45, abs=1)
    sf.write(str(tmp_path / "hum.wav"), take.signal, fs, subtype="FLOAT")
    found = codes(MicrophoneCheck().run(_ctx(profile, str(tmp_path / "hum.wav"))))
    assert "microphone.hum" in found
    assert ("microphone.clipping" in found) == (gain_db > 0)


def test_hum_is_not_measured_when_every_stretch_clips():
    speech, fs = _voice("en")
    take = mix(speech, fs, gain_db=18, noise_dbfs=-75, hum_dbfs=-45, clip=True, lead_s=0.0)
    a = A.analyse(take.signal, fs)
    assert not a.hum.measured and a.hum.frequency_hz is None
    # the report says "could not measure", never a number
    from techcheck.checks.audio.microphone import judge
    from techcheck.checks.base import ResultBuilder
    from techcheck.checks.profile import generic_limits

    r = ResultBuilder("microphone", "Microphone")
    judge(r, generic_limits("microphone", MicrophoneCheck.Limits), a)
    res = r.build()
    assert res.metrics["hum_level"].value is None
    assert "microphone.clipping" in {f.code for f in res.findings}


def test_clipped_samples_mark_the_runs_only():
    x = np.array([0.1, 1.0, 1.0, 1.0, 0.2, 1.0, 1.0, 0.3, -1.0, -1.0, -1.0, -1.0], np.float32)
    m = A.clipped_samples(x)
    assert m.tolist() == [False, True, True, True, False, False, False, False, True, True, True,
                          True]
    assert A.clipping(x).samples == 7


def test_dc_offset_and_channels():
    v = alsa_voice()
    a = A.analyse(v + 0.05, FS)
    assert a.dc_offset == pytest.approx(0.05, abs=0.002)
    stereo = np.stack([v, np.zeros_like(v)], axis=1)
    s = A.analyse(stereo, FS)
    assert s.channel_states == ["ok", "dead"]
    # the dead channel is left out, so the level is the voice's own, not 6 dB lower
    assert s.speech_level_dbfs == pytest.approx(A.analyse(v, FS).speech_level_dbfs, abs=0.1)
    z = A.analyse(np.zeros((FS, 2), np.float32), FS)
    assert z.silent and z.channel_states == ["silent", "silent"]


def test_integer_pcm_is_scaled_to_full_scale():
    x = (sine(440, -6, 1) * 32767).astype(np.int16)
    assert A.analyse(x, FS).peak_dbfs == pytest.approx(-6, abs=0.05)


# --- meter and echo --------------------------------------------------------------------------

def test_level_meter_reports_rms_peak_and_clipping_per_block():
    m = LevelMeter(FS)
    lv = m.update(sine(1000, -10, 0.02))
    assert lv.rms_dbfs == pytest.approx(-13.01, abs=0.05)
    assert lv.peak_dbfs == pytest.approx(-10, abs=0.05)
    assert not lv.clipping and lv.t == pytest.approx(0.02)
    assert m.update(np.ones(960, np.float32)).clipping
    assert m.update(np.zeros((960, 2), np.float32)).rms_dbfs == A.FLOOR_DB


def test_echo_is_found_with_its_delay_and_loss():
    s = chime_and_sweep(FS)
    delay = int(0.0734 * FS)
    rec = np.zeros(s.size + FS // 2, np.float32)
    rec[delay: delay + s.size] += 0.1 * s  # 20 dB quieter
    rec += white_noise(rec.size, -60)
    e = find_echo(s, rec, FS)
    assert e.found
    assert e.delay_ms == pytest.approx(73.4, abs=0.1)
    assert e.return_loss_db == pytest.approx(20, abs=0.5)
    assert not find_echo(s, white_noise(rec.size, -40, seed=3), FS).found
    assert not find_echo(s, np.zeros_like(rec), FS).found


# --- files ---------------------------------------------------------------------------------

def test_files_stand_in_for_the_microphone(tmp_path):
    import soundfile as sf

    take = mix(alsa_voice(), FS, noise_dbfs=-62)
    for name in ("take.wav", "take.flac"):
        sf.write(str(tmp_path / name), take.signal, FS)
        data, fs = read_audio_file(tmp_path / name)
        assert fs == FS and data.shape == (take.signal.size, 1)
        with open_input(str(tmp_path / name), realtime=False) as src:
            assert src.is_file
    assert is_file_spec(str(tmp_path / "take.wav")) and not is_file_spec("default")
    assert not is_file_spec("3") and not is_file_spec(None)


@pytest.mark.parametrize("content", [b"", b"this is not audio\n" * 50, b"RIFF\x00\x00WAVEfmt "])
def test_a_file_that_is_not_audio_is_a_bad_file(tmp_path, content: bytes):
    p = tmp_path / "notes.wav"
    p.write_bytes(content)
    with pytest.raises(AudioProblem) as e:
        read_audio_file(p)
    assert e.value.kind == "bad_file"


def _ctx(profile, mic, lang="en") -> CheckContext:
    return CheckContext(profile=profile, devices=Devices(microphone=mic), lang=lang)


@pytest.fixture(scope="module")
def profile():
    from techcheck.app.commands.common import load

    return load("generic")[1]


def test_microphone_check_on_a_good_file(tmp_path, profile):
    import soundfile as sf

    v, fs = espeak("en")
    take = mix(v, fs, gain_db=-22 - float(A.active_speech_level(v, fs).level_dbfs),
               noise_dbfs=-65)
    sf.write(str(tmp_path / "good.flac"), take.signal, fs)
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "good.flac")))
    assert r.status is Status.PASS, [f.code for f in r.findings]
    assert r.metrics["speech_level"].value == pytest.approx(-22, abs=1)
    assert r.metrics["noise_floor"].value == pytest.approx(-65, abs=1)
    assert r.details["source"]["samplerate"] == fs


def test_microphone_check_on_bad_files(tmp_path, profile):
    import soundfile as sf

    (tmp_path / "cv.pdf").write_text("%PDF-1.4 not audio")
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "cv.pdf")))
    assert codes(r) == {"microphone.bad_file"} and r.status is Status.FAIL
    assert "cv.pdf" in r.findings[0].text()
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "missing.wav")))
    assert codes(r) == {"microphone.bad_file"}
    # a stereo recording whose right channel is dead, and one that is all zeros
    v = mix(alsa_voice(), FS, noise_dbfs=-66).signal
    sf.write(str(tmp_path / "dead.wav"), np.stack([v, np.zeros_like(v)], axis=1), FS)
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "dead.wav")))
    assert codes(r) == {"microphone.dead_channel"}
    sf.write(str(tmp_path / "zeros.wav"), np.zeros((FS * 2, 1), np.float32), FS)
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "zeros.wav"), lang="sv"))
    assert codes(r) == {"microphone.silent"}
    assert "Bluetooth" in r.findings[0].fix_text("sv") and "tystnad" in r.findings[0].text("sv")


def test_portaudio_missing_is_a_finding_with_a_fix(monkeypatch, profile):
    from tests.stubs import BrokenPortAudio

    BrokenPortAudio.install(monkeypatch)
    with pytest.raises(AudioProblem) as e:
        backend.sounddevice()
    assert e.value.kind == "portaudio_missing"
    r = MicrophoneCheck().run(_ctx(profile, "default"))
    assert codes(r) == {"microphone.unavailable"}
    assert "PortAudio" in r.findings[0].text()
    if sys.platform.startswith("linux"):
        assert "libportaudio2" in r.findings[0].fix_text()
    from techcheck.checks.audio.speaker import SpeakerCheck

    r = SpeakerCheck().run(_ctx(profile, "default"))
    assert codes(r) == {"speaker.unavailable"}
    with pytest.raises(RuntimeError, match="PortAudio"):
        MicrophoneCheck.list_devices()


def test_problem_classification_names_permission_and_busy():
    assert backend.classify(OSError("Error opening InputStream: Unanticipated host error "
                                    "[PaErrorCode -9999]: 'Access is denied.'")).kind \
        == "permission"
    assert backend.classify(OSError("Error opening InputStream: Device unavailable "
                                    "[PaErrorCode -9985]")).kind == "busy"
    assert backend.classify(OSError("Invalid sample rate")).kind == "unavailable"


def test_swedish_texts_render(profile, tmp_path):
    r = MicrophoneCheck().run(_ctx(profile, str(tmp_path / "x.txt")))
    text = json.dumps(r.to_dict("sv"), ensure_ascii=False)
    assert "kan inte ersätta en mikrofon" in text


def test_demo_voice_passes_the_microphone_check(profile):
    from techcheck import resources
    path = resources.path("demo", "voice.wav")
    r = MicrophoneCheck().run(_ctx(profile, str(path)))
    assert r.status is Status.PASS, codes(r)
    assert r.metrics["speech_level"].value == pytest.approx(-22, abs=0.5)
    assert r.metrics["noise_floor"].value == pytest.approx(-56, abs=1)
    with open_input(str(path), blocksize=960, realtime=True, loop=True) as src:
        # demo mode: paced like a live microphone, ~20 ms blocks whatever the file's rate
        first = src.read(1.0)
        assert first is not None and abs(first.shape[0] / src.samplerate - 0.02) < 0.001
