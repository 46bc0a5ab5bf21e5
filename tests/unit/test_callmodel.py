"""The call model (checks/callmodel) on the real demo media: the JPEG stream meets its bit budget
over every second, frames are lost at the planned rate, the sound is band-limited and drops out
as planned, and the plan follows the platform profiles' tiers."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import soundfile as sf

from techcheck.checks import registry
from techcheck.checks.callmodel import (
    Conditions,
    LossSchedule,
    VideoModel,
    model_audio,
    plan_call,
    plan_for_limits,
)
from techcheck.checks.callmodel.plan import JITTER_BUFFER_MS
from techcheck.checks.network.analysis import tiers_from
from techcheck.checks.profile import load_profile
from tests.conftest import ROOT

CLIP = ROOT / "resources" / "demo" / "camera.avi"
VOICE = ROOT / "resources" / "demo" / "voice.wav"
GENERIC = tiers_from(["360p", "540p", "720p", "1080p"], [0.5, 1.2, 2.5, 4.0], [0.5, 1.2, 2.5, 4.0])


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    """Every frame of the demo clip, read through cv2.VideoCapture as the camera check does."""
    cap = cv2.VideoCapture(str(CLIP))
    out = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        out.append(f)
    cap.release()
    assert len(out) == 50 and out[0].shape == (720, 1280, 3)
    return out


@pytest.fixture(scope="module")
def voice() -> tuple[np.ndarray, int]:
    data, fs = sf.read(str(VOICE), dtype="float32")
    return data, fs


def profile_limits(name: str):
    return load_profile(name, registry.limit_schemas(registry.discover())).limits("network")


@pytest.mark.parametrize("up, loss, jitter", [(3.0, 0.0, 5.0), (1.5, 2.0, 10.0), (0.3, 8.0, 40.0)],
                         ids=["720p", "540p-lossy", "360p-low-fps"])
def test_bits_per_second_within_ten_percent_of_the_budget(frames, up, loss, jitter):
    plan = plan_call(GENERIC, Conditions(up, loss, jitter, 40.0), capture=(1280, 720))
    model = VideoModel(plan, seed=3)
    per_second: dict[int, int] = {}
    for i in range(25 * 5):  # 5 s of the 25 fps clip, looped
        t = i / 25.0
        out = model.push(frames[i % len(frames)], t)
        per_second[int(t)] = per_second.get(int(t), 0) + out.bits
        if out.image is not None:
            assert out.image.shape == (plan.height, plan.width, 3)
    target = plan.jpeg_kbps * 1000.0
    for second in range(1, 5):  # the first second is the controller finding its quality
        assert abs(per_second[second] / target - 1.0) <= 0.10, (second, per_second, target)
    assert model.stats()["sent"] >= 4 * min(plan.fps, 25.0)


def test_sent_frames_follow_the_planned_frame_rate(frames):
    plan = plan_call(GENERIC, Conditions(0.25, 0.0, 1.0), capture=(1280, 720))
    assert plan.fps == pytest.approx(15.0)  # half of the lowest tier's upload: half of 30 fps
    model = VideoModel(plan)
    sent = sum(model.push(frames[i % 50], i / 30.0).sent for i in range(300))  # 10 s at 30 fps
    assert sent == pytest.approx(150, abs=2)


@pytest.mark.slow
@pytest.mark.parametrize("loss, jitter, rtt", [(3.0, 30.0, 40.0), (1.0, 5.0, None),
                                               (10.0, 60.0, 150.0)])
def test_frames_lost_at_the_planned_rate_over_1000_frames(frames, loss, jitter, rtt):
    plan = plan_call(GENERIC, Conditions(0.6, loss, jitter, rtt), capture=(1280, 720))
    small = [cv2.resize(f, (plan.width, plan.height), interpolation=cv2.INTER_AREA)
             for f in frames[:10]]
    for seed in (0, 1):
        model = VideoModel(plan, seed=seed)
        outs = [model.push(small[i % 10], i / 30.0) for i in range(1000)]
        sent = [o for o in outs if o.sent]
        assert len(sent) == 1000
        rate = sum(o.lost for o in sent) / len(sent)
        assert abs(rate - plan.frame_loss) <= 0.01, (seed, rate, plan.frame_loss)
        frozen = sum(o.frozen for o in outs)
        assert frozen >= sum(o.lost for o in sent)  # every loss freezes the picture


def test_frame_loss_grows_with_loss_and_jitter_as_documented():
    calm = plan_call(GENERIC, Conditions(3.0, 0.0, 0.0, 30.0))
    assert calm.frame_loss == 0.0
    lossy = plan_call(GENERIC, Conditions(3.0, 3.0, 0.0, None))  # no round trip: no resends
    assert lossy.frame_loss == pytest.approx(1 - 0.97 ** lossy.packets_per_frame)
    resent = plan_call(GENERIC, Conditions(3.0, 3.0, 0.0, 30.0))
    assert resent.repaired and resent.frame_loss == pytest.approx(
        1 - (1 - 0.03 ** 2) ** resent.packets_per_frame)
    jittery = plan_call(GENERIC, Conditions(3.0, 0.0, 50.0, 30.0))
    assert jittery.late_fraction == pytest.approx(np.exp(-JITTER_BUFFER_MS / 50.0))
    assert jittery.frame_loss == pytest.approx(jittery.late_fraction)


@pytest.mark.parametrize("rate", [0.0, 0.013, 0.05, 0.25, 1.0])
def test_loss_schedule_tracks_its_rate_at_every_point(rate):
    sched = LossSchedule(rate, seed=7)
    flags = sched.take(1000)
    counts = np.cumsum(flags)
    expected = rate * np.arange(1, 1001)
    assert np.max(np.abs(counts - expected)) <= 20  # never more than one block behind
    assert abs(counts[-1] - rate * 1000) <= 1


def test_tiers_of_each_platform_profile_decide_the_picture():
    teams = profile_limits("teams")
    assert plan_for_limits(teams, Conditions(1.3, 0, 5)).height == 720
    assert plan_for_limits(teams, Conditions(1.0, 0, 5)).height == 360
    meet = profile_limits("meet")  # Meet's "HD" tier is 720p
    assert plan_for_limits(meet, Conditions(3.5, 0, 5)).height == 720
    zoom = profile_limits("zoom")  # Zoom's "HQ" tier has no size: taken as 360p
    low = plan_for_limits(zoom, Conditions(0.7, 0, 5))
    assert (low.tier, low.height, low.width) == ("HQ", 360, 640)
    cable = plan_for_limits(profile_limits("generic"), Conditions(50.0, 0, 1), capture=(1280, 720))
    assert (cable.width, cable.height) == (1280, 720)  # 1080p tier, but the camera gives 720p
    assert cable.video_kbps + cable.audio_kbps == pytest.approx(4000.0)  # capped at the top tier
    four_three = plan_call(GENERIC, Conditions(0.6, 0, 1), capture=(640, 480))
    assert (four_three.width, four_three.height) == (480, 360)


def test_the_plan_reports_every_number_it_used():
    plan = plan_call(GENERIC, Conditions(0.8, 3.0, 30.0, 45.0))
    numbers = {n.key: n.value for n in plan.numbers()}
    assert numbers["upload"] == 0.8 and numbers["loss"] == 3.0 and numbers["jitter"] == 30.0
    assert numbers["rtt"] == 45 and numbers["resolution"] == "640×360"
    assert numbers["frame_loss"] == round(100 * plan.frame_loss, 1) > 0
    assert numbers["audio_band"] == "fullband"


@pytest.mark.parametrize("up, down", [(5385.6, 13236.4), (5.0, 1.5), (3.0, 3.0), (1.3, 0.4),
                                      (0.3, 9.0), (0.8, None)])
@pytest.mark.parametrize("profile", ["generic", "teams", "meet", "zoom"])
def test_the_view_models_the_tier_the_connection_card_names(profile, up, down):
    """Issue 23, item 7: one declaration (the profile's tiers, chosen by the network check's
    ``best_tier``) for the card's "Good enough for … in {tier}" and the modelled picture; a
    slow download limits both (it used to be ignored by the model)."""
    from techcheck.checks.network.analysis import verdict

    lim = profile_limits(profile)
    tiers = tiers_from(lim.tiers, lim.tier_up_mbps, lim.tier_down_mbps)
    plan = plan_for_limits(lim, Conditions(up, 0.0, 1.0, 20.0, download_mbps=down),
                           capture=(1920, 1080))
    card_down = down if down is not None else up  # what a card with both speeds would say
    _, params = verdict("Teams", tiers, up, card_down)
    if down is not None:
        assert plan.tier == params.get("tier", tiers[0].name)
    assert plan.carried == ("tier" in params or (down is None and up >= tiers[0].up_mbps))
    named = [t for t, _ in plan.summary()]
    assert any("{tier}" in t for t in named)
    assert dict(plan.summary()[1][1])["tier"] == plan.tier
    assert plan.height == min(plan.tier_height, 1080)


def test_a_camera_smaller_than_the_tier_is_said_not_hidden():
    plan = plan_call(GENERIC, Conditions(50.0, 0, 1), capture=(1280, 720))
    assert plan.tier == "1080p" and (plan.width, plan.height) == (1280, 720)
    assert plan.camera_limited
    assert "your camera sends {width}×{height}" in plan.summary()[1][0]


def test_what_if_values_are_labelled_apart_from_the_measured():
    measured = Conditions(3.0, 1.0, 5.0, 40.0, download_mbps=20.0)
    tried = measured.trying(0.3, 5.0)
    assert tried.what_if and not measured.what_if and tried.measured == measured
    assert (tried.jitter_ms, tried.rtt_ms, tried.download_mbps) == (5.0, 40.0, 20.0)
    labels = {n.key: (n.label, n.value) for n in plan_call(GENERIC, tried).numbers()}
    assert labels["upload"] == ("Upload you set to try", 0.3)
    assert labels["loss"] == ("Packet loss you set to try", 5.0)
    assert labels["measured_upload"] == ("Upload measured (what the link could carry)", 3.0)
    assert labels["measured_loss"] == ("Packet loss measured", 1.0)
    plain = {n.key: n.label for n in plan_call(GENERIC, measured).numbers()}
    assert plain["upload"] == "Upload measured (what the link could carry)"
    assert "measured_upload" not in plain
    assert not any("used" in n.label.lower() for n in plan_call(GENERIC, tried).numbers())


@pytest.mark.parametrize("bad", [dict(upload_mbps=-1, loss_pct=0, jitter_ms=0),
                                 dict(upload_mbps=1, loss_pct=101, jitter_ms=0),
                                 dict(upload_mbps=float("nan"), loss_pct=0, jitter_ms=0)])
def test_impossible_conditions_are_refused(bad):
    with pytest.raises(ValueError):
        Conditions(**bad)


def _energy_above_db(x: np.ndarray, fs: int, cutoff: float) -> float:
    """Energy above ``cutoff`` relative to the energy below it, dB."""
    spec = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    f = np.fft.rfftfreq(x.size, 1.0 / fs)
    return float(10 * np.log10(spec[f > cutoff].sum() / spec[f <= cutoff].sum()))


def _band_energy(x: np.ndarray, fs: int, upto: float) -> float:
    spec = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    return float(spec[np.fft.rfftfreq(x.size, 1.0 / fs) <= upto].sum())


@pytest.mark.parametrize("up, band, cutoff", [(0.15, "narrowband", 4000.0),
                                              (0.4, "wideband", 8000.0)])
def test_the_audio_band_limit_shows_in_the_spectrum(voice, up, band, cutoff):
    data, fs = voice
    plan = plan_call(GENERIC, Conditions(up, 0.0, 1.0))
    assert (plan.audio_band, plan.audio_cutoff_hz) == (band, cutoff)
    original = _energy_above_db(data, fs, cutoff)
    assert original > -45  # the recording has real energy above the cut-off…
    out = model_audio(data, fs, plan)
    assert out.lost == 0 and out.samples.shape == data.shape
    assert _energy_above_db(out.samples, fs, cutoff) < -80  # …the modelled one does not
    # Speech well under the cut-off is untouched.
    assert _band_energy(out.samples, fs, 0.8 * cutoff) == pytest.approx(
        _band_energy(data, fs, 0.8 * cutoff), rel=1e-3)


def test_lost_sound_packets_are_concealed_without_leaving_the_band(voice):
    data, fs = voice
    plan = plan_call(GENERIC, Conditions(0.15, 6.0, 10.0))
    out = model_audio(data, fs, plan, seed=2)
    assert out.packets == -(-data.size // int(fs * 0.02))
    assert abs(out.lost / out.packets - plan.audio_loss) <= 0.01
    clean = model_audio(data, fs, plan_call(GENERIC, Conditions(0.15, 0.0, 10.0)))
    size = int(fs * 0.02)
    changed = sum(not np.allclose(out.samples[i * size:(i + 1) * size],
                                  clean.samples[i * size:(i + 1) * size], atol=1e-6)
                  for i in range(out.packets))
    # Each lost packet changes its own 20 ms (plus a 2.5 ms fade into the next one).
    assert out.lost <= changed <= 2 * out.lost
    assert _energy_above_db(out.samples, fs, 4000.0) < -40  # concealment adds no clicks


def test_fullband_keeps_the_recording_as_it_is(voice):
    data, fs = voice
    plan = plan_call(GENERIC, Conditions(2.0, 0.0, 1.0))
    assert plan.audio_band == "fullband"
    out = model_audio(data, fs, plan)
    assert np.allclose(out.samples, data, atol=1e-5)


def test_empty_recording_is_refused():
    with pytest.raises(ValueError, match="empty"):
        model_audio(np.zeros(0, np.float32), 48000, plan_call(GENERIC, Conditions(1, 0, 0)))


def test_the_summary_writes_speeds_as_every_surface_does():
    """The sentence's speeds go through l10n.quantity like the numbers and the sliders' labels:
    0.199 Mbit/s is "0.20 Mbit/s" / "0,20 Mbit/s" (it was "0.2" in the sentence only), and a
    line measured in thousands is grouped, never in an exponent ("1.23e+06")."""
    from techcheck.checks.l10n import quantity

    tried = Conditions(3.0, 0.0, 5.0, 40.0).trying(0.05 * 10 ** 0.6, 0.5)
    plan = plan_call(GENERIC, tried)
    up = {n.key: n for n in plan.numbers()}["upload"]
    for lang, shown in (("en", "0.20\u00a0Mbit/s"), ("sv", "0,20\u00a0Mbit/s")):
        assert quantity(up.value, up.unit, lang) == shown
        assert f" {shown} " in plan.summary_text(lang), plan.summary_text(lang)
    huge = plan_call(GENERIC, Conditions(1_234_567.0, 0.0, 1.0))
    assert "1,234,567\u00a0Mbit/s" in huge.summary_text("en")
    assert "1\u00a0234\u00a0567\u00a0Mbit/s" in huge.summary_text("sv")
