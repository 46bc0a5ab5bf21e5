"""The ``network`` check: will the connection carry a video call on the chosen platform?

Phases, all within 25 s by default (``ctx.duration`` scales them):

1. Names, route, proxies, captive portal, the platform's endpoints over TCP and TLS — in
   background threads while…
2. …a STUN probe stream (a Binding request every 20 ms, like voice packets) measures idle
   latency, jitter and loss, and shows whether UDP gets through at all.
3. Download, then upload, with parallel HTTP streams; the probe keeps running, so the same
   samples give latency under load (bufferbloat).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from checks.base import Check, ResultBuilder, grade
from checks.context import CheckContext, Progress
from checks.i18n import N_
from checks.model import CheckResult, LimitStatus, Status
from checks.network import analysis, probes, stun
from checks.network.dns import Resolution, is_ip_literal, resolve
from checks.network.httpio import (
    HttpFailure,
    Origin,
    close_quietly,
    connect,
    parse_origin,
    read_head,
    request_head,
)
from checks.network.proxy import Proxy
from checks.network.transfer import PROTOCOLS, Transfer, TransferResult

log = logging.getLogger("techcheck.network")

DEFAULT_BUDGET_S = 25.0


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


class NetworkCheck(Check):
    id = "network"
    title = N_("Internet connection")
    needs = frozenset({"network"})
    Limits = NetworkLimits
    timeout_s = 90.0
    order = 40

    def run(self, ctx: CheckContext) -> CheckResult:
        return _Run(self, ctx).run()


class _Run:
    """One run of the check; holds the live state the progress callbacks read."""

    def __init__(self, check: NetworkCheck, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.lim: NetworkLimits = ctx.limits(check.id)
        self.r: ResultBuilder = check.result()
        self.t0 = time.monotonic()
        self.fraction = 0.0
        budget = DEFAULT_BUDGET_S if ctx.duration is None else ctx.duration
        self.scale = max(0.08, min(3.0, budget / DEFAULT_BUDGET_S))
        self.budget_s = DEFAULT_BUDGET_S * self.scale
        self.path = _Path(None)  # how the measurement server is reached
        self._lat_batch: list[float] = []
        self._lat_sent = 0.0
        self._lock = threading.Lock()

    # --- progress ----------------------------------------------------------------------------

    def t(self) -> float:
        return round(time.monotonic() - self.t0, 3)

    def step(self, fraction: float, message: str) -> None:
        self.ctx.cancel.raise_if_cancelled()
        self.fraction = fraction
        self.ctx.progress(Progress("network", fraction, message))

    def _on_probe(self, probe: stun.Probe) -> None:
        """Called from the probe thread; hands the GUI one latency point per 100 ms."""
        with self._lock:
            self._lat_batch.append(probe.rtt_ms)
            now = time.monotonic()
            if now - self._lat_sent < 0.1:
                return
            batch, self._lat_batch, self._lat_sent = self._lat_batch, [], now
        ms = sorted(batch)[len(batch) // 2]
        self.ctx.progress(Progress("network", self.fraction, "", {
            "kind": "latency", "ms": round(ms, 2), "loaded": probe.phase != "idle",
            "t": self.t()}))

    def _on_rate(self, direction: str):
        def cb(_t: float, mbps: float) -> None:
            self.ctx.progress(Progress("network", self.fraction, "", {
                "kind": "throughput", "direction": direction, "mbps": round(mbps, 3),
                "t": self.t()}))
        return cb

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> CheckResult:
        lim, ctx, r = self.lim, self.ctx, self.r
        server = ctx.devices.server or lim.server_url
        stun_specs = self._stun_candidates(server)
        r.detail("server", server)
        self.step(0.0, N_("Looking up the measurement servers"))

        pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="net-probe")
        try:
            return self._run(pool, server, stun_specs)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, pool: ThreadPoolExecutor, server: str, stun_specs: list[str]) -> CheckResult:
        lim, ctx, r = self.lim, self.ctx, self.r
        backend, origin = _backend(server)
        names = {origin.host} if origin else set()
        names |= {stun.parse_hostport(s)[0] for s in stun_specs}
        names |= {probes.split_endpoint(e)[0] for e in lim.endpoints}
        names = {n for n in names if n and not is_ip_literal(n)}
        dns_jobs = {n: pool.submit(resolve, n, 443, socket.SOCK_STREAM, 3.0) for n in names}
        proxy_job = pool.submit(_proxy_settings, origin, lim.endpoints)
        dns = {n: _wait(j, ctx, 4.0) for n, j in dns_jobs.items()}
        dns = {n: (d if d is not None else Resolution(n, None, error="no answer")) for n, d in
               dns.items()}
        # A PAC file's fetch takes 3 s at most, its evaluation pac.DEADLINE_S (5 s).
        proxy, via = _wait(proxy_job, ctx, 9.0) or (probes.ProxySettings(), None)
        if self._judge_connectivity(dns, origin, via):
            self._proxy(proxy, None)
            return r.build()

        roots = probes.public_roots_context()
        reach_jobs = [pool.submit(_reach, e, roots, proxy) for e in lim.endpoints]
        captive_job = pool.submit(probes.captive_portal, lim.captive_url, 4.0) \
            if lim.captive_url and not ctx.devices.server else None
        # Direct or through the proxy: decided while the idle probe runs.
        path_job = pool.submit(_choose_path, origin, via, dns) if origin is not None else None

        # Idle latency, jitter, loss over UDP.
        self.step(0.05, N_("Measuring delay, jitter and packet loss"))
        probe, stun_used = self._start_probe(stun_specs, dns)
        path = self.path
        if probe is None and path_job is not None:  # the TCP probe must know the way
            path = self.path = _wait(path_job, ctx, self._until(8.0, reserve_s=6.0)) or path
        tcp_probe = None
        if probe is None and origin is not None and path.via is not None:
            # UDP blocked and only the proxy gets through: latency from its tunnels' set-up
            tcp_probe = stun.TcpProbe((origin.host, origin.port), socket.AF_INET,
                                      on_sample=self._on_probe, via=path.via).start()
        elif probe is None and origin is not None:  # UDP blocked: latency from TCP handshakes
            target = dns.get(origin.host)
            addrs = target.addresses if target is not None and target.ok else \
                resolve(origin.host, origin.port, socket.SOCK_STREAM, 2.0).addresses
            if addrs:
                family, addr = addrs[0]
                tcp_probe = stun.TcpProbe(addr[:2] if family == socket.AF_INET else addr,
                                          family, on_sample=self._on_probe).start()
        # Set-up (slow DNS, silent STUN servers) eats into the phases, never into the budget.
        planned = (lim.idle_s + lim.download_s + lim.upload_s) * self.scale
        left = self.budget_s - (time.monotonic() - self.t0) - 1.0
        fit = max(0.2, min(1.0, left / planned)) if planned > 0 else 1.0
        self.scale *= fit
        idle_s = max(0.5, lim.idle_s * self.scale)
        ctx.cancel.sleep(idle_s)
        idle_end = time.monotonic()
        if probe is not None and path_job is not None:  # the transfers must know the way
            transfers_s = max(1.0, lim.download_s * self.scale) + max(1.0, lim.upload_s * self.scale)
            path = _wait(path_job, ctx, self._until(8.0, reserve_s=transfers_s + 1.0)) or path
        self.path = path
        probe_any = probe or tcp_probe

        # Throughput with latency under load.
        down = up = None
        st_ping = None
        if backend == "speedtest":
            self.step(0.45, N_("Measuring download and upload speed (speedtest.net)"))
            from checks.network import speedtest_backend

            def phase(name: str) -> None:
                if probe_any:
                    probe_any.phase = name
            down, up, st_ping = speedtest_backend.run(
                server, max(1.0, lim.download_s * self.scale), max(1.0, lim.upload_s * self.scale),
                lambda: ctx.cancel.cancelled, phase)
            ctx.cancel.raise_if_cancelled()
        elif origin is not None:
            protocol = PROTOCOLS[backend]
            self.step(0.45, N_("Measuring download speed"))
            if probe_any:
                probe_any.phase = "download"
            down_start = time.monotonic()
            down = Transfer(origin, protocol, "down", lim.download_streams,
                            max(1.0, lim.download_s * self.scale), lambda: ctx.cancel.cancelled,
                            self._on_rate("down"), via=path.via).run()
            ctx.cancel.raise_if_cancelled()
            down_window = (down_start + down.ramp_s, time.monotonic())
            up_window = None
            if down.bytes or not all(e.kind in ("dns", "connect") for e in down.errors):
                self.step(0.72, N_("Measuring upload speed"))
                if probe_any:
                    probe_any.phase = "upload"
                up_start = time.monotonic()
                up = Transfer(origin, protocol, "up", lim.upload_streams,
                              max(1.0, lim.upload_s * self.scale), lambda: ctx.cancel.cancelled,
                              self._on_rate("up"), via=path.via).run()
                ctx.cancel.raise_if_cancelled()
                up_window = (up_start + up.ramp_s, time.monotonic())
        if probe_any:
            probe_any.stop(grace_s=0.5)

        self.step(0.97, N_("Checking the platform's servers"))
        # The probes have run all along; what has not answered by the end of the budget is
        # reported as such rather than holding the check up.
        reaches = [_wait(j, ctx, self._until(5.0, reserve_s=0.5)) for j in reach_jobs]
        reaches = [x if x is not None else probes.Reach(e, error="timeout",
                                                        detail="no answer in time")
                   for x, e in zip(reaches, lim.endpoints, strict=True)]
        captive = _wait(captive_job, ctx, self._until(2.0, reserve_s=0.3)) if captive_job else None

        # --- judgements ---
        self._dns_time(dns)
        idle = self._latency(probe, stun_used, idle_end)
        if tcp_probe is not None:
            idle = self._tcp_latency(tcp_probe, idle_end)
        if backend != "speedtest" and probe_any and down is not None:
            windows = {"download": down_window}
            if up is not None and up_window:
                windows["upload"] = up_window
            self._bufferbloat(probe_any, idle, windows)
        elif backend == "speedtest" and probe_any:
            self._bufferbloat(probe_any, idle, None)
        if st_ping is not None:
            r.metric("speedtest_ping", st_ping, "ms")
        self._throughput(down, up, server)
        self._platform(reaches)
        if captive is not None:
            self._captive(captive)
        self._proxy(proxy, path, [x for x in reaches if x is not None])
        self.step(1.0, N_("Done"))
        return r.build()

    def _until(self, most_s: float, reserve_s: float) -> float:
        """How long a wait may take: at most ``most_s``, and never into the last ``reserve_s``
        of the time budget (at least a moment, so a finished job is still collected)."""
        left = self.budget_s - (time.monotonic() - self.t0) - reserve_s
        return max(0.05, min(most_s, left))

    # --- phases ------------------------------------------------------------------------------

    def _stun_candidates(self, server: str) -> list[str]:
        if self.ctx.devices.stun:
            return [self.ctx.devices.stun]
        if self.ctx.devices.server:
            # `techcheck serve` answers STUN on its HTTP port number; try that first.
            # A company's own server: do not reach out to public STUN servers behind its back.
            try:
                o = parse_origin(server.split("+", 1)[-1])
            except ValueError:
                return []
            host = f"[{o.host}]" if ":" in o.host else o.host
            return [f"{host}:{o.port}"]
        return list(self.lim.stun_servers)

    def _start_probe(self, specs: list[str], dns: dict[str, Resolution]
                     ) -> tuple[stun.StunProbe | None, str]:
        for spec in specs:
            self.ctx.cancel.raise_if_cancelled()
            try:
                host, port = stun.parse_hostport(spec)
            except ValueError:
                log.warning("bad STUN server %r", spec)
                continue
            known = dns.get(host)
            if known is not None and not known.ok:
                continue
            if known is not None:  # resolved already, in parallel with everything else
                family, addr = known.addresses[0]
                addr = (addr[0], port, *addr[2:])
            else:
                target = stun.resolve_udp(host, port, 2.0)
                if target is None:
                    continue
                family, addr = target
            if stun.ping_once(addr, family, timeout_s=1.0, tries=3) is None:
                log.info("STUN %s did not answer", spec)
                continue
            probe = stun.StunProbe(addr, family, self.lim.probe_interval_ms / 1000.0,
                                   on_sample=self._on_probe)
            return probe.start(), spec
        return None, ""

    def _judge_connectivity(self, dns: dict[str, Resolution], origin: Origin | None,
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
            r.finding(
                "network.offline", Status.FAIL,
                N_("The computer is not connected to any network."),
                N_("Connect to Wi-Fi or plug in a network cable, then run the test again."),
                value=False, threshold=True, op="==")
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
        r.metric("download", "unknown", "Mbit/s")
        r.metric("upload", "unknown", "Mbit/s")
        return True

    # --- judgements --------------------------------------------------------------------------

    def _dns_time(self, dns: dict[str, Resolution]) -> None:
        times = [d.ms for d in dns.values() if d.ms is not None]
        if not times:
            return
        worst = max(times)
        st = Status.WARN if worst > self.lim.dns_warn_ms else Status.PASS
        self.r.metric("dns_ms", worst, "ms", threshold=self.lim.dns_warn_ms, status=st,
                      op="<=")
        if st is Status.WARN:
            self.r.finding(
                "network.slow_dns", st,
                N_("Looking up a server name took {value:.0f} ms (want under {threshold:.0f} ms)."),
                N_("Restart the router; if it stays slow, set your DNS server to your provider's "
                   "or a public one."),
                value=worst, threshold=self.lim.dns_warn_ms, unit="ms", op="<=")

    def _latency(self, probe, stun_used: str, idle_end: float) -> analysis.LatencyStats | None:
        lim, r = self.lim, self.r
        if probe is None:
            r.metric("udp", False, "")
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
        r.metric("udp", True, "")
        r.detail("stun_server", stun_used)
        if probe.mapped:
            r.detail("public_address", f"{probe.mapped[0]}:{probe.mapped[1]}")
        idle = analysis.latency_stats([p.rtt_ms for p in probe.probes
                                       if p.phase == "idle" and p.sent <= idle_end])
        r.detail("idle_latency", idle.to_dict())
        if idle.median_ms is None:
            return idle
        self._rtt(idle.median_ms)
        if idle.jitter_ms is None:
            r.metric("jitter", None, "ms", threshold=lim.jitter_warn_ms, op="<=")
        else:
            r.graded(
                "jitter", idle.jitter_ms, "ms", warn=lim.jitter_warn_ms, fail=lim.jitter_fail_ms,
                higher_is_better=False, code="network.high_jitter",
                message=N_("The delay varies by {value:.0f} ms from packet to packet (want at "
                           "most {threshold:.0f} ms): sound will stutter."),
                fix=N_("Use a network cable instead of Wi-Fi, and stop other devices on the "
                       "network from streaming or downloading during the interview."),
            )
        if idle.loss_pct is None:
            r.metric("packet_loss", None, "%", threshold=lim.loss_warn_pct, op="<=")
        else:
            r.graded(
                "packet_loss", idle.loss_pct, "%", warn=lim.loss_warn_pct, fail=lim.loss_fail_pct,
                higher_is_better=False, code="network.packet_loss",
                message=N_("{value:.1f} % of the packets were lost (want at most "
                           "{threshold:.1f} %): words and video frames will drop out."),
                fix=N_("Use a network cable or move closer to the Wi-Fi router; if it persists, "
                       "restart the router and contact your internet provider."),
            )
        return idle

    def _rtt(self, rtt_ms: float) -> None:
        lim = self.lim
        st = grade(rtt_ms, warn=lim.rtt_warn_ms, fail=lim.rtt_fail_ms, higher_is_better=False)
        self.r.metric("latency", rtt_ms, "ms", threshold=lim.rtt_warn_ms, status=st, op="<=")
        if st is not Status.PASS:
            self.r.finding(
                "network.high_latency", st,
                N_("The delay to the test server is {value:.0f} ms round trip (want at most "
                   "{threshold:.0f} ms): people will talk over each other."),
                N_("Use a network cable or sit near the router, close downloads and streaming on "
                   "this network, and turn off a VPN if you use one."),
                value=rtt_ms, threshold=lim.rtt_warn_ms if st is Status.WARN
                else lim.rtt_fail_ms, unit="ms", op="<=")

    def _tcp_latency(self, probe: stun.TcpProbe, idle_end: float) -> analysis.LatencyStats:
        """Round trip from TCP handshakes when UDP is blocked: graded like the UDP figure;
        loss and jitter stay unknown (TCP hides them)."""
        r = self.r
        idle = analysis.latency_stats([p.rtt_ms for p in probe.probes
                                       if p.phase == "idle" and p.sent <= idle_end])
        r.detail("idle_latency_tcp", idle.to_dict())
        if idle.median_ms is not None:
            self._rtt(idle.median_ms)
            r.metric("latency_method", "tcp", "")
        r.metric("jitter", "unknown", "ms")
        r.metric("packet_loss", "unknown", "%")
        return idle

    def _bufferbloat(self, probe: stun.StunProbe | stun.TcpProbe, idle: analysis.LatencyStats | None,
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
            r.metric(f"loaded_latency_{phase}", stats.median_ms, "ms")
            increase = stats.median_ms - idle.median_ms
            if worst is None or increase > worst[0]:
                worst = (increase, phase, stats.median_ms)
        r.detail("loaded_latency", loaded)
        if worst is None:
            return
        increase, phase, during = worst
        st = grade(increase, warn=lim.bufferbloat_warn_ms, fail=lim.bufferbloat_fail_ms,
                   higher_is_better=False)
        r.metric("bufferbloat", max(0.0, increase), "ms", threshold=lim.bufferbloat_warn_ms,
                 status=st, op="<=")
        if st is not Status.PASS:
            args = dict(value=increase, threshold=lim.bufferbloat_warn_ms if st is Status.WARN
                        else lim.bufferbloat_fail_ms, unit="ms", op="<=", loaded=during,
                        idle=idle.median_ms)
            if phase == "upload":
                r.finding(
                    "network.bufferbloat", st,
                    N_("While uploading, the delay rises by {value:.0f} ms (from {idle:.0f} to "
                       "{loaded:.0f} ms; want at most {threshold:.0f} ms more): the call "
                       "will lag whenever something on this network uploads."),
                    N_("During the interview pause cloud backups, photo sync and file uploads on "
                       "every device here. If your router has \u201cSmart Queue\u201d, "
                       "\u201cSQM\u201d or \u201cQoS\u201d, turn it on."), **args)
            else:
                r.finding(
                    "network.bufferbloat", st,
                    N_("While downloading, the delay rises by {value:.0f} ms (from {idle:.0f} to "
                       "{loaded:.0f} ms; want at most {threshold:.0f} ms more): the call "
                       "will lag whenever someone here streams or downloads."),
                    N_("Ask others on this network not to stream or download during the "
                       "interview. If your router has \u201cSmart Queue\u201d, \u201cSQM\u201d "
                       "or \u201cQoS\u201d, turn it on."), **args)

    def _throughput(self, down: TransferResult | None, up: TransferResult | None,
                    server: str) -> None:
        lim, r = self.lim, self.r
        tiers = analysis.tiers_from(lim.tiers, lim.tier_up_mbps, lim.tier_down_mbps)
        target = next((t for t in tiers if t.name == lim.target_tier), tiers[-1] if tiers else None)
        lowest = tiers[0] if tiers else None
        results = {"down": down, "up": up}
        speeds: dict[str, float | None] = {}
        for direction, res in results.items():
            name = "download" if direction == "down" else "upload"
            mbps = res.mbps if res is not None else None
            speeds[direction] = mbps
            if res is not None:
                r.detail(f"{name}_transfer", {
                    "bytes": res.bytes, "seconds": round(res.seconds, 2),
                    "ramp_s": round(res.ramp_s, 2), "requests": res.requests_ok,
                    "errors": [str(e) for e in res.errors[:5]]})
            if mbps is None:
                r.metric(name, "unknown", "Mbit/s")
                continue
            if target is None or lowest is None:
                r.metric(name, mbps, "Mbit/s")
                continue
            warn = target.down_mbps if direction == "down" else target.up_mbps
            fail = lowest.down_mbps if direction == "down" else lowest.up_mbps
            st = grade(mbps, warn=warn, fail=fail, higher_is_better=True)
            r.metric(name, mbps, "Mbit/s", threshold=warn, status=st, op=">=")
            if st is not Status.PASS:
                args = dict(value=mbps, threshold=warn if st is Status.WARN else fail,
                            unit="Mbit/s", op=">=", tier=target.name if st is Status.WARN
                            else lowest.name, platform=self._platform_name())
                if direction == "down":
                    r.finding(
                        "network.slow_download", st,
                        N_("Download speed is {value:.1f} Mbit/s; {platform} needs "
                           "{threshold:.1f} Mbit/s for {tier} video."),
                        N_("Stop other downloads and streaming on this network, sit closer to "
                           "the Wi-Fi router or use a cable."), **args)
                else:
                    r.finding(
                        "network.slow_upload", st,
                        N_("Upload speed is {value:.1f} Mbit/s; {platform} needs "
                           "{threshold:.1f} Mbit/s for {tier} video: the others will see you "
                           "blurred or frozen."),
                        N_("Pause cloud backups and file sync, sit closer to the Wi-Fi router or "
                           "use a cable; if it stays slow, your internet subscription's upload "
                           "is too small."), **args)
        failures = [e for res in results.values() if res is not None for e in res.errors]
        if any(speeds[d] is None for d in speeds) and (failures or down is None):
            kinds = sorted({e.kind for e in failures}) or ["connect"]
            if self.path.proxy_error:  # the proxy was tried too, and said why not
                kinds.append(self.path.proxy_error)
            # ERROR, not a warning: the speed was not measured, so nothing can be said about it
            # (a measurement that did not happen is never a number nor a pass).
            r.finding(
                "network.server_unreachable", Status.ERROR,
                N_("The speed could not be measured: the measurement server {server} failed "
                   "({reason})."),
                N_("Run the test again in a minute. If it keeps failing, a firewall or proxy may "
                   "block the test; ask IT for a measurement server (techcheck run --server URL)."),
                value=", ".join(kinds), threshold="", server=server,
                reason=", ".join(kinds))
        elif len(failures) >= 2:
            kinds = sorted({e.kind for e in failures})
            r.finding(
                "network.server_errors", Status.WARN,
                N_("The measurement server broke off {value} transfers ({reason}); the speed "
                   "shown may be lower than the connection can do."),
                N_("Run the test again in a minute; if it happens again, try another measurement "
                   "server (techcheck run --server URL) or another network."),
                value=len(failures), threshold=1, op="<", server=server, reason=", ".join(kinds))
        idle_bad = any(f.code in ("network.high_latency", "network.high_jitter",
                                  "network.packet_loss") and f.status is not Status.PASS
                       for f in r._r.findings)
        text, params = analysis.verdict(self._platform_name(), tiers, speeds.get("up"),
                                        speeds.get("down"), quality_ok=not idle_bad)
        best, _ = analysis.best_tier(tiers, speeds.get("up"), speeds.get("down"))
        r.metric("video_quality", best.name if best else "none", "")
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

    def _platform(self, reaches: list) -> None:
        r = self.r
        reaches = [x for x in reaches if x is not None]
        if not reaches:
            return
        r.detail("endpoints", [x.to_dict() for x in reaches])
        bad = [x for x in reaches if not x.ok]
        r.metric("endpoints_reachable", len(reaches) - len(bad), "", threshold=len(reaches),
                 status=Status.PASS if not bad else Status.FAIL, op=">=")
        if bad and self.ctx.profile.platform == "other":
            names = ", ".join(f"{x.endpoint} ({x.error})" for x in bad)
            r.finding(
                "network.platform_unreachable",
                Status.FAIL if len(bad) == len(reaches) else Status.WARN,
                N_("Some video platforms' servers could not be reached: {names}."),
                N_("If your interview uses one of them, try another network (a phone hotspot "
                   "works) or ask the network's IT department to allow it. Choose your "
                   "platform's profile for a precise answer."),
                value=len(bad), threshold=0, op="==", names=names)
        elif bad:
            names = ", ".join(f"{x.endpoint} ({x.error})" for x in bad)
            r.finding(
                "network.platform_unreachable", Status.FAIL,
                N_("The servers of {platform} could not be reached: {names}."),
                N_("A firewall, proxy or filter on this network blocks {platform}. Try another "
                   "network (a phone hotspot works), or ask the network's IT department to allow "
                   "{platform}."),
                value=len(bad), threshold=0, op="==", names=names, platform=self._platform_name())
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

    def _captive(self, c: probes.Captive) -> None:
        self.r.detail("captive_portal", c.__dict__)
        if c.portal:
            self.r.finding(
                "network.captive_portal", Status(self.lim.captive_status),
                N_("This network shows a sign-in page before it lets you on the internet "
                   "({detail})."),
                N_("Open a web browser, accept the network's terms or sign in, then run the test "
                   "again."),
                value=True, threshold=False, op="==", detail=c.detail)

    def _proxy(self, p: probes.ProxySettings | None, path: _Path | None,
               reaches: list[probes.Reach] | None = None) -> None:
        r = self.r
        through = [x.endpoint for x in reaches or () if x.ok and x.via]
        if path is not None and path.via is not None:
            r.metric("measured_via", "proxy", "")
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
        r.metric("measured_via", "direct", "")
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
        routed = {h: p.proxy_for(f"https://{h}/") for h, (a, _) in answers.items() if a}
        through = {h: v for h, v in routed.items() if v is not None}
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
                value=first.label, threshold="DIRECT", pac=p.pac_url, proxy=first.label,
                names=", ".join(through), platform=self._platform_name())
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

    def _platform_name(self) -> str:
        """The platform's name for the messages, as its English template ("video calls" for the
        generic profile): ``platform`` is translated when the message is shown
        (``i18n.MESSAGE_ID_PARAMS``), so a saved report re-renders in another language."""
        if self.ctx.profile.platform == "other":
            return N_("video calls")
        return self.ctx.profile.title


def _proxy_settings(origin: Origin | None, endpoints: Iterable[str] = ()
                    ) -> tuple[probes.ProxySettings, Proxy | None]:
    """The proxy settings, and the proxy they name for the measurement server (a PAC file is
    fetched and evaluated here, off the check's thread, so cancel stays immediate). The PAC
    file is asked about the server and every platform endpoint at once: one child process."""
    settings = probes.proxy_settings()
    urls = [f"https://{probes.split_endpoint(e)[0]}/" for e in endpoints]
    if origin is not None:
        urls += [origin.url + "/", f"https://{origin.host}/"]
    settings.prefetch(urls)
    return settings, settings.proxy_for(origin.url + "/") if origin is not None else None


def _reach(endpoint: str, roots, proxy: probes.ProxySettings) -> probes.Reach:
    via = proxy.proxy_for(f"https://{probes.split_endpoint(endpoint)[0]}/")
    return probes.reach(endpoint, 4.0, roots, via)


@dataclass
class _Path:
    """How the measurement server is reached: ``via`` None directly, else through that proxy."""

    via: Proxy | None
    direct_error: str = ""  # the HttpFailure kind of the direct attempt, "" if it worked
    proxy_error: str = ""


def _choose_path(origin: Origin, via: Proxy | None, dns: dict[str, Resolution]) -> _Path:
    """Directly when a connection to the server stands; else through the proxy the settings
    name for it, when the proxy can fetch from the server (a network where only the proxy gets
    out). Neither: directly, so the transfers report the real failure."""
    known = dns.get(origin.host)
    if known is not None and not known.ok:
        direct = HttpFailure("dns", known.error)
    else:
        try:
            close_quietly(connect(origin, 3.0))
            return _Path(None)
        except HttpFailure as exc:
            direct = exc
    if via is None:
        return _Path(None, direct.kind)
    sock = None
    try:
        sock = connect(origin, 4.0, via=via)
        if origin.scheme == "http":  # only a request shows that the proxy reaches the server
            sock.sendall(request_head(origin, "GET", origin.path(""), via=via))
            deadline = time.monotonic() + 4.0
            head = read_head(sock, lambda: time.monotonic() > deadline, 4.0)
            if head.status == 407:
                raise HttpFailure("proxy_auth", "the proxy wants a login (HTTP 407)")
            if head.status in (502, 503, 504):
                raise HttpFailure("proxy_refused", f"the proxy answered HTTP {head.status}")
    except HttpFailure as exc:
        log.info("direct (%s) and proxy %s (%s) both failed", direct, via.label, exc)
        kind = exc.kind if exc.kind.startswith("proxy_") else f"proxy_{exc.kind}"
        return _Path(None, direct.kind, kind)
    finally:
        close_quietly(sock)
    log.info("measuring through the proxy %s: direct failed (%s)", via.label, direct)
    return _Path(via, direct.kind)


def server_problem(server: str) -> str | None:
    """Why ``server`` (as ``--server`` or an invitation takes it) cannot be measured against,
    or None when it can; checked before a run starts."""
    try:
        _backend(server)
    except ValueError as exc:
        return f"{exc}; give http(s)://HOST[:PORT], librespeed+URL, speedtest or speedtest+URL"
    return None


def _backend(server: str) -> tuple[str, Origin | None]:
    """(protocol name, origin). ``librespeed+URL``, ``speedtest[+URL]``, else Cloudflare-style."""
    if server == "speedtest" or server.startswith("speedtest+"):
        url = server.removeprefix("speedtest+") if "+" in server else ""
        return "speedtest", parse_origin(url) if url else None
    if server.startswith("librespeed+"):
        return "librespeed", parse_origin(server.removeprefix("librespeed+"))
    return "cloudflare", parse_origin(server.removeprefix("cloudflare+"))


def _wait(job, ctx: CheckContext, timeout_s: float):
    """A background job's result, waiting at most ``timeout_s`` and waking for cancel."""
    if job is None:
        return None
    deadline = time.monotonic() + timeout_s
    while not job.done():
        ctx.cancel.raise_if_cancelled()
        if time.monotonic() > deadline:
            return None
        time.sleep(0.02)
    try:
        return job.result()
    except Exception:  # a probe's bug must not sink the check
        log.exception("network probe failed")
        return None
