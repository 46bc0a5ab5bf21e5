"""What the operating system tells about the computer: load, memory, power, disk, apps, VPN
and Wi-Fi. One method per question, so the check's judgement can be tested with a stand-in
probe where this machine has no such hardware (a battery, a Wi-Fi card). The parsers of each
OS's own output are pure functions, tested on real samples of that output.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import platform
import re
import statistics
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from techcheck.checks.context import CancelToken
from techcheck.checks.system.meetapp import InstalledApp, Where, find_app

log = logging.getLogger("techcheck.system")

#: Process names (lower case, without .exe) of programs that join calls or hold the camera.
CONFERENCING_APPS: dict[str, str] = {
    "teams": "Microsoft Teams", "ms-teams": "Microsoft Teams", "msteams": "Microsoft Teams",
    "microsoft teams": "Microsoft Teams", "teams-for-linux": "Microsoft Teams",
    "zoom": "Zoom", "zoom.us": "Zoom", "cpthost": "Zoom", "zoomwebinar": "Zoom",
    "webex": "Webex", "ciscowebexstart": "Webex", "webexmta": "Webex", "atmgr": "Webex",
    "ciscocollabhost": "Webex", "webexhost": "Webex",
    "skype": "Skype", "skypeforlinux": "Skype", "slack": "Slack", "discord": "Discord",
    "obs": "OBS Studio", "obs64": "OBS Studio", "facetime": "FaceTime",
    "photo booth": "Photo Booth", "windowscamera": "Windows Camera", "cheese": "Cheese",
    "guvcview": "guvcview", "whatsapp": "WhatsApp", "signal": "Signal",
}

_VPN_NAME = re.compile(
    r"^(tun|tap|wg|ppp|ipsec|utun|gpd|cscotun|vpn|nordlynx|tailscale|zt|proton|mullvad|"
    r"nordvpn|expressvpn|wireguard|openvpn|fortissl|anyconnect|globalprotect|pangp)"
    r"|vpn|wireguard|tap-windows|anyconnect|globalprotect|fortinet|tailscale|pangp",
    re.IGNORECASE,
)


@dataclass
class CpuLoad:
    """The processor's load over a window, TechCheck's own processes left out.

    ``percent`` is what the check grades: the median of the per-tick loads, so a burst that
    covers less than half the window cannot raise it and load that lasts most of it does.
    """

    percent: float  # median of ``samples``: % of the whole machine (all cores) used by others
    samples: list[float]  # per tick, other programs' share of the machine, %
    busiest: list[tuple[str, float]]  # (program name, share of the whole machine %), once each
    own_pct: float = 0.0  # TechCheck's own share over the window (left out of ``percent``)
    window_s: float = 0.0  # how many seconds the samples cover
    peak_pct: float = 0.0  # the highest tick: shown, never graded


@dataclass
class Battery:
    percent: float
    plugged: bool | None
    secs_left: float | None


@dataclass
class Connection:
    kind: str  # "wired", "wifi", "unknown"
    interface: str | None = None
    signal_dbm: float | None = None
    note: str = ""


@dataclass
class VpnInterface:
    name: str
    addresses: list[str] = field(default_factory=list)
    default_route: bool = False


class SystemProbe:
    """The real probe for Linux, Windows and macOS. ``where`` says where to look for installed
    apps (the system's own places unless a test names others)."""

    where: Where | None = None

    def __init__(self, where: Where | None = None) -> None:
        self.where = where

    def os_name(self) -> str:
        from techcheck.checks.machine import os_name

        return os_name()

    def cpu_model(self) -> str:
        from techcheck.checks.machine import cpu_model

        return cpu_model()

    def cores(self) -> tuple[int, int]:
        return (psutil.cpu_count(logical=False) or 0, psutil.cpu_count() or 0)

    def cpu_load(self, seconds: float, cancel: CancelToken) -> CpuLoad:
        """The processor's load over the last ``seconds``, from the background sampler (started
        here if the app has not started it yet, which then waits for the window to fill)."""
        return cpu_sampler().window(seconds, cancel)

    def memory(self) -> tuple[float, float]:
        """(available MiB, total MiB)."""
        vm = psutil.virtual_memory()
        return vm.available / 2**20, vm.total / 2**20

    def battery(self) -> Battery | None:
        """None when the computer has no battery (a desktop); raises ``NotImplementedError``
        when the OS does not say."""
        if not hasattr(psutil, "sensors_battery"):
            raise NotImplementedError("this system does not report its battery")
        b = psutil.sensors_battery()
        if b is None:
            return None
        secs = None if b.secsleft in (psutil.POWER_TIME_UNKNOWN, psutil.POWER_TIME_UNLIMITED) \
            else float(b.secsleft)
        return Battery(float(b.percent), b.power_plugged, secs)

    def disk_free_mb(self) -> tuple[str, float]:
        home = str(Path.home())
        return home, psutil.disk_usage(home).free / 2**20

    def running_apps(self) -> list[str]:
        found: set[str] = set()
        for p in psutil.process_iter(["name"]):
            name = (p.info.get("name") or "").lower().removesuffix(".exe")
            app = CONFERENCING_APPS.get(name)
            if app:
                found.add(app)
        return sorted(found)

    def meeting_app(self, platform: str) -> InstalledApp | None:
        """The platform's desktop app as the system's package records know it, or None."""
        return find_app(platform, self.where)

    def vpn_interfaces(self) -> list[VpnInterface]:
        default = default_route_interface()
        stats = psutil.net_if_stats()
        return find_vpn_interfaces(psutil.net_if_addrs(), stats, default)

    def connection(self) -> Connection:
        system = platform.system()
        if system == "Linux":
            return linux_connection()
        if system == "Windows":
            return _windows_connection()
        if system == "Darwin":
            return _mac_connection()
        return Connection("unknown", note=f"{system} does not say how it is connected")


# --- processor load, sampled in the background ----------------------------------------------

#: Seconds between two readings of the processor's counters. Half a second splits a one-second
#: burst over two or three ticks of a several-second window; one reading of every process's
#: counters costs about 3 ms with 100 processes on this 2-core machine (docs/benchmarks.md).
CPU_TICK_S = 0.5
#: The history kept: more than any profile's ``load_window_s``.
CPU_KEEP_S = 60.0
#: A sampler nobody has read for this long stops (an idle app must not keep reading every
#: process's counters); the next reader starts it again and waits for a fresh window.
CPU_IDLE_STOP_S = 600.0


@dataclass(frozen=True)
class _Reading:
    at: float  # time.monotonic() of the reading
    wall: float  # time.time(), to compare with process creation times
    busy: float  # CPU seconds since boot, all cores, not idle
    total: float  # CPU seconds since boot, all cores
    # (pid, creation time) → (name, parent pid, own CPU s, CPU s of its reaped children)
    procs: dict[tuple[int, float], tuple[str, int, float, float]]


@dataclass(frozen=True)
class CpuTick:
    end: float  # time.monotonic() of the reading that closed the tick
    length: float  # seconds
    capacity: float  # CPU seconds all cores had in the tick
    own: float  # CPU seconds TechCheck and its child processes used
    other: float  # CPU seconds everything else used
    by_name: dict[str, float]  # CPU seconds of other programs, by name

    @property
    def other_pct(self) -> float:
        """Everyone else's share of the whole machine in this tick, %."""
        return 100.0 * self.other / self.capacity


def _busy_total(t: Any) -> tuple[float, float]:  # psutil's scputimes: fields differ by OS
    """(busy, total) CPU seconds as psutil's own ``cpu_percent`` counts them: guest time is
    already part of user time on Linux (proc(5), /proc/stat), idle and iowait are not busy."""
    total = sum(t) - getattr(t, "guest", 0.0) - getattr(t, "guest_nice", 0.0)
    return total - t.idle - getattr(t, "iowait", 0.0), total


def _read_counters() -> _Reading:
    busy, total = _busy_total(psutil.cpu_times())
    procs: dict[tuple[int, float], tuple[str, int, float, float]] = {}
    for p in psutil.process_iter(["name", "ppid", "cpu_times", "create_time"]):
        info = p.info
        ct = info.get("cpu_times")
        if not p.pid or ct is None:  # pid 0 is the idle task (Windows: "System Idle Process")
            continue
        name = (info.get("name") or str(p.pid)).removesuffix(".exe")
        procs[(p.pid, info.get("create_time") or 0.0)] = (
            name, info.get("ppid") or 0, ct.user + ct.system,
            getattr(ct, "children_user", 0.0) + getattr(ct, "children_system", 0.0))
    return _Reading(time.monotonic(), time.time(), busy, total, procs)


def _own_tree(procs: dict[tuple[int, float], tuple[str, int, float, float]],
              root: int) -> set[tuple[int, float]]:
    """The keys of ``root`` and every process below it."""
    children: dict[int, list[tuple[int, float]]] = {}
    for key, (_, ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(key)
    found = {k for k in procs if k[0] == root}
    todo = [root]
    while todo:
        for key in children.get(todo.pop(), []):
            if key not in found and key[0] != root:
                found.add(key)
                todo.append(key[0])
    return found


def cpu_tick(prev: _Reading, cur: _Reading, root: int) -> CpuTick | None:
    """What happened between two readings: the machine's CPU seconds split into TechCheck's
    own (``root`` and its descendants, with the children they reaped) and everyone else's,
    and everyone else's by program name. None when the counters did not advance."""
    capacity = cur.total - prev.total
    if capacity <= 0:
        return None
    own_now, own_before = _own_tree(cur.procs, root), _own_tree(prev.procs, root)
    own = 0.0
    for key in own_now:
        before = prev.procs.get(key)
        now = cur.procs[key]
        own += now[2] + now[3] - ((before[2] + before[3]) if before else 0.0)
    for key in own_before - cur.procs.keys():
        # an ended child: its final time moved into its parent's reaped-children count above
        own -= prev.procs[key][2] + prev.procs[key][3]
    own = min(max(own, 0.0), capacity)
    by_name: dict[str, float] = {}
    for key, (name, _, cpu, _) in cur.procs.items():
        if key in own_now:
            continue
        before = prev.procs.get(key)
        if before is not None:
            used = cpu - before[2]
        elif key[1] >= prev.wall - 0.05:  # started during the tick: all of its time is in it
            used = cpu
        else:
            continue
        if used > 0:
            by_name[name] = by_name.get(name, 0.0) + used
    other = min(max(cur.busy - prev.busy - own, 0.0), capacity)
    return CpuTick(cur.at, cur.at - prev.at, capacity, own, other, by_name)


def summarize(ticks: list[CpuTick]) -> CpuLoad:
    """The load over ``ticks``: the median tick (what is graded), TechCheck's own share, and
    the busiest other programs, each named once with its share of the whole machine."""
    samples = [t.other_pct for t in ticks]
    capacity = sum(t.capacity for t in ticks)
    by_name: dict[str, float] = {}
    for t in ticks:
        for name, used in t.by_name.items():
            by_name[name] = by_name.get(name, 0.0) + used
    shares = sorted(((n, 100.0 * used / capacity) for n, used in by_name.items()),
                    key=lambda b: -b[1])
    return CpuLoad(
        percent=statistics.median(samples),
        samples=[round(s, 1) for s in samples],
        busiest=[(n, round(s, 1)) for n, s in shares if s >= 1.0][:5],
        own_pct=round(100.0 * sum(t.own for t in ticks) / capacity, 1),
        window_s=round(sum(t.length for t in ticks), 2),
        peak_pct=round(max(samples), 1),
    )


class CpuSampler:
    """Reads the processor's counters every ``tick_s`` seconds on a background thread and
    keeps the last ``keep_s`` seconds, so a window of several seconds is ready the moment the
    system check asks, instead of being slept through then (docs/verdicts.md, "Processor load").

    ``root`` is TechCheck's own process: it and every process below it are left out."""

    def __init__(self, tick_s: float = CPU_TICK_S, keep_s: float = CPU_KEEP_S,
                 idle_stop_s: float = CPU_IDLE_STOP_S, root: int | None = None) -> None:
        self.tick_s, self.keep_s, self.idle_stop_s = tick_s, keep_s, idle_stop_s
        self.root = root if root is not None else os.getpid()
        self._ticks: deque[CpuTick] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._last_read = time.monotonic()

    @property
    def running(self) -> bool:
        with self._cond:
            return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start sampling (does nothing when already sampling)."""
        with self._cond:
            self._last_read = time.monotonic()
            if self._thread is not None and self._thread.is_alive():
                return
            self._ticks.clear()
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._loop, args=(self._stop,),
                                            name="cpu-sampler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._cond:
            thread, self._thread = self._thread, None
            self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)

    def _loop(self, stop: threading.Event) -> None:
        prev: _Reading | None = None
        while True:
            try:
                cur = _read_counters()
            except (psutil.Error, OSError) as exc:  # e.g. /proc unreadable for a moment
                log.info("cannot read the processor counters: %s", exc)
                cur = None
            tick = cpu_tick(prev, cur, self.root) if prev and cur else None
            prev = cur or prev
            with self._cond:
                if tick is not None:
                    self._ticks.append(tick)
                    while self._ticks and self._ticks[0].end < tick.end - self.keep_s:
                        self._ticks.popleft()
                    self._cond.notify_all()
                if stop.is_set() or time.monotonic() - self._last_read > self.idle_stop_s:
                    if self._thread is threading.current_thread():
                        self._thread = None
                    return
            stop.wait(self.tick_s)

    def window(self, seconds: float, cancel: CancelToken) -> CpuLoad:
        """The load over the last ``seconds`` (at least one tick), waiting as long as the
        sampler has not yet covered them."""
        seconds = max(seconds, self.tick_s)
        self.start()
        while True:
            with self._cond:
                self._last_read = time.monotonic()
                ticks = self.recent(seconds)
                if ticks and sum(t.length for t in ticks) >= seconds - self.tick_s / 2:
                    return summarize(ticks)
                if not self.running:  # stopped (idle, or stop()) while we waited
                    self.start()  # the condition's lock is re-entrant
                self._cond.wait(0.05)
            cancel.raise_if_cancelled()

    def recent(self, seconds: float) -> list[CpuTick]:
        """The newest ticks that together cover ``seconds``; none older than that window."""
        now = time.monotonic()
        out: list[CpuTick] = []
        covered = 0.0
        with self._cond:
            for t in reversed(self._ticks):
                if t.end < now - seconds - 2 * self.tick_s or covered >= seconds - self.tick_s / 2:
                    break
                out.append(t)
                covered += t.length
        return out[::-1]


_sampler: CpuSampler | None = None
_sampler_lock = threading.Lock()


def cpu_sampler() -> CpuSampler:
    """The process's one sampler (the app, the terminal and the check share it)."""
    global _sampler
    with _sampler_lock:
        if _sampler is None or _sampler.root != os.getpid():  # a forked child is a new root
            _sampler = CpuSampler()
        return _sampler


def start_cpu_sampling() -> None:
    """Start measuring the processor's load now, so the window is full when the check runs
    (the app calls this when its window opens, the terminal when a run starts)."""
    cpu_sampler().start()


# --- pure helpers, tested on real samples --------------------------------------------------


def find_vpn_interfaces(addrs: dict[str, Any], stats: dict[str, Any],
                        default_iface: str | None) -> list[VpnInterface]:
    """Interfaces that look like a VPN, are up and carry a routable address."""
    found = []
    for name, entries in addrs.items():
        st = stats.get(name)
        if st is not None and not st.isup:
            continue
        if not _VPN_NAME.search(name):
            continue
        routable = []
        for a in entries:
            try:
                ip = ipaddress.ip_address(a.address.split("%")[0])
            except ValueError:
                continue  # a MAC address
            if not (ip.is_link_local or ip.is_loopback):
                routable.append(str(ip))
        if routable:
            found.append(VpnInterface(name, routable, name == default_iface))
    return found


def parse_proc_net_route(text: str) -> str | None:
    """Interface of the IPv4 default route with the lowest metric from /proc/net/route."""
    best: tuple[int, str] | None = None
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 8 and parts[1] == "00000000" and parts[7] == "00000000":
            metric = int(parts[6])
            if best is None or metric < best[0]:
                best = (metric, parts[0])
    return best[1] if best else None


def parse_proc_net_wireless(text: str) -> dict[str, float]:
    """Interface → signal level in dBm from /proc/net/wireless."""
    out = {}
    for line in text.splitlines()[2:]:
        m = re.match(r"\s*(\S+):\s+\S+\s+(-?[\d.]+)\.?\s+(-?[\d.]+)\.?", line)
        if m:
            level = float(m.group(3))
            if level > 0:  # some drivers report 0..100 or unsigned 8-bit
                level = level - 256 if level > 100 else level / 2 - 100
            out[m.group(1)] = level
    return out


def parse_netsh_wlan(text: str) -> tuple[str | None, float | None]:
    """(interface name, signal dBm) from ``netsh wlan show interfaces``; % → dBm as Windows does."""
    name = None
    signal = None
    state_connected = False
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "name":
            name = value
        elif key == "state":
            state_connected = value.lower() == "connected"
        elif key in ("signal", "signal quality") and value.endswith("%"):
            signal = float(value.rstrip("%")) / 2 - 100
        elif key == "rssi":
            signal = float(value)
    return (name, signal) if state_connected else (None, None)


def parse_system_profiler_airport(text: str) -> float | None:
    """Current network's signal in dBm from ``system_profiler SPAirPortDataType``."""
    current = False
    for line in text.splitlines():
        if "Current Network Information" in line:
            current = True
        m = re.search(r"Signal / Noise:\s*(-?\d+)\s*dBm", line)
        if current and m:
            return float(m.group(1))
    return None


def default_route_interface() -> str | None:
    system = platform.system()
    try:
        if system == "Linux":
            return parse_proc_net_route(Path("/proc/net/route").read_text())
        if system == "Darwin":
            out = _run(["route", "-n", "get", "default"])
            m = re.search(r"interface:\s*(\S+)", out)
            return m.group(1) if m else None
    except OSError:
        return None
    return None


def linux_connection(sys_net: Path = Path("/sys/class/net"),
                     proc: Path = Path("/proc/net")) -> Connection:
    try:
        iface = parse_proc_net_route((proc / "route").read_text())
    except OSError:
        iface = None
    if iface is None:
        return Connection("unknown", note="no default route: the computer is not connected")
    if (sys_net / iface / "wireless").exists() or (sys_net / iface / "phy80211").exists():
        try:
            level = parse_proc_net_wireless((proc / "wireless").read_text()).get(iface)
        except OSError:
            level = None
        note = "" if level is not None else "the Wi-Fi driver does not report the signal"
        return Connection("wifi", iface, level, note)
    if _VPN_NAME.search(iface):
        return Connection("unknown", iface, note="traffic goes through a VPN; the link below it is hidden")
    return Connection("wired", iface)


def _windows_connection() -> Connection:
    out = _run(["netsh", "wlan", "show", "interfaces"])
    name, signal = parse_netsh_wlan(out)
    if name:
        return Connection("wifi", name, signal)
    stats = psutil.net_if_stats()
    up = [n for n, s in stats.items() if s.isup and "loopback" not in n.lower()]
    if any("ethernet" in n.lower() for n in up):
        return Connection("wired", next(n for n in up if "ethernet" in n.lower()))
    return Connection("unknown", note="Windows did not say which adapter carries the traffic")


def _mac_connection() -> Connection:
    iface = default_route_interface()
    if not iface:
        return Connection("unknown", note="no default route: the computer is not connected")
    ports = _run(["networksetup", "-listallhardwareports"])
    wifi_dev = None
    for block in ports.split("\n\n"):
        if re.search(r"Hardware Port:\s*(Wi-Fi|AirPort)", block):
            m = re.search(r"Device:\s*(\S+)", block)
            wifi_dev = m.group(1) if m else None
    if iface != wifi_dev:
        return Connection("wired", iface)
    signal = parse_system_profiler_airport(_run(["system_profiler", "SPAirPortDataType"], 15))
    return Connection("wifi", iface, signal,
                      "" if signal is not None else "macOS did not report the signal")


def _run(cmd: list[str], timeout: float = 5) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("%s: %s", cmd[0], exc)
        return ""
