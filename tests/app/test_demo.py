"""Demo mode (GUI and selftest): the network check measures only against the local server, so a
newcomer without internet sees it work instead of a wall of "cannot reach teams.microsoft.com"."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from techcheck.app import demo
from techcheck.app.report import text, view
from techcheck.checks import registry
from techcheck.checks.audio import standin
from techcheck.checks.context import CheckContext, Devices
from techcheck.checks.model import ExitCode, Report, Status, Verdict
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
    # the demo's line, measured: not the loopback's several Gbit/s, which no interview has
    down, up = demo.DEMO_LINE_MBPS
    assert 0.85 * down <= result.metrics["download"].value <= 1.05 * down, result.details
    assert 0.85 * up <= result.metrics["upload"].value <= 1.05 * up, (result.metrics["upload"].value, result.details.get("upload_transfer"))


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


# --- a demo run ends on its own verdict, in every format, never on readiness (issue 20) --------

#: The computer and screen sharing checks look at this computer even in a demo, and the
#: connection check at a test server on it: the sentence says so, not "every check ran on
#: sample media".
SENTENCE = ("The camera, microphone and speaker checks ran on sample media and the connection "
            "check against a test server on this computer; the computer and screen sharing "
            "checks looked at this computer itself. This says nothing about your own devices.")
NOTE = f"Demo finished. {SENTENCE}"
SENTENCE_SV = ("Kamera-, mikrofon- och högtalarkontrollerna kördes på exempelmaterial och "
               "anslutningskontrollen mot en testserver på den här datorn; dator- och "
               "skärmdelningskontrollerna undersökte själva den här datorn. Det här säger "
               "ingenting om dina egna enheter.")
READINESS = ("Ready for the interview", "Ready, with warnings", "Ready so far", "Not ready yet",
             "READY", "readiness report")


@pytest.mark.slow
def test_demo_report_ends_on_the_demo_verdict_in_every_format(tmp_path, capsys):
    """The terminal's demo run (app.commands.run.execute, as `techcheck` without a desktop runs
    it), written as JSON, HTML, PDF and text: each says "Demo finished" where a verdict goes and
    no readiness anywhere; the JSON's verdict is "demo" and it validates; exit status 4."""
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
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    schema = json.loads(resources.path("schemas", "report-1.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data["demo"] == {"note": NOTE, "connection": "local"} and data["verdict"] == "demo"
    assert all(c["status"] == "pass" for c in data["checks"]), data["checks"]  # yet not "ready"
    assert status == 4 == ExitCode.DEMO
    speaker = next(c for c in data["checks"] if c["id"] == "speaker")
    assert speaker["details"]["output"]["device"] == standin.NAME
    txt = out["text"].read_text(encoding="utf-8")
    assert txt.startswith("TechCheck demo report\n")
    assert f"\nDEMO FINISHED: {SENTENCE}\n" in txt and txt in printed
    assert printed.rstrip("\n").splitlines()[-1] == NOTE  # the terminal ends on the demo line
    html = out["html"].read_text(encoding="utf-8")
    assert '<section class="verdict st-tip" aria-label="Demo finished">' in html
    assert f'<p class="verdict-word">Demo finished</p>\n    <p class="verdict-sentence">{SENTENCE}' \
        in html
    assert "<title>TechCheck demo report — Demo finished</title>" in html
    if shutil.which("pdftotext"):
        pdf = " ".join(subprocess.run(["pdftotext", str(out["pdf"]), "-"], capture_output=True,
                                      text=True, check=True, timeout=60).stdout.split())
        assert f"TechCheck demo report Demo finished {SENTENCE}" in pdf, pdf[:400]
    else:
        pdf = ""
    for shown in (printed, txt, html, pdf):
        assert not [w for w in READINESS if w in shown], [w for w in READINESS if w in shown]
    sv = view.build(Report.from_dict(data), "sv")
    assert (sv.verdict_word, sv.verdict_sentence) == ("Demon är klar", SENTENCE_SV)


@pytest.mark.slow  # renders two PDFs
def test_a_demo_says_which_checks_ran_on_sample_media_and_which_looked_at_this_computer(
        tmp_path):
    """The computer (and screen sharing) check is real in a demo, and with an invitation's
    server so is the connection: the demo's sentence says so in English and Swedish in the
    JSON, the text, the HTML and the PDF, never "every check ran on sample media"."""
    import shutil
    import subprocess
    from datetime import UTC, datetime

    from techcheck.app.invitation import Invitation
    from techcheck.app.report import html, pdf
    from techcheck.app.runsetup import RunSetup
    from tests import report_samples as samples

    invitation = Invitation(profile="generic", when=datetime(2026, 12, 24, 10, tzinfo=UTC),
                            contact="hr@example.com", server="https://measure.example.com/")
    real = ("The camera, microphone and speaker checks ran on sample media; the connection, "
            "computer and screen sharing checks looked at this computer and its connection "
            "itself. This says nothing about your own camera, microphone or speakers.")
    profile = load_profile("generic", registry.limit_schemas(PLUGINS))
    checks = samples.report().checks
    for inv, connection, sentence in ((None, "local", SENTENCE), (invitation, "real", real)):
        rep = RunSetup(profile, demo=True, invitation=inv).report(checks)
        data = rep.to_dict()
        assert data["demo"] == {"note": f"Demo finished. {sentence}", "connection": connection}
        loaded = Report.from_dict(json.loads(json.dumps(data)))
        assert view.build(loaded, "en").verdict_sentence == sentence
        assert f"DEMO FINISHED: {sentence}\n" in text.render(loaded, "en")
        assert f'<p class="verdict-sentence">{sentence}' in html.render(loaded, "en")
        sv = view.build(loaded, "sv").verdict_sentence
        assert sv.startswith("Kamera-, mikrofon- och högtalarkontrollerna kördes på "
                             "exempelmaterial") and sv != sentence
        assert "sample media" not in text.render(loaded, "sv")
        for shown in (sentence, sv):
            assert "every check" not in shown.lower() and "alla kontroller" not in shown.lower()
        if shutil.which("pdftotext"):
            pdf.write(loaded, tmp_path / f"{connection}.pdf", "en")
            got = " ".join(subprocess.run(["pdftotext", str(tmp_path / f"{connection}.pdf"),
                                           "-"], capture_output=True, text=True, check=True,
                                          timeout=60).stdout.split())
            assert sentence in got, got[:600]


def test_only_a_demo_report_has_the_demo_verdict_and_old_demo_reports_load_as_demos():
    from techcheck.app.report import jsonio
    from tests import report_samples as samples

    plain = samples.report()
    assert plain.verdict is not Verdict.DEMO and view.build(plain, "en").verdict_word != "Demo finished"
    assert "Demo finished" not in text.render(plain, "en")
    # what the app wrote before the demo field, and a demo report from before Verdict.DEMO:
    # both said "ready", both read as the demo they were
    for extra in ({"options": {"demo": True}},
                  {"demo": {"note": "Demo mode: sample media stood in for your devices; this "
                                    "says nothing about your own devices."}}):
        old = samples.report(extra=extra).to_dict()
        old["verdict"] = "ready"
        loaded = jsonio.from_data(jsonio.loads(json.dumps(old)))
        assert loaded.verdict is Verdict.DEMO and loaded.verdict.exit_code is ExitCode.DEMO
        v = view.build(loaded, "en")
        assert (v.verdict_word, v.verdict_sentence, v.verdict_status) == (
            "Demo finished", SENTENCE, Status.TIP)
        assert text.render(loaded, "en").splitlines()[4] == f"DEMO FINISHED: {SENTENCE}"


def test_compare_never_sets_a_demo_against_a_check_of_the_devices():
    """`techcheck compare` and the app's "Since your previous run": a demo next to a real run
    is that sentence alone, with no better or worse; two demos say they are demos."""
    from techcheck.app.report.compare import compare, render_text
    from tests import report_samples as samples

    real = samples.report()
    demo_run = samples.report(extra={"demo": demo.report_extra("en")})
    for old, new, said in ((demo_run, real, "The earlier run was a demo on sample media"),
                           (real, demo_run, "This run was a demo on sample media")):
        c = compare(old, new, "en")
        assert [ch.kind for ch in c.changes] == ["demo"] and not c.worse and not c.better
        assert c.changes[0].text.startswith(said)
        assert "Ready" not in render_text(c) and "Overall" not in render_text(c)
    both = compare(demo_run, demo_run, "sv")
    assert both.changes[0].text.startswith("Båda körningarna var demor")
    assert not [ch for ch in both.changes if ch.kind == "verdict"]


@pytest.mark.slow  # starts the real techcheck in a new process
def test_techcheck_report_of_an_old_demo_report_says_demo_and_exits_4(tmp_path):
    """A demo report saved before the demo verdict existed ("verdict": "ready") re-rendered by
    the real `techcheck report`, in Swedish: the demo's verdict and exit status, no readiness."""
    import subprocess
    import sys

    from tests import report_samples as samples
    from tests.conftest import ROOT

    old = samples.report(extra={"options": {"demo": True}}, with_error=False).to_dict()
    old["verdict"] = "ready"
    path = tmp_path / "old-demo.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "report", str(path),
                          "--lang", "sv"], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         stdin=subprocess.DEVNULL)
    assert res.returncode == ExitCode.DEMO, res.stderr
    assert res.stdout.startswith("TechCheck – demorapport\n"), res.stdout
    assert f"DEMON ÄR KLAR: {SENTENCE_SV}" in res.stdout
    assert "REDO" not in res.stdout and "Redo" not in res.stdout


