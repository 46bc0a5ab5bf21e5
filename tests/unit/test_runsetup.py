"""One run builder for the terminal and the app (issue 22, ``techcheck.app.runsetup``): the same
choices give the same context and the same report, whichever surface made them. The cases are
the ones where the two used to differ."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from techcheck.app import demo
from techcheck.app.cli import build_parser
from techcheck.app.commands import run
from techcheck.app.gui.checkrun import run_setup
from techcheck.app.gui.session import Session
from techcheck.app.invitation import Invitation
from techcheck.app.report.view import SNAPSHOT_KEY
from techcheck.checks.model import CheckResult, ExitCode, Status, Verdict

INVITATION = Invitation(profile="generic", when=datetime(2026, 12, 24, 10, tzinfo=UTC),
                        contact="hr@example.com", server="https://measure.example.com/",
                        stun="stun.example.com:3478")


@pytest.fixture(scope="module")
def session() -> Session:
    return Session.create("other")


def _cli_setup(argv: list[str], demo_mode: bool = False):
    return run._plan(build_parser().parse_args(["run", *argv]), demo_mode).setup


def test_the_demo_duration_is_the_local_network_checks_only(session: Session):
    """Before, the terminal's demo gave every check 8 s (the camera 3 s over its profile's
    5 s) where the app gave it to the network check alone."""
    for setup in (_cli_setup(["--yes"], demo_mode=True),
                  run_setup(_with(session, demo=True))):
        assert setup.context("network").duration == demo.DURATION_S
        for check in ("camera", "microphone", "speaker", "system"):
            assert setup.context(check).duration is None, check
        # and the network check measures only against the local server's profile
        assert setup.context("network").profile.sections["network"]["stun_servers"] == ()


def test_a_duration_asked_for_applies_to_every_check():
    setup = _cli_setup(["--duration", "3", "--yes"], demo_mode=True)
    assert {c: setup.context(c).duration for c in ("camera", "network")} == {
        "camera": 3.0, "network": 3.0}


def test_an_invitations_server_is_measured_even_in_demo_mode(session: Session):
    """The app measured against the company's server in demo mode, the terminal against the
    local one; now both use the invitation's (the connection the interview will use)."""
    setup = run_setup(_with(session, demo=True, invitation=INVITATION))
    assert not setup.measuring_locally()
    assert setup.context("network").duration is None
    cli = _cli_setup(["--yes"], demo_mode=True)
    cli.invitation = INVITATION
    cli.devices.server, cli.devices.stun = INVITATION.server, INVITATION.stun
    assert run._use_demo_media(cli) is None  # no local server started
    assert (cli.devices.server, cli.devices.stun) == (INVITATION.server, INVITATION.stun)
    assert cli.devices.camera == str(demo.camera_clip())  # the other devices are stand-ins


def test_the_demo_starts_the_local_server_without_an_invitation():
    cli = _cli_setup(["--yes"], demo_mode=True)
    server = run._use_demo_media(cli)
    try:
        assert server is not None and cli.devices.server == server.url
        assert cli.devices.microphone == str(demo.voice_clip())
    finally:
        server.stop()


def test_the_same_choices_give_the_same_context(session: Session, demo_media):
    clip = str(demo_media[0])
    s = _with(session, snapshot=True)
    s.devices.camera = clip
    gui = run_setup(s).context("camera")
    cli = _cli_setup(["--camera", clip, "--snapshot", "--yes", "--profile", "generic"])
    cli_ctx = cli.context("camera")
    for field in ("devices", "duration", "lang"):
        assert getattr(gui, field) == getattr(cli_ctx, field), field
    assert gui.options["snapshot"] is cli_ctx.options["snapshot"] is True
    assert gui.profile.name == cli_ctx.profile.name == "generic"


def test_the_report_keeps_the_camera_picture_only_when_asked(session: Session):
    """The app's rule (the box can be unticked after the camera check), now the terminal's
    too: the report is built in one place."""
    shot = CheckResult("camera", "Camera", Status.PASS, details={SNAPSHOT_KEY: "data:…"})
    asked = run_setup(_with(session, snapshot=True)).report([shot])
    not_asked = run_setup(_with(session, snapshot=False)).report([shot])
    assert SNAPSHOT_KEY in asked.checks[0].details
    assert SNAPSHOT_KEY not in not_asked.checks[0].details
    assert SNAPSHOT_KEY in shot.details  # the sitting's own result is left as it was


def test_the_demo_report_says_so_and_names_the_invitation(session: Session):
    report = run_setup(_with(session, demo=True, invitation=INVITATION)).report([])
    # the invitation's server: the demo measured the real connection, and says so
    assert report.extra["demo"] == demo.report_extra("en", demo.REAL)
    assert report.extra["demo"]["connection"] == "real"
    assert report.extra["invitation"]["server"] == INVITATION.server
    local = run_setup(_with(session, demo=True)).report([])
    assert local.extra["demo"] == demo.report_extra("en") and \
        local.extra["demo"]["connection"] == "local"


def test_exit_codes_are_the_readmes_table():
    """``ExitCode`` is the one declaration of the statuses the README promises."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("Exit status, as monitoring tools use it:", 1)[1].split("\n\n", 2)[1]
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    documented = {int(code): meaning.strip() for code, meaning in rows}
    assert set(documented) == {int(c) for c in ExitCode}
    for code in ExitCode:
        assert documented[code].lower().startswith(code.name.lower().replace("_", " ")), code
    assert [v.exit_code for v in Verdict] == [ExitCode.READY, ExitCode.READY_WITH_WARNINGS,
                                               ExitCode.NOT_READY, ExitCode.DEMO]


def _with(session: Session, **changes) -> Session:
    from dataclasses import replace

    from techcheck.checks.context import Devices

    return replace(session, devices=Devices(), results={}, media={}, **changes)
