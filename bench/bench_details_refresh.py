"""The Details page showing a whole run's metrics (IT support opens it after every run): the
page as it is, its tables' columns sized once after the cells are set
(``details._filling``), against the baseline, sized again at every cell set (a header in
ResizeToContents mode while the table fills: what the page did before), in the same run.

    .venv/bin/python bench/bench_details_refresh.py [--rounds 5] [--repeat 20]

The results are five real checks' recorded results (tests/report_samples.py: camera,
microphone, speaker, network, system). Each round times ``--repeat`` refreshes per contender,
alternating, on Qt's offscreen platform; prints the median per refresh (wall and processor),
then a Markdown row.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@contextlib.contextmanager
def _baseline_filling(table, rows: int) -> Iterator[None]:
    """The baseline: the header stays in ResizeToContents mode while the cells are set."""
    table.setRowCount(rows)
    yield


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    a = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from techcheck.app.gui.pages import details
    from techcheck.app.gui.session import Session
    from tests import report_samples as S

    app = QApplication.instance() or QApplication([])
    session = Session.create()
    for r in (S.camera_result(), S.microphone_result(), S.speaker_error(), S.network_result(),
              S.loaded_system_result()):
        session.results[r.id] = r
    page = details.DetailsPage(session)
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    current = details._filling
    contenders = {"baseline: sized at every cell": _baseline_filling,
                  "sized once (the page)": current}
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in contenders}
    for _ in range(a.rounds):
        for name, filling in contenders.items():
            details._filling = filling
            page.refresh()  # warm: the same rows as the timed ones
            app.processEvents()
            w0, c0 = time.perf_counter(), time.process_time()
            for _ in range(a.repeat):
                page.refresh()
                app.processEvents()  # the columns are sized (lazily) before the next paint
            w1, c1 = time.perf_counter(), time.process_time()
            times[name].append(((w1 - w0) / a.repeat, (c1 - c0) / a.repeat))
    details._filling = current
    rows = page.metrics.rowCount()
    print(f"{rows} metric rows, {a.rounds} rounds of {a.repeat} refreshes")
    for name, t in times.items():
        print(f"{name:32s} wall {statistics.median(w for w, _ in t) * 1000:7.1f} ms  "
              f"cpu {statistics.median(c for _, c in t) * 1000:7.1f} ms per refresh")
    b, n = (statistics.median(w for w, _ in times[k]) * 1000 for k in contenders)
    print(f"\n| Details page, {rows} metrics | {b:.1f} ms | {n:.1f} ms | {b / n:.0f}x |")


if __name__ == "__main__":
    main()
