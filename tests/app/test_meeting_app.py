"""The meeting app (issue 24, item 4): whether the interview platform's desktop app is installed
and new enough. Linux through the real dpkg-query on a real package installed into a private
dpkg database; macOS through a real Info.plist written by plistlib; Windows' uninstall keys
through a stand-in only at the ``winreg`` boundary (no Windows here)."""

from __future__ import annotations

import plistlib
import sys
import time
from pathlib import Path

import pytest

from techcheck.checks import registry
from techcheck.checks.context import CheckContext
from techcheck.checks.model import Report, Status
from techcheck.checks.profile import ProfileError, load_profile
from techcheck.checks.system import SystemCheck, meetapp
from techcheck.checks.system.meetapp import Where
from techcheck.checks.system.probe import SystemProbe
from tests.fakepkg import have_dpkg, install_fake_package

SCHEMAS = registry.limit_schemas(registry.discover())

needs_dpkg = pytest.mark.skipif(not have_dpkg(), reason="needs dpkg (Debian)")


def profile_with_minimum(tmp: Path, minimum: str, base: str = "zoom"):
    path = tmp / f"{base}-min.toml"
    path.write_text(f'[profile]\nname = "{base}-min"\ntitle = "Min"\nextends = "{base}"\n'
                    f'[system]\napp_min_version = "{minimum}"\n', encoding="utf-8")
    return load_profile(str(path), SCHEMAS)


def run_check(profile, where: Where, lang: str = "en"):
    return SystemCheck(SystemProbe(where)).run(
        CheckContext(profile=profile, duration=0.5, lang=lang))


def meeting_findings(result):
    return {f.code: f for f in result.findings if f.code.startswith("system.meeting_app")}


@needs_dpkg
def test_dpkg_query_finds_a_real_package_in_a_private_database(tmp_path):
    admin = install_fake_package(tmp_path, "zoom", "5.0.0")
    found = meetapp.dpkg_app(("zoom",), admin)
    assert found == meetapp.InstalledApp("zoom", "5.0.0", "dpkg")
    assert meetapp.dpkg_app(("teams", "teams-for-linux"), admin) is None


@needs_dpkg
def test_an_old_zoom_is_a_warning_with_the_update_and_a_new_enough_one_is_not(tmp_path):
    admin = install_fake_package(tmp_path, "zoom", "5.0.0")
    where = Where(dpkg_admindir=admin, linux_sources=("dpkg",))

    old = run_check(profile_with_minimum(tmp_path, "6.0.0"), where)
    f = meeting_findings(old)["system.meeting_app_old"]
    assert f.status is Status.WARN
    assert f.text("en") == ("Zoom 5.0.0 is installed, older than the version 6.0.0 this "
                            "interview needs: it may refuse to join.")
    assert "Update Zoom now" in f.fix_text("en")
    assert old.metrics["meeting_app"].value == "5.0.0"
    assert old.details["meeting_app"]["installed"]["source"] == "dpkg"
    sv = meeting_findings(run_check(profile_with_minimum(tmp_path, "6.0.0"), where, "sv"))
    assert sv["system.meeting_app_old"].text("sv").startswith("Zoom 5.0.0 är installerad")

    for minimum in ("5.0.0", "5", "4.99.9", ""):
        ok = run_check(profile_with_minimum(tmp_path, minimum), where)
        assert meeting_findings(ok) == {}, minimum
        assert ok.metrics["meeting_app"].value == "5.0.0"


def test_a_missing_app_is_a_tip_with_the_platforms_browser_route(tmp_path):
    empty = tmp_path / "db"
    empty.mkdir()
    (empty / "status").touch()
    where = Where(dpkg_admindir=str(empty), linux_sources=("dpkg",))
    for platform, route in (("zoom", '"Join from your browser"'),
                            ("teams", '"Continue on this browser"'),
                            ("webex", '"Join from this browser"')):
        r = run_check(load_profile(platform, SCHEMAS), where)
        f = meeting_findings(r)["system.meeting_app_missing"]
        assert f.status is Status.TIP
        # The tip changes nothing: the check's status is the other findings' (this shared
        # machine may be busy enough for a processor warning of its own).
        others = [g.status.severity for g in r.findings
                  if g.code != f.code and g.status is not Status.TIP]
        assert r.status.severity == max(others, default=Status.PASS.severity)
        assert route in f.fix_text("en"), platform
        assert r.metrics["meeting_app"].value == "not installed"
    sv = meeting_findings(run_check(load_profile("zoom", SCHEMAS), where, "sv"))
    assert sv["system.meeting_app_missing"].text("sv") == "Zoom är inte installerad på den här datorn."
    meet = run_check(load_profile("meet", SCHEMAS), where)
    assert meeting_findings(meet) == {} and meet.metrics["meeting_app"].value == "browser only"
    assert "meeting_app" not in run_check(load_profile("generic", SCHEMAS), where).metrics


