"""``techcheck report``, ``compare``, ``invite``, ``history`` and ``run --invitation`` as a user
runs them: separate processes, real files, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from techcheck.app.report import jsonio
from tests import report_samples as samples


def _saved(tmp_path: Path, name: str = "r.json", **kw) -> Path:
    path = tmp_path / name
    jsonio.write(samples.report(**kw), path)
    return path


@pytest.mark.slow
def test_report_rerenders_a_saved_report_in_every_format(cli, tmp_path: Path):
    src = _saved(tmp_path, snapshot=True)
    r = cli("report", str(src), "--html", str(tmp_path / "r.html"), "--pdf",
            str(tmp_path / "r.pdf"), "--text", str(tmp_path / "r.txt"), "--lang", "sv")
    assert r.returncode == 2, r.stderr  # the report's verdict: not ready
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert 'lang="sv"' in (tmp_path / "r.html").read_text()
    assert "INTE REDO" in (tmp_path / "r.txt").read_text()
    plain = cli("report", str(src))
    assert plain.returncode == 2 and "NOT READY" in plain.stdout


@pytest.mark.slow
def test_report_refuses_a_corrupt_or_newer_report_with_status_3(cli, tmp_path: Path):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"schema": "techcheck.report/1", "checks": [')
    r = cli("report", str(corrupt), "--html", str(tmp_path / "x.html"))
    assert r.returncode == 3 and "not valid JSON" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.html").exists()

    data = json.loads(_saved(tmp_path).read_text())
    data["schema"] = "techcheck.report/2"
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(data))
    r = cli("report", str(newer), "--pdf", str(tmp_path / "x.pdf"))
    assert r.returncode == 3 and "newer TechCheck" in r.stderr
    assert not (tmp_path / "x.pdf").exists()

    data["schema"] = "techcheck.report/1"
    data["checks"][0]["status"] = "splendid"
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(data))
    r = cli("report", str(damaged))
    assert r.returncode == 3 and "damaged" in r.stderr

    r = cli("report", str(tmp_path / "missing.json"))
    assert r.returncode == 3 and "no such file" in r.stderr


@pytest.mark.slow
def test_compare_two_reports(cli, tmp_path: Path):
    old = tmp_path / "old.json"
    before = samples.network_result("fast")
    jsonio.write(samples.report(network=before), old)
    new = _saved(tmp_path, "new.json")
    after = samples.network_result()  # what _saved holds: the recorded slow uplink
    r = cli("compare", str(old), str(new))
    assert r.returncode == 1, r.stderr  # something got worse
    up = before.metrics["upload"].value, after.metrics["upload"].value
    assert f"Upload fell from {up[0]:.2f} to {up[1]:.2f} Mbit/s." in r.stdout.replace(
        "\u00a0", " ")
    r = cli("compare", str(new), str(new), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["changes"] == []
    r = cli("compare", str(old), str(tmp_path / "nope.json"))
    assert r.returncode == 3


@pytest.mark.slow
def test_invite_then_run_with_the_invitation(cli, tmp_path: Path):
    inv = tmp_path / "invite.toml"
    r = cli("invite", "--profile", "teams", "--when", "2026-12-01T10:00+01:00", "--contact",
            "Anna Berg, anna.berg@acme.example", "--company", "Acme AB", "--server",
            "http://127.0.0.1:9/", "-o", str(inv))
    assert r.returncode == 0, r.stderr
    assert "server http://127.0.0.1:9/ is not on the internet" in r.stderr  # told, not refused
    out = tmp_path / "run.json"
    r = cli("run", "--invitation", str(inv), "--only", "system", "--duration", "0.3",
            "--checklist", "room_booked", "--json", str(out), "--yes")
    assert r.returncode == 3 and "--allow-private-server" in r.stderr  # 127.0.0.1: asked
    assert not out.exists()
    r = cli("run", "--invitation", str(inv), "--only", "system", "--duration", "0.3",
            "--checklist", "room_booked", "--json", str(out), "--yes", "--allow-private-server")
    assert r.returncode in (0, 1, 2), r.stderr
    report = json.loads(out.read_text())
    assert report["profile"]["name"] == "teams"
    assert report["invitation"]["company"] == "Acme AB"
    assert report["invitation"]["file"] == "invite.toml"
    assert report["checklist"]["items"][3] == {"id": "room_booked",
                                               "label": "Quiet room booked", "done": True}
    assert "Invitation from Acme AB" in r.stdout
    listed = cli("history", "--json")
    runs = json.loads(listed.stdout)["runs"]
    assert len(runs) == 1 and runs[0]["profile"] == "teams"
    # the run kept in the history is what `compare NEW` compares against
    r = cli("compare", str(out))
    assert r.returncode == 3 and "no earlier run" in r.stderr  # it is itself the only run


@pytest.mark.slow
def test_a_hostile_invitation_changes_nothing(cli, tmp_path: Path):
    bad = tmp_path / "invite.toml"
    bad.write_text('format = "techcheck.invitation/1"\nprofile = "../../etc/passwd"\n'
                   'when = 2026-12-01T10:00:00Z\ncontact = "x"\n')
    out = tmp_path / "run.json"
    r = cli("run", "--invitation", str(bad), "--json", str(out), "--yes")
    assert r.returncode == 3
    assert "cannot use the invitation: invite.toml: 'profile' must be one of" in r.stderr
    assert not out.exists()
    assert json.loads(cli("history", "--json").stdout)["runs"] == []
    r = cli("invite", "--profile", "teams", "--when", "2026-12-01T10:00", "--contact", "x",
            "-o", str(tmp_path / "i.toml"))
    assert r.returncode == 3 and "time zone" in r.stderr and not (tmp_path / "i.toml").exists()


#: A real report TechCheck wrote (camera and microphone on the demo media) before the metrics
#: colour_a/colour_b were renamed color_a/color_b (checks/renamed.py).
BEFORE_RENAME = Path(__file__).parent.parent / "data" / "report-before-color-rename.json"


@pytest.mark.slow
def test_a_report_saved_before_a_metric_rename_loads_renders_and_compares(cli, tmp_path: Path):
    raw = BEFORE_RENAME.read_text(encoding="utf-8")
    assert '"colour_a"' in raw and '"color_a"' not in raw  # the file is in the old form
    cam = jsonio.read(BEFORE_RENAME).check("camera")
    assert cam is not None and "colour_a" not in cam.metrics
    assert cam.metrics["color_a"].value == 8.0781 and cam.metrics["color_b"].op == "between"

    html, text = tmp_path / "r.html", tmp_path / "r.txt"
    r = cli("report", str(BEFORE_RENAME), "--html", str(html), "--text", str(text))
    assert r.returncode == 0, r.stderr
    assert "Colour tint (green–red)" in html.read_text(encoding="utf-8")  # its label, not a key

    new = tmp_path / "new.json"  # the same run as today's TechCheck saves it
    jsonio.write(jsonio.read(BEFORE_RENAME), new)
    assert '"color_a"' in new.read_text(encoding="utf-8")
    old = json.loads(raw)  # an older run of the old form, with a colour cast
    old["checks"][0]["metrics"]["colour_a"].update(value=45.0, status="warn")
    (tmp_path / "cast.json").write_text(json.dumps(old), encoding="utf-8")
    r = cli("compare", str(tmp_path / "cast.json"), str(new), "--json")
    assert r.returncode == 0, r.stderr
    changes = [c for c in json.loads(r.stdout)["changes"] if c["kind"] == "metric"]
    assert [(c["metric"], c["direction"], c["old"], c["new"]) for c in changes] == [
        ("color_a", "better", 45.0, 8.0781)]
