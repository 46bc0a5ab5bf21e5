"""Proves that every dependency of TechCheck (with the ``dev`` extra, which the Windows and macOS
test jobs install) has a wheel for Windows and both kinds of Mac, without a Windows or a Mac.

    python scripts/check_wheels.py [--platform TAG ...] [--timeout SECONDS]

For each platform tag, pip resolves the project as that platform would (``pip install --dry-run
--only-binary=:all: --platform TAG --python-version 3.11 --report``). Where the index offers a
wheel's metadata on its own (PEP 658) pip reads only that, so no wheel is downloaded whole.

pip evaluates environment markers for the machine it runs on, not for ``--platform``: from Linux
it would never look for ``colorama; sys_platform == "win32"``. So after each resolution this
script evaluates every resolved distribution's ``Requires-Dist`` markers for the target system
itself, and resolves again with the requirements the target needs and pip left out, until
nothing is missing.

Exit status 0: every platform resolved to wheels only; 1: a distribution has no wheel (named in
the message) or pip failed; 2: could not run (pip or the index unreachable within the time).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"

#: Marker variables of each target (PEP 508, "Environment Markers"), as Python on that system
#: reports them: sys.platform, platform.system(), os.name, platform.machine().
TARGETS: dict[str, dict[str, str]] = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                  "platform_machine": "AMD64"},
    "macosx_11_0_arm64": {"sys_platform": "darwin", "platform_system": "Darwin",
                          "os_name": "posix", "platform_machine": "arm64"},
    "macosx_14_0_arm64": {"sys_platform": "darwin", "platform_system": "Darwin",
                          "os_name": "posix", "platform_machine": "arm64"},
    "macosx_11_0_x86_64": {"sys_platform": "darwin", "platform_system": "Darwin",
                           "os_name": "posix", "platform_machine": "x86_64"},
    "macosx_10_13_x86_64": {"sys_platform": "darwin", "platform_system": "Darwin",
                            "os_name": "posix", "platform_machine": "x86_64"},
}

#: What is resolved where. The app's own requirements on every system a user may have (the
#: README promises Windows 10+ x64 and macOS 11+; 10.13 on Intel is the oldest Mac Python 3.11
#: wheels are still built for); the ``dev`` extra where the test job installs it: the
#: windows-2022 and macos-14 runners of .github/workflows/test.yml.
PLAN: dict[str, tuple[str, ...]] = {
    "win_amd64": ("dev",),
    "macosx_14_0_arm64": ("dev",),
    "macosx_11_0_arm64": (),
    "macosx_10_13_x86_64": (),
}

#: Packages known to have no wheel for a planned platform, with the reason. The check fails on
#: any other gap, and also when one of these gets a wheel (so the table cannot go stale).
KNOWN_GAPS: dict[str, dict[str, str]] = {
    "macosx_10_13_x86_64": {
        "pyside6-essentials": "Qt 6.6 and later need macOS 11 or newer (Qt documentation, "
                              "'Supported Platforms'); the last wheel for 10.13 is 6.5.2, below "
                              "our floor of 6.6",
        "opencv-python-headless": "opencv-python 4.10 and later publish macOS x86-64 wheels "
                                  "for macOS 12 or newer only",
        "pacparser": "pacparser 1.5 (the QuickJS engine) publishes macOS wheels for macOS 11 or "
                     "newer only (1.4.5 had a 10.9 one); on macOS the system's CFNetwork "
                     "evaluates PAC files first anyway",
    },
}

#: pip's own words when no distribution fits (pip's resolver: "No matching distribution found").
_NO_MATCH = re.compile(r"No matching distribution found for ([^\s;]+)")
MAX_PASSES = 4


@dataclass
class Outcome:
    platform: str
    ok: bool
    resolved: dict[str, str] = field(default_factory=dict)  # name -> version
    problem: str = ""
    seconds: float = 0.0
    passes: int = 0
    gaps: list[str] = field(default_factory=list)  # what has no wheel, e.g. "scipy (needed by X)"
    known: list[str] = field(default_factory=list)  # gaps listed in KNOWN_GAPS


def marker_environment(platform: str) -> dict[str, str]:
    return {"python_version": PYTHON_VERSION, "python_full_version": f"{PYTHON_VERSION}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            **TARGETS[platform]}


def needed_but_missing(items: list[dict], platform: str, resolved: set[str]) -> list[str]:
    """Requirements of ``items`` (entries of pip's report) that the target system needs (their
    markers hold there) but that are not in ``resolved`` (canonical names): pip judged their
    markers by this machine."""
    env = marker_environment(platform)
    missing: dict[str, str] = {}
    for item in items:
        extras = [*item.get("requested_extras", []), ""]
        for text in item["metadata"].get("requires_dist", []):
            try:
                req = Requirement(text)
            except InvalidRequirement:
                continue
            if req.marker is not None and not any(
                    req.marker.evaluate({**env, "extra": e}) for e in extras):
                continue
            name = canonicalize_name(req.name)
            if name not in resolved:
                req.marker = None
                missing[name] = str(req)
    return sorted(missing.values())


def pip_resolve(platform: str, requirements: list[str], timeout: float,
                pins: dict[str, str] | None = None) -> tuple[dict | None, str]:
    """(pip's installation report, "") or (None, pip's error output). ``pins`` (name ->
    version) constrain the resolution to versions already chosen."""
    with tempfile.TemporaryDirectory(prefix="techcheck-wheels-") as tmp:
        report = Path(tmp) / "report.json"
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in (pins or {}).items()),
                               encoding="utf-8")
        cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
               "--only-binary=:all:", "--platform", platform, "--python-version", PYTHON_VERSION,
               "--target", str(Path(tmp) / "target"), "--report", str(report), "--quiet",
               "--disable-pip-version-check", "--no-input", "-c", str(constraints), *requirements]
        try:
            res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"pip took more than {timeout:.0f} s (is the package index reachable?)"
        if res.returncode != 0:
            return None, res.stderr
        return json.loads(report.read_text(encoding="utf-8")), ""


def explain(platform: str, stderr: str) -> str:
    """One sentence naming what has no wheel, then pip's own error lines."""
    errors = "\n".join(line for line in stderr.splitlines() if line.startswith("ERROR"))
    names = _NO_MATCH.findall(stderr)
    if names:
        head = (f"{', '.join(dict.fromkeys(names))}: no wheel for {platform} (Python "
                f"{PYTHON_VERSION}); pin a version that has one, or replace the package")
    else:
        head = f"pip could not resolve the dependencies for {platform}"
    return f"{head}\n{errors or stderr.strip()[-2000:]}"