def test_the_text_and_html_reports_show_the_tip(tmp_path):
    from techcheck.app.report import html, text

    empty = tmp_path / "db"
    empty.mkdir()
    (empty / "status").touch()
    r = run_check(load_profile("teams", SCHEMAS),
                  Where(dpkg_admindir=str(empty), linux_sources=("dpkg",)))
    rep = Report("2026-12-06T06:00:00+00:00", "test", {"name": "teams", "title": "Teams"}, {},
                 [r])
    out = text.render(rep, "en")
    assert "TIP: Microsoft Teams is not installed on this computer." in out
    assert "Continue on this browser" in out
    assert "Microsoft Teams är inte installerad" in text.render(rep, "sv")
    page = html.render(rep, "en")
    assert "Microsoft Teams is not installed on this computer." in page
    assert 'Meeting app</td><td class="num">not installed<' in page
    assert 'Mötesapp</td><td class="num">inte installerad<' in html.render(rep, "sv")


def test_a_minimum_that_is_no_version_is_refused_at_load(tmp_path):
    with pytest.raises(ProfileError, match="app_min_version"):
        profile_with_minimum(tmp_path, "latest")
    with pytest.raises(ProfileError, match="app_min_version"):
        profile_with_minimum(tmp_path, "6.0.0; rm")


def test_info_plist_of_a_real_bundle_gives_its_version(tmp_path):
    apps = tmp_path / "Applications"
    contents = apps / "zoom.us.app" / "Contents"
    contents.mkdir(parents=True)
    with (contents / "Info.plist").open("wb") as f:
        plistlib.dump({"CFBundleIdentifier": "us.zoom.xos",
                       "CFBundleShortVersionString": "6.2.11 (43613)"}, f,
                      fmt=plistlib.FMT_BINARY)
    assert meetapp.bundle_version(apps / "zoom.us.app") == "6.2.11 (43613)"
    found = meetapp.find_app("zoom", Where(mac_folders=(tmp_path / "none", apps)),
                             system="darwin")
    assert found == meetapp.InstalledApp("zoom.us.app", "6.2.11 (43613)", "app bundle")
    assert meetapp.older_than(found.version, "6.3") is True
    assert meetapp.find_app("teams", Where(mac_folders=(apps,)), system="darwin") is None
    broken = apps / "Webex.app" / "Contents"
    broken.mkdir(parents=True)
    (broken / "Info.plist").write_bytes(b"<plist><dict><key>x")
    assert meetapp.bundle_version(apps / "Webex.app") is None


