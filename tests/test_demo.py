"""Demo mode (GUI and selftest): the network check measures only against the local server, so a
newcomer without internet sees it work instead of a wall of "cannot reach teams.microsoft.com"."""

from __future__ import annotations

from app import demo
from checks import registry
from checks.context import CheckContext, Devices
from checks.model import Status
from checks.profile import load_profile
from checks.runner import run_one

PLUGINS = registry.discover()


def test_local_profile_narrows_a_copy():
    teams = load_profile("teams", registry.limit_schemas(PLUGINS))
    local = demo.local_profile(teams)
    assert local.limits("network").endpoints == ()
    assert local.limits("network").stun_servers == ()
    assert teams.limits("network").endpoints  # the session's own profile is untouched
    assert local.limits("network").tier_up_mbps == teams.limits("network").tier_up_mbps


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
