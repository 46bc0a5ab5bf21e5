"""Judges what ``SystemProbe`` reports against the profile's ``[system]`` limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from techcheck.checks.base import Check, ResultBuilder
from techcheck.checks.context import CheckContext, Progress
from techcheck.checks.i18n import N_
from techcheck.checks.model import Between, Checked, CheckResult, LimitStatus, Status
from techcheck.checks.system import measures as M
from techcheck.checks.system.meetapp import APPS, BROWSER_ONLY, older_than, version_problem
from techcheck.checks.system.probe import CpuLoad, SystemProbe


@dataclass(frozen=True)
class SystemLimits:
    cpu_load_warn_pct: float
    cpu_load_fail_pct: float
    memory_free_warn_mb: float
    memory_free_fail_mb: float
    memory_total_warn_gb: float
    battery_warn_pct: float
    battery_fail_pct: float
    on_battery_status: LimitStatus
    disk_free_warn_mb: float
    disk_free_fail_mb: float
    vpn_status: LimitStatus
    wifi_signal_warn_dbm: float
    wifi_signal_fail_dbm: float
    # Processor load is averaged over this window: half a second is the shortest a load
    # average means anything, 30 s the longest a person waits for the Computer check.
    load_window_s: Annotated[float, Between(0.5, 30)]
    # The oldest version of the platform's desktop app the interview accepts ("" for none):
    # numbers and dots, compared part by part (checks/system/meetapp.py).
    app_min_version: Annotated[str, Checked(version_problem)]


def busiest_text(busiest: list[tuple[str, float]], count: int = 3) -> str:
    """"firefox (41 %), zoom (12 %)": the busiest other programs, each once, with their share
    of the whole machine in whole per cent (the same in every language)."""
    return ", ".join(f"{name} ({share:.0f}\u00a0%)" for name, share in busiest[:count]) or "-"


class SystemCheck(Check):
    id = "system"
    title = N_("Computer")
    needs = frozenset()
    Limits = SystemLimits
    timeout_s = 30.0
    order = 10

    def __init__(self, probe: SystemProbe | None = None) -> None:
        self.probe = probe or SystemProbe()

    def run(self, ctx: CheckContext) -> CheckResult:
        lim: SystemLimits = ctx.limits(self.id)
        r = self.result()
        p = self.probe

        def step(fraction: float, message: str) -> None:
            ctx.cancel.raise_if_cancelled()
            ctx.progress(Progress(self.id, fraction, message))

        step(0.0, N_("Reading the computer's details"))
        physical, logical = p.cores()
        r.detail("os", p.os_name())
        r.detail("cpu", p.cpu_model())
        r.record(M.CPU_CORES, physical)
        r.record(M.CPU_THREADS, logical)

        step(0.05, N_("Measuring how busy the processor is"))
        window = lim.load_window_s if ctx.duration is None else min(lim.load_window_s, ctx.duration)
        load = p.cpu_load(window, ctx.cancel)
        self._cpu(r, lim, load)

        step(0.7, N_("Checking memory, power and disk"))
        self._memory(r, lim, *p.memory())
        self._battery(r, lim)
        self._disk(r, lim, *p.disk_free_mb())

        step(0.85, N_("Checking the network connection and VPN"))
        apps = p.running_apps()
        r.detail("conferencing_apps", apps)
        r.record(M.APPS, len(apps))
        self._vpn(r, lim)
        self._wifi(r, lim)
        step(0.95, N_("Looking for the meeting app"))
        self._meeting_app(r, lim, ctx.profile.platform)
        step(1.0, N_("Done"))
        return r.build()

    # --- judgements -------------------------------------------------------------------------

    def _cpu(self, r: ResultBuilder, lim: SystemLimits, load: CpuLoad) -> None:
        # What the figure is made of, for IT support: every tick, TechCheck's own share (left
        # out of the figure) and the other programs' shares over the whole window.
        r.detail("cpu_busiest", [{"name": n, "cpu_pct": round(c, 1)} for n, c in load.busiest])
        r.detail("cpu_window", {"seconds": load.window_s, "samples_pct": load.samples,
                                "peak_pct": load.peak_pct, "techcheck_pct": load.own_pct})
        r.grade(M.CPU_LOAD, load.percent, lim, top=busiest_text(load.busiest))

    def _memory(self, r: ResultBuilder, lim: SystemLimits, free_mb: float, total_mb: float) -> None:
        r.grade(M.MEMORY_TOTAL, total_mb / 1024, lim)
        r.grade(M.MEMORY_FREE, free_mb, lim)

    def _battery(self, r: ResultBuilder, lim: SystemLimits) -> None:
        try:
            b = self.probe.battery()
        except NotImplementedError as exc:
            r.grade(M.BATTERY, "unknown", lim)
            r.detail("battery", f"cannot tell: {exc}")
            return
        if b is None:
            r.grade(M.BATTERY, "none", lim)
            r.detail("battery", "no battery: the computer runs on mains power")
            return
        # Graded on battery only: a low charge does not matter while the charger is in.
        r.grade(M.BATTERY, b.percent, lim, decided=(None, None) if b.plugged else None,
                finding=b.plugged is False)
        r.record(M.ON_AC_POWER, b.plugged)
        r.detail("battery", {"percent": b.percent, "plugged": b.plugged, "secs_left": b.secs_left})
        if b.plugged is False:
            r.finding(
                "system.on_battery", Status(lim.on_battery_status),
                N_("The computer is running on battery."),
                N_("Plug in the charger: on battery, laptops slow the processor down to save "
                   "power and the call can stutter."),
                value=False, threshold=True, op="==",
            )

    def _disk(self, r: ResultBuilder, lim: SystemLimits, where: str, free_mb: float) -> None:
        r.grade(M.DISK_FREE, free_mb, lim)

    def _vpn(self, r: ResultBuilder, lim: SystemLimits) -> None:
        vpns = self.probe.vpn_interfaces()
        r.record(M.VPN, bool(vpns))
        r.detail("vpn_interfaces", [
            {"name": v.name, "default_route": v.default_route} for v in vpns
        ])
        if vpns and lim.vpn_status != "pass":
            names = ", ".join(v.name for v in vpns)
            all_traffic = any(v.default_route for v in vpns)
            r.finding(
                "system.vpn_active", Status(lim.vpn_status),
                N_("A VPN is active ({names}) and carries all traffic, the call included.")
                if all_traffic else
                N_("A VPN is active ({names})."),
                N_("Disconnect the VPN for the interview unless your employer requires it: it "
                   "adds delay and often blocks the fast UDP path video calls use."),
                value=True, threshold=False, op="==", names=names,
            )

    def _wifi(self, r: ResultBuilder, lim: SystemLimits) -> None:
        c = self.probe.connection()
        r.record(M.CONNECTION, c.kind)
        r.detail("connection", {"kind": c.kind, "interface": c.interface, "note": c.note})
        if c.kind != "wifi":
            return
        r.grade(M.WIFI_SIGNAL, "unknown" if c.signal_dbm is None else c.signal_dbm, lim)

    def _meeting_app(self, r: ResultBuilder, lim: SystemLimits, platform: str) -> None:
        """The interview platform's desktop app: missing is a tip with the browser route,
        older than the profile's minimum a warning with the update."""
        if platform in BROWSER_ONLY:
            r.record(M.MEETING_APP, M.APP_BROWSER_ONLY)
            r.detail("meeting_app", {"platform": platform, "browser_only": True})
            return
        names = APPS.get(platform)
        if names is None:  # a profile for no particular platform: nothing to look for
            return
        found = self.probe.meeting_app(platform)
        r.detail("meeting_app", {"platform": platform, "minimum": lim.app_min_version or None,
                                 "installed": found.to_dict() if found else None})
        if found is None:
            r.record(M.MEETING_APP, M.APP_NOT_INSTALLED)
            side = M.MEETING_APP_MISSING
            message, fix = side.texts(platform)
            r.finding(side.code, side.status(Status.WARN), message, fix, value=False,
                      threshold=True, op="==", app=names.title)
            return
        r.record(M.MEETING_APP, found.version or M.APP_INSTALLED)
        if not lim.app_min_version or not older_than(found.version, lim.app_min_version):
            return  # no minimum, as new or newer, or a version that says no number
        side = M.MEETING_APP_OLD
        r.finding(side.code, side.status(Status.WARN), side.message, side.fix,
                  value=found.version, threshold=lim.app_min_version, op=">=",
                  app=names.title, version=found.version, minimum=lim.app_min_version)
