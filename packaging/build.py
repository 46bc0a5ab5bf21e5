"""Build the TechCheck bundles and print what they weigh.

    .venv/bin/python packaging/build.py                 # onefile and onedir into dist/
    .venv/bin/python packaging/build.py --mode onedir --dist /tmp/tc --selftest

Each layout gets its own dist folder (both would otherwise be called ``TechCheck``); they share
one work folder, so the second build reuses the first one's analysis (~20 s) and only packs.
The one-file archive is compressed at zlib level 6 rather than PyInstaller's 9: measured on the
Linux bundle, 14 s instead of 35 s to pack for 0.5 MB (0.4 %) more to download
(docs/benchmarks.md); ``PYINSTALLER_ZLIB_COMPRESSION_LEVEL`` in the environment overrides it.
``--selftest`` runs ``selftest`` of each fresh bundle offscreen and fails the build if it fails.
Exit status: 0 built (and self-tested), 1 a build or self-test failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bundle_plan  # noqa: E402

MODES = ("onefile", "onedir")
ZLIB_LEVEL = 6  # the one-file archive's deflate level (PyInstaller's CArchiveWriter reads it)


@dataclass
class Built:
    mode: str
    path: Path  # the file (onefile) or folder (onedir, .app on macOS) a user gets
    executable: Path  # what to run for the CLI (selftest)
    seconds: float
    size: int


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(mode: str, dist: Path, work: Path, clean: bool = False, quiet: bool = True) -> Built:
    dist.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "PyInstaller", str(HERE / "techcheck.spec"), "--noconfirm",
           "--distpath", str(dist), "--workpath", str(work), "--log-level",
           "WARN" if quiet else "INFO"]
    if clean:
        cmd.append("--clean")
    cmd += ["--", "--mode", mode]
    env = {"PYINSTALLER_ZLIB_COMPRESSION_LEVEL": str(ZLIB_LEVEL), **os.environ,
           "TECHCHECK_BUNDLE": mode}
    print(f"build.py: building {mode} into {dist} …", file=sys.stderr, flush=True)
    start = time.monotonic()
    res = subprocess.run(cmd, cwd=ROOT, env=env)
    seconds = time.monotonic() - start
    if res.returncode != 0:
        raise SystemExit(f"build.py: PyInstaller failed for {mode} (exit {res.returncode})")
    path, executable = bundle_plan.executable_for(mode, dist)
    if not executable.exists():
        raise SystemExit(f"build.py: {executable} is missing after the build")
    return Built(mode, path, executable, seconds, tree_size(path))


def selftest_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def run_selftest(built: Built, timeout: float = 300) -> int:
    print(f"build.py: self-test of {built.executable}", file=sys.stderr, flush=True)
    res = subprocess.run([str(built.executable), "selftest"], env=selftest_env(), timeout=timeout)
    return res.returncode


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the TechCheck bundles.")
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="output folder; each layout goes in a sub-folder (default: dist)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstaller's work folder (default: build)")
    parser.add_argument("--clean", action="store_true", help="discard PyInstaller's cache first")
    parser.add_argument("--selftest", action="store_true", help="run each bundle's self-test")
    parser.add_argument("--verbose", action="store_true", help="show PyInstaller's INFO log")
    args = parser.parse_args(argv)

    problem = bundle_plan.stale_metadata()
    if problem:
        print(f"build.py: {problem}", file=sys.stderr)
        return 1
    modes = MODES if args.mode == "both" else (args.mode,)
    if sys.platform == "darwin" and args.mode == "both":
        modes = ("onedir",)  # the .app is the macOS download either way (see the spec)
    results: list[Built] = []
    status = 0
    for i, mode in enumerate(modes):
        built = build(mode, args.dist / mode, args.work, args.clean and i == 0, not args.verbose)
        results.append(built)
        if args.selftest and run_selftest(built) != 0:
            print(f"build.py: the {mode} self-test FAILED", file=sys.stderr)
            status = 1

    print(f"\nTechCheck {bundle_plan.version()} on {sys.platform}")
    print(f"{'layout':<9} {'size':>12} {'build':>8}  path")
    for b in results:
        print(f"{b.mode:<9} {mib(b.size):>12} {b.seconds:>7.1f}s  {b.path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
