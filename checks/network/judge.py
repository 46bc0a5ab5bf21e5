"""The network check's judgements: metrics and findings from what the run measured.

Kept apart from the orchestration in ``check.py`` (threads, probes, time budget), as the camera
keeps ``judge.py`` apart from its ``check.py``; every graded number goes through
``ResultBuilder.grade`` by its declaration (checks/network/measures.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from dataclasses import dataclass

from techcheck.checks.base import ResultBuilder
from techcheck.checks.context import CheckContext
from techcheck.checks.i18n import N_
from techcheck.checks.model import Status
from techcheck.checks.network import analysis, pac, probes, stun
from techcheck.checks.network import measures as M
from techcheck.checks.network.clock import Agreement, ClockOffset
from techcheck.checks.network.dns import Resolution, is_ip_literal
from techcheck.checks.network.httpio import HttpFailure, Origin, parse_origin
from techcheck.checks.network.limits import NetworkLimits
from techcheck.checks.network.proxy import Proxy, parse_proxy
from techcheck.checks.network.transfer import TransferResult


@dataclass
class ServerPath:
    """How the measurement server is reached: ``via`` None directly, else through that proxy."""

    via: Proxy | None
    direct_error: str = ""  # the HttpFailure kind of the direct attempt, "" if it worked
    proxy_error: str = ""


class Judge:
    """Turns one run's measurements into metrics and findings on ``r``."""

    def __init__(self, r: ResultBuilder, lim: NetworkLimits, ctx: CheckContext) -> None:
        self.r = r
        self.lim = lim
        self.ctx = ctx
        #: the measurement server gave no speed (``network.server_unreachable``)
        self.server_failed = False
        #: something on the internet answered: a STUN server, a platform server, a TCP
        #: handshake with the measurement server (``silence`` then says nothing)
        self.answered_elsewhere = False

    def connectivity(self, dns: dict[str, Resolution], origin: Origin | None,
                            via: Proxy | None = None) -> bool:
        """Offline or DNS broken: findings, and True to stop (nothing else can be measured).
        With a proxy for the server, names need not resolve here: the proxy looks them up."""
        r = self.r
        if not dns:
            return False
        failed = [n for n, d in dns.items() if not d.ok]
        r.detail("dns", {n: {"ms": None if d.ms is None else round(d.ms, 1), "error": d.error}
                         for n, d in dns.items()})
        server_literal = origin is not None and is_ip_literal(origin.host)
        if len(failed) < len(dns) or server_literal or via is not None:
            if failed:
                r.finding(
                    "network.dns_failed", Status.WARN,
                    N_("Some names could not be looked up: {names}."),
                    N_("Check the web address of the servers; if they are right, restart the "
                       "router or set your DNS server to your provider's or a public one."),
                    value=len(failed), threshold=0, unit="", op="==", names=", ".join(failed))
            return False
        if not probes.has_route():
            self._offline()
        else:
            r.finding(
                "network.dns_failed", Status.FAIL,
                N_("The computer is connected, but no internet name could be looked up "
                   "({names}): either there is no internet behind this network, or its name "
                   "service (DNS) is broken."),
                N_("Open any web page to see whether the internet works. If it does not, "
                   "restart the router or connect to another network (a phone hotspot); if it "
                   "does, set your DNS server to your provider's or a public one."),
                value=len(failed), threshold=0, unit="", op="==", names=", ".join(sorted(failed)))
        r.record(M.DOWNLOAD, "unknown")
        r.record(M.UPLOAD, "unknown")
        return True

    def _offline(self) -> None:
        self.r.finding(
            "network.offline", Status.FAIL,
            N_("The computer is not connected to any network."),
            N_("Connect to Wi-Fi or plug in a network cable, then run the test again."),
            value=False, threshold=True, op="==")

    def silence(self, server: str, others: list[str]) -> None:
        """After the measurement server failed (``server_failed``): when nothing else answered
        either, there is no usable connection, a failure (docs/verdicts.md, ``network.offline``):
        no route at all, or silence from ``others`` too (the STUN and platform servers tried on
        other hosts). When something answered, the connection works and the server's failure
        stays the warning it is; when nothing else was tried, one silent host cannot tell a
        broken line from a broken server, so it stays a warning too ("could not measure")."""
        if not self.server_failed or self.answered_elsewhere:
            return
        if not probes.has_route():
            self._offline()
        elif others:
            self.r.finding(
                "network.offline", Status.FAIL,
                N_("Nothing on the internet answered: not the measurement server {server}, and "
                   "not {others}. This connection cannot carry a call."),
                N_("Open any web page to see whether the internet works. If it does not, "
                   "restart the router or connect to another network (a phone hotspot), then "
                   "run the test again."),
                value=False, threshold=True, op="==", server=server, others=", ".join(others))

    def private_server(self, what: str, host: str, address: str) -> None:
        """An invitation's server that is on this computer or inside the network, found by the
        address it resolves to (the person did not allow such a server): nothing was measured
        against it, which is said, with the address. A warning (docs/verdicts.md): it says
        nothing about the candidate's line."""
        r = self.r
        server = self.ctx.devices.server if what == "server" else self.ctx.devices.stun
        r.finding(
            "network.private_server", Status.WARN,
            N_("The speed was not measured: the invitation's measurement server {server} is at "
               "{address}, on this computer or inside your own network, so TechCheck did not "
               "connect to it."),
            N_("A recruiter's measurement server is on the internet: ask the person who sent "
               "the invitation for the right one. If you trust it, open the invitation again on "
               "the Start page and choose \"Use it, I trust the sender\"."),
            value=address, threshold="", server=server or host, address=address)
        r.record(M.DOWNLOAD, "unknown")
        r.record(M.UPLOAD, "unknown")

    def dns_time(self, dns: dict[str, Resolution]) -> None:
        times = [d.ms for d in dns.values() if d.ms is not None]
        if not times:
            return
        self.r.grade(M.DNS_MS, max(times), self.lim)

    def latency(self, probe: stun.StunProbe | None, stun_used: str,
                idle_end: float) -> analysis.LatencyStats | None:
        lim, r = self.lim, self.r
        if probe is None:
            r.record(M.UDP, False)
            st = Status(lim.udp_blocked_status)
            r.finding(
                "network.udp_blocked", st,
                N_("No answer over UDP from the test servers: a firewall seems to block UDP, so "
                   "calls have to fall back to a slower TCP path with more delay."),
                N_("Use a home or mobile network for the interview, or ask the network's IT "
                   "department to allow outgoing UDP (for {platform}: ports 3478-3481 and "
                   "19302-19309 or as the platform documents)."),
                value=False, threshold=True, op="==", platform=self._platform_name())
            return None
        r.record(M.UDP, True)
        self.answered_elsewhere = True  # a STUN server answered: the line carries packets
        r.detail("stun_server", stun_used)
        if probe.mapped:
            r.detail("public_address", f"{probe.mapped[0]}:{probe.mapped[1]}")
        idle = analysis.latency_stats([p.rtt_ms for p in probe.probes
                                       if p.phase == "idle" and p.sent <= idle_end])
        r.detail("idle_latency", idle.to_dict())
        if idle.median_ms is None:
            return idle
        self._rtt(idle.median_ms)
        r.grade(M.JITTER, idle.jitter_ms, lim)
        r.grade(M.PACKET_LOSS, idle.loss_pct, lim)
        return idle

    def _rtt(self, rtt_ms: float) -> None:
        self.r.grade(M.LATENCY, rtt_ms, self.lim)

    def tcp_latency(self, probe: stun.TcpProbe, idle_end: float) -> analysis.LatencyStats:
        """Round trip from TCP handshakes when UDP is blocked: graded like the UDP figure;
        loss and jitter stay unknown (TCP hides them)."""
        r = self.r
        idle = analysis.latency_stats([p.rtt_ms for p in probe.probes
                                       if p.phase == "idle" and p.sent <= idle_end])
        r.detail("idle_latency_tcp", idle.to_dict())
        if idle.median_ms is not None:
            self.answered_elsewhere = True  # the server's host answered TCP handshakes
            self._rtt(idle.median_ms)
            r.record(M.LATENCY_METHOD, "tcp")
        r.record(M.JITTER, "unknown")
        r.record(M.PACKET_LOSS, "unknown")
        return idle

    def bufferbloat(self, probe: stun.StunProbe | stun.TcpProbe, idle: analysis.LatencyStats | None,
                     windows: dict[str, tuple[float, float]] | None) -> None:
        lim, r = self.lim, self.r
        if idle is None or idle.median_ms is None:
            return
        worst = None
        loaded = {}
        for phase in ("download", "upload"):
            if windows is None:
                rtts = [p.rtt_ms for p in probe.probes if p.phase == phase]
            elif phase in windows:
                a, b = windows[phase]
                rtts = [p.rtt_ms for p in probe.probes if p.phase == phase and a <= p.sent <= b]
            else:
                continue
            stats = analysis.latency_stats(rtts)
            if stats.median_ms is None:
                continue
            loaded[phase] = stats.to_dict()
            r.record(M.LOADED_LATENCY_DOWNLOAD if phase == "download" else M.LOADED_LATENCY_UPLOAD,
                     stats.median_ms)
            increase = stats.median_ms - idle.median_ms
            if worst is None or increase > worst[0]:
                worst = (increase, phase, stats.median_ms)
        r.detail("loaded_latency", loaded)
        if worst is None:
            return
        increase, phase, during = worst
        # A delay that falls under load is shown as no rise; the finding keeps the real figure.
        r.grade(M.BUFFERBLOAT, increase, lim, shown=max(0.0, increase),
                variant="upload" if phase == "upload" else None, loaded=during,
                idle=idle.median_ms)

    def throughput(self, down: TransferResult | None, up: TransferResult | None,
                   server: str, proxy_error: str = "") -> None:
        """Download and upload graded against the profile's video tiers: below the target
        tier a warning, below the lowest a failure; then the transfers' failures and the
        video quality the connection carries."""
        lim = self.lim
        tiers = analysis.tiers_from(lim.tiers, lim.tier_up_mbps, lim.tier_down_mbps)
        target = next((t for t in tiers if t.name == lim.target_tier), tiers[-1] if tiers else None)
        lowest = tiers[0] if tiers else None
        speeds = {"down": self._speed("down", down, target, lowest),
                  "up": self._speed("up", up, target, lowest)}
        failures = [e for res in (down, up) if res is not None for e in res.errors]
        self._transfer_failures(failures, speeds, down is None, server, proxy_error)
        self._video_quality(tiers, target, speeds)

    def _speed(self, direction: str, res: TransferResult | None, target: analysis.Tier | None,
               lowest: analysis.Tier | None) -> float | None:
        r = self.r
        name = "download" if direction == "down" else "upload"
        mbps = res.mbps if res is not None else None
        if res is not None:
            r.detail(f"{name}_transfer", {
                "bytes": res.bytes, "seconds": round(res.seconds, 2),
                "ramp_s": round(res.ramp_s, 2), "requests": res.requests_ok,
                "errors": [str(e) for e in res.errors[:5]]})
        measure = M.DOWNLOAD if direction == "down" else M.UPLOAD
        if mbps is None:
            r.record(measure, "unknown")
            return None
        if target is None or lowest is None:  # a profile without tiers: nothing to hold it to
            r.record(measure, mbps)
            return mbps
        r.grade(measure, mbps, self.lim, per_limit={"tier": (target.name, lowest.name)},
                platform=self._platform_name())
        return mbps

    def _transfer_failures(self, failures: list[HttpFailure], speeds: dict[str, float | None],
                           no_download: bool, server: str, proxy_error: str) -> None:
        r = self.r
        if any(speeds[d] is None for d in speeds) and (failures or no_download):
            kinds = sorted({e.kind for e in failures}) or ["connect"]
            if proxy_error:  # the proxy was tried too, and said why not
                kinds.append(proxy_error)
            # The speed was not measured: "unknown", never a number nor a pass. A warning, as
            # docs/verdicts.md has it: one server's failure says nothing about the candidate's
            # line, so it must not make the verdict "not ready". Whether the line works at all
            # is judged from every other server together (``silence``).
            self.server_failed = True
            if "stopped" in kinds:  # it answered, then went silent: say so, in plain words
                r.finding(
                    "network.server_unreachable", Status.WARN,
                    N_("The speed could not be measured: the measurement server {server} "
                       "stopped answering during the test."),
                    N_("Run the test again in a minute. If it happens again, the measurement "
                       "server is overloaded or broken: tell the person who sent it, or ask "
                       "them for another one."),
                    value=", ".join(kinds), threshold="", server=server,
                    reason=", ".join(kinds))
                return
            r.finding(
                "network.server_unreachable", Status.WARN,
                N_("The speed could not be measured: the measurement server {server} failed "
                   "({reason})."),
                N_("Run the test again in a minute. If it keeps failing, a firewall or proxy may "
                   "block the test; ask IT or the recruiter for an invitation with a measurement "
                   "server your network lets through (open it on the Start page)."),
                value=", ".join(kinds), threshold="", server=server,
                reason=", ".join(kinds))
        elif len(failures) >= 2:
            kinds = sorted({e.kind for e in failures})
            r.finding(
                "network.server_errors", Status.WARN,
                N_("The measurement server broke off {value} transfers ({reason}); the speed "
                   "shown may be lower than the connection can do."),
                N_("Run the test again in a minute; if it happens again, try another network, or "
                   "ask the recruiter for an invitation with another measurement server."),
                value=len(failures), threshold=1, op="<", server=server, reason=", ".join(kinds))

    def _video_quality(self, tiers: list[analysis.Tier], target: analysis.Tier | None,
                       speeds: dict[str, float | None]) -> None:
        r = self.r
        idle_bad = any(f.code in ("network.high_latency", "network.high_jitter",
                                  "network.packet_loss") and f.status is not Status.PASS
                       for f in r._r.findings)
        text, params = analysis.verdict(self._platform_name(), tiers, speeds.get("up"),
                                        speeds.get("down"), quality_ok=not idle_bad)
        best, _ = analysis.best_tier(tiers, speeds.get("up"), speeds.get("down"))
        r.record(M.VIDEO_QUALITY, best.name if best else "none")
        st = Status.PASS
        if speeds.get("up") is None or speeds.get("down") is None:
            st = Status.WARN
        elif best is None:
            st = Status.FAIL
        elif target is not None and tiers.index(best) < tiers.index(target):
            st = Status.WARN
        r.detail("verdict", {"template": text, "params": params})
        r.finding("network.verdict", st, text, "", value=best.name if best else None,
                  threshold=target.name if target else None, unit="", op=">=", **params)

    def platform(self, answered: list[probes.Reach | None]) -> None:
        r = self.r
        reaches = [x for x in answered if x is not None]
        if not reaches:
            return
        r.detail("endpoints", [x.to_dict() for x in reaches])
        bad = [x for x in reaches if not x.ok]
        names = ", ".join(f"{x.endpoint} ({x.error})" for x in bad)
        variant = "none" if len(bad) == len(reaches) else None
        if self.ctx.profile.platform == "other":
            variant = "other_none" if variant else "other"
        self.answered_elsewhere |= len(bad) < len(reaches)
        # Graded by the declaration: every endpoint reached passes, some missing warns, none
        # fails (docs/verdicts.md); row and sentence quote the same limit.
        r.grade(M.ENDPOINTS_REACHABLE, len(reaches) - len(bad), self.lim,
                variant=variant, names=names,
                platform=self._platform_name())
        intercepted = next((x for x in reaches if x.intercepted_by), None)
        if intercepted is not None:
            r.finding(
                "network.tls_interception", Status(self.lim.interception_status),
                N_("Encrypted traffic to {endpoint} is opened and inspected on the way "
                   "(by {who}). Calls often fail or fall back to lower quality through such "
                   "inspection."),
                N_("Use a network without inspection for the interview (home or phone hotspot), "
                   "or ask IT to exempt {platform} from TLS inspection, as the vendor advises."),
                value=intercepted.intercepted_by, threshold="", endpoint=intercepted.endpoint,
                who=intercepted.intercepted_by, platform=self._platform_name())

    def captive(self, c: probes.Captive) -> None:
        self.r.detail("captive_portal", c.__dict__)
        if c.portal:
            self.r.finding(
                "network.captive_portal", Status(self.lim.captive_status),
                N_("This network shows a sign-in page before it lets you on the internet "
                   "({detail})."),
                N_("Open a web browser, accept the network's terms or sign in, then run the test "
                   "again."),
                value=True, threshold=False, op="==", detail=c.detail)

    def proxy(self, p: probes.ProxySettings | None, path: ServerPath | None,
               reaches: list[probes.Reach] | None = None) -> None:
        r = self.r
        through = [x.endpoint for x in reaches or () if x.ok and x.via]
        if path is not None and path.via is not None:
            r.record(M.MEASURED_VIA, "proxy")
            r.detail("measured_via", {"proxy": path.via.label, "direct_error": path.direct_error,
                                      "endpoints_through_proxy": through})
            r.finding(
                "network.proxy", Status(self.lim.proxy_status),
                N_("Only the proxy {proxy} reaches the internet from here: a direct connection "
                   "to the measurement server failed ({reason}), so the speed was measured "
                   "through the proxy. Video calls need direct connections for smooth sound and "
                   "video; through a proxy they work only if {platform} can relay them, with "
                   "more delay."),
                N_("Use a network without a proxy for the interview (home or a phone hotspot), "
                   "or ask IT to let the traffic of {platform} out directly (UDP 3478-3481 and "
                   "TCP 443)."),
                value=path.via.label, threshold="", proxy=path.via.label,
                reason=path.direct_error or "connect", platform=self._platform_name())
            if p is not None and p.any:
                r.detail("proxy", {"proxies": p.proxies, "pac_url": p.pac_url,
                                   "source": p.source})
            return
        if p is None or not p.any:
            return
        r.record(M.MEASURED_VIA, "direct")
        r.detail("proxy", {"proxies": p.proxies, "pac_url": p.pac_url, "source": p.source,
                           "endpoints_through_proxy": through})
        if p.pac_url:
            self._pac(p)
            return
        r.finding(
            "network.proxy", Status(self.lim.proxy_status),
            N_("Web traffic goes through a proxy ({proxies}). Video calls do not work well "
               "through proxies and may be blocked by them."),
            N_("If you can, use a network without a proxy for the interview; otherwise ask IT "
               "to let the traffic of {platform} bypass the proxy."),
            value=p.describe(), threshold="", proxies=p.describe(),
            platform=self._platform_name())

    def _pac(self, p: probes.ProxySettings) -> None:
        """What the network's PAC file does with the platform's traffic: through the proxy,
        directly, or unknown (a file we could not fetch or evaluate, said so)."""
        r, lim = self.r, self.lim
        hosts = [probes.split_endpoint(e)[0] for e in lim.endpoints]
        if not hosts:  # no platform servers named: the measurement server stands in
            with contextlib.suppress(ValueError):  # "speedtest" names no URL
                server = self.ctx.devices.server or lim.server_url
                hosts = [parse_origin(server.split("+", 1)[-1]).host]
        answers = {h: p.pac_answer(f"https://{h}/") for h in hosts}
        r.detail("pac", {"url": p.pac_url, "error": p.pac_error,
                         "answers": {h: a or e for h, (a, e) in answers.items()}})
        # What a browser or call app follows: the first usable entry, whatever kind of proxy
        # it names (SOCKS and HTTPS proxies are proxies too, even if we cannot speak them).
        routed = {h: (a, pac.first_route(a)) for h, (a, _) in answers.items() if a}
        through = {h: _route_label(route) for h, (_, route) in routed.items()
                   if route is not None and route[0] != "DIRECT"}
        unusable = {h: a for h, (a, route) in routed.items() if route is None}
        errors = [e for a, e in answers.values() if a is None]
        status = Status(lim.proxy_status)
        if through:
            first = next(iter(through.values()))
            r.finding(
                "network.proxy", status,
                N_("This network's proxy configuration (PAC file {pac}) sends the traffic of "
                   "{platform} through the proxy {proxy} ({names}). Video calls do not work "
                   "well through proxies and may be blocked by them."),
                N_("If you can, use a network without a proxy for the interview; otherwise ask "
                   "IT to let the traffic of {platform} bypass the proxy in the PAC file."),
                value=first, threshold="DIRECT", pac=p.pac_url, proxy=first,
                names=", ".join(through), platform=self._platform_name())
        elif unusable:
            answer = next(iter(unusable.values()))
            r.finding(
                "network.proxy", status,
                N_("This network's proxy configuration (PAC file {pac}) answers {answer} for "
                   "{names}: that answer could not be used (it names neither DIRECT nor a "
                   "proxy as host:port), so we cannot tell whether the traffic of {platform} "
                   "goes through a proxy."),
                N_("Ask IT to check the PAC file; until it is fixed, use a network without a "
                   "proxy for the interview (home or a phone hotspot)."),
                value="unknown", threshold="DIRECT", pac=p.pac_url, answer=repr(answer[:100]),
                names=", ".join(unusable), platform=self._platform_name())
        elif errors or not answers:
            reason = p.pac_error or (errors[0] if errors else "no platform server to ask about")
            r.finding(
                "network.proxy", status,
                N_("Web traffic is set up to follow a proxy configuration file ({pac}) that "
                   "could not be evaluated ({reason}), so we cannot tell whether the traffic "
                   "of {platform} goes through a proxy."),
                N_("Ask IT whether {platform} goes through the proxy; if it does, use a network "
                   "without a proxy for the interview (home or a phone hotspot)."),
                value="unknown", threshold="DIRECT", pac=p.pac_url, reason=reason,
                platform=self._platform_name())
        else:
            r.finding(
                "network.proxy", Status.PASS,
                N_("This network has a proxy configuration (PAC file {pac}), but it lets the "
                   "traffic of {platform} go directly, not through a proxy."),
                "", value="DIRECT", threshold="DIRECT", pac=p.pac_url,
                platform=self._platform_name())

    def clock(self, reading: Agreement | ClockOffset | None) -> None:
        """The computer's clock against the servers', graded by how far off it surely is
        (``ClockOffset.at_least``: the Date header's whole second and the round trip never
        count against it). Not measured (no server answered with a usable Date, the servers
        disagree with no majority, or the speedtest.net backend, whose servers are not asked):
        "unknown", never a number. One server alone can be wrong, so its offset can warn but
        never fail: the second limit applies only when two or more servers agree."""
        offset = reading.offset if isinstance(reading, Agreement) else reading
        if isinstance(reading, Agreement) and reading.by_server:
            self.r.detail("clock", reading.to_dict())
        elif offset is not None:
            self.r.detail("clock", offset.to_dict())
        if offset is None:
            self.r.grade(M.CLOCK_OFFSET, "unknown")
            return
        measure = M.CLOCK_OFFSET.bind(None)
        if offset.sources < 2 and measure.high is not None:  # never fail on one source
            measure = dataclasses.replace(
                measure, high=dataclasses.replace(measure.high, second=math.inf))
        self.r.grade(measure, offset.at_least,
                     variant="behind" if offset.estimate < 0 else None)

    def _platform_name(self) -> str:
        """The platform's name for the messages, as its English template ("video calls" for the
        generic profile): ``platform`` is translated when the message is shown
        (``i18n.MESSAGE_ID_PARAMS``), so a saved report re-renders in another language."""
        if self.ctx.profile.platform == "other":
            return N_("video calls")
        return self.ctx.profile.title


def _route_label(route: tuple[str, str]) -> str:
    """How a PAC route is named in a finding: ``host:port`` for an HTTP proxy (as the
    environment's proxies are named), else with its kind, ``SOCKS5 host:port``."""
    kind, where = route
    if kind in ("PROXY", "HTTP"):
        found = parse_proxy(where)
        return found.label if found is not None else where
    return f"{kind} {where}"
