"""Results: one clear verdict, every check with its findings and fixes, re-run a single check,
check everything again, export the report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from techcheck.app import demo
from techcheck.app.atomicfile import describe_write_error
from techcheck.app.gui import settings as S
from techcheck.app.gui.filedialog import FileType, ask_save, remember_folder
from techcheck.app.gui.i18n import ct, say
from techcheck.app.gui.pages.base import Page
from techcheck.app.gui.pages.checklist import session_items
from techcheck.app.gui.session import Session
from techcheck.app.gui.tasks import Task, TaskError, run_task
from techcheck.app.gui.widgets.findings import ResultCard, nothing_to_fix, translate
from techcheck.app.gui.widgets.previewslot import PreviewSlot
from techcheck.app.gui.widgets.previewslot import has_inputs as preview_inputs_known
from techcheck.app.gui.widgets.status import (
    VerdictBanner,
    status_pixmap,
    status_word,
    verdict_status,
    verdict_word,
)
from techcheck.app.report.checklist import Item
from techcheck.app.report.compare import Comparison, compare
from techcheck.app.report.view import PAST_READY_WORD, past_interview, when
from techcheck.checks.model import CheckResult, Status, Verdict, verdict_for

log = logging.getLogger("techcheck.gui")

# Each format's file name suffixes, the first added to a name typed without one.
FORMAT_SUFFIX = {"pdf": (".pdf",), "html": (".html", ".htm"), "json": (".json",),
                 "text": (".txt",)}


class AfterPaint(QObject):
    """Calls ``then`` from the event loop once ``widget`` has painted after ``arm`` (or after
    ``BACKSTOP_MS`` when it does not paint: a window that is covered or minimised)."""

    BACKSTOP_MS = 300

    def __init__(self, widget: QWidget, then: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.widget, self.then = widget, then
        self.backstop = QTimer(self)
        self.backstop.setObjectName("after-paint-backstop")
        self.backstop.setSingleShot(True)
        self.backstop.setInterval(self.BACKSTOP_MS)
        self.backstop.timeout.connect(self._fire)
        self._later = QTimer(self)
        self._later.setObjectName("after-paint")
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.then)

    def arm(self) -> None:
        self.widget.installEventFilter(self)
        self.backstop.start()

    def armed(self) -> bool:
        return self.backstop.isActive() or self._later.isActive()

    def disarm(self) -> None:
        self.widget.removeEventFilter(self)
        self.backstop.stop()
        self._later.stop()

    def _fire(self) -> None:
        self.widget.removeEventFilter(self)
        self.backstop.stop()
        self._later.start()  # after the paint has been handled

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.widget and event.type() == QEvent.Type.Paint:
            self._fire()
        return False


def _tab_stops_in(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab stops at, in their present focus-chain order."""
    stops: list[QWidget] = []
    w = root.nextInFocusChain()
    seen = 0
    while w is not None and w is not root and seen < 10_000:
        seen += 1
        if root.isAncestorOf(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            stops.append(w)
        w = w.nextInFocusChain()
    return stops


class ResultsPage(Page):
    key = "results"
    rerun_requested = Signal(str)  # check id
    run_all_requested = Signal()

    def __init__(self, session: Session, settings: S.Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.settings = settings  # where the last report was saved (settings.SAVE_FOLDER)
        self._shown: tuple[Status | None, str] = (None, "")
        self.intro.setVisible(False)  # the verdict says it all; an empty label reads as noise
        self.banner = VerdictBanner(self.body)
        self.verdict = self.banner.badge
        self.summary = self.banner.detail
        self.layout_.addWidget(self.banner)
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.run_all_button = QPushButton(bar)
        self.run_all_button.clicked.connect(self.run_all_requested)
        self.export_button = QPushButton(bar)
        self.export_menu = QMenu(self.export_button)
        self.export_button.setMenu(self.export_menu)
        self.export_note = QLabel(bar)
        self.export_note.setWordWrap(True)
        self.export_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.export_button)
        row.addWidget(self.run_all_button)
        row.addWidget(self.export_note, 1)
        self.add_action_widget(bar)
        self.history_note = QLabel(self.body)
        self.history_note.setWordWrap(True)
        self.history_note.setVisible(False)
        self.layout_.addWidget(self.history_note)
        # "Since your previous run": what got better or worse, in `techcheck compare`'s words
        self.compare_box = QGroupBox(self.body)
        self.compare_box.setObjectName("since-previous-run")
        box = QVBoxLayout(self.compare_box)
        self.compare_when = QLabel(self.compare_box)
        self.compare_when.setWordWrap(True)
        box.addWidget(self.compare_when)
        self.compare_groups: dict[str, QLabel] = {}
        for kind in ("worse", "better", "other"):
            lab = QLabel(self.compare_box)
            lab.setWordWrap(True)
            lab.setTextFormat(Qt.TextFormat.PlainText)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(lab)
            self.compare_groups[kind] = lab
        self.compare_box.setVisible(False)
        self.comparison: Comparison | None = None
        # "Checking Computer again…", then when and what it found (a re-run may take less
        # than a second: without this nothing shows that it happened)
        self.recheck_note = QLabel(self.body)
        self.recheck_note.setObjectName("recheck-note")
        self.recheck_note.setWordWrap(True)
        self.recheck_note.setVisible(False)
        self.layout_.addWidget(self.recheck_note)
        self._rechecking: str | None = None
        self._recheck_done: str | None = None
        self.cards_box = QVBoxLayout()
        self.layout_.addLayout(self.cards_box)
        # the checks with nothing to fix, in one line: what to fix and the interviewer's view
        # stay above the fold (issue 23)
        self.passed_row = QFrame(self.body)
        self.passed_row.setObjectName("passed-checks")
        self.passed_row.setFrameShape(QFrame.Shape.StyledPanel)
        self.passed_lines = QVBoxLayout(self.passed_row)
        self.passed_lines.setSpacing(2)
        self.passed_row.setVisible(False)
        #: a passed check's "Check again", by check id (in its one-line row)
        self.passed_buttons: dict[str, QPushButton] = {}
        self.layout_.addWidget(self.passed_row)
        # the recruiter's preparation checklist, as the report shows it (issue 23)
        self.checklist_box = QGroupBox(self.body)
        self.checklist_box.setObjectName("checklist-card")
        lay = QVBoxLayout(self.checklist_box)
        self.checklist_rows = QLabel(self.checklist_box)
        self.checklist_rows.setWordWrap(True)
        self.checklist_rows.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.checklist_rows)
        self.checklist_box.setVisible(False)
        self.layout_.addWidget(self.checklist_box)
        self.layout_.addWidget(self.compare_box)  # below what to fix: that comes first
        # "As they will see and hear you", once camera and connection are checked
        # (built when there is something to show: it loads the call model)
        self.preview_slot = PreviewSlot(self.body, settings)
        self.layout_.addWidget(self.preview_slot)
        self._active = False
        self._after_paint = AfterPaint(self.body, self._follow_preview, self)
        self.layout_.addStretch(1)
        self.cards: dict[str, ResultCard] = {}
        self.exporter: Task | None = None
        self.retranslate()

    def status(self) -> Status | None:
        return self._shown[0]

    def step_status(self) -> tuple[Status | None, str | None]:
        return self._shown

    def _judge(self) -> tuple[Status | None, str]:
        """The verdict as this page shows it, also for the step list (so both always agree):
        never a verdict's colour while checks have not run, unless one already failed."""
        results = self.session.ordered_results()
        if not results:
            return None, self.tr("Nothing checked yet")
        v = verdict_for(results, demo=self.session.demo, undone=self._undone())
        missing = [p for p in self.session.plugins if p.id not in self.session.results]
        if missing and v.value != "not_ready":
            return None, self.tr("Not finished yet")
        if v is Verdict.READY and self._past_note() is not None:
            return verdict_status(v), ct(PAST_READY_WORD)  # not "Ready for the interview"
        return verdict_status(v), verdict_word(v)

    def _past_note(self) -> str | None:
        """That the invitation's interview time has passed and what to do, in the words of
        the Start page and every report (``view.past_interview``); None when it has not, and
        in a demo (which says nothing about any interview)."""
        inv = self.session.invitation
        if inv is None or self.session.demo:
            return None
        return past_interview(inv.when, datetime.now().astimezone(), inv.contact,
                              self.session.lang)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Your results"))
        self.export_button.setText(self.tr("E&xport the report"))
        self.export_button.setAccessibleName(self.tr("Export the report"))
        self.export_menu.setAccessibleName(self.tr("Export the report"))  # else the window's
        self.export_menu.clear()
        from techcheck.app.report.formats import WRITERS

        names = {"pdf": self.tr("PDF document…"), "html": self.tr("Web page (HTML)…"),
                 "json": self.tr("Data for IT support (JSON)…"), "text": self.tr("Plain text…")}
        for fmt in ("pdf", "html", "text", "json"):
            if fmt in WRITERS:
                act = QAction(names[fmt], self.export_menu)
                act.triggered.connect(lambda _c=False, fmt=fmt: self.ask_export(fmt))
                self.export_menu.addAction(act)
        self.refresh()

    def entered(self, checking: bool = False) -> None:
        """The verdict and the cards first, from the top of the page (not where the page was
        left); the call preview (the call model's imports, the camera) after they are
        painted, so that it never holds back the first look at the results."""
        self._active = True
        self._after_paint.arm()
        self.refresh()
        for bar in (self.scroll_area.verticalScrollBar(), self.scroll_area.horizontalScrollBar()):
            bar.setValue(0)

    def _follow_preview(self) -> None:
        """The preview follows the results (built the first time there is something to
        show while the page is on screen)."""
        if self.preview_slot.view is None and not (self._active and
                                                   preview_inputs_known(self.session)):
            return  # nothing to show, or not on screen: it is built when the page is entered
        shown = self.preview_slot.isVisible()
        self.preview_slot.follow(self.session, self._active)
        if self.preview_slot.isVisible() != shown:
            # the scroll area sizes the content from its height for the page's width, taken
            # before the preview was there: have it measured again, or the page cannot scroll
            # to the preview and squeezes it
            self.body.updateGeometry()
            self.scroll_area.setWidgetResizable(True)
        self.order_tabs()

    def refresh(self) -> None:
        results = self.session.ordered_results()
        missing = [p for p in self.session.plugins if p.id not in self.session.results]
        status, word = self._shown = self._judge()
        self.verdict.set_status(status, word)
        self.banner.update()
        if not results:
            text = self.tr("Check everything at once, or go through the steps on the left.")
        else:
            undone = self._undone()
            v = verdict_for(results, demo=self.session.demo, undone=undone)
            problems = sum(1 for r in results if r.status is not Status.PASS)
            if v is Verdict.DEMO:  # sample media were judged, not the person's devices
                problems = 0
                text = ct(demo.sentence(demo.connection_of(self.session.invitation))) \
                    if status is not None else self.tr(
                        "The demo runs the camera, microphone and speaker checks on sample "
                        "media: it says nothing about your own devices.")
            elif status is None:  # not finished: what ran is fine so far, nothing more
                text = {
                    "ready": self.tr("Everything checked so far works."),
                    "ready_with_warnings": self.tr(
                        "What was checked so far will work, but fix what is listed below."),
                }[v.value]
            else:
                text = {
                    "ready": self.tr("Everything needed for the interview works."),
                    "ready_with_warnings": self.tr(
                        "It will work, but fix what is listed below for a better interview."),
                    "not_ready": self.tr("Fix what is listed below before the interview."),
                }[v.value]
            if missing:
                text += " " + self.tr("%n check(s) have not run yet.", "", len(missing))
            elif problems:
                text += " " + self.tr("%n check(s) need attention.", "", problems)
            if undone and v is not Verdict.DEMO:
                text += " " + self.tr("%n preparation item(s) not ticked yet.", "", undone)
            past = self._past_note() if v is not Verdict.DEMO else None
            if past is not None:  # first: the verdict is about this computer, not that time
                text = f"{past} {text}"
        self.summary.setText(text)
        if results:
            self.run_all_button.setText(self.tr("Check &everything again"))
            self.run_all_button.setAccessibleName(self.tr("Check everything again"))
        else:
            self.run_all_button.setText(self.tr("Check &everything"))
            self.run_all_button.setAccessibleName(self.tr("Check everything"))
        # one primary action: check when nothing has run, then send the report
        self.set_primary(self.export_button if results else self.run_all_button)
        self.export_button.setEnabled(bool(results))
        for card in self.cards.values():
            self.cards_box.removeWidget(card)
            card.hide()  # at once: deleteLater leaves it on screen until the loop runs
            card.deleteLater()
        self.cards.clear()
        if not results:  # a new run: no word of an earlier re-run
            self._rechecking = None
            self.recheck_note.setVisible(False)
        passed = [r for r in results if nothing_to_fix(r)]
        for r in results:  # in the order of the steps, as the side list shows them
            if r in passed:
                continue
            card = ResultCard(r, self.body)
            card.rerun.connect(self.rerun_requested)
            self.cards_box.addWidget(card)
            self.cards[r.id] = card
        self._show_passed(passed)
        self.passed_row.setVisible(bool(passed))
        self._show_recheck()
        self.show_checklist()
        self.show_comparison()
        if not self._after_paint.armed():  # else it follows once the page has painted
            self._follow_preview()
        self.order_tabs()
        self.status_changed.emit()

    def order_tabs(self) -> None:
        """Tab from the page goes through what to fix first (the cards, in the order shown),
        then "Export the report", "Check everything again", and the call preview last: the
        order of importance, not the order in which the widgets were made."""
        # Qt orders only widgets that take focus: the page takes it from a click (never from
        # Tab), so the chain can start right after it, where entering the page puts the focus
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        chain: list[QWidget] = [self]
        for card in self.cards.values():
            chain += _tab_stops_in(card)
        chain += list(self.passed_buttons.values())
        chain += [self.export_button, self.run_all_button]
        chain += _tab_stops_in(self.preview_slot)
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _checklist_items(self) -> list[Item]:
        """The recruiter's checklist as the report carries it; none for other roles."""
        return session_items(self.session) if self.session.role == "recruiter" else []

    def _undone(self) -> int:
        return sum(1 for i in self._checklist_items() if not i.done)

    def show_checklist(self) -> None:
        """The checklist card: each item ticked or not, in the report's words."""
        items = self._checklist_items()
        self.checklist_box.setVisible(bool(items))
        if not items:
            return
        title = ct("Interviewer's preparation")
        self.checklist_box.setTitle(title)
        self.checklist_box.setAccessibleName(title)
        self.checklist_rows.setText("\n".join(
            f"{'✓' if i.done else '✗'} {ct(i.label)}: {ct('Done' if i.done else 'Not done')}"
            for i in items))

    def show_comparison(self) -> None:
        """What changed since the newest run kept before this one; nothing without one."""
        s = self.session
        problem = s.history_problem
        say(self.history_note, (lambda: self.tr(
            "This run could not be kept on this computer for a later comparison: {error}").format(
                error=problem)) if problem else None)
        self.history_note.setVisible(bool(problem))
        if s.previous_run is None or s.saved_run is None or not s.results:
            self.comparison = None
            self.compare_box.setVisible(False)
            return
        c = self.comparison = compare(s.previous_run, s.saved_run, s.lang)
        self.compare_box.setTitle(self.tr("Since your previous run"))
        self.compare_box.setAccessibleName(self.tr("Since your previous run"))
        self.compare_when.setText(ct("Compared with the run of {when}:", {
            "when": when(c.old_created, s.lang)}) + (
                "" if c.changes else " " + ct("Nothing that matters has changed.")))
        for kind, items, title, mark in (("worse", c.worse, "Worse", "✗"),
                                         ("better", c.better, "Better", "✓"),
                                         ("other", c.other, "Other changes", "•")):
            lab = self.compare_groups[kind]
            lab.setText("\n".join([ct(title) + ":"] + [f"{mark} {ch.text}" for ch in items]))
            lab.setVisible(bool(items))
        self.compare_box.setVisible(True)

    def _show_passed(self, passed: list[CheckResult]) -> None:
        """One line per check with nothing to fix: its icon, name and "Check again"."""
        while self.passed_lines.count():
            item = self.passed_lines.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.hide()
                w.deleteLater()
        self.passed_buttons.clear()
        for r in passed:
            line = QWidget(self.passed_row)
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            icon = QLabel(line)
            icon.setPixmap(status_pixmap(Status.PASS, 16, line))
            icon.setAccessibleName(status_word(Status.PASS))
            row.addWidget(icon)
            row.addWidget(QLabel(self.tr("{check}: nothing to fix").format(check=ct(r.title)),
                                 line), 1)
            again = QPushButton(translate("ResultCard", "Check again"), line)
            again.setAccessibleName(translate("ResultCard", "Check {title} again").format(
                title=ct(r.title)))
            again.clicked.connect(lambda _c=False, cid=r.id: self.rerun_requested.emit(cid))
            row.addWidget(again)
            self.passed_lines.addWidget(line)
            self.passed_buttons[r.id] = again
        self.passed_row.setAccessibleName(self.tr("Nothing to fix: {checks}").format(
            checks=", ".join(ct(r.title) for r in passed)))

    def _show_recheck(self) -> None:
        """The re-run in progress, or when the last one ended and what it found."""
        cid = self._rechecking
        if cid is None:
            return
        r = self.session.results.get(cid)
        plugin = next((p for p in self.session.plugins if p.id == cid), None)
        title = ct(r.title if r is not None else plugin.cls.title if plugin and plugin.cls
                   else cid)
        if self._recheck_done is None:
            text = self.tr("Checking {check} again…").format(check=title)
        elif r is None:
            text = self.tr("{check} could not be checked again.").format(check=title)
        else:
            text = self.tr("{check} checked again at {time}: {status}").format(
                check=title, time=self._recheck_done, status=status_word(r.status))
        self.recheck_note.setText(text)
        self.recheck_note.setVisible(True)

    def set_running(self, check_id: str | None) -> None:
        if check_id is not None:
            self._rechecking, self._recheck_done = check_id, None
            self._show_recheck()
        elif self._rechecking is not None:
            self._recheck_done = QTime.currentTime().toString("HH:mm:ss")
        buttons = {cid: c.rerun_button for cid, c in self.cards.items()
                   if c.rerun_button is not None} | self.passed_buttons
        for cid, button in buttons.items():
            button.setEnabled(check_id is None)
            if cid == check_id:
                button.setText(self.tr("Checking…"))
        self.run_all_button.setEnabled(check_id is None)

    def file_types(self) -> list[FileType]:
        """The formats the report can be written in, as the save dialog lists them."""
        from techcheck.app.report.formats import WRITERS

        labels = {"pdf": self.tr("PDF document"), "html": self.tr("Web page"),
                  "text": self.tr("Plain text"), "json": self.tr("Data for IT support")}
        return [FileType(fmt, labels[fmt], FORMAT_SUFFIX[fmt])
                for fmt in ("pdf", "html", "text", "json") if fmt in WRITERS]

    def ask_export(self, fmt: str) -> None:
        """The save dialog with ``fmt`` (the menu's choice) selected; the person may pick
        another format there. Opens in the folder of the last export."""
        stem = self.tr("TechCheck-report-{date}").format(date=date.today().isoformat())
        chosen = ask_save(self, self.tr("Export the report"), stem, self.file_types(), fmt,
                          self.settings)
        if chosen is not None:
            self.export_to(*chosen)

    def export_to(self, path: str, fmt: str) -> Task:
        from techcheck.app.gui.reporting import make_report
        from techcheck.app.report.formats import WRITERS

        report = make_report(self.session)
        lang = self.session.lang
        writer = WRITERS[fmt]
        say(self.export_note, lambda: self.tr("Writing {path}…").format(path=path))

        def work(_ctx):
            return writer(report, path, lang)

        def failed(err: TaskError) -> None:
            exc = err.exception
            msg = describe_write_error(path, exc, lang) if isinstance(exc, OSError) else err.message
            say(self.export_note, lambda: self.tr("The report could not be saved: {error}").format(
                error=msg))

        def done() -> None:
            self.exporter = None

        def saved(written: object) -> None:  # the Path the writer returns
            remember_folder(self.settings, str(written))
            say(self.export_note, lambda: self.tr("Saved: {path}").format(path=written))

        self.exporter = run_task(work, name=f"export-{fmt}", on_error=failed, on_finished=done,
                                 on_result=saved)
        return self.exporter

    def left(self) -> None:
        self._active = False
        self._after_paint.disarm()
        self.preview_slot.stop()

    def shutdown(self) -> None:
        self.left()
        if self.exporter is not None:
            self.exporter.wait(10.0)  # let a report being written finish: it is the user's file
