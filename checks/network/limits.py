"""The ``[network]`` profile section: where to measure, the video tiers and the limits the
network check judges against (values in resources/profiles/generic.toml)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from techcheck.checks.model import Between, Checked, LimitStatus, PerTier, TierName

#: Fewest STUN probes the idle phase must send: one lost probe is then 1 %, the loss Microsoft
#: Teams' network planning guidance allows in any 15 s ("packet loss < 1 %"), so loss can be
#: judged at all; a profile with fewer would call a single answered probe loss-free.
MIN_IDLE_PROBES = 100


def _web_address(value: Any) -> str | None:
    """``server_url`` as ``--server`` takes it. Syntax only: a profile loads offline and at
    once, so nothing here may look a name up (where the address leads is judged at run time)."""
    from techcheck.checks.network.check import server_problem  # check.py imports this module

    return server_problem(value)


def _parsed(value: Any, parse: Callable[[str], object]) -> str | None:
    """The sentence ``parse`` refuses ``value`` with, or None (the check's own parser)."""
    try:
        parse(value)
    except ValueError as exc:
        return str(exc)
    return None


def _plain_web_address(value: Any) -> str | None:
    """An http(s) address, or empty for "do not check" (a lab or demo profile)."""
    from techcheck.checks.network.httpio import parse_origin

    return None if value == "" else _parsed(value, parse_origin)


def _stun_server(value: Any) -> str | None:
    from techcheck.checks.network.stun import parse_hostport

    return _parsed(value, parse_hostport)


def _endpoint(value: Any) -> str | None:
    from techcheck.checks.network.probes import split_endpoint

    host, port = split_endpoint(value)
    if not host or any(c.isspace() or c in "/@?#" for c in host) or not 0 < port < 65536:
        return f"{value!r} is not an endpoint as HOST:PORT (port 1-65535)"
    return None


@dataclass(frozen=True)
class NetworkLimits:
    # Where to measure. The profile names public servers; --server/--stun override them.
    server_url: Annotated[str, Checked(_web_address)]
    stun_servers: Annotated[tuple[str, ...], Checked(_stun_server)]
    endpoints: Annotated[tuple[str, ...], Checked(_endpoint)]
    captive_url: Annotated[str, Checked(_plain_web_address)]
    # Video quality tiers: name, upload and download Mbit/s each needs; target = what the
    # interview should manage without a warning.
    tiers: tuple[str, ...]
    # Typed so the profile loader checks them: one number per tier, a target that is a tier.
    tier_up_mbps: PerTier
    tier_down_mbps: PerTier
    target_tier: TierName
    rtt_warn_ms: float
    rtt_fail_ms: float
    jitter_warn_ms: float
    jitter_fail_ms: float
    loss_warn_pct: float
    loss_fail_pct: float
    bufferbloat_warn_ms: float
    bufferbloat_fail_ms: float
    dns_warn_ms: float
    udp_blocked_status: LimitStatus
    proxy_status: LimitStatus
    interception_status: LimitStatus
    captive_status: LimitStatus
    # How long each phase takes by default, and how many parallel streams.
    # 1 s is the shortest phase that holds a ramp-up and a measurement; 2 minutes the longest
    # a person waits for one phase.
    idle_s: Annotated[float, Between(1, 120)]
    download_s: Annotated[float, Between(1, 120)]
    upload_s: Annotated[float, Between(1, 120)]
    download_streams: int
    upload_streams: int
    # RFC 8445 §14.2: STUN checks are paced no faster than one every 5 ms; one a second is the
    # slowest that still samples jitter (and MIN_IDLE_PROBES bounds it with idle_s).
    probe_interval_ms: Annotated[float, Between(5, 1000)]

    @staticmethod
    def problem_between_keys(values: dict[str, Any]) -> tuple[tuple[str, ...], str] | None:
        """The idle phase must send at least ``MIN_IDLE_PROBES`` probes (see there)."""
        probes = values["idle_s"] * 1000.0 / values["probe_interval_ms"]
        if probes < MIN_IDLE_PROBES:
            return (("probe_interval_ms", "idle_s"),
                    f"idle_s = {values['idle_s']:g} and probe_interval_ms = "
                    f"{values['probe_interval_ms']:g} send {probes:.0f} probes; loss needs at "
                    f"least {MIN_IDLE_PROBES} probes (a longer idle_s or a shorter interval)")
        return None
