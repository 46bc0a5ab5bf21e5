"""The microphone's live hint judges as the microphone check judges (issue 20 item 3): the same
measure (ITU-T P.56 active speech level and clipped share, ``analysis.analyse``), over as many
seconds as the check records, graded by the same limits, with hysteresis; so the hint never
contradicts the card once the card is shown, and does not flip on a steady voice.

The GUI tests play a real recording (alsa-utils' voice clips, one person reading eight words)
through the WAV source the app uses for a file microphone, drive the real page, press the
check's button as a person does, and read what the page shows."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from techcheck.checks.audio import analysis as A
from techcheck.checks.audio.livelevel import LevelMeasures, judge_level, window_seconds
from techcheck.checks.audio.measures import SPEECH_LEVEL
from techcheck.checks.audio.microphone import MicrophoneCheck, judge
from techcheck.checks.base import ResultBuilder
from techcheck.checks.model import Status
from techcheck.checks.profile import generic_limits
from tests.audio_material import alsa_voice, white_noise
from tests.gui_fixtures import by_name, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

FS = 48000
WORDS = ("Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left", "Rear_Right",
         "Side_Left", "Side_Right")


@pytest.fixture(scope="module")
def lim():
    return generic_limits("microphone", MicrophoneCheck.Limits)


def steady_voice(level_dbfs: float) -> np.ndarray:
    """The eight alsa-utils words (13 s) over a -70 dBFS room, scaled until the whole
    recording's active speech level measures ``level_dbfs`` (P.56's thresholds are absolute,
    so one scaling step may not be exact)."""
    v = alsa_voice(WORDS)
    x = np.concatenate([np.zeros(4800, np.float32), v, np.zeros(9600, np.float32)])
    x = x.astype(np.float64) + white_noise(x.size, -70)
    for _ in range(8):
        got = A.analyse(x.astype(np.float32), FS, min_speech_s=1.0).speech_level_dbfs
        assert got is not None
        if abs(got - level_dbfs) < 1e-6:
            return x.astype(np.float32)
        x = x * 10 ** ((level_dbfs - got) / 20)
    raise AssertionError(f"the voice measures {got} dBFS, not {level_dbfs}")


def check_result(x: np.ndarray, lim):
    r = ResultBuilder("microphone", "Microphone")
    judge(r, lim, A.analyse(x, FS, min_speech_s=lim.min_speech_s))
    return r.build()


# --- the judging function the check and the live view share ------------------------------------

def test_a_level_exactly_at_a_limit_passes_in_the_check_and_live(lim):
    """Limits are inclusive on the good side (docs/verdicts.md): -28.0 and -16.0 pass, in the
    check's card and in the live hint alike; -40.0 (the second limit) is still only a tip."""
    for value, status in ((lim.speech_level_low_tip_dbfs, Status.PASS),
                          (lim.speech_level_high_tip_dbfs, Status.PASS),
                          (lim.speech_level_low_warn_dbfs, Status.TIP),
                          (lim.speech_level_high_warn_dbfs, Status.TIP),
                          (lim.speech_level_low_tip_dbfs - 1e-9, Status.TIP)):
        m = LevelMeasures(value, 5.0, 0.0, -10.0, -10.0)
        assert judge_level(m, lim).status is status, value
    # and a real recording whose level is exactly the limit: the check's card and the live
    # judgement of the same numbers say the same
    x = steady_voice(lim.speech_level_low_tip_dbfs)
    result = check_result(x, lim)
    assert result.metrics["speech_level"].value == -28.0
    assert result.metrics["speech_level"].status is Status.PASS
    assert "microphone.too_quiet" not in {f.code for f in result.findings}
    seeded = judge_level(LevelMeasures.from_result(result), lim)
    assert seeded.status is Status.PASS and seeded.kind == "good"


@pytest.mark.parametrize("gain_db", [-30, -18, -10, -4, 0, 6, 9, 14, 20])
def test_the_live_judgement_of_a_recording_is_the_checks(lim, gain_db: float):
    """Without a previous state the live judge gives what the check's card gives, for real
    speech from far too quiet to clipping."""
    x = np.clip(steady_voice(-22.0) * np.float32(10 ** (gain_db / 20)), -1, 1)
    a = A.analyse(x, FS, min_speech_s=lim.min_speech_s)
    result = check_result(x, lim)
    live = judge_level(LevelMeasures.of(a), lim)
    card = result.metrics["speech_level"].status
    clip = result.metrics["clipping"].status
    assert live.status is Status.worst([card, clip]), (gain_db, live, card, clip)
    codes = {f.code for f in result.findings}
    assert (live.kind == "clipping") == ("microphone.clipping" in codes)
    if live.kind == "quiet":
        assert "microphone.too_quiet" in codes
        assert live.speech is not None and live.speech.limit == result.findings[0].threshold


