"""Proxy auto-configuration (PAC) files, evaluated the way the call apps see them.

A PAC file is JavaScript: ``FindProxyForURL(url, host)`` returns "DIRECT" or "PROXY host:port"
(several, separated by ";"). Teams, Zoom and browsers do not interpret it themselves: they ask
the operating system (WinHTTP on Windows, CFNetwork on macOS) or run a full JavaScript engine.
So does TechCheck (``techcheck.checks.pacengine``): the system's engine where there is one, with the URL
of the platform's real endpoint, and ``pacparser`` elsewhere and as the fallback. Real PAC
files use arrays, loops over bypass lists, regular expressions and date rules; a full engine
answers them all.

A PAC file is code from whoever runs the network (or whoever answers for ``wpad``), so it never
runs in TechCheck's own process: each batch of questions goes to a fresh child process with a
deadline (``DEADLINE_S``, start-up included) and a memory limit (``MEMORY_BUDGET``); a child
that loops or overruns is killed and the file is reported as not evaluated, saying why.

Not done (documented limits): discovering the PAC file by WPAD (DHCP option 252 or the name
``wpad``) — only a configured PAC URL is evaluated; proxies that want a login other than Basic
(NTLM, Kerberos: see ``techcheck.checks.network.proxy``).
"""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from techcheck.checks import pacengine

MAX_BYTES = 1024 * 1024  # the largest PAC file read (large real ones are ~200 KiB of lists)
DEADLINE_S = 5.0  # per batch of questions, child start-up included
MEMORY_BUDGET = 256 * 1024 * 1024  # what the file's JavaScript may allocate


class PacError(ValueError):
    """The file is too big, has no FindProxyForURL, is not valid JavaScript, failed, or ran
    over a bound; the message says which, for the report."""


@dataclass
class PacScript:
    """A PAC file's text and where it came from; ``find_proxy``/``evaluate`` ask it.

    ``my_ip`` is what ``myIpAddress()`` returns (default: the address the default route leaves
    from). ``hosts`` replaces DNS with a table (tests and benchmarks on a machine without
    internet DNS); with it the system's engine is not used, as it cannot take one.
    """

    text: str
    url: str = ""
    my_ip: str | None = None
    hosts: dict[str, str] | None = None
    engine: str = ""  # which engine gave the answers: WinHTTP, CFNetwork or pacparser
    _answers: dict[tuple[str, str], tuple[str | None, str]] = field(default_factory=dict,
                                                                      repr=False)

    def evaluate(self, urls: Iterable[str | tuple[str, str]]) -> dict[str, tuple[str | None, str]]:
        """{url: (answer or None, why not)} for each URL (or (url, host) pair), asked in one
        child process; answers are kept, so asking again costs nothing."""
        pairs = [(u, _host(u)) if isinstance(u, str) else (u[0], u[1]) for u in urls]
        todo = [p for p in dict.fromkeys(pairs) if p not in self._answers]
        if todo:
            try:
                got = self._run(todo)
            except PacError as exc:
                got = {p: (None, str(exc)) for p in todo}
            self._answers.update(got)
        return {p[0]: self._answers[p] for p in pairs}

    def find_proxy(self, url: str, host: str | None = None) -> str:
        """What ``FindProxyForURL(url, host)`` returns; PacError when it cannot be had."""
        answer, error = self.evaluate([(url, host if host is not None else _host(url))])[url]
        if answer is None:
            raise PacError(error)
        return answer

    def _run(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str | None, str]]:
        job = {"text": self.text, "pac_url": self.url, "pairs": pairs,
               "my_ip": self.my_ip or _my_ip(), "hosts": self.hosts, "memory": MEMORY_BUDGET}
        result = run_child(job, DEADLINE_S)
        if "error" in result:
            raise PacError(f"the PAC engine failed ({result['error']})")
        self.engine = str(result.get("engine", ""))
        answers = result.get("answers", {})
        found: dict[tuple[str, str], tuple[str | None, str]] = {}
        for u, h in pairs:
            answer, error = answers.get(u, (None, "no answer"))
            found[(u, h)] = (answer, error)
        return found


