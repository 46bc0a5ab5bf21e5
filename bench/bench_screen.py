"""How the screen check judges common screens: ``techcheck run --only screen`` on a real X
server (Xvfb) of each size, with the desktop's scale set as X11 desktops set it (``Xft.dpi``
through ``xrdb``). Prints a Markdown table for docs/benchmarks.md: the screen, its scale, the
height 13 px text arrives at when shared at 1920×1080, the status, the status the limits call
for by arithmetic (13 × scale × min(1, 1920/w, 1080/h) against 12 px and 10 px), and whether
they agree (precision and recall of ``screen.text_too_small``).

    .venv/bin/python bench/bench_screen.py

(in a second checkout put its ``.cache/devshim`` on ``PYTHONPATH``). Each run takes ~1 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyvirtualdisplay import Display

#: (width, height, scale): laptops, desktops and 4K screens at the scales people use.
SCREENS = ((1366, 768, 1.0), (1920, 1080, 1.0), (1920, 1200, 1.25), (2560, 1440, 1.0),
           (2560, 1440, 1.25), (2560, 1600, 2.0), (2880, 1800, 2.0), (3440, 1440, 1.0),
           (3840, 2160, 1.0), (3840, 2160, 1.5), (3840, 2160, 1.75), (3840, 2160, 2.0))


def expected(w: int, h: int, scale: float) -> str:
    px = 13 * scale * min(1.0, 1920 / w, 1080 / h)
    return "warn" if px < 10 else "tip" if px < 12 else "pass"


def run(w: int, h: int, scale: float) -> tuple[float, str, float]:
    d = Display(backend="xvfb", size=(w, h), color_depth=24, extra_args=["-noreset"],
                manage_global_env=False)
    d.start()
    try:
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "GDK_SCALE", "QT_SCALE_FACTOR")}
        env["DISPLAY"] = f":{d.display}"
        subprocess.run(["xrdb", "-merge"], input=f"Xft.dpi: {round(96 * scale)}\n".encode(),
                       env=env, check=True, timeout=10)
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "report.json"
            start = time.monotonic()
            subprocess.run([sys.executable, "-m", "techcheck.app.cli", "run", "--only", "screen",
                            "--json", str(report)], env=env, capture_output=True, timeout=60)
            took = time.monotonic() - start
            doc = json.loads(report.read_text(encoding="utf-8"))
    finally:
        d.stop()
    check = next(c for c in doc["checks"] if c["id"] == "screen")
    tip = [f for f in check["findings"] if f["code"] == "screen.text_too_small"]
    status = tip[0]["status"] if tip else "pass"
    return check["metrics"]["shared_text_height"]["value"], status, took


def main() -> None:
    print("| screen | scale | 13 px text arrives | status | limits call for | right | run |")
    print("|---|---|---|---|---|---|---|")
    right = 0
    for w, h, scale in SCREENS:
        px, status, took = run(w, h, scale)
        want = expected(w, h, scale)
        right += status == want
        print(f"| {w}×{h} | {scale * 100:.0f} % | {px:.2f} px | {status} | {want} | "
              f"{'yes' if status == want else 'NO'} | {took:.1f} s |", flush=True)
    print(f"\n{right}/{len(SCREENS)} as the limits call for")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
