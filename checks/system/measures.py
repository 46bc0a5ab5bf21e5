"""The system check's measures, each declared once: unit, label, the ``[system]`` profile keys
of its limits, and its finding's message and fix (checks/measure.py)."""

from __future__ import annotations

from techcheck.checks.i18n import N_
from techcheck.checks.measure import TIP_ONLY, WARN_ONLY, Measure, Side, table

CPU_CORES = Measure("cpu_cores", "", label=N_("Processor cores"))
CPU_THREADS = Measure("cpu_threads", "", label=N_("Processor threads"))
CPU_LOAD = Measure(
    "cpu_load", "%", label=N_("Processor load"),
    high=Side("system.high_cpu", "cpu_load_warn_pct", "cpu_load_fail_pct",
              N_("The processor is {value:.0f} % busy (limit {threshold:.0f} %); video calls "
                 "stutter when it cannot keep up."),
              N_("Close programs you do not need before the interview. Busiest now: {top}.")))
MEMORY_FREE = Measure(
    "memory_free", "MiB", label=N_("Free memory"),
    low=Side("system.low_memory", "memory_free_warn_mb", "memory_free_fail_mb",
             N_("Only {value:.0f} MiB of memory is free (want at least {threshold:.0f} MiB)."),
             N_("Close browser tabs and programs you do not need, or restart the computer "
                "before the interview.")))
MEMORY_TOTAL = Measure(
    "memory_total", "GiB", label=N_("Total memory"),
    # Too little free memory says it first, with the fix that helps now.
    explained_by=("system.low_memory",),
    low=Side("system.low_memory", "memory_total_warn_gb", None,
             N_("The computer has {value:.1f} GiB of memory; video apps ask for at least "
                "{threshold:.0f} GiB."),
             N_("Close every other program during the interview, or use a computer with more "
                "memory."), levels=WARN_ONLY))
BATTERY = Measure(
    "battery", "%", label=N_("Battery"),
    low=Side("system.low_battery", "battery_warn_pct", "battery_fail_pct",
             N_("The battery is at {value:.0f} % (want at least {threshold:.0f} % when not "
                "plugged in)."),
             N_("Plug in the charger now; an interview easily lasts an hour.")))
ON_AC_POWER = Measure("on_ac_power", "", label=N_("Charger connected"))
DISK_FREE = Measure(
    "disk_free", "MiB", label=N_("Free disk space"),
    low=Side("system.low_disk", "disk_free_warn_mb", "disk_free_fail_mb",
             N_("Only {value:.0f} MiB of disk space is free (want at least {threshold:.0f} "
                "MiB)."),
             N_("Empty the trash and delete large files you do not need; a full disk makes "
                "the computer slow and stops apps from saving.")))
APPS = Measure("conferencing_apps_running", "", label=N_("Call apps running"))
VPN = Measure("vpn_active", "", label=N_("VPN active"))
CONNECTION = Measure("connection", "", label=N_("Connection"))
WIFI_SIGNAL = Measure(
    "wifi_signal", "dBm", label=N_("Wi-Fi signal"),
    low=Side("system.wifi_weak", "wifi_signal_warn_dbm", "wifi_signal_fail_dbm",
             N_("The Wi-Fi signal is weak: {value:.0f} dBm (want {threshold:.0f} dBm or "
                "stronger)."),
             N_("Sit closer to the Wi-Fi router with no walls between, or use a network "
                "cable.")))

#: The interview platform's desktop app: its version as the system gives it, "not installed",
#: or "browser only" for a platform that runs in the browser only (checks/system/meetapp.py). A
#: version is no number, so the two findings below are judged by ``meetapp.older_than`` against
#: ``app_min_version``; their texts are declared here, once.
MEETING_APP = Measure("meeting_app", "", label=N_("Meeting app"))
#: The metric's words (reports translate a word value: checks/l10n.py ``quantity``).
APP_NOT_INSTALLED, APP_INSTALLED, APP_BROWSER_ONLY = (
    N_("not installed"), N_("installed"), N_("browser only"))
_NOT_INSTALLED = N_("{app} is not installed on this computer.")
#: Missing is a tip, never a failure: every platform with an app also joins from a browser.
MEETING_APP_MISSING = Side(
    "system.meeting_app_missing", "app_min_version",
    message=_NOT_INSTALLED,
    fix=N_("You can join from a web browser instead: open the invitation link in Chrome, Edge "
           "or Firefox and choose to join from the browser. To use the app, install it and "
           "sign in once before the interview."),
    levels=TIP_ONLY,
    variants=(
        # The words each vendor's join page shows (Microsoft Support "Join a meeting without a
        # Teams account"; Zoom KB0060449 "Joining a meeting from the web app"; Webex Help
        # "Join a meeting from a web browser").
        ("teams", _NOT_INSTALLED, N_("You can join from a web browser instead: open the invitation link "
                         "in Edge or Chrome and choose \"Continue on this browser\". To use "
                         "the app, install Teams and sign in once before the interview.")),
        ("zoom", _NOT_INSTALLED, N_("You can join from a web browser instead: open the invitation link "
                        "and click \"Join from your browser\". To use the app, install Zoom "
                        "before the interview.")),
        ("webex", _NOT_INSTALLED, N_("You can join from a web browser instead: open the invitation link "
                         "and choose \"Join from this browser\". To use the app, install "
                         "Webex before the interview.")),
    ))
MEETING_APP_OLD = Side(
    "system.meeting_app_old", "app_min_version",
    message=N_("{app} {version} is installed, older than the version {minimum} this interview "
               "needs: it may refuse to join."),
    fix=N_("Update {app} now (in the app: your profile picture, then \"Check for updates\"; or "
           "download it again from the vendor's site), or join from a web browser."),
    levels=WARN_ONLY)

MEASURES = {"system": table((CPU_CORES, CPU_THREADS, CPU_LOAD, MEMORY_TOTAL, MEMORY_FREE,
                             BATTERY, ON_AC_POWER, DISK_FREE, APPS, VPN, CONNECTION,
                             WIFI_SIGNAL, MEETING_APP))}
