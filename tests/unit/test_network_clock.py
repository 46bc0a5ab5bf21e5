"""The computer's clock against the servers' Date headers (checks/network/clock.py):
the header's whole second and the round trip never make a right clock wrong; a clock set ten
minutes ahead with libfaketime is found by ``techcheck run --only network`` against a local
``techcheck serve``, the right clock is not; no Date is "unknown", never a number."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from techcheck.checks.base import ResultBuilder
from techcheck.checks.model import Status
from techcheck.checks.network import clock
from techcheck.checks.network.clock import ClockSample, combine, parse_http_date
from techcheck.checks.network.httpio import parse_origin
from techcheck.checks.network.measures import CLOCK_OFFSET
from techcheck.checks.network.server import start_server

ROOT = Path(__file__).resolve().parents[2]


def test_http_dates_of_rfc_9110_are_read_and_broken_ones_are_not():
    # RFC 9110 §5.6.7's example in its three forms.
    for text in ("Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                 "Sun Nov  6 08:49:37 1994"):
        got = parse_http_date(text)
        assert got in (None, 784111777.0)  # before 2000: refused as no server's clock
    assert parse_http_date("Sun, 06 Dec 2026 05:33:27 GMT") == 1796535207.0
    for bad in (None, "", "yesterday", "Sun, 06 Dec 2026 05:33:27", "x" * 65,
                "Sun, 06 Dec 2026 05:33:27 GMT" + " " * 40, "Sun, 99 Dec 2026 05:33:27 GMT",
                "Sun, 06 Dec 99999 05:33:27 GMT"):
        assert parse_http_date(bad) is None, bad


def test_the_whole_second_and_the_round_trip_never_count_against_the_clock():
    # The server stamped 1000 while this computer read 1000.9 to 1001.3: offset in [-0.1, 1.3].
    right = combine([ClockSample(1000.9, 1001.3, 1000.0)])
    assert right is not None and right.at_least == 0.0
    # A slow answer (5 s round trip) widens the interval instead of inventing an offset.
    slow = combine([ClockSample(1000.0, 1005.0, 1002.0)])
    assert slow is not None and slow.at_least == 0.0 and slow.uncertainty == 3.0
    # Ten minutes ahead: surely 599.4 s at least, whatever the sub-second truth was.
    ahead = combine([ClockSample(1600.4, 1600.6, 1000.0), ClockSample(1601.2, 1601.3, 1001.0)])
    assert ahead is not None and ahead.estimate > 0
    assert 599.0 <= ahead.at_least <= 600.6 and ahead.samples == 2
    behind = combine([ClockSample(400.0, 400.2, 1000.0)])
    assert behind is not None and behind.estimate < 0 and behind.at_least == pytest.approx(599.8)
    # Answers that contradict each other (two servers behind one name) keep the wider span.
    split = combine([ClockSample(1000.0, 1000.1, 1000.0), ClockSample(1000.2, 1000.3, 900.0)])
    assert split is not None and split.low < 0 < split.high and split.at_least == 0.0
    assert combine([]) is None


@pytest.mark.parametrize(("seconds", "sources", "status", "word"), [
    (0.0, 1, Status.PASS, None), (59.0, 2, Status.PASS, None), (600.0, 1, Status.WARN, "ahead"),
    (-600.0, 2, Status.WARN, "behind"), (2 * 86400.0, 2, Status.FAIL, "ahead"),
    # One server alone may have the wrong clock: two days off warns, never fails.
    (2 * 86400.0, 1, Status.WARN, "ahead"), (-2 * 86400.0, 1, Status.WARN, "behind")])
def test_grading_follows_the_declared_limits(seconds, sources, status, word):
    import dataclasses

    from techcheck.checks.network.judge import Judge

    r = ResultBuilder("network", "Internet connection")
    sample = ClockSample(1000.0 + seconds, 1000.2 + seconds, 1000.0)
    offset = combine([sample])
    assert offset is not None
    Judge(r, None, None).clock(dataclasses.replace(offset, sources=sources))  # type: ignore[arg-type]
    res = r.build()
    metric = res.metrics["clock_offset"]
    assert metric.unit == "s" and metric.status is status
    found = [f for f in res.findings if f.code == "network.clock_off"]
    if word is None:
        assert not found and metric.threshold == 60.0
        return
    assert found[0].status is status and word in found[0].text()
    assert found[0].threshold == (86400.0 if status is Status.FAIL else 60.0)
    # the setting a person finds, never a command line (issue 23, item 11)
    assert "Set time automatically" in found[0].fix_text() and "timedatectl" not in \
        found[0].fix_text()
    assert found[0].text("sv") != found[0].text() and "s" in found[0].text("sv")


def test_not_measured_is_unknown_never_a_number():
    from techcheck.checks.network.judge import Judge

    r = ResultBuilder("network", "Internet connection")
    Judge(r, None, None).clock(None)  # type: ignore[arg-type]
    res = r.build()
    assert res.metrics["clock_offset"].value == "unknown"
    assert res.metrics["clock_offset"].status is None
    assert not [f for f in res.findings if f.code == "network.clock_off"]
    assert CLOCK_OFFSET.label and CLOCK_OFFSET.high is not None
    # Every report's row says so in words, not "unknown s" as if it were a number.
    from techcheck.app.report.view import check_section

    for lang, words in (("en", "not measured"), ("sv", "inte mätt")):
        row = next(m for m in check_section(res, "en", lang).metrics if m.name == "clock_offset")
        assert row.value == words and row.status is None


def _one_answer_server(head: bytes) -> tuple[socket.socket, threading.Thread]:
    """A server on 127.0.0.1 that answers one request with ``head`` (a real socket): the
    clock asks no more of a server whose first answer had no usable Date."""
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(4)
    lsock.settimeout(5.0)

    def serve() -> None:
        try:
            conn, _ = lsock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(2.0)
            try:
                conn.recv(4096)
                conn.sendall(head)
            except OSError:
                pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return lsock, t


@pytest.mark.parametrize("date", ["", "Date: not a date\r\n", "Date: " + "9" * 5000 + "\r\n"])
def test_a_server_without_a_usable_date_is_not_measured(date):
    lsock, t = _one_answer_server(
        f"HTTP/1.1 200 OK\r\n{date}Content-Length: 0\r\n\r\n".encode())
    try:
        origin = parse_origin(f"http://127.0.0.1:{lsock.getsockname()[1]}")
        assert clock.measure(origin, "/", None, lambda: False, timeout_s=2.0) is None
    finally:
        lsock.close()
        t.join(3.0)


def test_the_serve_answers_carry_a_date_the_check_reads():
    s = start_server("127.0.0.1", 0)
    try:
        offset = clock.measure(parse_origin(s.url), "/__down?bytes=0", None, lambda: False)
    finally:
        s.stop()
    assert offset is not None and offset.samples == 3 and offset.at_least == 0.0
    assert offset.uncertainty < 1.5


# --- the whole run, with the computer's clock moved by libfaketime ---------------------------

FAKETIME = shutil.which("faketime")


def _run_with_clock(offset: str, url: str, tmp_path: Path) -> dict:
    """``techcheck run --only network`` with this process's clock moved by ``offset``.

    libfaketime 0.9.10 (Debian 12) fakes CLOCK_REALTIME only with FAKETIME_DONT_FAKE_MONOTONIC
    (a faked monotonic clock makes every absolute timed wait of the process hang by the offset);
    then its clock_nanosleep wrapper refuses Python's absolute monotonic sleep with EINVAL, so
    a sitecustomize makes ``time.sleep`` wait in select() instead, which it passes through.
    The code under test is untouched: only the wall clock it reads is moved."""
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(
        "import select, time\n"
        "time.sleep = lambda s: select.select([], [], [], max(0.0, s))\n")
    profile = tmp_path / "lab.toml"
    profile.write_text('[profile]\nname = "lab"\ntitle = "Lab"\nplatform = "other"\n'
                       'extends = "generic"\n\n[network]\nstun_servers = []\nendpoints = []\n'
                       'captive_url = ""\n')
    out = tmp_path / f"report{offset}.json"
    env = dict(os.environ, FAKETIME_DONT_FAKE_MONOTONIC="1",
               PYTHONPATH=os.pathsep.join([str(shim), os.environ.get("PYTHONPATH", "")]))
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "all_proxy", "no_proxy", "NO_PROXY"):
        env.pop(var, None)
    proc = subprocess.run(
        [FAKETIME or "faketime", "-f", offset, sys.executable, "-m", "techcheck.app.cli", "run",
         "--only", "network", "--profile", str(profile), "--server", url, "--duration", "2",
         "--no-history", "--json", str(out)],
        env=env, capture_output=True, text=True, timeout=90)
    assert out.exists(), proc.stderr[-2000:]
    report = json.loads(out.read_text())
    check = next(c for c in report["checks"] if c["id"] == "network")
    check["stdout"] = proc.stdout
    return check


@pytest.mark.slow
@pytest.mark.skipif(FAKETIME is None, reason="Debian package faketime is not installed")
def test_a_clock_ten_minutes_fast_is_found_and_the_right_clock_is_not(tmp_path):
    s = start_server("127.0.0.1", 0)
    try:
        fast = _run_with_clock("+600", s.url, tmp_path)
        right = _run_with_clock("+0", s.url, tmp_path)
    finally:
        s.stop()
    found = [f for f in fast["findings"] if f["code"] == "network.clock_off"]
    assert len(found) == 1 and found[0]["status"] == "warn", fast["findings"]
    assert 598 <= found[0]["value"] <= 601
    assert fast["metrics"]["clock_offset"]["status"] == "warn"
    assert 599 <= fast["details"]["clock"]["offset_s"] <= 601
    # The terminal report says it in words.
    assert re.search(r"clock is 10\s+min ahead", fast["stdout"]), fast["stdout"]
    assert not [f for f in right["findings"] if f["code"] == "network.clock_off"]
    assert right["metrics"]["clock_offset"]["status"] == "pass"
    assert abs(right["details"]["clock"]["offset_s"]) < 1.5


@pytest.mark.parametrize(("offset", "en", "sv"), [
    (75.0, "75\u00a0s ahead", "75\u00a0s före"),
    (-600.0, "10\u00a0min behind", "10\u00a0min efter"),
    (5 * 3600.0, "5\u00a0h ahead", "5\u00a0h före"),
    (2 * 86400.0 - 0.3, "2 days ahead", "2 dagar före"),
])
def test_the_offset_reads_as_a_length_of_time(offset, en, sv):
    """A clock two days off reads "2 days", not "172800 s"; the limit likewise ("1 min")."""
    from techcheck.checks.model import Finding

    side = CLOCK_OFFSET.high
    assert side is not None
    template = side.message if offset > 0 else dict((k, m) for k, m, _f in side.variants)["behind"]
    f = Finding(code="network.clock_off", status=Status.WARN, message=template, fix=side.fix,
                value=abs(offset), threshold=60.0, unit="s", op="<=",
                params={"value": abs(offset), "threshold": 60.0, "unit": "s"})
    assert en in f.text() and "(want at most 60\u00a0s)" in f.text(), f.text()
    assert sv in f.text("sv"), f.text("sv")
