"""Drives the real app through every page in demo mode and saves a screenshot of each, grabbed
from the screen (so under Xvfb it is what a person would see). Run by tests/app/test_gui_xvfb.py
in its own process, because the Qt platform (xcb) is chosen once per process:

    python -m tests.gui_tour OUTDIR [--lang sv] [--dark] [--prefix NAME] [--quick]

Before the tour a previous run (a busy laptop on battery with a slow upload, recorded by
tests/report_samples.py) is kept in the history, so the Results page shows "Since your previous
run"; at the end a recruiter's invitation is opened, then a hostile one (refused inline).
User directories are the caller's XDG ones (the tests' isolated ones), else under OUTDIR.

Waits end as soon as what they wait for happened, or the work behind them ended: a check that
stops early never costs the full timeout. Prints a JSON summary (what each page showed, and
the seconds each step took) on its last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path


def seed_history() -> None:
    """Keep an earlier run, from yesterday, for the Results page to compare with."""
    from techcheck.app.report import history
    from tests import report_samples

    previous = report_samples.report(with_error=False)
    previous.created = (datetime.now().astimezone() - timedelta(days=1)).isoformat(
        timespec="seconds")
    previous.profile = {"name": "generic", "title": "Any video call", "platform": "other"}
    history.save(previous)


def write_invitations(out: Path) -> tuple[Path, Path]:
    """A recruiter's invitation for the day after tomorrow, and a hostile one."""
    from techcheck.app import invitation

    when = (datetime.now().astimezone() + timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    good = invitation.create(profile="teams", when=when, contact="Anna Berg, +46 8 123 45 67",
                             company="Example AB", position="Backend developer",
                             server="https://speed.example.com/", note="Welcome! Call me if anything "
                             "does not work.")
    good_path = out / "invite.toml"
    good_path.write_text(good.to_toml(), encoding="utf-8")
    bad_path = out / "hostile.toml"
    bad_path.write_text('format = "techcheck.invitation/1"\nprofile = "../../etc/passwd"\n'
                        'when = 2026-12-01T10:00:00+01:00\ncontact = "x"\n', encoding="utf-8")
    return good_path, bad_path


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--prefix", default="gui")
    ap.add_argument("--quick", action="store_true", help="do not run the long network check")
    args = ap.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    from tests import tour_kit

    tour_kit.private_user_dirs(out / f"{args.prefix}-xdg")
    seed_history()

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from techcheck.app import logsetup
    from techcheck.app.gui import tasks

    logsetup.setup(stderr=False)
    app = QApplication([sys.argv[0]])
    if args.dark:
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
    from techcheck.app.gui import theme

    theme.apply(app, dark=True if args.dark else None)
    # a newcomer's settings: the demo is offered, on this computer without camera or microphone
    w = tour_kit.demo_window(out / f"{args.prefix}.ini", args.lang, "it", (1100, 780), "auto")
    summary: dict = {"platform": QGuiApplication.platformName(),
                     "dpr": w.devicePixelRatioF(), "pages": {}}

    def wait(cond, timeout: float) -> bool:
        return tour_kit.wait(app, cond, timeout)

    t_last = [time.monotonic()]
    summary["seconds"] = {}

    def shot(name: str) -> None:
        for _ in range(10):
            app.processEvents()
            time.sleep(0.02)
        now = time.monotonic()
        summary["seconds"][name] = round(now - t_last[0], 2)
        t_last[0] = now
        path = out / f"{args.prefix}-{name}.png"
        pm = tour_kit.grab(w, path)
        summary["pages"][name] = {"file": str(path), "width": pm.width(), "height": pm.height()}

    click = tour_kit.click  # a real mouse click, as everywhere a person acts in this tour

    wait(lambda: w._loaded, 60)
    shot("1-start")  # with no camera or microphone: said first, with the fix and the demo offer
    summary["missing"] = list(w.missing_devices())
    # the one-click check: Start, which says what is missing; then the offered demo, the
    # question answered inline, and on to Results
    click(w.start.start_button)
    summary["started_without_devices"] = w.run_all.active
    if not w.run_all.active:
        click(w.start.demo_offer_button)
    wait(lambda: w.current_key() != "camera" or w.pages["camera"].video.frames_shown >= 3, 30)
    shot("0-one-click-camera")
    one_click_asked: list[str] = []

    def one_click_done() -> bool:
        panel = w.pages["speaker"].panel
        if panel.question.isVisible():
            if not one_click_asked:
                shot("0-one-click-question")
            one_click_asked.append(panel.question_text.text())
            click(panel.yes_button if panel.yes_button.isVisible() else panel.no_button)
        return not w.run_all.active
    wait(one_click_done, 120)
    summary["one_click"] = {"asked": one_click_asked, "ended_on": w.current_key(),
                            "verdict": w.pages["results"].verdict.word.text()}
    shot("0-one-click-results")
    w.go("camera")
    cam = w.pages["camera"]
    wait(lambda: cam.video.frames_shown >= 15, 30)
    summary["camera_frames"] = cam.video.frames_shown
    shot("2-camera")
    w.go("microphone")
    mic = w.pages["microphone"]
    wait(lambda: mic.meter.updates >= 20 and mic.meter.rms > -50, 20)
    summary["meter_updates"] = mic.meter.updates
    shot("3-microphone")
    w.go("speaker")
    spk = w.pages["speaker"]
    if spk.panel.plugins():
        click(spk.panel.run_button)
        asked: list[str] = []

        def answered() -> bool:
            """Answer the check's questions as a person would ("Ready", "Yes, I heard it"):
            left unanswered, the check waits for the person until its timeout."""
            ask = spk.panel._ask
            if ask is not None:
                if not asked:
                    shot("4-speakers-question")  # the inline question, when there is sound
                asked.append(ask.question.text)
                click(spk.panel.yes_button if spk.panel.yes_button.isVisible()
                      else spk.panel.no_button)
            return not spk.panel.running

        wait(answered, 60)
        summary["speaker_questions"] = asked
    shot("4-speakers")
    w.go("network")
    net = w.pages["network"]
    if net.panel.plugins() and not args.quick:
        click(net.panel.run_button)
        wait(lambda: net.samples >= 6 or not net.panel.running, 60)
        shot("5-network-running")
        wait(lambda: not net.panel.running, 90)
    summary["network_samples"] = net.samples
    shot("5-network")
    w.go("system")
    wait(lambda: not w.pages["system"].panel.running and "system" in w.session.results, 60)
    shot("6-system")
    w.go("results")
    res = w.pages["results"]
    wait(lambda: w.keeper.task is None and not w.keeper.unsaved, 15)
    summary["compared"] = res.compare_box.isVisible()
    summary["kept"] = w.session.saved_run is not None
    shot("7-results")
    w.go("details")
    shot("8-details")
    det = w.pages["details"]
    det.tabs.setCurrentIndex(det.tabs.indexOf(det.history.parentWidget()))
    wait(lambda: det.lister is None and det.history.rowCount() >= 1, 10)
    summary["kept_runs"] = det.history.rowCount()
    shot("8-details-history")
    w.set_role("recruiter")
    w.go("checklist")
    w.pages["checklist"].boxes["invitation_sent"].setChecked(True)
    shot("9-checklist")
    summary["verdict"] = w.pages["results"].verdict.word.text()
    good, bad = write_invitations(out)
    w.go("start")
    for path in (good, bad):
        task = w.open_invitation(str(path))
        wait(lambda task=task: not task.running, 10)
    summary["invitation"] = w.start.invitation_box.title()
    summary["invitation_error"] = w.start.invitation_error.word.text()
    shot("10-invitation")
    w.close()
    summary["left_running"] = [t.name for t in tasks.running_tasks()]
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