def parse(text: str | bytes, url: str = "", my_ip: str | None = None,
          hosts: dict[str, str] | None = None) -> PacScript:
    """A PAC file ready to be asked; PacError when it is too big or has no FindProxyForURL.
    Its JavaScript is checked when it is first asked (in the child process)."""
    if len(text) > MAX_BYTES:
        raise PacError(f"the file is larger than {MAX_BYTES // 1024} KiB")
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if "FindProxyForURL" not in text:
        raise PacError("the file has no FindProxyForURL function")
    return PacScript(text, url, my_ip, dict(hosts) if hosts is not None else None)


def run_child(job: dict[str, Any], deadline_s: float) -> dict[str, Any]:
    """Run ``pacengine.child_main`` on ``job`` in a fresh process (spawned, not forked: the
    caller may hold threads and locks) and return what it sends; PacError when it does not
    answer within ``deadline_s`` (it is killed) or dies."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=pacengine.child_main, args=(send, job), name="techcheck-pac",
                        daemon=True)
    try:
        child.start()
    except OSError as exc:
        raise PacError(f"the PAC engine could not start: {exc}") from None
    finally:
        send.close()
    try:
        if not receive.poll(deadline_s):
            raise PacError(f"the file took longer than {deadline_s:g} s to answer (an endless "
                           "loop, or name lookups that never answer)")
        try:
            answer: dict[str, Any] = receive.recv()
            return answer
        except (EOFError, OSError):
            child.join(1.0)
            raise PacError(f"the PAC engine stopped unexpectedly (exit status "
                           f"{child.exitcode})") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(2.0)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _my_ip() -> str:
    """The address this computer's default route leaves from (nothing is sent), as Chrome's
    myIpAddress() chooses it; pacparser's own would give the host name's address (often
    127.0.1.1 on Debian)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("198.51.100.1", 9))  # documentation address: chooses a route only
            address: str = s.getsockname()[0]
            return address
    except OSError:
        return "127.0.0.1"


# --- the answer -----------------------------------------------------------------------------


#: The words a PAC answer's entries may begin with: Netscape's PROXY, SOCKS and DIRECT, and
#: the HTTP, HTTPS, SOCKS4, SOCKS5 (and QUIC) that Chromium and Firefox added.
KINDS = ("DIRECT", "PROXY", "HTTP", "HTTPS", "SOCKS", "SOCKS4", "SOCKS5", "QUIC")


def first_route(answer: str) -> tuple[str, str] | None:
    """The entry of a PAC answer a browser follows first: ("DIRECT", "") or (kind, host:port)
    for a proxy of any kind; entries that cannot be read (an unknown word, a proxy without a
    host and port) are skipped, as Chromium skips them. None: no entry could be used."""
    for kind, where in routes(answer):
        if kind == "DIRECT":
            return kind, ""
        if kind in KINDS and _host_port(where):
            return kind, where
    return None


def _host_port(where: str) -> bool:
    """``host:port`` or ``[v6]:port`` with a port 1–65535."""
    host, sep, port = where.rpartition(":")
    return bool(sep and host.strip("[]") and port.isdigit() and 0 < int(port) < 65536)


def routes(answer: str) -> list[tuple[str, str]]:
    """``"PROXY a:1; SOCKS b:2; DIRECT"`` → [("PROXY", "a:1"), ("SOCKS", "b:2"), ("DIRECT", "")].
    Unknown words are kept (upper-cased) so the caller can say what it could not use."""
    out = []
    for part in answer.split(";"):
        words = part.split()
        if not words:
            continue
        kind = words[0].upper()
        out.append((kind, words[1] if len(words) > 1 else ""))
    return out
