"""Shared fixtures. Every test gets its own user directories (logs, settings, history), so no
test reads or writes the real user's files, and Qt runs offscreen unless a test asks for X."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checkout import use_this_checkout

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Several workers per core already keep every core busy, so a library's own thread pool only
    # adds switching: OpenCV's (read at its import: OPENCV_FOR_THREADS_NUM, OpenCV's
    # core/src/parallel.cpp) spent 52 s of processor on the camera corpus against 39 s with one
    # thread. Set before anything imports cv2 or numpy; test subprocesses inherit it.
    for _var in ("OPENCV_FOR_THREADS_NUM", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
use_this_checkout(ROOT)  # before anything imports techcheck (the plug-ins below do)
LINUX = sys.platform.startswith("linux")

#: Markers of tests that need what only Linux has here; on Windows and macOS (the test job of
#: .github/workflows/test.yml) they are skipped with this reason instead of failing.
LINUX_FACILITIES = {
    "netns": "network namespaces (Linux, root)",
    "audio": "the private PipeWire server (Linux)",
    "xvfb": "an X server (Xvfb, Linux)",
}


def is_root() -> bool:
    """Root on Linux/macOS; never on Windows, which has no ``os.geteuid``."""
    return getattr(os, "geteuid", lambda: -1)() == 0


#: Tests that share one expensive thing run on one xdist worker (``--dist loadgroup``, as
#: scripts/setup.sh runs the suite): the private PipeWire server (a session fixture, so one
#: server per worker that runs such a test), the X server and accessibility bus, and the
#: network-namespace labs, whose shaped links measure time and must not overlap each other.
RESOURCE_GROUPS = (
    ("pipewire", lambda item: item.get_closest_marker("audio") is not None
     or "pipewire_server" in item.fixturenames),
    ("desktop", lambda item: (item.get_closest_marker("xvfb") is not None
                              and item.get_closest_marker("own_display") is None)
     or "atspi_desktop" in item.fixturenames),
    ("netns", lambda item: item.get_closest_marker("netns") is not None),
)


#: Tests that run ahead of the others, in one process (scripts/setup.sh, before the xdist
#: workers). Two kinds:
#:
#: - ``quiet`` (``@pytest.mark.solo``): they read the processor's load (the load sampler) or
#:   make load (``tests.cpuload.busy_cpus``): nothing else may run beside them, or its work
#:   would be in their reading, or their hogs would starve it.
#: - ``timed`` (``@pytest.mark.timed`` and the network-namespace labs, unless also ``solo``):
#:   they time a shaped link or play sound in real time, so they must never wait for the
#:   processor. They may run while the shared phase is held at the lowest priority there is
#:   (a cgroup with ``cpu.idle`` set: it gets only the time nothing else wants, and gives it
#:   up at once when a timed test wakes; Linux's SCHED_IDLE,
#:   https://docs.kernel.org/scheduler/sched-design-CFS.html), as scripts/setup.sh runs them.
#:
#: ``TECHCHECK_TEST_PHASE``: ``quiet``, ``timed``, ``solo`` (both, in that order), ``shared``
#: (everything else, on more workers than cores: most of it waits on real time). Without the
#: variable, as under a plain ``pytest``, every test runs.
def is_quiet(item: pytest.Item) -> bool:
    return item.get_closest_marker("solo") is not None


def is_timed(item: pytest.Item) -> bool:
    return not is_quiet(item) and (item.get_closest_marker("timed") is not None
                                   or item.get_closest_marker("netns") is not None)


def is_solo(item: pytest.Item) -> bool:
    """Runs ahead of the shared phase (either kind)."""
    return is_quiet(item) or is_timed(item)


PHASES = {"solo": is_solo, "quiet": is_quiet, "timed": is_timed,
          "shared": lambda item: not is_solo(item)}
PHASE = os.environ.get("TECHCHECK_TEST_PHASE", "")
if PHASE and PHASE not in PHASES:
    raise pytest.UsageError(f"TECHCHECK_TEST_PHASE={PHASE!r}: use one of {', '.join(PHASES)} "
                            "or leave it unset")
#: The files that hold solo tests: the phases ahead collect only these (collecting the whole
#: suite takes ~10 s of processor). tests/unit/test_suite_shape.py checks that the solo phase
#: collects every solo test of the whole suite, so a solo test in another file is caught.
SOLO_FILES = frozenset({"tests/services/test_network_links.py", "tests/services/test_system_check.py",
                        "tests/app/test_gui_measures.py", "tests/unit/test_measures.py",
                        "tests/services/test_audio_devices.py", "tests/services/test_audio_band.py",
                        "tests/unit/test_test_phases.py", "tests/services/test_corpus.py"})


def pytest_configure(config: pytest.Config) -> None:
    if PHASE == "shared":
        # Its sound servers' real-time threads yield to the timed phase's (tests/audio_server.py).
        from tests import audio_server

        audio_server.RT_PRIO = 80
    # The phase is this run's, not that of the pytest runs some tests start (the suite's shape,
    # its collection without POSIX modules): those collect the whole suite. Kept where xdist
    # workers are still to be started (they read it), dropped where tests run.
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        os.environ.pop("TECHCHECK_TEST_PHASE", None)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if PHASE in ("solo", "quiet", "timed") and collection_path.suffix == ".py" \
            and collection_path.name.startswith("test_"):
        rel = collection_path.resolve().relative_to(ROOT).as_posix() \
            if collection_path.resolve().is_relative_to(ROOT) else ""
        return rel not in SOLO_FILES or None
    return None


def _module_fixtures(item: pytest.Item) -> tuple[str, list[str]]:
    """(file, the module- or class-scoped fixtures of that file ``item`` uses)."""
    info = getattr(item, "_fixtureinfo", None)
    file = item.nodeid.split("::", 1)[0]
    return file, sorted(name for name, defs in (info.name2fixturedefs.items() if info else ())
                        if any(d.scope in ("module", "class") and d.baseid.split("::")[0] == file
                               for d in defs))


def _groups(items: list[pytest.Item]) -> dict[str, str | None]:
    """The xdist group of each test: a shared resource's, else that of the module- or
    class-scoped fixtures of its own file it uses — made once per worker, so the tests sharing
    one must not be split over two workers, or it is made twice. Fixtures used together join
    one group (a test of two of them ties both), so each is made once; tests of one file that
    share none may run apart. None: the test goes to whichever worker is free."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    uses: dict[str, list[str]] = {}
    out: dict[str, str | None] = {}
    for item in items:
        resource = next((name for name, needs in RESOURCE_GROUPS if needs(item)), None)
        out[item.nodeid] = resource
        if resource is None:
            file, names = _module_fixtures(item)
            uses[item.nodeid] = [f"{file}:{n}" for n in names]
            for a, b in zip(uses[item.nodeid], uses[item.nodeid][1:], strict=False):
                parent[root(b)] = root(a)
    for nodeid, keys in uses.items():
        out[nodeid] = root(keys[0]) if keys else None
    return out


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects by the markers added here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not LINUX:
        for item in items:
            for marker, what in LINUX_FACILITIES.items():
                if item.get_closest_marker(marker):
                    item.add_marker(pytest.mark.skip(reason=f"needs {what}"))
                    break
    # The quick tier first (every test not marked slow), then the slow one with the grouped
    # tests (the long work units) at its head, so the two workers finish together.
    if PHASE:
        keep = [item for item in items if PHASES[PHASE](item)]
        if len(keep) < len(items):
            kept = set(keep)
            config.hook.pytest_deselected(items=[i for i in items if i not in kept])
            items[:] = keep
    groups = _groups(items)
    order = {item.nodeid: i for i, item in enumerate(items)}
    # A module fixture is made by the first test that uses it: when one of its tests is slow,
    # all are, or the quick tier would make it (a bundle build, the corpus) for a quick one.
    resources = {name for name, _needs in RESOURCE_GROUPS}
    slow_groups = {groups[item.nodeid] for item in items
                   if item.get_closest_marker("slow") and groups[item.nodeid] not in resources}
    for item in items:
        if groups[item.nodeid] in slow_groups - {None} and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)

    def rank(item: pytest.Item) -> tuple[int, int, int, int]:
        slow = item.get_closest_marker("slow") is not None
        # in the solo phase, the quiet tests ahead of the timed ones, as scripts/setup.sh runs
        # them when it runs them apart
        return (int(PHASE == "solo" and is_timed(item)), int(slow),
                int(slow and groups[item.nodeid] is None), order[item.nodeid])

    items.sort(key=rank)
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if (group := groups[item.nodeid]) is not None:
                tier = "slow" if item.get_closest_marker("slow") else "quick"
                item.add_marker(pytest.mark.xdist_group(f"{group}:{tier}"))


