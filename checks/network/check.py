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
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from techcheck.checks.base import Check, ResultBuilder
from techcheck.checks.context import CheckContext, Progress
from techcheck.checks.i18n import N_
from techcheck.checks.model import CheckResult
from techcheck.checks.network import analysis, clock, probes, stun
from techcheck.checks.network.dns import (
    Resolution,
    address_inside,
    is_internal_address,
    is_ip_literal,
    numeric_address,
    resolve,
)
from techcheck.checks.network.httpio import (
    HttpFailure,
    Origin,
    close_quietly,
    connect,
    parse_origin,
    read_head,
    request_head,
)
from techcheck.checks.network.judge import Judge, ServerPath
from techcheck.checks.network.limits import NetworkLimits
from techcheck.checks.network.measures import SPEEDTEST_PING
from techcheck.checks.network.proxy import Proxy
from techcheck.checks.network.transfer import PROTOCOLS, Protocol, Transfer, TransferResult

log = logging.getLogger("techcheck.network")

DEFAULT_BUDGET_S = 25.0
#: The smallest request each kind of measurement server answers (its answer's Date header is
#: what the clock is compared with): Cloudflare's zero-byte download, LibreSpeed's ping.
CLOCK_PATHS = {"cloudflare": "__down?bytes=0", "librespeed": "empty.php"}


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
        self.judge = Judge(self.r, self.lim, ctx)
        self.t0 = time.monotonic()
        self.fraction = 0.0
        budget = DEFAULT_BUDGET_S if ctx.duration is None else ctx.duration
        self.scale = max(0.08, min(3.0, budget / DEFAULT_BUDGET_S))
        self.budget_s = DEFAULT_BUDGET_S * self.scale
        self.path = ServerPath(None)  # how the measurement server is reached
        self._lat_batch: list[float] = []
        self._lat_sent = 0.0
        self._answered: dict[str, list[float]] = {}  # answered round trips per phase so far
        self._lock = threading.Lock()

    # --- progress ----------------------------------------------------------------------------

    def t(self) -> float:
        return round(time.monotonic() - self.t0, 3)

    def step(self, fraction: float, message: str) -> None:
        self.ctx.cancel.raise_if_cancelled()
        self.fraction = fraction
        self.ctx.progress(Progress("network", fraction, message))

    def _on_probe(self, probe: stun.Probe) -> None:
        """Called from the probe thread; hands the GUI one latency point per 100 ms, and the
        phase's delay so far as the result measures it (``analysis.latency_stats``' median of
        the answered probes), for the graph to quote rather than its last point."""
        with self._lock:
            if probe.rtt_ms is None:  # only answered probes come here; a lost one has none
                return
            self._lat_batch.append(probe.rtt_ms)
            answered = self._answered.setdefault(probe.phase, [])
            answered.append(probe.rtt_ms)
            now = time.monotonic()
            if now - self._lat_sent < 0.1:
                return
            batch, self._lat_batch, self._lat_sent = self._lat_batch, [], now
            so_far = list(answered)
        ms = sorted(batch)[len(batch) // 2]
        measure = analysis.latency_stats(list(so_far)).median_ms
        self.ctx.progress(Progress("network", self.fraction, "", {
            "kind": "latency", "ms": round(ms, 2), "loaded": probe.phase != "idle",
            "measure_ms": None if measure is None else round(measure, 2), "t": self.t()}))

    def _on_rate(self, direction: str) -> Callable[[float, float, float | None], None]:
        def cb(_t: float, mbps: float, steady: float | None) -> None:
            self.ctx.progress(Progress("network", self.fraction, "", {
                "kind": "throughput", "direction": direction, "mbps": round(mbps, 3),
                "measure_mbps": None if steady is None else round(steady, 3), "t": self.t()}))
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
        answered = {n: _wait(j, ctx, 4.0) for n, j in dns_jobs.items()}
        dns = {n: (d if d is not None else Resolution(n, None, error="no answer")) for n, d in
               answered.items()}
        public = {h.strip("[]").lower() for h in ctx.options.get("public_hosts", ())}
        if public:
            inside = _inside_network(public, origin, stun_specs, dns)
            if inside is not None:
                self.judge.private_server(*inside)
                return r.build()
            if origin is not None and origin.host.lower() in public:
                # Connect only to the addresses judged just now (a name that did not answer
                # in time is looked up again), and judge every address again when connecting.
                known = dns.get(origin.host)
                origin = origin.pinned(known.addresses if known is not None and known.ok
                                       else (), public_only=True)
        # A PAC file's fetch takes 3 s at most, its evaluation pac.DEADLINE_S (5 s).
        proxy, via = _wait(proxy_job, ctx, 9.0) or (probes.ProxySettings(), None)
        if self.judge.connectivity(dns, origin, via):
            self.judge.proxy(proxy, None)
            return r.build()

        roots = probes.public_roots_context()
        reach_jobs = [pool.submit(_reach, e, roots, proxy) for e in lim.endpoints]
        captive_job = pool.submit(probes.captive_portal, lim.captive_url, 4.0) \
            if lim.captive_url and not ctx.devices.server else None
        # Direct or through the proxy: decided while the idle probe runs.
        path_job = pool.submit(_choose_path, origin, via, dns) if origin is not None else None
        # The clock against the Date headers of the measurement server (once the way to it is
        # known) and of the platform's servers, cross-checked.
        clock_job = pool.submit(self._clock, origin, backend, path_job, proxy) \
            if (origin is not None and backend in CLOCK_PATHS) or lim.endpoints else None

        # Idle latency, jitter, loss over UDP.
        self.step(0.05, N_("Measuring delay, jitter and packet loss"))
        probe, stun_used = self._start_probe(stun_specs, dns)
        path = self.path
        if probe is None and path_job is not None:  # the TCP probe must know the way
            path = self.path = _wait(path_job, ctx, self._until(8.0, reserve_s=6.0)) or path
        tcp_probe = self._tcp_probe(origin, dns, path) if probe is None else None
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
        down, up, st_ping, windows = self._transfers(backend, server, origin, path, probe_any)
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
        offset = _wait(clock_job, ctx, self._until(2.0, reserve_s=0.3)) if clock_job else None

        # --- judgements ---
        self.judge.dns_time(dns)
        idle = self.judge.latency(probe, stun_used, idle_end)
        if tcp_probe is not None:
            idle = self.judge.tcp_latency(tcp_probe, idle_end)
        if probe_any and (backend == "speedtest" or down is not None):
            self.judge.bufferbloat(probe_any, idle, windows)
        if st_ping is not None:
            r.record(SPEEDTEST_PING, st_ping)
        self.judge.throughput(down, up, server, self.path.proxy_error)
        self.judge.platform(reaches)
        self.judge.silence(server, _elsewhere(origin, stun_specs, lim.endpoints))
        if captive is not None:
            self.judge.captive(captive)
        self.judge.proxy(proxy, path, [x for x in reaches if x is not None])
        self.judge.clock(offset)
        self.step(1.0, N_("Done"))
        return r.build()

    def _until(self, most_s: float, reserve_s: float) -> float:
        """How long a wait may take: at most ``most_s``, and never into the last ``reserve_s``
        of the time budget (at least a moment, so a finished job is still collected)."""
        left = self.budget_s - (time.monotonic() - self.t0) - reserve_s
        return max(0.05, min(most_s, left))

    def _clock(self, origin: Origin | None, backend: str, path_job: Future[ServerPath] | None,
               proxy: probes.ProxySettings) -> clock.Agreement:
        """The computer's clock against the Date headers of the measurement server (along the
        path the transfers take, directly or through the proxy) and of the platform's servers
        (over HTTPS, through the proxy the settings name for each), cross-checked
        (``clock.agree``): one server's wrong Date is left out, never the verdict."""
        servers = []
        for endpoint in self.lim.endpoints:
            host, port = probes.split_endpoint(endpoint)
            with contextlib.suppress(ValueError):
                there = parse_origin(f"https://[{host}]:{port}" if ":" in host
                                     else f"https://{host}:{port}")
                servers.append(clock.Server(there, "/", proxy.proxy_for(there.url + "/"),
                                            tries=2))
        if origin is not None and backend in CLOCK_PATHS and path_job is not None:
            deadline = time.monotonic() + 10.0
            while not path_job.done():  # waking for cancel, so a stopped run leaves no thread
                if self.ctx.cancel.cancelled or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            path = ServerPath(None)
            if path_job.done():
                with contextlib.suppress(Exception):  # its failure is judged with the transfers
                    path = path_job.result()
            servers.insert(0, clock.Server(origin, origin.path(CLOCK_PATHS[backend]), path.via))
        return clock.measure_all(servers, lambda: self.ctx.cancel.cancelled)

    def _tcp_probe(self, origin: Origin | None, dns: dict[str, Resolution], path: ServerPath
                   ) -> stun.TcpProbe | None:
        """With UDP blocked, latency from TCP: through the proxy's tunnel set-up when only the
        proxy gets through, else from handshakes with the measurement server."""
        if origin is None:
            return None
        if path.via is not None:
            return stun.TcpProbe((origin.host, origin.port), socket.AF_INET,
                                 on_sample=self._on_probe, via=path.via).start()
        target = dns.get(origin.host)
        addrs = target.addresses if target is not None and target.ok else \
            resolve(origin.host, origin.port, socket.SOCK_STREAM, 2.0).addresses
        if origin.public_only:  # a second lookup is judged too
            addrs = [a for a in addrs if not address_inside(a)]
        if not addrs:
            return None
        family, addr = addrs[0]
        return stun.TcpProbe(addr[:2] if family == socket.AF_INET else addr,
                             family, on_sample=self._on_probe).start()

    def _transfers(self, backend: str, server: str, origin: Origin | None, path: ServerPath,
                   probe_any: stun.StunProbe | stun.TcpProbe | None
                   ) -> tuple[TransferResult | None, TransferResult | None, float | None,
                              dict[str, tuple[float, float]] | None]:
        """Download, then upload, while the probe marks its samples with the phase: (down, up,
        the speedtest.net ping or None, the windows of loaded latency; None for speedtest.net,
        whose samples are taken by phase alone)."""
        lim, ctx = self.lim, self.ctx
        down_s = max(1.0, lim.download_s * self.scale)
        up_s = max(1.0, lim.upload_s * self.scale)

        def phase(name: str) -> None:
            if probe_any:
                probe_any.phase = name

        up: TransferResult | None
        if backend == "speedtest":
            self.step(0.45, N_("Measuring download and upload speed (speedtest.net)"))
            from techcheck.checks.network import speedtest_backend

            down, up, st_ping = speedtest_backend.run(
                server, down_s, up_s, lambda: ctx.cancel.cancelled, phase)
            ctx.cancel.raise_if_cancelled()
            return down, up, st_ping, None
        windows: dict[str, tuple[float, float]] = {}
        if origin is None:
            return None, None, None, windows
        protocol = PROTOCOLS[backend]
        self.step(0.45, N_("Measuring download speed"))
        phase("download")
        down, windows["download"] = self._transfer(origin, protocol, "down",
                                                   lim.download_streams, down_s, path)
        up = None
        if down.bytes or not all(e.kind in ("dns", "connect") for e in down.errors):
            self.step(0.72, N_("Measuring upload speed"))
            phase("upload")
            up, windows["upload"] = self._transfer(origin, protocol, "up", lim.upload_streams,
                                                   up_s, path)
        return down, up, None, windows

    def _transfer(self, origin: Origin, protocol: Protocol, direction: str, streams: int,
                  seconds: float, path: ServerPath) -> tuple[TransferResult, tuple[float, float]]:
        """One direction's transfer, and the window (after its ramp-up) in which the probe's
        samples count as latency under load."""
        start = time.monotonic()
        res = Transfer(origin, protocol, direction, streams, seconds,
                       lambda: self.ctx.cancel.cancelled, self._on_rate(direction),
                       via=path.via).run()
        self.ctx.cancel.raise_if_cancelled()
        return res, (start + res.ramp_s, time.monotonic())

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


def _inside_network(public: set[str], origin: Origin | None, stun_specs: list[str],
                    dns: dict[str, Resolution]) -> tuple[str, str, str] | None:
    """(which server, its host, the address) for the first server in ``public`` (host names
    that must be outside the candidate's network) that is, or resolves to, an address on this
    computer or inside the network; None when none is. Judged on the address the connection
    would use: the system's reading of a numeric host ("127.1" is 127.0.0.1), else every
    address the name resolved to."""
    targets = [("server", origin.host)] if origin is not None else []
    for spec in stun_specs:
        with contextlib.suppress(ValueError):
            targets.append(("stun", stun.parse_hostport(spec)[0]))
    for what, host in targets:
        if host.lower() not in public:
            continue
        ip = numeric_address(host)
        if ip is not None:
            if is_internal_address(ip):
                return what, host, str(ip)
            continue
        known = dns.get(host)
        bad = next((a for a in known.addresses if address_inside(a)), None) if known else None
        if bad is not None:
            return what, host, str(bad[1][0])
    return None


def _elsewhere(origin: Origin | None, stun_specs: list[str], endpoints: Iterable[str]
               ) -> list[str]:
    """The servers this run tried on hosts other than the measurement server's: the STUN
    servers and the platform's servers. Their silence, with the measurement server's, says the
    line is down; the measurement server's host alone cannot say that."""
    own = origin.host.lower() if origin is not None else None
    out = []
    for spec in stun_specs:
        with contextlib.suppress(ValueError):
            if stun.parse_hostport(spec)[0].lower() != own:
                out.append(spec)
    out += [e for e in endpoints if probes.split_endpoint(e)[0].lower() != own]
    return out


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


def _reach(endpoint: str, roots: ssl.SSLContext | None, proxy: probes.ProxySettings) -> probes.Reach:
    via = proxy.proxy_for(f"https://{probes.split_endpoint(endpoint)[0]}/")
    return probes.reach(endpoint, 4.0, roots, via)

def _choose_path(origin: Origin, via: Proxy | None, dns: dict[str, Resolution]) -> ServerPath:
    """Directly when a connection to the server stands; else through the proxy the settings
    name for it, when the proxy can fetch from the server (a network where only the proxy gets
    out). Neither: directly, so the transfers report the real failure."""
    known = dns.get(origin.host)
    if known is not None and not known.ok:
        direct = HttpFailure("dns", known.error)
    else:
        try:
            close_quietly(connect(origin, 3.0))
            return ServerPath(None)
        except HttpFailure as exc:
            direct = exc
    if via is None:
        return ServerPath(None, direct.kind)
    sock = None
    try:
        sock = connect(origin, 4.0, via=via)
        if origin.scheme == "http":  # only a request shows that the proxy reaches the server
            sock.sendall(request_head(origin, "GET", origin.path(""), via=via))
            deadline = time.monotonic() + 4.0
            head = read_head(sock, lambda: False, 4.0, deadline)
            if head.status == 407:
                raise HttpFailure("proxy_auth", "the proxy wants a login (HTTP 407)")
            if head.status in (502, 503, 504):
                raise HttpFailure("proxy_refused", f"the proxy answered HTTP {head.status}")
    except HttpFailure as exc:
        log.info("direct (%s) and proxy %s (%s) both failed", direct, via.label, exc)
        kind = exc.kind if exc.kind.startswith("proxy_") else f"proxy_{exc.kind}"
        return ServerPath(None, direct.kind, kind)
    finally:
        close_quietly(sock)
    log.info("measuring through the proxy %s: direct failed (%s)", via.label, direct)
    return ServerPath(via, direct.kind)


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


_T = TypeVar("_T")


def _wait(job: Future[_T] | None, ctx: CheckContext, timeout_s: float) -> _T | None:
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
