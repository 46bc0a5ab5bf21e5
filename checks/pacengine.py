"""The engines that evaluate a PAC file, run inside the short-lived child process that
``techcheck.checks.network.pac`` starts (so this module imports nothing heavy: it is the child's whole
start-up).

In order of preference, the way the call apps get their answer on each system:

- Windows: WinHTTP's ``WinHttpGetProxyForUrl`` with the PAC file's URL (Microsoft, "WinHTTP
  AutoProxy Support" and winhttp.h). WinHTTP fetches and runs the file itself, as Teams' and
  Edge's network stacks do; it takes only http(s) URLs.
- macOS: CFNetwork's ``CFNetworkCopyProxiesForAutoConfigurationScript`` on the file's text
  (Apple, CFProxySupport.h), the engine Safari and Zoom get their proxies from.
- everywhere else, and whenever those are missing or fail: ``pacparser`` (a full JavaScript
  engine, QuickJS-ng, with Mozilla's PAC helper functions and Microsoft's IPv6 extensions).

Every platform call sits behind a function that returns None where the platform or the call is
missing; nothing here imports a Windows- or macOS-only module at import time.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # only the type: on Windows multiprocessing.connection imports _winapi
    from multiprocessing.connection import Connection

MAX_ANSWER = 4096  # characters of one answer sent back (a real one is a few hundred)

# --- the child process ------------------------------------------------------------------------


def child_main(conn: Connection, job: dict[str, Any]) -> None:
    """Entry point of the child: limit its memory, answer every (url, host) of ``job``, send
    ``{"engine": name, "answers": {url: [answer or None, error]}}`` (or ``{"error": …}``)."""
    try:
        limit_memory(job["memory"])
        result = evaluate(job)
    except BaseException as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    try:
        conn.send(result)
    finally:
        conn.close()


def evaluate(job: dict[str, Any]) -> dict[str, Any]:
    """Ask the system's engine when the job allows it (no test stand-ins for DNS), else, or when
    it fails, pacparser."""
    pairs = [(str(url), str(host)) for url, host in job["pairs"]]
    if job.get("hosts") is None and job.get("system", True):
        for name, find in _system_engines():
            answers: dict[str, list[str]] = {}
            for url, _host in pairs:
                answer = find(job, url)
                if answer is None:
                    break
                answers[url] = [answer[:MAX_ANSWER], ""]
            else:
                return {"engine": name, "answers": answers}
    return {"engine": "pacparser", "answers": pacparser_answers(job, pairs)}


#: A system engine: (job, url) -> its answer in PAC form, or None when it cannot answer.
SystemFind = Callable[[dict[str, Any], str], "str | None"]


def _system_engines() -> list[tuple[str, SystemFind]]:
    if sys.platform == "win32":
        return [("WinHTTP", lambda job, url: winhttp_find(job.get("pac_url", ""), url))]
    if sys.platform == "darwin":
        return [("CFNetwork", lambda job, url: cfnetwork_find(job["text"], url))]
    return []


# --- memory limit -----------------------------------------------------------------------------


def limit_memory(budget: int) -> None:
    """Let this process grow by at most ``budget`` bytes: RLIMIT_AS on POSIX (on top of what
    the interpreter already maps; macOS does not enforce it), a job object with a process
    memory limit on Windows. Best effort: a system that refuses leaves the deadline."""
    if sys.platform == "win32":
        with contextlib.suppress(OSError, AttributeError):
            _windows_job_limit(budget + 256 * 1024 * 1024)
        return
    try:
        import resource  # POSIX only
    except ImportError:
        return
    base = 0
    with contextlib.suppress(OSError, ValueError, IndexError), open("/proc/self/statm") as f:
        base = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")  # Linux: mapped now
    limit = base + budget
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _BasicLimits(ctypes.Structure):
    """JOBOBJECT_BASIC_LIMIT_INFORMATION (winnt.h)."""

    _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64),
                ("PerJobUserTimeLimit", ctypes.c_int64),
                ("LimitFlags", ctypes.c_uint32),
                ("MinimumWorkingSetSize", ctypes.c_size_t),
                ("MaximumWorkingSetSize", ctypes.c_size_t),
                ("ActiveProcessLimit", ctypes.c_uint32),
                ("Affinity", ctypes.c_size_t),
                ("PriorityClass", ctypes.c_uint32),
                ("SchedulingClass", ctypes.c_uint32)]


class _ExtendedLimits(ctypes.Structure):
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION (winnt.h); IO_COUNTERS is six ULONGLONGs."""

    _fields_ = [("BasicLimitInformation", _BasicLimits),
                ("IoInfo", ctypes.c_uint64 * 6),
                ("ProcessMemoryLimit", ctypes.c_size_t),
                ("JobMemoryLimit", ctypes.c_size_t),
                ("PeakProcessMemoryUsed", ctypes.c_size_t),
                ("PeakJobMemoryUsed", ctypes.c_size_t)]


JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9  # JOBOBJECTINFOCLASS JobObjectExtendedLimitInformation


def job_limits(limit: int) -> _ExtendedLimits:
    """The limits structure for a job whose processes may commit at most ``limit`` bytes."""
    info = _ExtendedLimits()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY
    info.ProcessMemoryLimit = limit
    return info


def _windows_job_limit(limit: int, kernel32: Any = None) -> bool:  # pragma: no cover - Windows only
    """Put this process in a new job object whose processes may commit at most ``limit``
    bytes (Microsoft, "Job Objects"; SetInformationJobObject). A process may assign itself
    (nested jobs, Windows 8 and later)."""
    k = kernel32 or ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]  # Windows only; mypy checks as Linux
    k.CreateJobObjectW.restype = ctypes.c_void_p
    k.CreateJobObjectW.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p]
    k.SetInformationJobObject.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
                                          ctypes.c_uint32]
    k.AssignProcessToJobObject.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    k.GetCurrentProcess.restype = ctypes.c_void_p
    job = k.CreateJobObjectW(None, None)
    if not job:
        return False
    info = job_limits(limit)
    if not k.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION,
                                     ctypes.byref(info), ctypes.sizeof(info)):
        return False
    return bool(k.AssignProcessToJobObject(job, k.GetCurrentProcess()))


# --- Windows: WinHTTP -------------------------------------------------------------------------


class AutoProxyOptions(ctypes.Structure):
    """WINHTTP_AUTOPROXY_OPTIONS (winhttp.h)."""

    _fields_ = [("dwFlags", ctypes.c_uint32),
                ("dwAutoDetectFlags", ctypes.c_uint32),
                ("lpszAutoConfigUrl", ctypes.c_wchar_p),
                ("lpvReserved", ctypes.c_void_p),
                ("dwReserved", ctypes.c_uint32),
                ("fAutoLogonIfChallenged", ctypes.c_int32)]


class ProxyInfo(ctypes.Structure):
    """WINHTTP_PROXY_INFO (winhttp.h). The strings belong to the caller (GlobalFree)."""

    _fields_ = [("dwAccessType", ctypes.c_uint32),
                ("lpszProxy", ctypes.c_void_p),
                ("lpszProxyBypass", ctypes.c_void_p)]


WINHTTP_ACCESS_TYPE_NO_PROXY = 1
WINHTTP_ACCESS_TYPE_NAMED_PROXY = 3
WINHTTP_AUTOPROXY_CONFIG_URL = 0x00000002


