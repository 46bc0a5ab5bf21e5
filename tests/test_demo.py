"""Demo mode (GUI and selftest): the network check measures only against the local server, so a
newcomer without internet sees it work instead of a wall of "cannot reach teams.microsoft.com"."""

from __future__ import annotations

import time

import numpy as np
import pytest

from techcheck.app import demo
from techcheck.app.report import text, view
from techcheck.checks import registry
from techcheck.checks.audio import standin
from techcheck.checks.context import CheckContext, Devices
from techcheck.checks.model import Report, Status
from techcheck.checks.profile import load_profile
from techcheck.checks.runner import run_one

PLUGINS = registry.discover()


def test_local_profile_narrows_a_copy():
    teams = load_profile("teams", registry.limit_schemas(PLUGINS))
    local = demo.local_profile(teams)
    assert local.limits("network").endpoints == ()
    assert local.limits("network").stun_servers == ()
    assert teams.limits("network").endpoints  # the session's own profile is untouched
    assert local.limits("network").tier_up_mbps == teams.limits("network").tier_up_mbps


@pytest.mark.slow
def test_demo_network_check_passes_against_the_local_server():
    profile = demo.local_profile(load_profile("teams", registry.limit_schemas(PLUGINS)))
    server = demo.start_server()
    try:
        ctx = CheckContext(profile=profile, devices=Devices(server=server.url, stun=server.stun),
                           duration=4.0)
        result = run_one(next(p for p in PLUGINS if p.id == "network"), ctx)
    finally:
        server.stop()
    codes = {f.code for f in result.findings if f.status is not Status.PASS}
    assert result.status in (Status.PASS, Status.WARN), (result.error, codes)
    assert not codes & {"network.dns_failed", "network.platform_unreachable", "network.offline",
                        "network.udp_blocked"}
    assert result.metrics["download"].value > 5


# --- the stand-in speaker: a known echo path the real speaker check measures (issue 11) ------

SPEAKER = next(p for p in PLUGINS if p.id == "speaker")


def _speaker(spec: str, microphone: str | None = None):
    profile = load_profile("generic", registry.limit_schemas(PLUGINS))
    ctx = CheckContext(profile=profile, devices=Devices(speaker=spec, microphone=microphone))
    return run_one(SPEAKER, ctx)


@pytest.mark.slow
@pytest.mark.parametrize(("delay_ms", "loss_db"), [(60.0, 46.0), (23.0, 38.0), (130.0, 52.0)])
def test_speaker_check_measures_the_standin_echo_path(delay_ms: float, loss_db: float):
    """The chime and sweep go into the stand-in, come back delay_ms later and loss_db quieter
    over a quiet room, and find_echo measures both: a wrong analysis gives a wrong number."""
    r = _speaker(f"simulated:delay={delay_ms:g}ms,loss={loss_db:g}dB", str(demo.voice_clip()))
    assert r.status is Status.PASS, [f.code for f in r.findings]
    assert r.metrics["echo_detected"].value is True
    assert abs(r.metrics["round_trip"].value - delay_ms) <= 2.0, r.details
    assert abs(r.metrics["echo_return_loss"].value - loss_db) <= 1.0, r.details
    assert r.details["output"]["hostapi"] == standin.HOSTAPI  # never mistaken for a device
    assert r.details["simulated_output"] == {"delay_ms": delay_ms, "loss_db": loss_db,
                                             "noise_dbfs": -70.0}
    assert r.details["echo_test"]["prominence"] >= 12  # found, not assumed


def test_demo_speaker_is_a_headset_that_passes():
    r = _speaker(demo.speaker_standin(), str(demo.voice_clip()))
    assert r.status is Status.PASS and not r.findings
    assert abs(r.metrics["round_trip"].value - standin.EchoPath().delay_ms) <= 2.0
    limit = r.metrics["echo_return_loss"].threshold
    assert r.metrics["echo_return_loss"].value > limit  # echo below the limit: no echo risk


