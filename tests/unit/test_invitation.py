"""Recruiter invitations: what a recruiter writes reads back the same; a malformed or hostile
file gives a clear error and changes nothing."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techcheck.app import invitation
from techcheck.app.invitation import InvitationError

GOOD = """format = "techcheck.invitation/1"
profile = "teams"
when = 2026-12-01T10:00:00+01:00
contact = "Anna Berg, anna.berg@acme.example"
company = "Acme AB"
server = "https://speed.acme.example:8443/techcheck/"
stun = "stun.acme.example:3478"
"""


def write(tmp_path: Path, text: str | bytes, name: str = "invite.toml") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode() if isinstance(text, str) else text)
    return p


def test_a_good_invitation(tmp_path: Path):
    inv = invitation.load(write(tmp_path, GOOD))
    assert inv.profile == "teams" and inv.company == "Acme AB"
    assert inv.when == datetime(2026, 12, 1, 10, tzinfo=timezone(timedelta(hours=1)))
    assert inv.server.startswith("https://") and inv.stun == "stun.acme.example:3478"
    assert inv.file == "invite.toml" and len(inv.sha256) == 64
    d = inv.to_report()
    assert d["when"] == "2026-12-01T10:00+01:00" and str(tmp_path) not in str(d)


def test_when_may_be_an_iso_string_and_a_bom_is_fine(tmp_path: Path):
    text = GOOD.replace("when = 2026-12-01T10:00:00+01:00", 'when = "2026-12-01T10:00+01:00"')
    inv = invitation.load(write(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    assert inv.when.utcoffset() == timedelta(hours=1)


def _replace(key: str, line: str | None) -> str:
    lines = [ln for ln in GOOD.splitlines() if not ln.startswith(f"{key} =")]
    return "\n".join(lines + ([line] if line else [])) + "\n"


HOSTILE = {
    "unknown key": (GOOD + 'command = "rm -rf ~"\n', "unknown key 'command'"),
    "table": (GOOD + "[extra]\nx = 1\n", "unknown key 'extra'"),
    "missing contact": (_replace("contact", None), "'contact' is missing"),
    "profile path": (_replace("profile", 'profile = "../../etc/passwd"'), "'profile' must be one"),
    "profile file": (_replace("profile", 'profile = "/tmp/evil.toml"'), "'profile' must be one"),
    "profile unknown": (_replace("profile", 'profile = "skype"'), "'profile' must be one"),
    "profile type": (_replace("profile", "profile = 3"), "'profile' must be text"),
    "javascript url": (_replace("server", 'server = "javascript:alert(1)"'), "https://"),
    "file url": (_replace("server", 'server = "file:///etc/passwd"'), "https://"),
    "ftp url": (_replace("server", 'server = "ftp://x.example/"'), "https://"),
    "credentials": (_replace("server", 'server = "https://u:p@x.example/"'), "password"),
    "no host": (_replace("server", 'server = "https:///path"'), "must name a server"),
    "space in url": (_replace("server", 'server = "https://x.example/a b"'), "without spaces"),
    "bad port": (_replace("server", 'server = "https://x.example:99999/"'), "not a valid URL"),
    "stun port": (_replace("stun", 'stun = "stun.example:0"'), "port from 1 to 65535"),
    "stun junk": (_replace("stun", 'stun = "a b:3478"'), "host:port"),
    "no zone": (_replace("when", "when = 2026-12-01T10:00:00"), "time zone"),
    "no zone text": (_replace("when", 'when = "2026-12-01T10:00"'), "time zone"),
    "date only": (_replace("when", "when = 2026-12-01"), "both the date and the time"),
    "not a date": (_replace("when", 'when = "tomorrow"'), "date and time like"),
    "year": (_replace("when", "when = 1970-01-01T00:00:00Z"), "between 2000 and 2100"),
    "rtl override": (_replace("company", 'company = "Acme\\u202eBA"'), "control characters"),
    "newline": (_replace("company", 'company = "Acme\\nAB"'), "control characters"),
    "nul": (_replace("contact", 'contact = "a\\u0000b"'), "control characters"),
    # issue 21: C1 controls, line and paragraph separators, BOM, the Arabic letter mark
    "c1 csi": (_replace("company", 'company = "Acme\\u009b31m"'), "control characters"),
    "c1 nel": (_replace("position", 'position = "Dev\\u0085ops"'), "control characters"),
    "line separator": (_replace("company", 'company = "Acme\\u2028AB"'), "control characters"),
    "para separator": (_replace("contact", 'contact = "a\\u2029b"'), "control characters"),
    "bom": (_replace("company", 'company = "\\ufeffAcme"'), "control characters"),
    "arabic mark": (_replace("company", 'company = "Acme\\u061cBA"'), "control characters"),
    "word joiner": (_replace("company", 'company = "Ac\\u2060me"'), "control characters"),
    "empty": (_replace("contact", 'contact = "  "'), "'contact' is empty"),
    "long": (_replace("company", f'company = "{"x" * 300}"'), "too long"),
    "newer format": (_replace("format", 'format = "techcheck.invitation/2"'), "newer TechCheck"),
    "other format": (_replace("format", 'format = "acme/1"'), "must be 'techcheck.invitation/1'"),
    "not toml": ("<html>hello</html>", "not a valid invitation"),
    "deep nesting": ("a = " + "[" * 12000, "not a valid invitation"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_and_malformed_files_are_refused_with_a_clear_message(tmp_path: Path, case):
    text, expected = HOSTILE[case]
    with pytest.raises(InvitationError) as err:
        invitation.load(write(tmp_path, text))
    assert expected in str(err.value)
    assert str(err.value).startswith("invite.toml: ")
    assert str(tmp_path) not in str(err.value)  # names the file, not the user's folders


def test_files_that_are_not_small_text_files(tmp_path: Path):
    with pytest.raises(InvitationError, match="too large"):
        invitation.load(write(tmp_path, GOOD + "#" * invitation.MAX_BYTES))
    with pytest.raises(InvitationError, match="not a text file in UTF-8"):
        invitation.load(write(tmp_path, b"\xff\xfe\x00\x01" * 10))
    with pytest.raises(InvitationError, match="no such file"):
        invitation.load(tmp_path / "missing.toml")
    with pytest.raises(InvitationError, match=r"folder|regular file"):
        invitation.load(tmp_path)
    with pytest.raises(InvitationError, match="not a regular file"):
        invitation.load("/dev/zero")
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(InvitationError, match="not a regular file"):
        invitation.load(fifo)  # returns at once instead of waiting for a writer


def test_create_round_trips_and_validates():
    inv = invitation.create(profile="zoom", when="2026-12-01T10:00+01:00",
                            contact='Anna "IT" Berg \\ support', company="Åkesson & Öberg AB",
                            note="Välkommen!\nRing om något strular.")
    again = invitation.parse(inv.to_toml())
    assert again == inv
    with pytest.raises(InvitationError, match="time zone"):
        invitation.create(profile="zoom", when="2026-12-01T10:00", contact="x")


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf")), min_size=1,
                max_size=60).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contact=_text, company=_text, note=st.text(max_size=200))
def test_any_text_a_recruiter_types_round_trips_or_is_refused_cleanly(contact, company, note):
    try:
        inv = invitation.create(profile="meet", when="2026-12-01T10:00:00+00:00",
                                contact=contact, company=company, note=note)
    except InvitationError:
        return  # refused with a message: fine
    assert invitation.parse(inv.to_toml()) == inv


# --- issue 13 item 12: servers inside the candidate's network ---------------------------------


@pytest.mark.parametrize(("host", "inside"), [
    ("127.0.0.1", True), ("169.254.169.254", True), ("10.1.2.3", True), ("192.168.1.1", True),
    ("172.16.0.1", True), ("100.64.0.1", True), ("0.0.0.0", True), ("::1", True),
    ("fd00::1", True), ("fe80::1", True), ("::ffff:10.0.0.1", True), ("localhost", True),
    ("LocalHost.", True), ("printer.local", True), ("nas.home.arpa", True),
    ("db.internal", True), ("router", True), ("224.0.0.1", True),
    ("speed.example.com", False), ("8.8.8.8", False), ("2001:4860:4860::8888", False),
])
def test_inside_network_from_the_text_alone(host, inside):
    assert invitation.inside_network(host) is inside


def test_internal_servers_names_server_and_stun():
    base = {"profile": "teams", "when": "2026-12-01T10:00+01:00", "contact": "x"}
    inv = invitation.create(**base, server="http://localhost:631/", stun="[::1]:3478")
    assert inv.internal_servers == [("server", "http://localhost:631/"), ("stun", "[::1]:3478")]
    inv = invitation.create(**base, server="https://speed.example.com/", stun="10.0.0.5")
    assert inv.internal_servers == [("stun", "10.0.0.5")]
    assert invitation.create(**base, server="https://speed.example.com/").internal_servers == []
    assert "internal" not in json.dumps(inv.to_report())  # the report is unchanged


@pytest.mark.slow
@pytest.mark.parametrize("server", ["http://127.0.0.1:9/", "http://169.254.169.254/latest/",
                                    "http://10.0.0.1/", "http://localhost:631/"])
def test_cli_refuses_an_invitation_server_inside_the_network(tmp_path, server):
    from tests.conftest import run_cli

    path = tmp_path / "invite.toml"
    inv = invitation.create(profile="teams", when="2026-12-01T10:00+01:00", contact="x",
                            server=server)
    path.write_text(inv.to_toml(), encoding="utf-8")
    r = run_cli("run", "--invitation", str(path), "--only", "system", "--no-history",
                timeout=60)
    assert r.returncode == 3, r.stderr
    assert f"server {server}" in r.stderr and "--allow-private-server" in r.stderr
    assert "Computer…" not in r.stderr  # nothing ran
    # the person's own --server replaces the invitation's: nothing to refuse
    r = run_cli("run", "--invitation", str(path), "--only", "system", "--no-history",
                "--server", "https://speed.example.com/", timeout=60)
    assert r.returncode in (0, 1, 2), r.stderr


def test_timing_names_the_daylight_saving_change_before_the_interview(monkeypatch):
    """Issue 24 item 3: in Stockholm the clocks go forward on 29 March 2026 at 01:00 UTC
    (EU Directive 2000/84/EC: the last Sunday of March); an interview after it is an hour
    later in local terms than one worked out with today's offset."""
    import time as _time

    monkeypatch.setenv("TZ", "Europe/Stockholm")
    _time.tzset()
    try:
        now = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
        t = invitation.timing(datetime(2026, 4, 2, 8, 0, tzinfo=UTC), now)
        assert (t.local.hour, t.past) == (10, False)  # CEST: UTC+2
        assert t.clock_change == datetime(2026, 3, 29, 3, 0, tzinfo=timezone(timedelta(hours=2)))
        assert (t.offset_now, t.offset_then) == (timedelta(hours=1), timedelta(hours=2))
        same = invitation.timing(datetime(2026, 3, 25, 8, 0, tzinfo=UTC), now)
        assert same.clock_change is None and same.local.hour == 9
        over = invitation.timing(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), now)
        assert over.past and over.clock_change is None and over.seconds_left < 0
    finally:
        monkeypatch.undo()
        _time.tzset()
