"""Makes tests/data/report_samples.json: check results from real runs, for the tests that
render, compare and load reports (tests/report_samples.py) and for the test that every measure
a check declares is reported by a real run (tests/unit/test_measures.py).

Every result is the real check run as ``techcheck run`` runs it: the camera on the demo clip,
the microphone on the demo recording, the speaker on the demo stand-in and on a private
PipeWire server (tests/audio_server.py), the network check against TechCheck's own
measurement server on 127.0.0.1 and, for the slow, distant and jittery connections, on an
emulated link between network namespaces (tests/netlab.py: needs root). Only the readings this
machine has no hardware for (a laptop battery, Wi-Fi, a nearly full memory) come from the
stand-in probe of tests/stubs.py; the processor load is real (busy processes of another
program). Run it again after a change to what a check reports:

    sudo .venv/bin/python tests/make_report_samples.py

(in a second checkout, a git worktree, put its ``.cache/devshim`` on ``PYTHONPATH``).

It prints what it made; tests/unit/test_measures.py then says whether a declared measure is missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from techcheck.app import demo
from techcheck.checks import registry
from techcheck.checks.context import CheckContext, Devices, Question
from techcheck.checks.model import CheckResult
from techcheck.checks.profile import Profile, load_profile
from techcheck.checks.runner import run_one

OUT = Path(__file__).resolve().parent / "data" / "report_samples.json"
PLUGINS = registry.discover()


def _plugin(check_id: str):
    return next(p for p in PLUGINS if p.id == check_id)


def _profile(path_or_name: str) -> Profile:
    return load_profile(path_or_name, registry.limit_schemas(PLUGINS))


def _lab_profile(folder: Path, *, base: str = "teams", extra: str = "") -> Path:
    """A profile over ``base`` that names no public server: nothing leaves 127.0.0.1 or the
    test namespaces."""
    titles = {"generic": ("Lab", "other"), "teams": ("Microsoft Teams", "teams")}
    title, platform = titles[base]
    p = folder / f"lab-{base}-{abs(hash(extra))}.toml"
    hermetic = "".join(line for line in ('stun_servers = []\n', 'endpoints = []\n',
                                         'captive_url = ""\n')
                       if line.split(" =")[0] not in extra)
    p.write_text(f'[profile]\nname = "lab"\ntitle = "{title}"\nplatform = "{platform}"\n'
                 f'extends = "{base}"\ndescription = "No public servers."\n\n[network]\n'
                 + hermetic + extra, encoding="utf-8")
    return p


def _run(check_id: str, profile: Profile, devices: Devices, *, duration: float | None = None,
         ask: Callable[[Question], object] | None = None, options: dict | None = None,
         check=None, timeout_s: float | None = None) -> CheckResult:
    plugin = _plugin(check_id)
    ctx = CheckContext(profile=profile, devices=devices, duration=duration,
                       options=options or {}, **({"ask": ask} if ask else {}))
    if check is not None:  # the check's own class, given the stand-in probe
        plugin = dataclasses.replace(plugin, cls=type(check.__class__.__name__,
                                                      (check.__class__,),
                                                      {"__init__": lambda self: None,
                                                       "probe": check.probe}))
    return run_one(plugin, ctx, timeout_s)


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _no_proxy_env() -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                "all_proxy"):
        os.environ.pop(var, None)


# --- the scenarios ---------------------------------------------------------------------------


def system_results() -> dict[str, CheckResult]:
    from techcheck.checks.system import SystemCheck
    from techcheck.checks.system.meetapp import Where
    from techcheck.checks.system.probe import Battery, Connection, cpu_sampler
    from tests.cpuload import busy_cpus
    from tests.fakepkg import install_fake_package
    from tests.stubs import FakeSystemProbe

    teams = _profile("teams")
    generic = _profile("generic")
    out = {}
    cpu_sampler().stop()
    with busy_cpus(per_cpu=2, seconds=20, name="videoencoder", detached=True):
        # Teams runs, so it is installed: a real package in a private dpkg database
        # (tests/fakepkg.py), read by the real dpkg-query.
        admin = install_fake_package(Path(tempfile.mkdtemp()), "teams-for-linux", "1.12.7")
        probe = FakeSystemProbe(free_mb=700.0, battery=Battery(35.0, False, 5400),
                                apps=["Microsoft Teams"],
                                connection=Connection("wifi", "wlan0", signal_dbm=-74.0),
                                where=Where(dpkg_admindir=admin, linux_sources=("dpkg",)))
        out["system_busy_laptop"] = _run("system", teams, Devices(), duration=3.0,
                                         check=SystemCheck(probe))
    cpu_sampler().stop()
    # An idle desktop on mains power: this build machine is shared, so its own load is not
    # idle; the idle figure is the one reading taken from the stand-in probe here.
    probe = FakeSystemProbe(load=12.0, free_mb=4000.0, total_mb=8192.0, battery=None,
                            disk_free_mb=50000.0, vpns=[], apps=[],
                            connection=Connection("wired", "eth0"))
    out["system_idle_desktop"] = _run("system", generic, Devices(), duration=1.0,
                                      check=SystemCheck(probe))
    return out


def media_results(folder: Path) -> dict[str, CheckResult]:
    """The demo media, and a person in front of a bright window (tests/camera_scenarios.py:
    real photos, written as video and read back through OpenCV)."""
    from tests.camera_scenarios import build

    teams = _profile("teams")
    backlit = build("backlit", folder)
    devices = Devices(camera=str(demo.camera_clip()), microphone=str(demo.voice_clip()),
                      speaker=demo.speaker_standin())
    return {
        "camera_demo": _run("camera", teams, devices, options={"snapshot": True}),
        "camera_backlit": _run("camera", teams, Devices(camera=str(backlit))),
        "microphone_demo": _run("microphone", teams, devices),
        "speaker_standin": _run("speaker", teams, devices),
        "speaker_missing": _run("speaker", teams, Devices(speaker="No such headset",
                                                          microphone="No such headset")),
        # A check that does not finish in time is cut off by the runner: "could not run".
        "speaker_timed_out": _run("speaker", teams, devices, timeout_s=1.0),
    }


def pipewire_results() -> dict[str, CheckResult]:
    """The speaker check as a person meets it: a real output on a private PipeWire server
    whose sound the default microphone hears (a loopback), and the question answered."""
    from tests.audio_server import PrivatePipeWire, pointed_at

    teams = _profile("teams")
    server = PrivatePipeWire().start()
    try:
        with pointed_at(server):
            heard = _run("speaker", teams, Devices(microphone="default", speaker="default"),
                         ask=lambda q: True)
    finally:
        server.stop()
    return {"speaker_heard": heard}


def local_network_results(folder: Path) -> dict[str, CheckResult]:
    """Against the local measurement server, by name (so the name lookup is timed); with a
    platform endpoint that does not answer as one; with UDP blocked; through the speedtest-cli stand-in;
    with a proxy set in the environment."""
    server = demo.start_server()
    port = server.url.rsplit(":", 1)[1]
    try:
        _no_proxy_env()
        by_name = server.url.replace("127.0.0.1", "localhost")
        plain = _profile(str(_lab_profile(folder)))
        out = {"network_local": _run("network", plain,
                                     Devices(server=by_name, stun=server.stun), duration=4.0)}
        # The platform's servers are checked over TLS: a plain-HTTP server is not one.
        lab = _profile(str(_lab_profile(folder, extra=f'endpoints = ["localhost:{port}"]\n')))
        out["network_platform_blocked"] = _run("network", lab,
                                               Devices(server=server.url, stun=server.stun),
                                               duration=2.0)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
            silent.bind(("127.0.0.1", 0))
            spec = f"127.0.0.1:{silent.getsockname()[1]}"
            out["network_udp_blocked"] = _run("network", plain,
                                              Devices(server=server.url, stun=spec),
                                              duration=3.0)
        out["network_speedtest"] = _run(
            "network", plain, Devices(server=f"speedtest+{server.url}/speedtest/upload.php",
                                      stun=server.stun), duration=4.0)
        with _env(HTTPS_PROXY="http://proxy.corp.example:3128"):
            out["network_proxy_set"] = _run("network", plain,
                                            Devices(server=server.url, stun=server.stun),
                                            duration=2.0)
        return out
    finally:
        server.stop()


def emulated_network_results(folder: Path) -> dict[str, CheckResult]:
    """Real runs over emulated links (tests/netlab.py): an uplink too slow for the target
    video tier, a distant fast connection, a near fast one and a jittery one."""
    from tests.netlab import Link, NetLab, available

    why = available()
    if why is not None:
        raise SystemExit(f"the emulated links need network namespaces: {why}")
    teams = _lab_profile(folder)
    jittery = _lab_profile(folder, base="generic",
                           extra="probe_interval_ms = 150.0\nidle_s = 15.0\n")
    # (link, profile, seconds): the slow uplink gets the app's own 25 s, as its first upload
    # requests take several seconds to be confirmed at 1 Mbit/s. A short queue at the
    # bottleneck keeps the delay under load small, so only what each run is about is found.
    runs = {
        "network_slow_upload": (Link(down_mbit=20, up_mbit=1.0, rtt_ms=24, queue_ms=30), teams,
                                25),
        "network_distant": (Link(down_mbit=40, up_mbit=13, rtt_ms=140, queue_ms=30), teams, 9),
        "network_fast": (Link(down_mbit=40, up_mbit=13, rtt_ms=30, queue_ms=30), teams, 9),
        "network_jittery": (Link(rtt_ms=200, jitter_ms=90), jittery, 9),
    }
    out = {}
    for name, (link, profile, seconds) in runs.items():
        with NetLab(link) as lab:
            r = lab.client([sys.executable, "tests/netcheck.py", "--server", lab.url,
                            "--duration", str(seconds), "--profile", str(profile)], timeout=120)
        if r.returncode != 0:
            raise SystemExit(f"{name}: {r.stderr[-2000:]}")
        out[name] = CheckResult.from_dict(json.loads(r.stdout)["result"])
        print(f"  {name}: {link.label()}", flush=True)
    return out


def screen_results() -> dict[str, CheckResult]:
    """The screen check on real X servers (Xvfb): a 3840×2160 screen at 100 % (text shared at
    1080p is too small) and a 1920×1080 one (nothing to say)."""
    from pyvirtualdisplay import Display

    generic = _profile("generic")
    out = {}
    for name, size in (("screen_4k", (3840, 2160)), ("screen_1080p", (1920, 1080))):
        d = Display(backend="xvfb", size=size, color_depth=24, manage_global_env=False)
        d.start()
        try:
            with _env(DISPLAY=f":{d.display}", XDG_SESSION_TYPE="x11", WAYLAND_DISPLAY=""):
                out[name] = _run("screen", generic, Devices())
        finally:
            d.stop()
    return out


#: The groups of runs, for recording only one of them again (``make_report_samples.py screen``).
def microphone_results() -> dict[str, CheckResult]:
    """The microphone on the demo recording alone (as in ``media_results``), for a change to
    what the microphone check reports."""
    devices = Devices(camera=str(demo.camera_clip()), microphone=str(demo.voice_clip()),
                      speaker=demo.speaker_standin())
    return {"microphone_demo": _run("microphone", _profile("teams"), devices)}


def _media_only() -> dict[str, CheckResult]:
    with tempfile.TemporaryDirectory() as tmp:
        return media_results(Path(tmp))


def _local_network_only() -> dict[str, CheckResult]:
    with tempfile.TemporaryDirectory() as tmp:
        return local_network_results(Path(tmp))


ONLY = {"screen": screen_results, "microphone": microphone_results, "media": _media_only,
        "network": _local_network_only}


def main(only: str | None = None) -> None:
    results: dict[str, CheckResult] = {}
    if only is not None:  # record one group again, keep the other recorded runs as they are
        data = json.loads(OUT.read_text(encoding="utf-8"))
        data["results"].update({name: r.to_dict("en") for name, r in ONLY[only]().items()})
        data["results"] = dict(sorted(data["results"].items()))
        tmp_out = OUT.with_suffix(".tmp")
        tmp_out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                           encoding="utf-8")
        tmp_out.replace(OUT)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o755)  # the namespaces' client reads the profile from here
        results.update(system_results())
        results.update(media_results(folder))
        results.update(pipewire_results())
        results.update(local_network_results(folder))
        results.update(emulated_network_results(folder))
        results.update(screen_results())
    data = {
        "made_by": "tests/make_report_samples.py",
        "results": {name: r.to_dict("en") for name, r in sorted(results.items())},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = OUT.with_suffix(".tmp")
    tmp_out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp_out.replace(OUT)
    for name, r in sorted(results.items()):
        print(f"{name}: {r.status.value}; " + ", ".join(
            f"{k}={m.value}" for k, m in r.metrics.items()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