def project_requirements(extras: tuple[str, ...] = ()) -> list[str]:
    """TechCheck's own requirements (and those of ``extras``) from pyproject.toml: resolving
    them directly, not ``.``, spares building the project and lets a failing one be set aside
    so that one pass names every package without a wheel."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in extras:
        reqs += project["optional-dependencies"][extra]
    return reqs


def _culprit(stderr: str, requirements: list[str]) -> tuple[str, str] | None:
    """(the requirement to set aside, what has no wheel) from pip's error, or None."""
    m = re.search(r"No matching distribution found for (\S+)(?: \(from ([^)]+)\))?", stderr)
    if not m:
        return None
    missing, parent = m.group(1), (m.group(2) or "").split("==")[0].split("[")[0]
    by_name = {canonicalize_name(Requirement(r).name): r for r in requirements}
    for name in (parent, Requirement(missing).name):
        if name and canonicalize_name(name) in by_name:
            what = Requirement(missing).name
            return by_name[canonicalize_name(name)], (f"{what} (needed by {parent})"
                                                      if parent and parent != what else what)
    return None


def check(platform: str, requirements: list[str], timeout: float) -> Outcome:
    """Resolve ``requirements`` for ``platform``. A requirement that has no wheel (or needs a
    package that has none) is set aside and named, and the rest resolved again; then what the
    target's markers add is resolved on its own, pinned to the versions already chosen (a second
    full resolution would take as long as the first)."""
    start = time.monotonic()
    todo, gaps, passes = list(requirements), [], 0
    report = None
    while todo and report is None:
        passes += 1
        report, err = pip_resolve(platform, todo, timeout)
        if report is None:
            culprit = _culprit(err, todo)
            if culprit is None:
                return Outcome(platform, False, problem=explain(platform, err),
                               seconds=time.monotonic() - start, passes=passes)
            todo.remove(culprit[0])
            gaps.append(culprit[1])
    items = list(report["install"]) if report else []
    for _ in range(MAX_PASSES):
        resolved = {canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"]
                    for i in items}
        missing = needed_but_missing(items, platform, set(resolved))
        if not missing:
            break
        passes += 1
        more, err = pip_resolve(platform, missing, timeout, pins=resolved)
        if more is None:
            gaps.append(f"{', '.join(missing)} (needed on {platform} only)")
            return Outcome(platform, False, problem=_gap_text(platform, gaps) + "\n"
                           + explain(platform, err), seconds=time.monotonic() - start,
                           passes=passes, gaps=gaps)
        items += [i for i in more["install"]
                  if canonicalize_name(i["metadata"]["name"]) not in resolved]
    gaps += [f"{i['metadata']['name']} (only a source archive)" for i in items
             if not i["download_info"]["url"].endswith(".whl")]
    known = KNOWN_GAPS.get(platform, {})
    unexpected = [g for g in gaps if _gap_name(g) not in known]
    found = {_gap_name(g) for g in gaps}
    closed = [n for n in known if n not in found]
    problem = _gap_text(platform, unexpected)
    if closed:
        problem += (f"{' ' if problem else ''}{', '.join(closed)} now resolve(s) to wheels for "
                    f"{platform}: remove them from KNOWN_GAPS in scripts/check_wheels.py")
    return Outcome(platform, not problem, {i["metadata"]["name"]: i["metadata"]["version"]
                                           for i in items},
                   problem, time.monotonic() - start, passes, unexpected,
                   [g for g in gaps if _gap_name(g) in known])