def winhttp_find(pac_url: str, url: str, winhttp: Any = None, kernel32: Any = None) -> str | None:
    """What WinHTTP answers for ``url`` under the PAC file at ``pac_url``, in PAC form
    ("PROXY a:1; DIRECT"); None off Windows, for a PAC URL WinHTTP cannot fetch (not
    http/https), or when WinHTTP fails (the caller then uses pacparser).

    ``winhttp``/``kernel32`` replace the DLLs in tests of the marshalling."""
    if urlsplit(pac_url).scheme.lower() not in ("http", "https"):
        return None
    if winhttp is None:
        if sys.platform != "win32":
            return None
        try:
            winhttp = ctypes.WinDLL("winhttp", use_last_error=True)
            kernel32 = ctypes.WinDLL("kernel32")
        except (OSError, AttributeError):  # no WinHTTP here
            return None
    winhttp.WinHttpOpen.restype = ctypes.c_void_p
    winhttp.WinHttpOpen.argtypes = [ctypes.c_wchar_p, ctypes.c_uint32, ctypes.c_wchar_p,
                                    ctypes.c_wchar_p, ctypes.c_uint32]
    winhttp.WinHttpGetProxyForUrl.restype = ctypes.c_int32
    winhttp.WinHttpGetProxyForUrl.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p,
                                              ctypes.POINTER(AutoProxyOptions),
                                              ctypes.POINTER(ProxyInfo)]
    winhttp.WinHttpCloseHandle.argtypes = [ctypes.c_void_p]
    kernel32.GlobalFree.restype = ctypes.c_void_p
    kernel32.GlobalFree.argtypes = [ctypes.c_void_p]
    # The session itself goes nowhere: WINHTTP_ACCESS_TYPE_NO_PROXY, no proxy name or bypass.
    session = winhttp.WinHttpOpen("TechCheck", WINHTTP_ACCESS_TYPE_NO_PROXY, None, None, 0)
    if not session:
        return None
    try:
        # Sign in to the PAC file's server with the Windows login when it asks, as Teams does
        # (fAutoLogonIfChallenged; Microsoft, "WINHTTP_AUTOPROXY_OPTIONS").
        options = AutoProxyOptions(WINHTTP_AUTOPROXY_CONFIG_URL, 0, pac_url, None, 0, 1)
        info = ProxyInfo()
        if not winhttp.WinHttpGetProxyForUrl(session, url, ctypes.byref(options),
                                             ctypes.byref(info)):
            return None
        try:
            proxy = ctypes.wstring_at(info.lpszProxy) if info.lpszProxy else ""
            return winhttp_answer(info.dwAccessType, proxy)
        finally:
            for pointer in (info.lpszProxy, info.lpszProxyBypass):
                if pointer:
                    kernel32.GlobalFree(pointer)
    finally:
        winhttp.WinHttpCloseHandle(session)


def winhttp_answer(access_type: int, proxy: str) -> str:
    """WinHTTP's result in PAC form. WinHTTP lists proxies as ``host:port`` separated by ";"
    or blanks, SOCKS ones as ``socks=host:port``, and may keep ``DIRECT``; no proxy at all
    is ``WINHTTP_ACCESS_TYPE_NO_PROXY``."""
    if access_type != WINHTTP_ACCESS_TYPE_NAMED_PROXY or not proxy.strip():
        return "DIRECT"
    entries = []
    for item in re.split(r"[;\s]+", proxy.strip()):
        if not item:
            continue
        if item.upper() == "DIRECT":
            entries.append("DIRECT")
            continue
        scheme, sep, where = item.partition("=")
        if not sep:
            entries.append(f"PROXY {item}")
        elif scheme.lower().startswith("socks"):
            entries.append(f"SOCKS {where}")
        else:
            entries.append(f"PROXY {where}")
    return "; ".join(entries) or "DIRECT"


# --- macOS: CFNetwork -------------------------------------------------------------------------

_CORE_FOUNDATION = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
_CFNETWORK = "/System/Library/Frameworks/CFNetwork.framework/CFNetwork"
kCFStringEncodingUTF8 = 0x08000100
kCFNumberSInt32Type = 3


def _declare_cf(cf: Any, cfn: Any) -> None:
    """Argument and result types (CFBase.h, CFString.h, CFURL.h, CFArray.h, CFDictionary.h,
    CFNumber.h, CFProxySupport.h): every CF object is a pointer."""
    p = ctypes.c_void_p
    for name, args, res in (
            ("CFStringCreateWithCString", [p, ctypes.c_char_p, ctypes.c_uint32], p),
            ("CFURLCreateWithString", [p, p, p], p),
            ("CFArrayGetCount", [p], ctypes.c_long),
            ("CFArrayGetValueAtIndex", [p, ctypes.c_long], p),
            ("CFDictionaryGetValue", [p, p], p),
            ("CFEqual", [p, p], ctypes.c_bool),
            ("CFStringGetCString", [p, ctypes.c_char_p, ctypes.c_long, ctypes.c_uint32],
             ctypes.c_bool),
            ("CFNumberGetValue", [p, ctypes.c_long, p], ctypes.c_bool),
            ("CFRelease", [p], None)):
        fn = getattr(cf, name)
        fn.argtypes, fn.restype = args, res
    fn = cfn.CFNetworkCopyProxiesForAutoConfigurationScript
    fn.argtypes, fn.restype = [p, p, ctypes.POINTER(p)], p


