"""The ``[network]`` profile section: where to measure, the video tiers and the limits the
network check judges against (values in resources/profiles/generic.toml)."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.model import LimitStatus


@dataclass(frozen=True)
class NetworkLimits:
    # Where to measure. The profile names public servers; --server/--stun override them.
    server_url: str = "https://speed.cloudflare.com"
    stun_servers: tuple[str, ...] = ("stun.l.google.com:19302", "stun.cloudflare.com:3478")
    endpoints: tuple[str, ...] = ()
    captive_url: str = "http://connectivitycheck.gstatic.com/generate_204"
    # Video quality tiers: name, upload and download Mbit/s each needs; target = what the
    # interview should manage without a warning.
    tiers: tuple[str, ...] = ("360p", "540p", "720p", "1080p")
    # The profile loader checks the metadata: one number per tier, a target that is a tier.
    tier_up_mbps: tuple[float, ...] = field(default=(0.5, 1.2, 2.5, 4.0),
                                            metadata={"same_length_as": "tiers"})
    tier_down_mbps: tuple[float, ...] = field(default=(0.5, 1.2, 2.5, 4.0),
                                              metadata={"same_length_as": "tiers"})
    target_tier: str = field(default="720p", metadata={"one_of": "tiers"})
    rtt_warn_ms: float = 100.0
    rtt_fail_ms: float = 300.0
    jitter_warn_ms: float = 30.0
    jitter_fail_ms: float = 50.0
    loss_warn_pct: float = 1.0
    loss_fail_pct: float = 5.0
    bufferbloat_warn_ms: float = 50.0
    bufferbloat_fail_ms: float = 200.0
    dns_warn_ms: float = 300.0
    udp_blocked_status: LimitStatus = LimitStatus.WARN
    proxy_status: LimitStatus = LimitStatus.WARN
    interception_status: LimitStatus = LimitStatus.WARN
    captive_status: LimitStatus = LimitStatus.FAIL
    # How long each phase takes by default, and how many parallel streams.
    idle_s: float = 10.0
    download_s: float = 6.0
    upload_s: float = 6.0
    download_streams: int = 6
    upload_streams: int = 4
    probe_interval_ms: float = 20.0
