"""The suite's shape (tests/conftest.py): the quick tier runs first, and the tests that share
the private PipeWire server, the X server or a namespace lab stay on one xdist worker."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # collects the whole suite in a child process


def _collected(phase: str = "") -> list[tuple[str, bool, str]]:
    """(node id, marked slow, xdist group) of every test, in the order pytest would run them
    (in ``phase``'s share of the suite: TECHCHECK_TEST_PHASE)."""
    return [row[:3] for row in _collected_rows(phase)]


def _collected_rows(phase: str = "", paths: tuple[str, ...] = ()
                    ) -> list[tuple[str, bool, str, bool, bool, bool]]:
    """As ``_collected``, plus: runs solo (ahead of the shared phase), runs in the quiet phase,
    and its function makes processor load or reads it (calls ``busy_cpus`` or uses the load
    window of the system check's tests). ``paths``: collect only these files (the whole suite
    takes ~8 s of processor to collect)."""
    code = (
        "import inspect, sys, pytest\n"
        "from tests.conftest import is_quiet, is_solo\n"
        "class Report:\n"
        "    def pytest_collection_finish(self, session):\n"
        "        for it in session.items:\n"
        "            g = it.get_closest_marker('xdist_group')\n"
        "            src = inspect.getsource(it.function) if hasattr(it, 'function') else ''\n"
        "            loads = 'busy_cpus(' in src or 'burst_window' in getattr(it, 'fixturenames', ())\n"
        "            print('ITEM', it.nodeid, int(it.get_closest_marker('slow') is not None),\n"
        "                  g.args[0] if g else '-', int(is_solo(it)), int(is_quiet(it)),\n"
        "                  int(loads), sep='\\t')\n"
        "sys.exit(pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider',\n"
        f"                      *{list(paths)!r}], plugins=[Report()]))\n")
    env = {**os.environ, "TECHCHECK_TEST_PHASE": phase}
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env=env)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    rows = [ln.split("\t")[1:] for ln in res.stdout.splitlines() if ln.startswith("ITEM\t")]
    return [(nodeid, slow == "1", group, solo == "1", quiet == "1", loads == "1")
            for nodeid, slow, group, solo, quiet, loads in rows]


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, bool, str, bool, bool, bool]]:
    return _collected_rows()


@pytest.fixture(scope="module")
def collected(rows) -> list[tuple[str, bool, str]]:
    return [row[:3] for row in rows]


def test_tests_that_load_or_time_the_processor_run_solo(rows):
    """A test that starts processor hogs or reads the processor's load runs in the quiet phase,
    with nothing beside it: beside other tests its hogs would slow their timed parts, and their
    work would be in its reading. The namespace labs, whose shaped links are timed, run ahead
    of the shared phase too (quiet, or timed with the shared phase at idle priority)."""
    loads = [n for n, _s, _g, _solo, quiet, load in rows if load and not quiet]
    assert loads == []
    assert sum(1 for *_r, load in rows if load) >= 6
    assert all(solo for n, _s, _g, solo, _q, _l in rows if "test_network_links.py" in n)


def test_the_phases_split_the_suite(rows):
    """scripts/test-phases.sh runs TECHCHECK_TEST_PHASE=quiet, then timed beside shared: each
    test in one of them, and the solo phase (both of the first, for a run without overlap) in
    their order."""
    quiet = [n for n, _s, _g, solo, q, _l in rows if solo and q]
    timed = [n for n, _s, _g, solo, q, _l in rows if solo and not q]
    assert len(quiet) >= 6 and len(timed) >= 6
    assert len(quiet + timed) < len(rows) / 20  # the phases ahead of the workers stay short
    # Each phase picks its tests one by one, so the files that hold solo tests, and one that
    # holds none, show it as the whole suite would (at a fifth of the collecting).
    files = {n.split("::")[0] for n in quiet + timed}
    files.add(next(n.split("::")[0] for n, *_ in rows if n.split("::")[0] not in files))
    paths = tuple(sorted(files))
    assert [n for n, *_ in _collected_rows("quiet", paths)] == quiet
    assert [n for n, *_ in _collected_rows("timed", paths)] == timed
    assert [n for n, *_ in _collected_rows("solo", paths)] == quiet + timed


def test_the_quick_tier_comes_first(collected):
    slow = [s for _n, s, _g in collected]
    assert len(collected) > 500 and 0 < sum(slow) < len(slow)
    first_slow = slow.index(True)
    assert all(slow[first_slow:]), "a quick test is ordered after a slow one"


