"""scripts/test-phases.sh, as scripts/setup.sh runs the suite: the quiet phase alone; then the
timed phase while the shared one runs beside it in a cgroup held at idle priority, made
ordinary when the timed phase ends; the shared phase's output after the timed one's; the first
failing phase's status. Run on stand-in phases: ``.venv/bin/python`` is a script that records
when each phase ran, in which cgroup and at which priority, so the orchestration is seen in
seconds (the real suite goes through the same functions in every run of scripts/setup.sh)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Every run makes a cgroup at idle priority for its stand-in shared phase, which starts only
# when the processor has time for it: among the suite's busy workers it waited past a minute.
# In the timed phase it shares the idle time with the suite's own shared phase, itself at idle
# priority then.
pytestmark = [pytest.mark.timed,
              pytest.mark.skipif(sys.platform != "linux", reason="scripts/setup.sh is for Linux")]

STAND_IN = r'''
import json, os, sys, time
from pathlib import Path

if sys.argv[1:3] != ["-m", "pytest"]:  # not a test phase (the JUnit merge): the real Python
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])

phase = os.environ["TECHCHECK_TEST_PHASE"]
log = Path(os.environ["PHASE_LOG"])

def cgroup_idle():
    """(this process's cgroup of the processor, its cpu.idle or None)."""
    rel = ""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        n, ctrl, path = line.split(":", 2)
        if "cpu" in ctrl.split(",") or (n == "0" and not rel):
            rel = path
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount, kind, opts = line.split()[:4]
        if (kind == "cgroup" and "cpu" in opts.split(",")) or kind == "cgroup2":
            f = Path(mount + rel.rstrip("/")) / "cpu.idle"
            if f.exists():
                return rel, f.read_text().strip()
    return rel, None

def record(event):
    rel, idle = cgroup_idle()
    with log.open("a") as f:
        f.write(json.dumps({"phase": phase, "event": event, "t": time.monotonic(),
                            "cgroup": rel, "idle": idle}) + "\n")

record("start")
if phase == "shared" and os.environ.get("LEAVE_BEHIND"):  # a server a crashed worker left
    import subprocess
    left = subprocess.Popen(["sleep", "60"], start_new_session=True)
    Path(os.environ["LEAVE_BEHIND"]).write_text(str(left.pid))
scale = float(os.environ.get("PHASE_SCALE", "1"))
time.sleep(scale * {"quiet": 0.3, "timed": 1.5, "shared": 3.0}[phase])
if phase == "timed" and os.environ.get("TIMED_WAITS_FOR_SHARED"):
    # a timed test lasts long enough for the shared phase to start beside it: up to 10 s
    # (a process at idle priority starts only when the processor has time for it)
    deadline = time.monotonic() + 10
    while '"shared", "event": "start"' not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
record("end")
for arg in sys.argv:  # a report of as many tests as the phase's name has letters
    if arg.startswith("--junitxml="):
        n = len(phase)
        Path(arg.split("=", 1)[1]).write_text(
            f'<testsuites><testsuite name="{phase}" tests="{n}" failures="0" errors="0" '
            f'skipped="1"></testsuite></testsuites>')
print(f"{phase} output")
sys.exit(int(os.environ.get(f"RC_{phase.upper()}", "0")))
'''


def run_phases(tmp_path: Path, *args: str, **env: str
               ) -> tuple[subprocess.CompletedProcess[str], dict]:
    tree = tmp_path / "tree"
    (tree / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "test-phases.sh", tree / "scripts")
    (tree / ".venv" / "bin").mkdir(parents=True)
    (tree / "stand_in.py").write_text(STAND_IN)
    python = tree / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} {tree / "stand_in.py"} "$@"\n')
    python.chmod(0o755)
    log = tmp_path / "phases.jsonl"
    res = subprocess.run(
        ["bash", "-c", '. scripts/test-phases.sh; run_tests -m "not slow" "$@"', "-", *args],
        cwd=tree,
        env={**os.environ, "PHASE_LOG": str(log), "TECHCHECK_TEST_WORKERS": "2", **env},
        capture_output=True, text=True, timeout=60)
    events = {}
    for line in log.read_text().splitlines():
        e = json.loads(line)
        events[e["phase"], e["event"]] = e
    return res, events


def own_cgroup(events: dict, phase: str) -> bool:
    """Whether ``phase`` ran in a cgroup made for it under the one the run started in (which
    is itself such a cgroup when this test runs in the suite's shared phase)."""
    start = events["quiet", "start"]["cgroup"].rstrip("/")
    return events[phase, "start"]["cgroup"].startswith(f"{start}/techcheck-tests-")


@pytest.mark.slow  # waits out its stand-in phases (about 3 s)
@pytest.mark.skipif(getattr(os, "geteuid", lambda: -1)() != 0,
                    reason="making a cgroup needs root")
def test_the_shared_phase_waits_at_idle_priority_beside_the_timed_one(tmp_path):
    res, ev = run_phases(tmp_path, TIMED_WAITS_FOR_SHARED="1")
    assert res.returncode == 0, res.stderr
    t = {k: e["t"] for k, e in ev.items()}
    # the quiet phase had the machine to itself
    assert t["quiet", "end"] <= min(t["timed", "start"], t["shared", "start"])
    # the shared phase ran beside the timed one, in a cgroup of its own at idle priority
    assert t["shared", "start"] < t["timed", "end"] < t["shared", "end"]
    assert own_cgroup(ev, "shared") and not own_cgroup(ev, "timed")
    assert ev["shared", "start"]["idle"] == "1"
    # ... and at ordinary priority once the timed phase had ended
    assert ev["shared", "end"]["idle"] == "0"
    # its output follows the timed phase's; its cgroup is gone
    assert res.stdout.index("timed output") < res.stdout.index("shared output")
    assert res.stdout.index("quiet output") < res.stdout.index("timed output")
    assert "left these running" not in res.stderr
    rel = ev["shared", "start"]["cgroup"]
    assert not any(Path(line.split()[1] + rel).exists()
                   for line in Path("/proc/mounts").read_text().splitlines()
                   if line.split()[2] in ("cgroup", "cgroup2"))


@pytest.mark.slow  # waits out its stand-in phases (about 5 s)
def test_without_overlap_the_phases_run_one_after_the_other(tmp_path):
    """TECHCHECK_TEST_OVERLAP=0, as where no cgroup can be made: quiet, timed, shared."""
    res, ev = run_phases(tmp_path, TECHCHECK_TEST_OVERLAP="0")
    assert res.returncode == 0, res.stderr
    t = {k: e["t"] for k, e in ev.items()}
    assert t["quiet", "end"] <= t["timed", "start"] < t["timed", "end"] <= t["shared", "start"]
    assert not own_cgroup(ev, "shared")
    assert res.stdout.index("quiet output") < res.stdout.index("timed output") \
        < res.stdout.index("shared output")


@pytest.mark.parametrize(("codes", "status"), [
    ({"RC_QUIET": "0", "RC_TIMED": "5", "RC_SHARED": "1"}, 1),  # the failing phase's status
    ({"RC_QUIET": "2", "RC_TIMED": "0", "RC_SHARED": "1"}, 2),  # the first failing one's
    ({"RC_QUIET": "5", "RC_TIMED": "5", "RC_SHARED": "5"}, 5),  # nothing collected anywhere
    ({"RC_QUIET": "5", "RC_TIMED": "0", "RC_SHARED": "5"}, 0),
])
def test_the_status_is_the_first_failing_phases(tmp_path, codes, status):
    res, ev = run_phases(tmp_path, PHASE_SCALE="0.05", **codes)
    assert res.returncode == status, res.stderr
    assert {p for p, _e in ev} == {"quiet", "timed", "shared"}  # every phase ran


@pytest.mark.skipif(getattr(os, "geteuid", lambda: -1)() != 0,
                    reason="making a cgroup needs root")
def test_what_the_shared_phase_left_running_is_named_and_stopped(tmp_path):
    pidfile = tmp_path / "left.pid"
    res, _ev = run_phases(tmp_path, PHASE_SCALE="0.05", LEAVE_BEHIND=str(pidfile))
    assert res.returncode == 0, res.stderr
    pid = int(pidfile.read_text())
    assert f"the tests left these running; stopping them: sleep ({pid})\n" in res.stderr, \
        res.stderr
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text() \
        .split(")")[1].split()[0]


@pytest.mark.parametrize("overlap", ["1", "0"])
def test_a_junit_report_holds_every_phase(tmp_path, overlap):
    """--junitxml=PATH (the GitHub workflow's): each phase writes its own report, and PATH
    ends up holding all three (the phases run at the same time and would replace each
    other's); the phases' own files are gone."""
    report = tmp_path / "tree" / "junit.xml"
    res, _ev = run_phases(tmp_path, f"--junitxml={report}", PHASE_SCALE="0.05",
                          TECHCHECK_TEST_OVERLAP=overlap)
    assert res.returncode == 0, res.stderr
    count = subprocess.run([sys.executable, str(ROOT / "scripts" / "test_counts.py"),
                            str(report), "all"], capture_output=True, text=True, timeout=60)
    # the stand-in phases report 5, 5 and 6 tests, one skipped each
    assert count.stdout.strip() == "all: 13 passed, 0 failed, 0 errors, 3 skipped of 16 collected"
    assert sorted(p.name for p in report.parent.glob("junit*")) == ["junit.xml"]
