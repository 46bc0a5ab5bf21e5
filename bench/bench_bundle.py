"""Benchmark: size of the packaged app and time from launch to the main window on screen, for
the onefile and onedir bundles, against the source install measured in the same run.

    .venv/bin/python bench/bench_bundle.py                 # uses dist/, builds what is missing
    .venv/bin/python bench/bench_bundle.py --build --runs 5 --json bench/results/bundle.json

"Shown" is the moment Qt exposes the painted main window (the GUI's own startup probe,
``TECHCHECK_STARTUP_PROBE``), timed from just before the process is spawned, so the onefile
unpack, the bootloader and every import are included. The window runs on a real X server
(Xvfb) when one is installed, else on Qt's offscreen platform.

cold = the first launch after dropping the page cache (root on Linux; otherwise the first
launch of the run, which the table says). A onefile bundle unpacks itself into a fresh
temporary folder at every launch, so each of its runs includes a full unpack.
warm = the median of the following launches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import bundle_plan  # noqa: E402

GOAL_ONEFILE_MB = 140.0
GOAL_START_S = 2.0


@dataclass
class Variant:
    name: str
    command: list[str]
    size: int | None
    cold_s: float | None = None
    warm_s: list[float] = field(default_factory=list)
    cold_kind: str = ""

    @property
    def warm_median(self) -> float | None:
        return statistics.median(self.warm_s) if self.warm_s else None


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def drop_caches() -> bool:
    """Empty the page cache so the next launch reads every file from disk (root only)."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


class Display:
    """An Xvfb server this benchmark starts and stops, or Qt's offscreen platform."""

    def __init__(self, use_x: bool) -> None:
        self.proc: subprocess.Popen | None = None
        self.env = {"QT_QPA_PLATFORM": "offscreen"}
        self.kind = "offscreen"
        if use_x and shutil.which("Xvfb"):
            for num in range(91, 120):
                if Path(f"/tmp/.X11-unix/X{num}").exists() or Path(f"/tmp/.X{num}-lock").exists():
                    continue
                proc = subprocess.Popen(["Xvfb", f":{num}", "-screen", "0", "1280x900x24",
                                         "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
                for _ in range(50):
                    if Path(f"/tmp/.X11-unix/X{num}").exists():
                        break
                    time.sleep(0.1)
                if proc.poll() is None and Path(f"/tmp/.X11-unix/X{num}").exists():
                    self.proc = proc
                    self.env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{num}"}
                    self.kind = "Xvfb"
                    break
                proc.kill()
                proc.wait()

    def close(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def launch_to_window(command: list[str], env: dict[str, str], timeout: float = 60) -> float:
    """Seconds from spawning ``command`` to its main window being exposed."""
    with tempfile.TemporaryDirectory(prefix="tc-bench-") as tmp:
        probe = Path(tmp) / "shown"
        home = Path(tmp) / "home"
        home.mkdir()
        full_env = {**os.environ, **env, "TECHCHECK_STARTUP_PROBE": str(probe), "HOME": str(home),
                    "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                    "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
                    "TMPDIR": tmp}
        start = time.time()
        proc = subprocess.Popen(command, env=full_env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise RuntimeError(f"{command[0]}: no window within {timeout:.0f} s") from None
        if not probe.exists():
            raise RuntimeError(f"{command[0]} exited {proc.returncode} without showing the "
                               f"window: {err.strip()[-500:]}")
        shown = float(probe.read_text(encoding="ascii").split()[0])
        return shown - start


def measure(v: Variant, display: Display, runs: int, cold: bool) -> None:
    dropped = cold and drop_caches()
    v.cold_kind = "after drop_caches" if dropped else "first launch"
    v.cold_s = launch_to_window(v.command, display.env)
    v.warm_s = [launch_to_window(v.command, display.env) for _ in range(runs)]


def ensure_built(dist: Path, build: bool) -> dict[str, Path]:
    found = {}
    for mode in ("onefile", "onedir"):
        deliverable, _cli = bundle_plan.executable_for(mode, dist / mode)
        if build or not deliverable.exists():
            subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--mode", mode,
                            "--dist", str(dist), "--work", str(ROOT / "build")], check=True)
        found[mode] = deliverable
    return found


def gui_executable(mode: str, deliverable: Path) -> Path:
    if sys.platform == "darwin":
        return deliverable / "Contents" / "MacOS" / bundle_plan.APP_NAME
    exe = ".exe" if sys.platform == "win32" else ""
    return deliverable if mode == "onefile" else deliverable / f"{bundle_plan.APP_NAME}{exe}"


def mb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1e6:.1f} MB"


def secs(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--build", action="store_true", help="rebuild both bundles first")
    parser.add_argument("--runs", type=int, default=5, help="warm launches per variant")
    parser.add_argument("--no-cold", action="store_true", help="do not drop the page cache")
    parser.add_argument("--offscreen", action="store_true", help="do not use Xvfb")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)

    bundles = ensure_built(args.dist, args.build)
    site = Path(__import__("PySide6").__file__).parent.parent
    variants = [
        Variant("source install", [sys.executable, "-m", "techcheck.app.cli"], None),
        Variant("onedir", [str(gui_executable("onedir", bundles["onedir"]))],
                tree_size(bundles["onedir"])),
        Variant("onefile", [str(gui_executable("onefile", bundles["onefile"]))],
                tree_size(bundles["onefile"])),
    ]
    display = Display(not args.offscreen)
    try:
        for v in variants:
            print(f"bench_bundle: {v.name} …", file=sys.stderr, flush=True)
            measure(v, display, args.runs, not args.no_cold)
    finally:
        display.close()

    print(f"\nTechCheck {bundle_plan.version()} — launch to main window on {display.kind}, "
          f"{args.runs} warm runs (median); cold: {variants[0].cold_kind}")
    print(f"{'variant':<16} {'size':>10} {'cold':>9} {'warm':>9} {'warm min':>9}")
    for v in variants:
        print(f"{v.name:<16} {mb(v.size):>10} {secs(v.cold_s):>9} {secs(v.warm_median):>9} "
              f"{secs(min(v.warm_s) if v.warm_s else None):>9}")
    onefile = variants[2]
    size_ok = onefile.size is not None and onefile.size / 1e6 <= GOAL_ONEFILE_MB
    start_ok = onefile.warm_median is not None and onefile.warm_median <= GOAL_START_S
    print(f"\ngoal onefile ≤ {GOAL_ONEFILE_MB:.0f} MB: {'met' if size_ok else 'MISSED'}; "
          f"start ≤ {GOAL_START_S:.0f} s (warm): {'met' if start_ok else 'MISSED'}")
    print(f"(site-packages of the source install: {site})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "display": display.kind, "runs": args.runs,
            "variants": [{**asdict(v), "warm_median": v.warm_median} for v in variants],
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