def test_tests_sharing_a_server_run_on_one_worker(collected):
    """Every test of the PipeWire server, the X server or a namespace lab has its resource's
    group, so one worker starts that server once per tier."""
    audio = [g for n, _s, g in collected if "test_audio_devices.py" in n]
    assert audio and {g.split(":")[0] for g in audio} == {"pipewire"}
    links = [g for n, _s, g in collected if "test_network_links.py" in n]
    assert links and {g.split(":")[0] for g in links} == {"netns"}
    xvfb = [g for n, _s, g in collected if "test_gui_xvfb.py" in n]
    assert xvfb and {g.split(":")[0] for g in xvfb} == {"desktop"}
    # A group never mixes the tiers: the slow half of a server's tests waits for its turn.
    for _n, slow, group in collected:
        if group != "-":
            assert group.endswith(":slow" if slow else ":quick"), (group, slow)


GROUPED_MODULE = '''
import os
from pathlib import Path

import pytest

@pytest.fixture(scope="module")
def made_once():
    return os.getpid()

@pytest.mark.parametrize("i", range(8))
def test_shares(made_once, i):
    out = Path(os.environ["WHERE"])
    (out / f"{i}").write_text(os.environ.get("PYTEST_XDIST_WORKER", "-") + " " + str(made_once))
'''


def test_tests_of_one_group_really_run_on_one_worker(tmp_path):
    """The groups above are only marks: xdist honours them only if its loadgroup scheduler sees
    them (pytest 9.2 with pytest-xdist 3.8 did not, and each worker built every shared fixture).
    Eight tests sharing a module fixture, run on two workers as scripts/setup.sh runs the suite,
    must all land on one worker and see one fixture."""
    (tmp_path / "conftest.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.conftest import pytest_collection_modifyitems  # noqa: F401,E402\n")
    (tmp_path / "test_grouped.py").write_text(GROUPED_MODULE)
    where = tmp_path / "where"
    where.mkdir()
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
         "--dist", "loadgroup", "--no-loadscope-reorder", "--rootdir", str(tmp_path),
         "-c", "/dev/null", str(tmp_path / "test_grouped.py")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "WHERE": str(where)})
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    seen = {p.read_text() for p in where.iterdir()}
    assert len(list(where.iterdir())) == 8 and len(seen) == 1, seen


CRASHING_MODULE = '''
import os
import time

import pytest

@pytest.mark.parametrize("i", range(20))
def test_free(i):
    time.sleep(0.2)
    if i == 3 and os.environ.get("PYTEST_XDIST_WORKER"):
        os.abort()  # a worker dies, as a crash in Qt or a native library kills one

@pytest.mark.xdist_group("server-one")
@pytest.mark.parametrize("i", range(10))
def test_grouped(i):
    time.sleep(0.3)

@pytest.mark.xdist_group("server-two")
@pytest.mark.parametrize("i", range(10))
def test_grouped_too(i):
    time.sleep(0.3)
'''


def test_a_crashed_worker_ends_the_run_with_its_test_named(tmp_path):
    """pytest-xdist 3.8's loadgroup scheduler gives a crashed and replaced worker's remaining
    tests to no worker, and the run waits forever (seen in this suite: CI would have sat out its
    90 minutes). scripts/setup.sh's own command line (both phases, as CI runs it) must end such
    a run promptly, failed, naming the test that crashed."""
    import signal

    (tmp_path / "test_crash.py").write_text(CRASHING_MODULE)
    proc = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "setup.sh"), "test", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path / "test_crash.py")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
        # the phases one after the other: beside the suite's busy workers, a shared phase at
        # idle priority would wait for the processor (tests/unit/test_test_phases.py runs the
        # overlap)
        env={**os.environ, "TECHCHECK_TEST_WORKERS": "4", "TECHCHECK_TEST_OVERLAP": "0"})
    try:
        out, _ = proc.communicate(timeout=100)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the hung run's workers too
        out, _ = proc.communicate()
        pytest.fail("the run was still waiting 100 s after its worker crashed:\n" + out[-3000:])
    finally:  # what the crashed worker never stopped (its X server) goes with its session
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    assert proc.returncode not in (0, 5), out[-3000:]
    assert "crashed while running 'test_crash.py::test_free[3]'" in out, out[-3000:]
