"""The network check's measures, each declared once: unit, label, the ``[network]`` profile
keys of its limits, and its finding's message and fix (checks/measure.py)."""

from __future__ import annotations

from typing import Any

from techcheck.checks.i18n import N_
from techcheck.checks.measure import Measure, Side, table


def _tier_limit(lim: Any, direction: str, *, target: bool) -> float:
    """A speed limit from the profile's video tiers: the target tier's (below it a warning)
    or the lowest tier's (below it a failure)."""
    from techcheck.checks.network.analysis import tiers_from  # numpy: only when grading

    tiers = tiers_from(lim.tiers, lim.tier_up_mbps, lim.tier_down_mbps)
    tier = tiers[0]
    if target:
        tier = next((t for t in tiers if t.name == lim.target_tier), tiers[-1])
    return tier.down_mbps if direction == "down" else tier.up_mbps


def _down_target(lim: Any) -> float:
    return _tier_limit(lim, "down", target=True)


def _down_lowest(lim: Any) -> float:
    return _tier_limit(lim, "down", target=False)


def _up_target(lim: Any) -> float:
    return _tier_limit(lim, "up", target=True)


def _up_lowest(lim: Any) -> float:
    return _tier_limit(lim, "up", target=False)


DOWNLOAD = Measure(
    "download", "Mbit/s", label=N_("Download"),
    low=Side("network.slow_download", _down_target, _down_lowest,
             N_("Download speed is {value:.1f} Mbit/s; {platform} needs {threshold:.1f} Mbit/s "
                "for {tier} video."),
             N_("Stop other downloads and streaming on this network, sit closer to the Wi-Fi "
                "router or use a cable.")))
UPLOAD = Measure(
    "upload", "Mbit/s", label=N_("Upload"),
    low=Side("network.slow_upload", _up_target, _up_lowest,
             N_("Upload speed is {value:.1f} Mbit/s; {platform} needs {threshold:.1f} Mbit/s "
                "for {tier} video: the others will see you blurred or frozen."),
             N_("Pause cloud backups and file sync, sit closer to the Wi-Fi router or use a "
                "cable; if it stays slow, your internet subscription's upload is too small.")))
DNS_MS = Measure(
    "dns_ms", "ms", label=N_("Name lookup time"),
    high=Side("network.slow_dns", "dns_warn_ms", None,
              N_("Looking up a server name took {value:.0f} ms (want under {threshold:.0f} "
                 "ms)."),
              N_("Restart the router; if it stays slow, set your DNS server to your "
                 "provider's or a public one.")))
UDP = Measure("udp", "", label=N_("UDP reachable"))
LATENCY = Measure(
    "latency", "ms", label=N_("Latency"),
    high=Side("network.high_latency", "rtt_warn_ms", "rtt_fail_ms",
              N_("The delay to the test server is {value:.0f} ms round trip (want at most "
                 "{threshold:.0f} ms): people will talk over each other."),
              N_("Use a network cable or sit near the router, close downloads and streaming "
                 "on this network, and turn off a VPN if you use one.")))
LATENCY_METHOD = Measure("latency_method", "", label=N_("Latency measured with"),
                         words=(("tcp", N_("TCP connections (UDP blocked)")),))
JITTER = Measure(
    "jitter", "ms", label=N_("Jitter"),
    high=Side("network.high_jitter", "jitter_warn_ms", "jitter_fail_ms",
              N_("The delay varies by {value:.0f} ms from packet to packet (want at most "
                 "{threshold:.0f} ms): sound will stutter."),
              N_("Use a network cable instead of Wi-Fi, and stop other devices on the network "
                 "from streaming or downloading during the interview.")))
PACKET_LOSS = Measure(
    "packet_loss", "%", label=N_("Packet loss"),
    high=Side("network.packet_loss", "loss_warn_pct", "loss_fail_pct",
              N_("{value:.1f} % of the packets were lost (want at most {threshold:.1f} %): "
                 "words and video frames will drop out."),
              N_("Use a network cable or move closer to the Wi-Fi router; if it persists, "
                 "restart the router and contact your internet provider.")))
LOADED_LATENCY_DOWNLOAD = Measure("loaded_latency_download", "ms",
                                  label=N_("Latency while downloading"))
LOADED_LATENCY_UPLOAD = Measure("loaded_latency_upload", "ms",
                                label=N_("Latency while uploading"))
BUFFERBLOAT = Measure(
    "bufferbloat", "ms", label=N_("Delay added under load"),
    high=Side("network.bufferbloat", "bufferbloat_warn_ms", "bufferbloat_fail_ms",
              N_("While downloading, the delay rises by {value:.0f} ms (from {idle:.0f} to "
                 "{loaded:.0f} ms; want at most {threshold:.0f} ms more): the call will lag "
                 "whenever someone here streams or downloads."),
              N_("Ask others on this network not to stream or download during the interview. "
                 "If your router has \u201cSmart Queue\u201d, \u201cSQM\u201d or \u201cQoS\u201d, "
                 "turn it on."),
              variants=(("upload",
                         N_("While uploading, the delay rises by {value:.0f} ms (from {idle:.0f} "
                            "to {loaded:.0f} ms; want at most {threshold:.0f} ms more): the "
                            "call will lag whenever something on this network uploads."),
                         N_("During the interview pause cloud backups, photo sync and file "
                            "uploads on every device here. If your router has \u201cSmart "
                            "Queue\u201d, \u201cSQM\u201d or \u201cQoS\u201d, turn it on.")),)))
SPEEDTEST_PING = Measure("speedtest_ping", "ms", label=N_("Speedtest ping"))
VIDEO_QUALITY = Measure("video_quality", "", label=N_("Video quality possible"))


