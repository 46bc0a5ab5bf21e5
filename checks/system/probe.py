"""What the operating system tells about the computer: load, memory, power, disk, apps, VPN
and Wi-Fi. One method per question, so the check's judgement can be tested with a stand-in
probe where this machine has no such hardware (a battery, a Wi-Fi card). The parsers of each
OS's own output are pure functions, tested on real samples of that output.
"""

from __future__ import annotations

import ipaddress
import logging
import platform
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from techcheck.checks.context import CancelToken

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
    percent: float
    samples: list[float]
    busiest: list[tuple[str, float]]  # (process name, % of one core)


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
    """The real probe for Linux, Windows and macOS."""

    def os_name(self) -> str:
        from techcheck.checks.machine import os_name

        return os_name()

    def cpu_model(self) -> str:
        from techcheck.checks.machine import cpu_model

        return cpu_model()

    def cores(self) -> tuple[int, int]:
        return (psutil.cpu_count(logical=False) or 0, psutil.cpu_count() or 0)

    def cpu_load(self, seconds: float, cancel: CancelToken) -> CpuLoad:
        """Mean CPU use over ``seconds``, sampled 4× a second, and the busiest processes."""
        procs = {}
        for p in psutil.process_iter(["name"]):
            try:
                p.cpu_percent(None)
                procs[p.pid] = p
            except (psutil.Error, OSError):
                continue
        psutil.cpu_percent(None)
        samples: list[float] = []
        steps = max(1, round(seconds / 0.25))
        for _ in range(steps):
            cancel.sleep(seconds / steps)
            samples.append(psutil.cpu_percent(None))
        busiest: list[tuple[str, float]] = []
        for p in procs.values():
            try:
                busiest.append((p.info.get("name") or str(p.pid), p.cpu_percent(None)))
            except (psutil.Error, OSError):
                continue
        busiest = sorted((b for b in busiest if b[1] >= 1.0), key=lambda b: -b[1])[:5]
        return CpuLoad(sum(samples) / len(samples), samples, busiest)

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