class FakeWinreg:
    """``winreg``'s functions over a dict of key paths: the Windows registry is a boundary no
    machine here has."""

    HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER = "HKLM", "HKCU"

    class Key:
        def __init__(self, path: str) -> None:
            self.path = path

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

    def __init__(self, tree: dict[str, dict[str, str]]) -> None:
        self.tree = tree

    def _children(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({p[len(prefix):].split("\\")[0] for p in self.tree if p.startswith(prefix)})

    def OpenKey(self, parent, sub: str):  # winreg's own names
        path = f"{parent.path if isinstance(parent, self.Key) else parent}\\{sub}"
        if path not in self.tree and not self._children(path):
            raise FileNotFoundError(path)
        return self.Key(path)

    def EnumKey(self, key, index: int) -> str:
        children = self._children(key.path)
        if index >= len(children):
            raise OSError("No more data is available")
        return children[index]

    def QueryValueEx(self, key, name: str):
        values = self.tree.get(key.path, {})
        if name not in values:
            raise FileNotFoundError(name)
        return values[name], 1


def test_windows_uninstall_keys_through_a_winreg_stand_in():
    u = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
    reg = FakeWinreg({
        f"HKLM\\{u}\\{{A}}": {"DisplayName": "Teams Machine-Wide Installer",
                              "DisplayVersion": "1.5.0.30767"},
        f"HKLM\\{u}\\{{B}}": {"DisplayName": "Microsoft Teams Meeting Add-in for Microsoft Office",
                              "DisplayVersion": "1.0.23"},
        f"HKLM\\{u}\\{{C}}": {"SystemComponent": "1"},
        f"HKCU\\{u}\\ZoomUMX": {"DisplayName": "Zoom Workplace (64-bit)",
                                "DisplayVersion": "6.0.11 (39959)"},
    })
    entries = list(meetapp.uninstall_entries(reg))
    assert ("Zoom Workplace (64-bit)", "6.0.11 (39959)") in entries and len(entries) == 3
    zoom = meetapp.registry_app(meetapp.APPS["zoom"], entries)
    assert zoom == meetapp.InstalledApp("Zoom Workplace (64-bit)", "6.0.11 (39959)", "registry")
    assert meetapp.older_than(zoom.version, "6.0.11") is False
    assert meetapp.registry_app(meetapp.APPS["teams"], entries) is None  # installer, add-in


def test_versions_compare_part_by_part():
    assert meetapp.version_key("1:6.0.11.4-1") == (6, 0, 11, 4)
    assert meetapp.older_than("5.17.11", "5.9") is False  # not a string comparison
    assert meetapp.older_than("24295.605.3225.8804", "24300") is True
    assert meetapp.older_than("", "6.0") is None
    assert meetapp.version_problem("6.3.0") is None and meetapp.version_problem("") is None
    assert meetapp.version_problem("v6") is not None


def test_package_tool_outputs_are_parsed():
    assert meetapp.parse_flatpak_list("us.zoom.Zoom\t6.2.5.3\norg.gnome.Maps\t\n") == {
        "us.zoom.Zoom": "6.2.5.3", "org.gnome.Maps": ""}
    snap = ("Name             Version   Rev   Tracking       Publisher  Notes\n"
            "zoom-client      6.2.5     242   latest/stable  ogra       -\n")
    assert meetapp.parse_snap_list(snap) == {"zoom-client": "6.2.5"}
    assert meetapp.parse_appx_version("\r\n25122.1415.3698.6812\r\n") == "25122.1415.3698.6812"
    assert meetapp.parse_appx_version("Get-AppxPackage : not recognized") is None


def test_commands_are_bounded_in_output_and_time():
    _, out = meetapp.run_bounded([sys.executable, "-c", "print('x' * 10**7)"], limit=1000)
    assert len(out) == 1000
    start = time.monotonic()
    res = meetapp.run_bounded([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert res is not None and res[0] != 0 and time.monotonic() - start < 5
    assert meetapp.run_bounded(["techcheck-no-such-command"]) is None


@pytest.mark.slow
@pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform's notice
def test_the_app_shows_the_missing_app_on_the_computer_page_and_in_results(make_window, qtbot):
    """As a person reaches it: Zoom chosen, the Computer step clicked; Zoom is not installed on
    this machine (its real dpkg database), so the page and Results show the tip with the
    browser route."""
    from PySide6.QtWidgets import QLabel

    from tests.gui_fixtures import by_name, click_step, press, visible_widgets

    if meetapp.find_app("zoom") is not None:
        pytest.skip("Zoom is installed on this machine")
    w = make_window(platform="zoom", language="en", demo_mode="on")
    click_step(qtbot, w, "system")
    page = w.pages["system"]
    qtbot.waitUntil(lambda: "system" in w.session.results and not page.panel.running,
                    timeout=60_000)

    def shown() -> str:
        return "\n".join(label.text() for label in visible_widgets(w, QLabel))

    qtbot.waitUntil(lambda: "Zoom is not installed on this computer." in shown(), timeout=5000)
    assert "Join from your browser" in shown()
    press(qtbot, by_name(w, "Next step: Results"))
    qtbot.waitUntil(lambda: "Zoom is not installed on this computer." in shown(), timeout=5000)


@needs_dpkg
def test_an_invitations_minimum_version_judges_the_installed_app(tmp_path):
    """The recruiter's invitation names the minimum: it is checked when the file is read,
    written back the same, replaces the profile's, and reaches the report."""
    from techcheck.app import invitation
    from techcheck.app.report import jsonio
    from techcheck.app.runsetup import RunSetup

    with pytest.raises(invitation.InvitationError, match="app_min_version"):
        invitation.create(profile="zoom", when="2026-12-20T10:00+01:00", contact="Anna",
                          app_min_version="newest")
    inv = invitation.create(profile="zoom", when="2026-12-20T10:00+01:00", contact="Anna",
                            app_min_version="6.0.0")
    assert 'app_min_version = "6.0.0"' in inv.to_toml()
    admin = install_fake_package(tmp_path, "zoom", "5.0.0")
    setup = RunSetup(profile=load_profile("zoom", SCHEMAS), invitation=inv)
    ctx = setup.context("system")
    assert ctx.limits("system").app_min_version == "6.0.0"
    assert setup.profile.limits("system").app_min_version == ""  # the profile itself unchanged
    ctx.duration = 0.5
    r = SystemCheck(SystemProbe(Where(dpkg_admindir=admin, linux_sources=("dpkg",)))).run(ctx)
    assert meeting_findings(r)["system.meeting_app_old"].status is Status.WARN
    report = setup.report([r])
    assert report.extra["invitation"]["app_min_version"] == "6.0.0"
    path = jsonio.write(report, tmp_path / "report.json")
    assert jsonio.read(path).extra["invitation"]["app_min_version"] == "6.0.0"


def test_a_recruiter_names_the_minimum_on_the_command_line(tmp_path):
    from tests.conftest import run_cli

    out = tmp_path / "invite.toml"
    r = run_cli("invite", "--profile", "zoom", "--when", "2026-12-20T10:00+01:00", "--contact",
                "Anna", "--app-min-version", "6.3.0", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert 'app_min_version = "6.3.0"' in out.read_text(encoding="utf-8")
    bad = run_cli("invite", "--profile", "zoom", "--when", "2026-12-20T10:00+01:00",
                  "--contact", "Anna", "--app-min-version", "latest", "-o", str(out))
    assert bad.returncode == 3 and "app_min_version" in bad.stderr