def _every_endpoint(lim: Any) -> float:
    """Every platform server the profile names: one short of that is a warning."""
    return float(len(lim.endpoints))


#: How many of the profile's platform servers answered (TCP and TLS). docs/verdicts.md: some
#: unreachable is a warning (the call app tries others: Teams, Zoom, Meet and Webex each list
#: several server ranges for media and sign-in); none reachable is a failure, the call cannot
#: start. A server that did not answer in the check's time is counted as unreachable and named
#: with "(timeout)", so the person sees which one and why.
ENDPOINTS_REACHABLE = Measure(
    "endpoints_reachable", "", label=N_("Call services reachable"),
    low=Side("network.platform_unreachable", _every_endpoint, 1.0,
             N_("Some of the servers of {platform} could not be reached: {names}. The call may "
                "still work through the others."),
             N_("If joining the call fails, a firewall, proxy or filter on this network blocks "
                "part of {platform}: try another network (a phone hotspot works), or ask the "
                "network's IT department to allow {platform}."),
             variants=(
                 ("none", N_("The servers of {platform} could not be reached: {names}."),
                  N_("A firewall, proxy or filter on this network blocks {platform}. Try "
                     "another network (a phone hotspot works), or ask the network's IT "
                     "department to allow {platform}.")),
                 ("other", N_("Some video platforms' servers could not be reached: {names}."),
                  N_("If your interview uses one of them, try another network (a phone hotspot "
                     "works) or ask the network's IT department to allow it. Choose your "
                     "platform's profile for a precise answer.")),
                 ("other_none", N_("No video platform's servers could be reached: {names}."),
                  N_("A firewall, proxy or filter on this network blocks video calls. Try "
                     "another network (a phone hotspot works), or ask the network's IT "
                     "department to allow the platform of your interview.")))))
MEASURED_VIA = Measure("measured_via", "", label=N_("Measured through"),
                       words=(("direct", N_("a direct connection")),
                              ("proxy", N_("the proxy"))))
#: How far the computer's clock surely is from the servers' (the measurement server's and the
#: platform's, cross-checked: checks/network/clock.py says how the Date header's whole second,
#: the round trip and a server with a wrong clock are accounted for; the second limit applies
#: only when two or more servers agree). Fixed limits, not profile keys: they are about the
#: computer, not the platform.
#: A minute: invitations and calendars give the interview to the minute, so past that the
#: candidate may join late. A day: certificates are valid from their notBefore to their notAfter
#: instant, checked against this computer's clock (RFC 5280 §4.1.2.5 and §6.1.3 (a)(2)), and a
#: certificate issued within the last day (ACME certificates are renewed every few days to weeks)
#: is refused by a clock a day slow; a day is the margin commonly documented for TLS to keep
#: working. Chromium blames the clock for a certificate date error past 5 minutes
#: (components/ssl_errors/error_classification.cc, kNetworkTimeFudge), so the warning's minute
#: is well inside what browsers tolerate.
CLOCK_OFFSET = Measure(
    "clock_offset", "s", label=N_("Clock difference from the servers"),
    high=Side("network.clock_off", 60.0, 86400.0,
              N_("The computer's clock is {value:duration} ahead of the servers' clocks "
                 "(want at most {threshold:duration}): you may join the interview at the wrong "
                 "time, and far off, secure connections to the call fail."),
              N_("Turn on \u201cSet time automatically\u201d in the computer's date and time "
                 "settings, then run the test again."),
              variants=(("behind",
                         N_("The computer's clock is {value:duration} behind the servers' "
                            "clocks (want at most {threshold:duration}): you may join the "
                            "interview at the wrong time, and far off, secure connections to "
                            "the call fail."), ""),)))

MEASURES = {"network": table((DOWNLOAD, UPLOAD, DNS_MS, UDP, LATENCY, LATENCY_METHOD, JITTER,
                              PACKET_LOSS, LOADED_LATENCY_DOWNLOAD, LOADED_LATENCY_UPLOAD,
                              BUFFERBLOAT, SPEEDTEST_PING, VIDEO_QUALITY, ENDPOINTS_REACHABLE,
                              MEASURED_VIA, CLOCK_OFFSET))}


#: Why a server was not reached or a transfer failed, as the check records it in a finding's
#: ``names`` ("host:443 (timeout)", ``probes.Reach.error``) and ``reason`` ("stall,
#: unconfirmed", ``httpio.HttpFailure.kind``), and what a person reads for each: every surface
#: quotes the text in the reader's language (``Finding.text`` through ``measure.param_words``);
#: the report file keeps the word in the finding's parameters.
FAILURE_WORDS = (
    ("timeout", N_("no answer in time")),
    ("dns", N_("name not found")),
    ("tcp", N_("connection refused")),
    ("tls", N_("secure connection failed")),
    ("proxy", N_("refused by the proxy")),
    ("connect", N_("could not connect")),
    ("private", N_("an address inside this network")),
    ("status", N_("an error answer")),
    ("content", N_("an unexpected answer")),
    ("reset", N_("connection cut")),
    ("stall", N_("the transfer stalled")),
    ("unconfirmed", N_("no data confirmed")),
    ("stopped", N_("the server went silent")),
    ("cancelled", N_("cancelled")),
    ("proxy_connect", N_("could not connect to the proxy")),
    ("proxy_auth", N_("the proxy asks for a sign-in")),
    ("proxy_refused", N_("refused by the proxy")),
    ("proxy_reset", N_("the proxy cut the connection")),
    ("proxy_stall", N_("the proxy stalled")),
)
PARAM_WORDS = {"network": {"names": FAILURE_WORDS, "reason": FAILURE_WORDS}}