def cfnetwork_find(text: str, url: str, cf: Any = None, cfn: Any = None,
                   constant: Callable[[str], Any] | None = None) -> str | None:
    """What CFNetwork answers for ``url`` under the PAC file ``text``, in PAC form; None off
    macOS or when CFNetwork fails (the caller then uses pacparser).

    ``cf``/``cfn`` (CoreFoundation, CFNetwork) and ``constant`` (name → the value of an
    exported CFStringRef such as kCFProxyTypeKey) replace the frameworks in tests of the
    marshalling."""
    if cf is None:
        if sys.platform != "darwin":
            return None
        try:
            cf, cfn = ctypes.CDLL(_CORE_FOUNDATION), ctypes.CDLL(_CFNETWORK)
        except OSError:
            return None
    if constant is None:
        def constant(name: str) -> Any:  # pragma: no cover - macOS only
            return ctypes.c_void_p.in_dll(cfn, name).value
    try:
        _declare_cf(cf, cfn)
    except AttributeError:  # a framework without the functions
        return None
    owned: list[int] = []

    def keep(ref: Any) -> Any:
        if ref:
            owned.append(ref)
        return ref

    try:
        script = keep(cf.CFStringCreateWithCString(None, text.encode("utf-8"),
                                                   kCFStringEncodingUTF8))
        target_text = keep(cf.CFStringCreateWithCString(None, url.encode("utf-8"),
                                                        kCFStringEncodingUTF8))
        target = keep(cf.CFURLCreateWithString(None, target_text, None)) if target_text else None
        if not script or not target:
            return None
        error = ctypes.c_void_p()
        proxies = keep(cfn.CFNetworkCopyProxiesForAutoConfigurationScript(
            script, target, ctypes.byref(error)))
        keep(error.value)
        if not proxies:
            return None
        kinds = {constant("kCFProxyTypeNone"): "none", constant("kCFProxyTypeHTTP"): "http",
                 constant("kCFProxyTypeHTTPS"): "https", constant("kCFProxyTypeSOCKS"): "socks"}
        entries = []
        for i in range(cf.CFArrayGetCount(proxies)):
            item = cf.CFArrayGetValueAtIndex(proxies, i)
            kind_ref = cf.CFDictionaryGetValue(item, constant("kCFProxyTypeKey"))
            kind = next((k for ref, k in kinds.items() if kind_ref and cf.CFEqual(kind_ref, ref)),
                        "other")
            host = _cf_string(cf, cf.CFDictionaryGetValue(item, constant("kCFProxyHostNameKey")))
            port = _cf_int(cf, cf.CFDictionaryGetValue(item, constant("kCFProxyPortNumberKey")))
            entries.append((kind, host, port))
        return cfnetwork_answer(entries)
    except (ValueError, OSError):  # a constant or symbol this macOS does not export
        return None
    finally:
        for ref in owned:
            cf.CFRelease(ref)


def _cf_string(cf: Any, ref: Any) -> str:
    if not ref:
        return ""
    buf = ctypes.create_string_buffer(1024)
    return buf.value.decode("utf-8") if cf.CFStringGetCString(ref, buf, 1024,
                                                              kCFStringEncodingUTF8) else ""


def _cf_int(cf: Any, ref: Any) -> int | None:
    value = ctypes.c_int32()
    if ref and cf.CFNumberGetValue(ref, kCFNumberSInt32Type, ctypes.byref(value)):
        return value.value
    return None


def cfnetwork_answer(entries: list[tuple[str, str, int | None]]) -> str:
    """CFNetwork's proxy dictionaries, as (kind, host, port), in PAC form. kCFProxyTypeHTTP
    and kCFProxyTypeHTTPS are both an HTTP proxy (for http and https targets); "none" is
    DIRECT; kinds we cannot speak (FTP, automatic configuration) are left out."""
    out = []
    for kind, host, port in entries:
        if kind == "none":
            out.append("DIRECT")
        elif kind in ("http", "https", "socks") and host:
            where = f"{host}:{port}" if port else host
            out.append(f"{'SOCKS' if kind == 'socks' else 'PROXY'} {where}")
    return "; ".join(out) or "DIRECT"


