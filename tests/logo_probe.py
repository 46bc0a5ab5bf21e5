"""Opens an invitation in the real app (offscreen) and measures what showing its brand cost:
``python -m tests.logo_probe INVITATION.toml``. Prints one JSON line: whether the brand is
shown, the logo's size in device pixels, the error the Start page shows, the processor time
and wall-clock time from opening to shown, and the process's peak resident memory while the
invitation was opened (``VmHWM`` reset through ``/proc/self/clear_refs`` just before, Linux
``proc(5)``) against its resident memory before. Run by tests/app/test_gui_brand.py in a process
of its own, so the peak is the app's and not the test runner's."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(field + ":"))


def main(argv: list[str]) -> int:
    invitation = Path(argv[0])
    home = Path(tempfile.mkdtemp(prefix="logo-probe-"))
    from tests import tour_kit

    tour_kit.private_user_dirs(home)
    from PySide6.QtWidgets import QApplication

    from techcheck.app import logsetup

    logsetup.setup(stderr=False)
    app = QApplication([sys.argv[0]])
    w = tour_kit.demo_window(home / "settings.ini", "en", "candidate")
    if not tour_kit.wait(app, lambda: w._loaded, 60):
        print("the window did not load", file=sys.stderr)
        return 1
    tour_kit.wait(app, lambda: False, 0.3)
    before_kb = _status_kb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset VmHWM to the current resident size
        reset = True
    except OSError:
        reset = False
    cpu0, wall0 = time.process_time(), time.monotonic()
    task = w.open_invitation(str(invitation))
    finished: list[bool] = []
    task.finished.connect(lambda *_a: finished.append(True))
    start = w.start
    tour_kit.wait(app, lambda: bool(finished) and (start.brand_banner.isVisible()
                                                   or start.invitation_error.isVisible()), 60)
    tour_kit.wait(app, lambda: False, 0.2)  # paint what was set
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    peak_kb = _status_kb("VmHWM")
    banner = start.brand_banner
    pixmap = banner.logo.pixmap() if banner.isVisible() and banner.logo.isVisible() else None
    summary = {
        "shown": banner.isVisible(), "name": banner.name.text() if banner.isVisible() else "",
        "logo": None if pixmap is None or pixmap.isNull() else [pixmap.width(), pixmap.height()],
        "ratio": banner.devicePixelRatioF(),
        "logo_widget": [banner.logo.width(), banner.logo.height()],
        "error": start.invitation_error.word.text() if start.invitation_error.isVisible() else "",
        "cpu_s": cpu, "wall_s": wall, "before_mb": before_kb / 1024,
        "peak_mb": peak_kb / 1024, "peak_reset": reset,
    }
    w.close()
    app.processEvents()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main(sys.argv[1:]))
