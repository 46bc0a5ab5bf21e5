"""Screenshots of every page of the app for docs/screenshots/: English in light mode, Swedish
in dark mode, and English at 1.5× scale, each a real window on an X server (Xvfb, started here
when there is no display), driven by tests/gui_tour.py in demo mode with real clicks.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]     # default: docs/screenshots
    .venv/bin/python scripts/screenshots.py /tmp/shots --only en   # one run, to try it

Take them on a quiet machine: the checks measure this computer (the Computer step judges its
load), so a busy one shows warnings the app would not show on a person's laptop. About five
minutes on two idle cores. Only the PNGs are kept; the tour's settings and history go to a
temporary folder. The pictures are of the checkout this script is in (a git worktree too).
A run's earlier pictures that its tour no longer takes (a page or a question that went away)
are deleted, so docs/screenshots/ never shows a state the app no longer has.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: "As they will see and hear you" (tests/callpreview_tour.py): English and Swedish.
CALL_PREVIEW_RUNS = (("call-preview-en", ["--lang", "en"]), ("call-preview-sv", ["--lang", "sv"]))

RUNS = (
    ("en", [], {}, "1280x900"),
    ("sv-dark", ["--lang", "sv", "--dark"], {}, "1280x900"),
    ("en-1.5x", [], {"QT_SCALE_FACTOR": "1.5"}, "1920x1200"),
)


def xvfb(screen: str) -> tuple[subprocess.Popen, str]:
    for n in range(90, 120):
        if not Path(f"/tmp/.X11-unix/X{n}").exists():
            proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{screen}x24", "-nolisten",
                                     "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                if Path(f"/tmp/.X11-unix/X{n}").exists():
                    return proc, f":{n}"
                time.sleep(0.05)
            proc.kill()
    raise SystemExit("could not start Xvfb (apt-get install xvfb)")


def tour(module: str, prefix: str, extra: list[str], env_extra: dict, screen: str,
         out: Path) -> dict | None:
    """Run ``module`` (a tour under tests/) on a fresh Xvfb; copy its PNGs to ``out``;
    its JSON summary, or None (with its error output printed) when it failed."""
    server, display = xvfb(screen)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display, **env_extra}
            proc = subprocess.run([sys.executable, "-m", module, tmp, "--prefix", prefix,
                                   *extra], cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=300)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return None
            taken = sorted(p for p in Path(tmp).glob(f"{prefix}-*.png") if ours(prefix, p))
            for old in out.glob(f"{prefix}-*.png"):
                if ours(prefix, old) and old.name not in {p.name for p in taken}:
                    print(f"deleted {old.name}: the tour no longer takes it")
                    old.unlink()
            for png in taken:
                shutil.copy(png, out / png.name)
            return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        server.kill()
        server.wait()


def ours(prefix: str, png: Path) -> bool:
    """Whether ``png`` is a page picture of the run ``prefix``: "en-2-camera.png" is the run
    "en"'s, "en-1.5x-2-camera.png" is not (it is "en-1.5x"'s)."""
    return re.fullmatch(rf"{re.escape(prefix)}-(\d+-)?[a-z][a-z0-9-]*\.png", png.name) is not None


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    names = [r[0] for r in RUNS] + [r[0] for r in CALL_PREVIEW_RUNS]
    ap.add_argument("--only", action="append", choices=names,
                    help="take only this run's pictures (repeatable)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from tests.checkout import use_this_checkout

    use_this_checkout(ROOT)  # the tours (subprocesses) import this checkout's code
    wanted = set(args.only or names)
    for prefix, extra, env_extra, screen in RUNS:
        if prefix not in wanted:
            continue
        summary = tour("tests.gui_tour", prefix, extra, env_extra, screen, out)
        if summary is None:
            return 1
        print(f"{prefix}: {len(summary['pages'])} pages, verdict "
              f"{summary.get('verdict')!r}, dpr {summary['dpr']}")
    return call_preview_shots(out, wanted)


def call_preview_shots(out: Path, wanted: set[str]) -> int:
    """The call preview on the Connection page (measured, then "what if") and on Results."""
    for prefix, extra in CALL_PREVIEW_RUNS:
        if prefix not in wanted:
            continue
        summary = tour("tests.callpreview_tour", prefix, extra, {}, "1280x900", out)
        if summary is None:
            return 1
        print(f"{prefix}: {len(summary['pages'])} pictures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