# --- everywhere: pacparser --------------------------------------------------------------------

# pacparser's weekdayRange (Mozilla's early one) is false for a range that wraps past Sunday,
# but Netscape's definition gives weekdayRange("FRI", "MON") as "Friday through Monday": the
# wrapping form, as Chrome and WinHTTP evaluate it. Defined before the file, so a file's own
# weekdayRange still wins.
_WEEKDAY_RANGE = """
weekdayRange = function () {
  var days = {SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6};
  var own = function (d) { return typeof d === "string" &&
                                  Object.prototype.hasOwnProperty.call(days, d); };
  var n = arguments.length, gmt = n > 1 && arguments[n - 1] === "GMT";
  if (n < 1 || !own(arguments[0])) return false;
  var d1 = days[arguments[0]];
  var d2 = (n > 1 && own(arguments[1])) ? days[arguments[1]] : d1;
  var now = new Date(), d = gmt ? now.getUTCDay() : now.getDay();
  return d1 <= d2 ? (d1 <= d && d <= d2) : (d >= d1 || d <= d2);
};
"""

# Test and benchmark stand-in for DNS (this machine has no internet DNS): names answer from a
# table, IPv4 literals answer themselves, anything else does not resolve.
_HOSTS = """
(function (table) {
  var own = Object.prototype.hasOwnProperty, literal = /^\\d{1,3}(\\.\\d{1,3}){3}$/;
  var lookup = function (h) { h = String(h);
    return literal.test(h) ? h : (own.call(table, h) ? table[h] : null); };
  dnsResolve = function (h) { return lookup(h); };
  isResolvable = function (h) { return lookup(h) !== null; };
  dnsResolveEx = function (h) { var ip = lookup(h); return ip === null ? "" : ip; };
  isResolvableEx = function (h) { return lookup(h) !== null; };
})(%s);
"""


def pacparser_answers(job: dict[str, Any],
                      pairs: list[tuple[str, str]]) -> dict[str, list[str | None]]:
    """Evaluate with pacparser in this process. Its JavaScript errors go to stderr, which is
    captured here so the message can name them (a child process: nobody else writes there)."""
    try:
        import pacparser
    except ImportError:
        return {url: [None, "the PAC engine (pacparser) is not installed"] for url, _ in pairs}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - fd 2 points at it until the child exits
    with contextlib.suppress(OSError, ValueError):
        os.dup2(log.fileno(), 2)

    def js_error(default: str) -> str:
        log.seek(0)
        lines = log.read().decode("utf-8", "replace").splitlines()
        log.seek(0)
        log.truncate()
        found = [ln.split("JSERROR:", 1)[1].strip() for ln in lines if "JSERROR:" in ln]
        return f"{default}: {found[-1]}" if found else default

    pacparser.enable_microsoft_extensions()
    pacparser.init()
    if job.get("my_ip"):
        pacparser.setmyip(job["my_ip"])
    pacparser.parse_pac_string(_WEEKDAY_RANGE)
    if job.get("hosts") is not None:
        pacparser.parse_pac_string(_HOSTS % json.dumps(job["hosts"]))
    # pacparser raises its own ``_pacparser.error`` (and ValueError for a NUL in the text)
    failed = (getattr(getattr(pacparser, "_pacparser", None), "error", ValueError), ValueError)
    try:
        pacparser.parse_pac_string(job["text"])
    except failed as exc:
        reason = f"the file is not valid JavaScript: {exc}" if isinstance(exc, ValueError) \
            else js_error("the file is not valid JavaScript")
        return {url: [None, reason] for url, _ in pairs}
    answers = {}
    for url, host in pairs:
        try:
            answer = pacparser.find_proxy(url, host)
        except failed:
            answers[url] = [None, js_error("FindProxyForURL failed")]
            continue
        if answer in ("undefined", "null"):  # no return statement reached
            answers[url] = [None, f"FindProxyForURL returned {answer}"]
        else:
            answers[url] = [answer[:MAX_ANSWER], ""]
    return answers