#: A test over this many seconds (setup and call, on this machine's clock) that is not marked
#: slow is named at the end of the run: it would slow down the quick tier (-m "not slow").
SLOW_S = float(os.environ.get("TECHCHECK_SLOW_S", "2.0"))
_unmarked_slow: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when in ("setup", "call") and "slow" not in report.keywords:
        _unmarked_slow[report.nodeid] = _unmarked_slow.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    over = sorted(((s, n) for n, s in _unmarked_slow.items() if s > SLOW_S), reverse=True)
    if not over:
        return
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    terminalreporter.section(f"tests over {SLOW_S:g} s not marked slow")
    terminalreporter.write_line(f"(load average {load:.1f} on {os.cpu_count()} cores: under load "
                                "every figure is inflated; mark a test @pytest.mark.slow only "
                                "if it is slow on an idle machine)")
    for seconds, nodeid in over:
        terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")


ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots and rendered reports to look at

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.gui_fixtures",  # GUI fixtures (issue 6)
    "tests.audio_server",  # private PipeWire server, virtual microphone (issue 4)
    "tests.atspi_session",  # private accessibility bus and a screen-reader driver (issue 11)
]


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    yield home


@pytest.fixture(autouse=True)
def fresh_cpu_sampler():
    """Each test starts with no processor sampling: the process's one sampler
    (``probe.cpu_sampler``) keeps the last minute of ticks for a check that asks, so one left
    running by a test would hand the next test's check a window measured before it began (seen:
    a window of the last test's burst, read the moment another test's hogs started). The app
    is one process, which starts sampling when its window opens."""
    yield
    probe = sys.modules.get("techcheck.checks.system.probe")
    if probe is not None and probe._sampler is not None:
        probe._sampler.stop()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``techcheck`` as a user would: a separate process, through the console entry point's
    module, with the test's isolated user directories."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "techcheck.app.cli", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT,
        input=input if input is not None else "",
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def mount_tmpfs(tmp_path: Path):
    """Mount a small real tmpfs (root only): ``mount_tmpfs(size_kb, read_only=False) -> Path``.
    The kernel's own ENOSPC and EROFS, not a mock, are what the code under test meets."""
    mounted: list[Path] = []

    def mount(size_kb: int = 64, read_only: bool = False) -> Path:
        if not LINUX:
            pytest.skip("needs a Linux tmpfs mount")
        where = tmp_path / f"tmpfs{len(mounted)}"
        where.mkdir()
        opts = f"size={size_kb}k" + (",ro" if read_only else "")
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "techcheck-test", str(where)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {res.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)
