"""The ``[network]`` profile section: where to measure, the video tiers and the limits the
network check judges against (values in resources/profiles/generic.toml)."""

from __future__ import annotations

from dataclasses import dataclass

from techcheck.checks.model import LimitStatus, PerTier, TierName


@dataclass(frozen=True)
class NetworkLimits:
    # Where to measure. The profile names public servers; --server/--stun override them.
    server_url: str
    stun_servers: tuple[str, ...]
    endpoints: tuple[str, ...]
    captive_url: str
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
    idle_s: float
    download_s: float
    upload_s: float
    download_streams: int
    upload_streams: int
    probe_interval_ms: float