@pytest.mark.slow  # starts the real techcheck in a new process
def test_history_and_compare_of_a_kept_old_demo_run_never_say_ready(tmp_path):
    """A demo run an older version kept in the history ("verdict": "ready"): the real
    `techcheck history` lists it as a demo, and `techcheck compare` of it with a run of the
    devices says it cannot compare them instead of "Overall: now … (was Ready …)"."""
    import os
    import subprocess
    import sys

    from tests import report_samples as samples
    from tests.conftest import ROOT

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state")}
    folder = tmp_path / "data" / "techcheck" / "history"
    folder.mkdir(parents=True)
    old = samples.report(extra={"options": {"demo": True}}, with_error=False).to_dict()
    old["verdict"] = "ready"
    (folder / "20261101T100000Z-aaaaaa.json").write_text(json.dumps(old), encoding="utf-8")
    real = samples.report(with_error=False).to_dict()
    real["created"] = "2026-12-01T10:00:00+00:00"
    newer = tmp_path / "real.json"
    newer.write_text(json.dumps(real), encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "techcheck.app.cli", *args], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    listed = json.loads(cli("history", "--json").stdout)["runs"]
    assert [r["verdict"] for r in listed] == ["demo"], listed
    res = cli("compare", str(newer))  # with the newest kept run before it: the old demo
    assert res.returncode == 0, res.stderr
    assert ("The earlier run was a demo on sample media, so it cannot be compared with this "
            "check of your own devices.") in res.stdout
    assert "Overall" not in res.stdout and "Ready" not in res.stdout
