"""Judges what ``SystemProbe`` reports against the profile's ``[system]`` limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from techcheck.checks.base import Check, ResultBuilder, assess
from techcheck.checks.context import CheckContext, Progress
from techcheck.checks.i18n import N_
from techcheck.checks.model import Between, CheckResult, LimitStatus, Status
from techcheck.checks.system.probe import SystemProbe


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
        r.metric("cpu_cores", physical, "")
        r.metric("cpu_threads", logical, "")

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
        r.metric("conferencing_apps_running", len(apps), "")
        self._vpn(r, lim)
        self._wifi(r, lim)
        step(1.0, N_("Done"))
        return r.build()

    # --- judgements -------------------------------------------------------------------------

    def _cpu(self, r: ResultBuilder, lim: SystemLimits, load) -> None:
        # What the figure is made of, for IT support: every tick, TechCheck's own share (left
        # out of the figure) and the other programs' shares over the whole window.
        r.detail("cpu_busiest", [{"name": n, "cpu_pct": round(c, 1)} for n, c in load.busiest])
        r.detail("cpu_window", {"seconds": load.window_s, "samples_pct": load.samples,
                                "peak_pct": load.peak_pct, "techcheck_pct": load.own_pct})
        r.graded(
            "cpu_load", load.percent, "%", warn=lim.cpu_load_warn_pct, fail=lim.cpu_load_fail_pct,
            higher_is_better=False, code="system.high_cpu",
            message=N_("The processor is {value:.0f} % busy (limit {threshold:.0f} %); video calls "
                       "stutter when it cannot keep up."),
            fix=N_("Close programs you do not need before the interview. Busiest now: {top}."),
            top=busiest_text(load.busiest),
        )

    def _memory(self, r: ResultBuilder, lim: SystemLimits, free_mb: float, total_mb: float) -> None:
        r.metric("memory_total", total_mb / 1024, "GiB")
        st = r.graded(
            "memory_free", free_mb, "MiB", warn=lim.memory_free_warn_mb,
            fail=lim.memory_free_fail_mb, higher_is_better=True, code="system.low_memory",
            message=N_("Only {value:.0f} MiB of memory is free (want at least {threshold:.0f} MiB)."),
            fix=N_("Close browser tabs and programs you do not need, or restart the computer "
                   "before the interview."),
        )
        if st is not Status.PASS:
            return
        if total_mb / 1024 < lim.memory_total_warn_gb:
            r.finding(
                "system.low_memory", Status.WARN,
                N_("The computer has {value:.1f} GiB of memory; video apps ask for at least "
                   "{threshold:.0f} GiB."),
                N_("Close every other program during the interview, or use a computer with more "
                   "memory."),
                value=total_mb / 1024, threshold=lim.memory_total_warn_gb, unit="GiB", op=">=",
            )

    def _battery(self, r: ResultBuilder, lim: SystemLimits) -> None:
        try:
            b = self.probe.battery()
        except NotImplementedError as exc:
            r.metric("battery", "unknown", "")
            r.detail("battery", f"cannot tell: {exc}")
            return
        if b is None:
            r.metric("battery", "none", "")
            r.detail("battery", "no battery: the computer runs on mains power")
            return
        # Graded on battery only: a low charge does not matter while the charger is in.
        g = assess(b.percent, warn=lim.battery_warn_pct, fail=lim.battery_fail_pct,
                   higher_is_better=True)
        r.metric("battery", b.percent, "%", threshold=lim.battery_warn_pct,
                 status=g.status if not b.plugged else Status.PASS, op=g.op)
        r.metric("on_ac_power", b.plugged, "")
        r.detail("battery", {"percent": b.percent, "plugged": b.plugged, "secs_left": b.secs_left})
        if b.plugged is False:
            r.finding(
                "system.on_battery", Status(lim.on_battery_status),
                N_("The computer is running on battery."),
                N_("Plug in the charger: on battery, laptops slow the processor down to save "
                   "power and the call can stutter."),
                value=False, threshold=True, op="==",
            )
            r.graded_finding(
                g, "system.low_battery",
                N_("The battery is at {value:.0f} % (want at least {threshold:.0f} % when not "
                   "plugged in)."),
                N_("Plug in the charger now; an interview easily lasts an hour."),
                unit="%",
            )

    def _disk(self, r: ResultBuilder, lim: SystemLimits, where: str, free_mb: float) -> None:
        r.graded(
            "disk_free", free_mb, "MiB", warn=lim.disk_free_warn_mb, fail=lim.disk_free_fail_mb,
            higher_is_better=True, code="system.low_disk",
            message=N_("Only {value:.0f} MiB of disk space is free (want at least {threshold:.0f} MiB)."),
            fix=N_("Empty the trash and delete large files you do not need; a full disk makes the "
                   "computer slow and stops apps from saving."),
        )

    def _vpn(self, r: ResultBuilder, lim: SystemLimits) -> None:
        vpns = self.probe.vpn_interfaces()
        r.metric("vpn_active", bool(vpns), "")
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
        r.metric("connection", c.kind, "")
        r.detail("connection", {"kind": c.kind, "interface": c.interface, "note": c.note})
        if c.kind != "wifi":
            return
        if c.signal_dbm is None:
            r.metric("wifi_signal", "unknown", "dBm")
            return
        r.graded(
            "wifi_signal", c.signal_dbm, "dBm", warn=lim.wifi_signal_warn_dbm,
            fail=lim.wifi_signal_fail_dbm, higher_is_better=True, code="system.wifi_weak",
            message=N_("The Wi-Fi signal is weak: {value:.0f} dBm (want {threshold:.0f} dBm or "
                       "stronger)."),
            fix=N_("Sit closer to the Wi-Fi router with no walls between, or use a network cable."),
        )