def _gap_name(gap: str) -> str:
    return canonicalize_name(gap.split(" ", 1)[0])


def _gap_text(platform: str, gaps: list[str]) -> str:
    if not gaps:
        return ""
    return (f"no wheel for {platform} (Python {PYTHON_VERSION}): {'; '.join(gaps)}. Pin a "
            "version that has one, or replace the package")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", action="append", choices=sorted(TARGETS),
                        help="a platform tag (default: the plan in PLAN)")
    parser.add_argument("--extras", default=None,
                        help="comma-separated extras to resolve too (default: as PLAN says)")
    parser.add_argument("--timeout", type=float, default=240,
                        help="seconds each pip resolution may take (default 240)")
    parser.add_argument("--json", metavar="PATH", help="also write the outcome as JSON")
    args = parser.parse_args(argv)
    plan = dict(PLAN)
    if args.platform:
        plan = {p: plan.get(p, ()) for p in args.platform}
    if args.extras is not None:
        plan = {p: tuple(e for e in args.extras.split(",") if e) for p in plan}
    with ThreadPoolExecutor(len(plan)) as pool:
        outcomes = list(pool.map(
            lambda item: check(item[0], project_requirements(item[1]), args.timeout),
            plan.items()))
    for o in outcomes:
        extras = ",".join(plan[o.platform])
        what = f"{o.platform}{f' [{extras}]' if extras else ''}"
        if o.ok:
            known = (f"; known to have none: {', '.join(o.known)} (see KNOWN_GAPS)"
                     if o.known else "")
            print(f"{what}: {len(o.resolved)} distributions, all as wheels{known} "
                  f"({o.seconds:.0f} s, {o.passes} resolution{'s' if o.passes > 1 else ''})")
        else:
            print(f"{what}: FAILED: {o.problem}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps([o.__dict__ for o in outcomes], indent=2),
                                   encoding="utf-8")
    if any("more than" in o.problem for o in outcomes if not o.ok):
        return 2
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
