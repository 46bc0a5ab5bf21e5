"""The app and the report features (issue 6 with issue 7): every run kept in the real history
(the test's own XDG data dir), the next run compared in `techcheck compare`'s words, a
recruiter's invitation opened (good and hostile files) and `techcheck invite.toml`, the
camera picture only when asked for, the network verdict, the window icon and the fonts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from techcheck.app import invitation as invitations
from techcheck.app.report.view import SNAPSHOT_KEY
from techcheck.checks.model import Status
from tests.conftest import ROOT
from tests.gui_fixtures import by_name, click_step, export_via_dialog, press

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _history_dir() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "techcheck" / "history"


def _run_system(w, qtbot):
    """Check the computer, and wait until the run is kept. (Not in demo mode: a demo says
    nothing about this computer's devices and is never kept.)"""
    page = w.pages["system"]
    with qtbot.waitSignal(page.panel.all_finished, timeout=60_000):
        if w.current_key() == "system":
            press(qtbot, page.panel.run_button)
        else:
            click_step(qtbot, w, "system")
    qtbot.waitUntil(lambda: w.keeper.task is None and w.session.saved_run is not None, timeout=15_000)


def _cli_lines(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.startswith("  ")]


def _gui_lines(results) -> list[str]:
    lines = []
    for lab in results.compare_groups.values():
        if lab.isVisibleTo(results):
            lines += lab.text().splitlines()[1:]  # without the group's heading
    return lines


# --- history and compare ----------------------------------------------------------------------

@pytest.mark.slow
def test_runs_are_kept_and_the_next_run_is_compared(make_window, qtbot, cli):
    w = make_window(demo_mode="off")
    _run_system(w, qtbot)
    first = w.session.history_path
    assert first is not None and first.parent == _history_dir() and first.exists()
    assert w.session.previous_run is None  # nothing kept before: nothing to compare
    res = w.pages["results"]
    click_step(qtbot, w, "results")
    assert not res.compare_box.isVisibleTo(res)
    # re-checking one thing updates this run instead of adding one
    with qtbot.waitSignal(w.pages["system"].panel.all_finished, timeout=60_000):
        press(qtbot, by_name(w, "Check Computer again"))
    qtbot.waitUntil(lambda: w.keeper.task is None and w.session.history_path != first, timeout=15_000)
    assert not first.exists() and len(list(_history_dir().glob("*.json"))) == 1
    kept = w.session.history_path
    w.close()

    # The previous sitting, an hour earlier, judged by another profile, with the computer
    # check in a state this sitting cannot reach ("could not run": a busy test machine may
    # pass, warn or fail the processor): a real file the app wrote, edited like an older run.
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["created"] = (datetime.fromisoformat(data["created"]) - timedelta(hours=1)).isoformat()
    data["profile"]["name"], data["profile"]["title"] = "zoom", "Zoom"
    system = next(c for c in data["checks"] if c["id"] == "system")
    system["status"] = "error"
    kept.write_text(json.dumps(data), encoding="utf-8")

    w2 = make_window(demo_mode="off")
    _run_system(w2, qtbot)
    assert w2.session.history_path != kept and len(list(_history_dir().glob("*.json"))) == 2
    res2 = w2.pages["results"]
    w2.go("results")
    assert res2.compare_box.isVisibleTo(res2) and res2.comparison is not None
    assert res2.compare_box.title() == "Since your previous run"
    cmp = cli("compare", str(kept), str(w2.session.history_path))
    assert cmp.returncode in (0, 1), cmp.stderr
    expected = _cli_lines(cmp.stdout)
    assert expected and _gui_lines(res2) == expected  # the same words as `techcheck compare`
    assert any("Computer: now" in line for line in expected)
    assert any("different profiles" in line for line in expected)
    # the history never holds a camera picture and no run was lost
    for p in _history_dir().glob("*.json"):
        assert SNAPSHOT_KEY not in p.read_text(encoding="utf-8")


@pytest.mark.slow
def test_kept_runs_are_listed_for_it_support(make_window, qtbot):
    w = make_window(demo_mode="off", role="it")
    _run_system(w, qtbot)
    det = w.pages["details"]
    click_step(qtbot, w, "details")
    qtbot.waitUntil(lambda: det.lister is None and det.history.rowCount() == 1, timeout=10_000)
    assert det.history.item(0, 3).text() == w.session.history_path.name
    assert str(_history_dir()) in det.history_where.text()


@pytest.mark.slow
def test_history_retention_setting_is_respected(make_window, qtbot):
    from techcheck.app.report.history import Retention

    Retention(enabled=False).save()
    w = make_window(demo_mode="off")
    _run_system(w, qtbot)
    assert w.session.history_path is None and not list(_history_dir().glob("*.json"))
    assert w.session.history_problem == ""  # turned off is not a failure


@pytest.mark.slow
def test_a_failed_save_is_an_inline_note(make_window, qtbot, mount_tmpfs, monkeypatch):
    data = mount_tmpfs(64, read_only=True)  # the kernel's own "read-only file system"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    w = make_window(demo_mode="off")
    _run_system(w, qtbot)
    res = w.pages["results"]
    click_step(qtbot, w, "results")
    assert w.session.history_path is None and w.session.history_problem
    assert res.history_note.isVisibleTo(res)
    assert "could not be kept" in res.history_note.text()
    assert "system" in res.cards or "system" in res.passed_buttons  # the run is shown as usual


# --- invitation -------------------------------------------------------------------------------

def _invitation_file(tmp_path: Path, **over) -> Path:
    when = (datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0)
    inv = invitations.create(**{"profile": "teams", "when": when,
                                "contact": "Anna Berg, anna.berg@example.com",
                                "company": "Example AB", "position": "Backend developer",
                                "server": "http://127.0.0.1:9/", "stun": "127.0.0.1:3478",
                                **over})
    path = tmp_path / "invite.toml"
    path.write_text(inv.to_toml(), encoding="utf-8")
    return path


def _open(w, qtbot, path, trust_private: bool = True) -> None:
    """Open an invitation as the person does; ``trust_private`` answers the question an
    invitation naming a server inside the network asks (these tests' server is 127.0.0.1)."""
    with qtbot.waitSignal(w.open_invitation(str(path)).finished, timeout=10_000):
        pass
    if trust_private and w.start.private_box.isVisibleTo(w.start):
        press(qtbot, by_name(w, "Use the server inside my network"))


def test_an_invitation_naming_a_server_inside_the_network_asks_first(make_window, qtbot,
                                                                     tmp_path):
    """Issue 13 item 12: 169.254.169.254, localhost:631 and the like are used only when the
    person says so; until then, and after a no, nothing changes."""
    w = make_window(demo_mode="on", platform="zoom")
    start, s = w.start, w.session
    path = _invitation_file(tmp_path, server="http://169.254.169.254/latest/",
                            stun="localhost:631")
    _open(w, qtbot, path, trust_private=False)
    assert start.private_box.isVisibleTo(start)
    text = start.private_text.text()
    assert "http://169.254.169.254/latest/" in text and "localhost:631" in text
    assert "invite.toml" in text and "inside your own network" in text
    assert s.invitation is None and s.platform == "zoom"  # nothing changed yet
    press(qtbot, by_name(w, "Do not use this invitation"))
    assert not start.private_box.isVisibleTo(start)
    assert s.invitation is None and s.platform == "zoom"
    assert start.invitation_error.isVisibleTo(start)
    assert "you chose not to use it" in start.invitation_error.word.text()
    _open(w, qtbot, path, trust_private=False)
    assert start.private_box.isVisibleTo(start) and not start.invitation_error.isVisibleTo(start)
    press(qtbot, by_name(w, "Use the server inside my network"))
    assert s.invitation is not None and s.platform == "teams"
    assert s.invitation.server == "http://169.254.169.254/latest/"
    assert not start.private_box.isVisibleTo(start)
    assert not start.invitation_error.isVisibleTo(start)
    # a company server on the internet is not asked about
    public = _invitation_file(tmp_path, company="Public AB", profile="webex",
                              server="https://speed.example.com/", stun="stun.example.com:3478")
    _open(w, qtbot, public, trust_private=False)
    assert not start.private_box.isVisibleTo(start)
    assert s.invitation.company == "Public AB" and s.platform == "webex"


@pytest.fixture
def stockholm(monkeypatch):
    """This computer in Stockholm's time zone (CET/CEST)."""
    monkeypatch.setenv("TZ", "Europe/Stockholm")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_interview_in_the_past_says_so_and_a_clock_change_before_it_is_a_tip(
        make_window, qtbot, tmp_path, stockholm):
    """Issue 24 item 3: the Start page used to say only "· 5 days ago" for an interview that
    was over; and a daylight-saving change between today and the interview is named."""
    w = make_window(demo_mode="on", platform="zoom")
    over = (datetime.now().astimezone() - timedelta(days=5)).replace(microsecond=0)
    _open(w, qtbot, _invitation_file(tmp_path, when=over))
    row = w.start.invitation_rows["when"][1]
    assert ("The interview time in this invitation has passed (5 days ago). Check the date in "
            "the invitation, or ask Anna Berg, anna.berg@example.com for the new time."
            ) in row.text()
    assert "Tip: the clocks change" not in row.text()
    assert not w.start.countdown.isActive()  # nothing left to count down to
    press(qtbot, by_name(w, "Close the invitation"))
    # An interview after the next change of Stockholm's clocks (the last Sunday of March or
    # of October, EU Directive 2000/84/EC), whatever day the test runs on.
    now = datetime.now().astimezone()
    when = next(now + timedelta(days=d) for d in range(1, 400)
                if (now + timedelta(days=d)).astimezone().utcoffset() != now.utcoffset())
    when = (when + timedelta(days=3)).astimezone().replace(microsecond=0)
    _open(w, qtbot, _invitation_file(tmp_path, when=when))
    text = row.text()
    assert "Tip: the clocks change for daylight saving time on" in text
    assert " · in " in text and "has passed" not in text
    assert w.start.countdown.isActive()
    # the countdown moves on as the page stays open
    before = text
    w.start.countdown.timeout.emit()
    assert row.text().split(" · ")[0] == before.split(" · ")[0]


@pytest.mark.slow
def test_a_run_after_the_interview_time_says_so_on_start_and_results(make_window, qtbot,
                                                                     tmp_path):
    """Issue 23 item 12: an invitation whose interview is over, opened with the Start page's
    button and the file dialog, in Swedish: the Start page and the verdict on Results say
    that the time has passed and what to do, and the verdict does not read as if the
    interview were ahead."""
    from tests.gui_fixtures import answer_file_dialog

    w = make_window(demo_mode="off", language="sv")
    over = (datetime.now().astimezone() - timedelta(days=5)).replace(microsecond=0)
    path = _invitation_file(tmp_path, when=over, server="https://speed.example.com/",
                            stun="stun.example.com:3478")
    seen = answer_file_dialog(qtbot, str(path))
    press(qtbot, by_name(w, "Öppna en inbjudningsfil från rekryteraren"))
    qtbot.waitUntil(lambda: w.session.invitation is not None, timeout=10_000)
    assert seen == ["Öppna en inbjudan"], seen
    note = ("Intervjutiden i den här inbjudan har passerat (för 5 dagar sedan). Kontrollera "
            "datumet i inbjudan, eller fråga Anna Berg, anna.berg@example.com efter den nya tiden.")
    assert note in w.start.invitation_rows["when"][1].text()
    _run_system(w, qtbot)
    click_step(qtbot, w, "results")
    res = w.pages["results"]
    assert res.summary.text().startswith(note + " "), res.summary.text()
    assert "Redo för intervjun" not in res.verdict.word.text()
    if os.environ.get("TECHCHECK_SHOTS"):
        w.grab().save(str(Path(os.environ["TECHCHECK_SHOTS"]) / "sv-results-past-interview.png"))
    # the report written from here says it too, before its verdict sentence
    from techcheck.app.gui.reporting import make_report
    from techcheck.app.report import view

    assert view.build(make_report(w.session), "sv").verdict_sentence.startswith(note)


def test_an_invitation_sets_the_profile_and_server_and_names_itself(make_window, qtbot,
                                                                     tmp_path, stockholm):
    from techcheck.app.gui.reporting import make_report

    w = make_window(demo_mode="on", platform="zoom")
    new_york = timezone(timedelta(hours=-5))
    when = (datetime.now(new_york) + timedelta(days=3)).replace(microsecond=0)
    path = _invitation_file(tmp_path, when=when)
    _open(w, qtbot, path)
    s, start = w.session, w.start
    assert s.invitation is not None and s.invitation.company == "Example AB"
    assert s.platform == "teams" and s.profile.name == "teams"
    assert start.platform.currentData() == "teams"
    assert start.invitation_box.isVisibleTo(start)
    assert start.invitation_box.title() == "Invitation from Example AB"
    rows = {k: v.text() for k, (_n, v) in start.invitation_rows.items()}
    assert rows["contact"] == "Anna Berg, anna.berg@example.com"
    local = s.invitation.when.astimezone()
    assert f"{local:%H:%M}" in rows["when"] and "in 3 days" in rows["when"]
    assert f"({local.tzname()}, UTC+0" in rows["when"]  # local time, with its zone
    assert "In the invitation: " in rows["when"] and "(UTC-05:00)" in rows["when"]
    assert "127.0.0.1" in rows["server"] and "demo mode" in rows["server"]
    assert not start.invitation_error.isVisibleTo(start)
    # the network check measures against the company's server, even in demo mode
    net = w.pages["network"]
    net._before_run()
    assert s.devices.server == "http://127.0.0.1:9/" and s.devices.stun == "127.0.0.1:3478"
    assert "127.0.0.1" in net.server_note.text()
    report = make_report(s)
    assert report.extra["invitation"]["company"] == "Example AB"
    assert report.extra["invitation"]["file"] == "invite.toml"
    assert report.profile["name"] == "teams"
    # closing it takes it out of the report
    press(qtbot, by_name(w, "Close the invitation"))
    assert s.invitation is None and "invitation" not in make_report(s).extra
    assert not start.invitation_box.isVisibleTo(start)


HOSTILE = {
    "unknown-key.toml": 'format = "techcheck.invitation/1"\nprofile = "teams"\n'
                        'when = 2026-12-01T10:00:00+01:00\ncontact = "x"\nrun = "rm -rf /"\n',
    "profile-path.toml": 'format = "techcheck.invitation/1"\nprofile = "../../etc/passwd"\n'
                         'when = 2026-12-01T10:00:00+01:00\ncontact = "x"\n',
    "bidi.toml": 'format = "techcheck.invitation/1"\nprofile = "zoom"\n'
                 'when = 2026-12-01T10:00:00+01:00\ncontact = "evil\u202egnp.exe"\n',
    "markup.toml": 'format = "techcheck.invitation/1<b>x</b>"\nprofile = "zoom"\n'
                   'when = 2026-12-01T10:00:00+01:00\ncontact = "x"\n',
    "no-zone.toml": 'format = "techcheck.invitation/1"\nprofile = "zoom"\n'
                    'when = 2026-12-01T10:00:00\ncontact = "x"\n',
    "huge.toml": 'format = "techcheck.invitation/1"\nnote = "' + "a" * 40_000 + '"\n',
}


def test_hostile_invitations_change_nothing(make_window, qtbot, tmp_path):
    w = make_window(demo_mode="on", platform="meet")
    good = _invitation_file(tmp_path, profile="webex", company="Good AB")
    _open(w, qtbot, good)
    assert w.session.platform == "webex"
    for name, text in [*HOSTILE.items(), ("binary.toml", None)]:
        bad = tmp_path / name
        if text is None:
            bad.write_bytes(b"\xff\xfe\x00format")
        else:
            bad.write_text(text, encoding="utf-8")
        with pytest.raises(invitations.InvitationError) as why:
            invitations.load(bad)
        _open(w, qtbot, bad)
        start = w.start
        assert start.invitation_error.isVisibleTo(start), name
        assert start.invitation_error.status() is Status.FAIL
        shown = start.invitation_error.word.text()
        assert str(why.value) in shown and "nothing was changed" in shown, name
        assert start.invitation_error.word.textFormat() == start.invitation_error.word.textFormat().PlainText
        # the good invitation and its profile stay exactly as they were
        assert w.session.invitation is not None and w.session.invitation.company == "Good AB"
        assert w.session.platform == "webex" and w.session.profile.name == "webex"
    missing = tmp_path / "gone.toml"
    _open(w, qtbot, missing)
    assert "no such file" in w.start.invitation_error.word.text()


@pytest.mark.slow
def test_command_line_routes_an_invitation_to_the_app(tmp_path):
    from techcheck.app import cli

    # a server on the internet: one inside the network would wait for the person's answer
    path = _invitation_file(tmp_path, server="https://speed.example.com/",
                            stun="stun.example.com:3478")
    assert cli.is_invitation_argument([str(path)])
    assert cli.is_invitation_argument(["-v", str(path)])
    other = tmp_path / "profile.toml"
    other.write_text('[network]\nupload_mbps = 3\n', encoding="utf-8")
    assert not cli.is_invitation_argument([str(other)])  # a TOML that is no invitation
    assert not cli.is_invitation_argument([str(tmp_path / "missing.toml")])
    assert not cli.is_invitation_argument(["run"]) and not cli.is_invitation_argument(
        [str(path), "run"])
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert not cli.is_invitation_argument([str(fifo)])  # never blocks on a pipe
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TECHCHECK_QUIT_AFTER_MS": "3000"}
    proc = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "-v", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "invitation opened: invite.toml (profile teams)" in proc.stderr
    # sub-commands are untouched
    proc = subprocess.run([sys.executable, "-m", "techcheck.app.cli", "profiles"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0 and "teams" in proc.stdout


# --- camera picture ---------------------------------------------------------------------------

@pytest.mark.slow
def test_camera_picture_only_when_asked_for(make_window, qtbot, tmp_path):
    from techcheck.app.gui.reporting import make_report

    w = make_window(demo_mode="on")
    cam = w.pages["camera"]
    click_step(qtbot, w, "camera")
    assert not cam.snapshot_box.isChecked() and not w.session.snapshot  # off by default
    assert "Nothing else from the camera is stored" in cam.snapshot_note.text()

    def run_camera() -> None:
        click_step(qtbot, w, "camera")
        with qtbot.waitSignal(cam.panel.all_finished, timeout=90_000):
            press(qtbot, cam.panel.run_button)
        qtbot.waitUntil(lambda: w.keeper.task is None, timeout=10_000)

    run_camera()
    assert SNAPSHOT_KEY not in w.session.results["camera"].details
    press(qtbot, by_name(w, "Add a still picture of me to the report"))
    assert cam.snapshot_box.isChecked()
    assert "Check the camera again" in cam.snapshot_note.text()
    run_camera()
    assert w.session.results["camera"].details.get(SNAPSHOT_KEY)
    camera = next(c for c in make_report(w.session).checks if c.id == "camera")
    assert camera.details.get(SNAPSHOT_KEY)
    out = tmp_path / "with.html"
    click_step(qtbot, w, "results")
    export_via_dialog(qtbot, w, "Web page (HTML)…", out)
    assert "data:image/jpeg;base64," in out.read_text(encoding="utf-8")
    # a demo run, picture and all, is never kept in the history (issue 20); that a kept run
    # never holds the picture is test_history_compare.py's
    assert w.session.history_path is None and not list(_history_dir().glob("*.json"))
    # unticked again: the picture taken before leaves the report too
    click_step(qtbot, w, "camera")
    press(qtbot, by_name(w, "Add a still picture of me to the report"))
    assert not cam.snapshot_box.isChecked()
    camera = next(c for c in make_report(w.session).checks if c.id == "camera")
    assert SNAPSHOT_KEY not in camera.details
    out = tmp_path / "without.html"
    click_step(qtbot, w, "results")
    export_via_dialog(qtbot, w, "Web page (HTML)…", out)
    assert "data:image/jpeg" not in out.read_text(encoding="utf-8")


# --- network verdict --------------------------------------------------------------------------

def test_network_verdict_is_shown_even_when_it_passes(qapp):
    from techcheck.app.gui.widgets.findings import ResultCard
    from techcheck.checks.base import ResultBuilder
    from techcheck.checks.network import analysis

    tiers = [analysis.Tier("720p", 1.5, 1.5), analysis.Tier("1080p", 3.0, 3.0)]
    text, params = analysis.verdict("Microsoft Teams", tiers, up=2.0, down=40.0)
    b = ResultBuilder("network", "Connection")
    b.detail("verdict", {"template": text, "params": params})
    b.finding("network.verdict", Status.PASS, text, "", value="720p", threshold="720p", unit="",
              op=">=", **params)
    card = ResultCard(b.build())
    assert card.result.status is Status.PASS
    assert card.verdict_label is not None
    assert card.verdict_label.text().startswith(
        "Good enough for Microsoft Teams in 720p, not in 1080p")


# --- icon and fonts ---------------------------------------------------------------------------

def test_window_and_app_icon(make_window, qapp):
    from techcheck.app.gui import appicon

    w = make_window(demo_mode="on")
    sizes = {s.width() for s in w.windowIcon().availableSizes()}
    assert not w.windowIcon().isNull() and {16, 32, 256} <= sizes
    appicon.apply(qapp)
    assert not qapp.windowIcon().isNull()


FONT_PROBE = """
from PySide6.QtWidgets import QApplication, QLabel
from PySide6.QtGui import QFontInfo
app = QApplication([])
from techcheck.app.gui import appicon
before = appicon.has_usable_font()
used = appicon.ensure_fonts(app)
def shot(text):
    lab = QLabel(text); lab.resize(160, 30)
    return bytes(lab.grab().toImage().constBits())
print("|".join(map(str, (before, used, QFontInfo(app.font()).family(),
                         shot("Hello") != shot("Hallo")))))
"""


@pytest.mark.parametrize("fonts", ["system", "none"])
def test_text_is_readable_without_system_fonts(tmp_path, fonts):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if fonts == "none":  # fontconfig that knows no font at all, as in a bare container
        conf = tmp_path / "fonts.conf"
        conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path}/none</dir>'
                        f"<cachedir>{tmp_path}/cache</cachedir></fontconfig>", encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
    proc = subprocess.run([sys.executable, "-c", FONT_PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    before, used, family, distinct = proc.stdout.strip().splitlines()[-1].split("|")
    assert distinct == "True"  # letters are drawn, not the same empty box for each
    if fonts == "none":
        assert (before, used) == ("False", "True") and family == "DejaVu Sans"
    else:
        assert (before, used) == ("True", "False")