def test_hysteresis_holds_a_verdict_until_the_level_is_clearly_past_a_limit(lim):
    def at(level: float, prev=None):
        return judge_level(LevelMeasures(level, 5.0, 0.0, -10.0, -10.0), lim, prev)

    m = SPEECH_LEVEL.margin
    assert m == 1.0
    low = lim.speech_level_low_tip_dbfs
    v = at(-22.0)
    for level in (low - 0.5 * m, low - 0.9 * m, low + 0.3 * m):  # hovering at the limit
        v = at(level, v)
        assert v.status is Status.PASS and v.kind == "good"
    v = at(low - 1.1 * m, v)  # clearly below: the limit quoted is the one that was applied
    assert v.status is Status.TIP and v.kind == "quiet"
    assert v.speech is not None and v.speech.limit == pytest.approx(low - m)
    assert v.limit == low  # the hint quotes the card's limit: the level is past it
    v = at(low + 0.5 * m, v)  # back inside, but not clearly: still quiet, and the hint quotes
    assert v.kind == "quiet" and v.speech is not None  # the limit that held it there
    assert v.speech.limit == pytest.approx(low + m) and v.level_dbfs < v.speech.limit
    assert v.limit == pytest.approx(low + m)  # never "want at least -28" for -27.5
    v = at(low + 1.2 * m, v)
    assert v.status is Status.PASS
    v = at(low - 2.0, v)
    assert v.kind == "quiet"
    v = at(lim.speech_level_high_tip_dbfs + 2.0, v)  # straight from one side to the other:
    assert v.kind == "loud" and v.status is Status.TIP  # the same level of crossing, but loud
    v = at(-5.0, v)  # and on to far too loud
    assert v.kind == "loud" and v.status is Status.WARN
    assert at(None, v) is v  # a pause keeps the level last heard


def test_the_live_window_is_as_long_as_the_checks_recording(lim):
    assert window_seconds(lim) == pytest.approx(lim.quiet_s + lim.speech_s)


# --- the real page, a real recording through the WAV source ------------------------------------

def _wav(tmp_path: Path, x: np.ndarray, name: str) -> Path:
    import soundfile as sf

    path = tmp_path / name
    sf.write(str(path), x, FS, subtype="FLOAT")
    return path


def _watch(qtbot, page, seconds: float) -> list[tuple[Status | None, str]]:
    """What the hint shows, every 50 ms for ``seconds``."""
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qtbot.wait(50)
        seen.append((page.level.status(), page.level.word.text()))
    return seen


def _open_page(make_window, qtbot, monkeypatch, wav: Path):
    from techcheck.app import demo

    monkeypatch.setattr(demo, "voice_clip", lambda: wav)
    w = make_window(demo_mode="on")
    w.go("microphone")
    page = w.pages["microphone"]
    assert page.session.devices.microphone == str(wav)
    return w, page


@pytest.mark.slow
def test_the_hint_does_not_flip_on_a_steady_voice(make_window, qtbot, monkeypatch, tmp_path):
    """Before: every 20 ms block's RMS against the zone — a steady voice at -22 dBFS showed
    Good, Quiet and Loud in turn. Now one verdict once the window holds speech."""
    wav = _wav(tmp_path, steady_voice(-22.0), "steady.wav")
    _w, page = _open_page(make_window, qtbot, monkeypatch, wav)
    qtbot.waitUntil(lambda: page.level.status() is not None, timeout=15_000)
    seen = _watch(qtbot, page, 6.0)
    assert {s for s, _ in seen} == {Status.PASS}, sorted({t for _, t in seen})
    assert all(t.startswith("Good level (-2") for _, t in seen), seen[-1]
    assert page._window_n >= 8  # the window was measured again and again meanwhile


@pytest.mark.slow
@pytest.mark.parametrize("level", [-28.0, -30.5])
def test_after_the_card_the_hint_agrees_with_it(make_window, qtbot, monkeypatch, tmp_path,
                                                level: float):
    """A voice exactly at the lower limit (the card passes it; 8-second windows of it measure
    0.9 dB either side, which without hysteresis flipped the hint between Good and Quiet), and
    one clearly below it (the card's tip): the hint says what the card says, every time."""
    wav = _wav(tmp_path, steady_voice(level), "voice.wav")
    w, page = _open_page(make_window, qtbot, monkeypatch, wav)
    press(qtbot, by_name(w, "Check the microphone"))
    qtbot.waitUntil(lambda: "microphone" in page.session.results and not page.panel.running,
                    timeout=30_000)
    result = page.session.results["microphone"]
    card = result.metrics["speech_level"].status
    assert card is (Status.PASS if level == -28.0 else Status.TIP)
    quiet = "microphone.too_quiet" in {f.code for f in result.findings}
    assert quiet == (card is Status.TIP)
    qtbot.waitUntil(lambda: page.live is not None, timeout=10_000)  # the meter is back
    seen = _watch(qtbot, page, 7.0)
    assert {s for s, _ in seen} == {card}, sorted({(s, t) for s, t in seen})
    words = {t.split(" (")[0] for _, t in seen}
    assert words == ({"Quiet: speak up or move closer"} if quiet else {"Good level"})
    assert page._window_n >= 10


@pytest.mark.audio
@pytest.mark.slow
def test_the_hint_is_steady_through_the_real_capture_path(make_window, qtbot,
                                                         virtual_microphone):
    """The same steady voice through PortAudio and the private PipeWire server's virtual
    microphone (the system default input), as a person's microphone reaches the app."""
    voice = steady_voice(-22.0)
    virtual_microphone.play(np.concatenate([voice] * 3), FS)
    w = make_window(demo_mode="off")
    page = w.pages["microphone"]
    page.session.devices.microphone = None
    w.go("microphone")
    page.picker.setCurrentIndex(page.picker.findData(None))
    qtbot.waitUntil(lambda: page.level.status() is not None, timeout=20_000)
    seen = _watch(qtbot, page, 6.0)
    assert {s for s, _ in seen} == {Status.PASS}, sorted({t for _, t in seen})
    assert all(t.startswith("Good level (-2") for _, t in seen), seen[-1]
    assert page.verdict is not None and page.verdict.level_dbfs == pytest.approx(-22, abs=1.5)
    assert page._window_n >= 8