def test_loud_standin_path_gives_echo_risk():
    """A laptop's speakers next to its microphone: 6 dB of loss, 90 ms."""
    r = _speaker("simulated:delay=90ms,loss=6dB")
    risk = next(f for f in r.findings if f.code == "speaker.echo_risk")
    assert risk.status is Status.WARN and r.status is Status.WARN
    assert abs(risk.params["delay_ms"] - 90.0) <= 2.0
    assert abs(risk.value - 6.0) <= 0.5


@pytest.mark.slow
def test_slow_standin_path_gives_high_latency():
    r = _speaker("simulated:delay=320ms")
    assert {f.code for f in r.findings} == {"speaker.high_latency"}
    assert abs(r.metrics["round_trip"].value - 320.0) <= 2.0


def test_bad_standin_spec_is_a_finding_that_says_how_to_write_it():
    r = _speaker("simulated:delay=soon")
    f = next(f for f in r.findings if f.code == "speaker.unavailable")
    assert f.status is Status.FAIL and "simulated:delay=60ms" in f.params["detail"]
    assert r.error is None


def test_standin_spec_round_trips_and_rejects_nonsense():
    path = standin.EchoPath(12.5, 33.0, -80.0)
    assert standin.parse(path.spec()) == path
    assert standin.parse("SIMULATED") == standin.EchoPath()
    assert standin.parse("default") is None and standin.parse(3) is None
    for bad in ("simulated:loss=-40dB", "simulated:delay=5000", "simulated:colour=red"):
        with pytest.raises(standin.BadSpec):
            standin.parse(bad)


def test_play_into_the_standin_takes_as_long_as_the_sound():
    """The GUI's "Play a test sound" in demo mode: real time, and nothing to open."""
    from techcheck.checks.audio.playback import play

    start = time.monotonic()
    play(np.zeros(24000, dtype=np.float32), 48000, demo.speaker_standin())
    assert 0.45 <= time.monotonic() - start < 1.5


# --- a report made in demo mode says so, in every format ---------------------------------------

@pytest.mark.slow
def test_demo_report_says_it_was_a_demo_in_every_format(tmp_path, capsys):
    """The terminal's demo run (app.commands.run.execute, as `techcheck` without a desktop runs
    it), written as JSON, HTML, PDF and text: each carries the demo line; the JSON validates."""
    import json
    import shutil
    import subprocess

    import jsonschema

    from techcheck import resources
    from techcheck.app.cli import build_parser
    from techcheck.app.commands import run

    out = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "html", "pdf", "text")}
    args = build_parser().parse_args(
        ["run", "--only", "microphone,speaker", "--yes", *[a for fmt, path in out.items()
                                                          for a in (f"--{fmt}", str(path))]])
    status = run.execute(args, demo_mode=True)
    printed = capsys.readouterr().out
    note = demo.report_extra("en")["note"]
    assert note.startswith("Demo mode: sample media stood in for your devices")
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    schema = json.loads(resources.path("schemas", "report-1.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["demo"] == {"note": note}
    assert status == 0 and data["verdict"] == "ready", data["checks"]
    speaker = next(c for c in data["checks"] if c["id"] == "speaker")
    assert speaker["details"]["output"]["device"] == standin.NAME
    assert note in printed and note in out["text"].read_text(encoding="utf-8")
    assert f'<p class="demo-note">{note}</p>' in out["html"].read_text(encoding="utf-8")
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", str(out["pdf"]), "-"], capture_output=True,
                             text=True, check=True, timeout=60).stdout
        assert "sample media stood in" in " ".join(pdf.split())
    sv = view.build(Report.from_dict(data), "sv").demo_note
    assert sv.startswith("Demoläge") and sv != note


def test_only_a_demo_report_has_the_demo_line():
    from tests import report_samples as samples

    plain = samples.report()
    assert view.build(plain, "en").demo_note == ""
    assert "Demo mode" not in text.render(plain, "en")
    legacy = samples.report(extra={"options": {"demo": True}})  # what the app wrote before
    assert view.build(legacy, "en").demo_note.startswith("Demo mode")
