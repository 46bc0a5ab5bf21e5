"""The main window: a step list on the left, the current page on the right, Back/Next below.
It owns the session, wires the pages together and makes closing mid-check clean."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QMargins, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from techcheck.app import demo
from techcheck.app.gui import i18n, style, tasks
from techcheck.app.gui import settings as S
from techcheck.app.gui.i18n import say
from techcheck.app.gui.invitationflow import InvitationFlow
from techcheck.app.gui.lazypages import LazyPages
from techcheck.app.gui.pages.base import Page
from techcheck.app.gui.pages.start import StartPage
from techcheck.app.gui.pages.titles import own_title
from techcheck.app.gui.qtapp import application
from techcheck.app.gui.runall import RunAll
from techcheck.app.gui.session import CHECK_PAGES, Session, page_for
from techcheck.app.gui.tasks import Task, TaskContext, run_task
from techcheck.app.gui.widgets.focusring import FocusRing
from techcheck.app.gui.widgets.status import status_icon, status_word

if TYPE_CHECKING:
    from techcheck.app.gui.runhistory import RunKeeper

log = logging.getLogger("techcheck.gui")

LOAD_BACKSTOP_MS = 1500
# The pages, in the order of the steps.
PAGE_KEYS = ("start", "checklist", "camera", "microphone", "speaker", "network", "system",
             "results", "details")
# The size the window asks for when the screen has room (device-independent pixels).
PREFERRED_SIZE = QSize(1000, 720)
# Room left for the window manager's frame and title bar before the window is shown and its
# real frame is known; corrected from the real frame once the window is on screen.
FRAME_ALLOWANCE = QMargins(4, 32, 4, 4)


def fit_on_screen(frame: QRect, available: QRect) -> QRect:
    """``frame`` (the window with its frame) shrunk to at most ``available`` and moved wholly
    inside it: a window larger than the screen hides its action bar and Back/Next."""
    width = min(frame.width(), available.width())
    height = min(frame.height(), available.height())
    x = min(max(frame.x(), available.left()), available.left() + available.width() - width)
    y = min(max(frame.y(), available.top()), available.top() + available.height() - height)
    return QRect(x, y, width, height)


def _device_lists(plugins: list[Any], ctx: TaskContext) -> dict[str, list[dict[str, Any]]]:
    """In a worker: the devices each plug-in offers, by kind."""
    lists: dict[str, list[dict[str, Any]]] = {"camera": [], "microphone": [], "speaker": []}
    for plugin in plugins:
        ctx.cancel.raise_if_cancelled()
        if plugin.cls is None:
            continue
        try:
            for d in plugin.cls.list_devices():
                entry = d.to_dict()
                bucket = lists.setdefault(entry["kind"], [])
                if all(e.get("index") != entry.get("index") for e in bucket):
                    bucket.append(entry)
        except Exception:  # one plug-in's listing must not stop the others
            log.exception("listing devices of %s failed", plugin.id)
    return lists


def _load_plugins_and_devices(platform: str):
    """Worker: discover the plug-ins (imports OpenCV & co. off the GUI thread) and list the
    devices each offers."""

    def work(ctx: TaskContext) -> dict[str, Any]:
        # The processor's load is sampled in the background from now on, so its window is
        # full when the system check asks (imported here: psutil stays out of the first paint).
        from techcheck.checks.system.probe import start_cpu_sampling

        start_cpu_sampling()
        session = Session.create(platform)
        return {"session": session, "devices": _device_lists(session.plugins, ctx)}

    return work


class _AfterFirstExpose(QObject):
    """Calls ``then`` from the event loop right after the window it watches was first exposed
    (and so painted: the widgets paint while the expose event is handled)."""

    def __init__(self, then: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.then = then

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and obj.isExposed():  # type: ignore[attr-defined]
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self, self.then)
        return False


class MainWindow(QMainWindow):
    ready = Signal()  # plug-ins and devices are known

    def __init__(self, settings: S.Settings) -> None:
        lang = i18n.resolve(settings.get(S.LANGUAGE))
        i18n.install(lang)  # before this window exists; English too: it has the plural forms
        super().__init__()
        self.settings = settings
        self.setObjectName("main-window")
        self.session = Session(plugins=[], profile=None, lang=lang,  # type: ignore[arg-type]
                               role=settings.get(S.ROLE), platform=settings.get(S.PLATFORM))
        self.session.devices.camera = settings.get(S.CAMERA) or None
        self.session.devices.microphone = settings.get(S.MICROPHONE) or None
        self.session.devices.speaker = settings.get(S.SPEAKER) or None
        self._loaded = False
        self._closing = False
        self._rerun_page: Page | None = None

        app = application()
        if not app.styleSheet():  # main() installs it with the theme; tests build windows bare
            style.install(app)
        central = QWidget(self)
        outer = QHBoxLayout(central)
        self.steps = QListWidget(central)
        self.steps.setObjectName("steps")
        self.steps.setIconSize(QSize(22, 22))
        self.steps.setSpacing(2)
        self.steps.setMinimumWidth(170)
        self.steps.setMaximumWidth(240)
        self.steps.currentRowChanged.connect(self._step_clicked)
        # a screen reader selects an item (AT-SPI Selection) without moving the current row
        self.steps.itemSelectionChanged.connect(self._step_selected)
        outer.addWidget(self.steps)
        right = QVBoxLayout()
        self.banner = QLabel(central)
        self.banner.setWordWrap(True)
        self.banner.setObjectName("demo-banner")
        self.banner.setVisible(False)
        right.addWidget(self.banner)
        self.stack = QStackedWidget(central)
        right.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        self.back_button = QPushButton(central)
        self.next_button = QPushButton(central)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        right.addLayout(nav)
        outer.addLayout(right, 1)
        self.setCentralWidget(central)

        # Start now; the other pages after the first paint (``_load``), or when asked for
        self.pages: LazyPages[Page] = LazyPages(PAGE_KEYS, self._make_page, self._page_built)
        self.start: StartPage = self.pages["start"]  # type: ignore[assignment]
        self.start.language_chosen.connect(self.set_language)
        self.start.role_chosen.connect(self.set_role)
        self.start.platform_chosen.connect(self.set_platform)
        self.start.demo_chosen.connect(self.set_demo)
        self.start.start_clicked.connect(self.check_everything)
        self.start.look_again_clicked.connect(self.look_again)
        self.start.demo_offer_taken.connect(self.take_demo)
        self.start.check_anyway_clicked.connect(lambda: self.check_everything(anyway=True))
        self.lister: Task | None = None
        self.start.start_button.setEnabled(False)
        self.run_all = RunAll(self.pages, lambda: [k for k in CHECK_PAGES
                                                   if k in self.visible_keys()], self.go, self)
        self.run_all.finished.connect(self._everything_checked)

        self.focus_ring = FocusRing(self)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self).activated.connect(self.back)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Forward), self).activated.connect(self.next)
        QShortcut(QKeySequence("Ctrl+PgDown"), self).activated.connect(self.next)
        QShortcut(QKeySequence("Ctrl+PgUp"), self).activated.connect(self.back)

        self._rebuild_steps()
        self.retranslate()
        self._place(settings.get(S.GEOMETRY))
        self.loader: Task | None = None
        # The history (``runhistory``: the report model and its files) is set up once the
        # checks are loaded, after the first paint: before that there is no run to keep.
        self.keeper: RunKeeper | None = None
        self.invitations = InvitationFlow(self.session, self.start, self)
        self.invitations.changed.connect(self._invitation_changed)
        from techcheck.app.gui import appicon

        self.setWindowIcon(appicon.icon())
        # The checks (OpenCV, numpy, sounddevice…) load in a worker once the window has been
        # painted: started earlier, the worker's imports compete with the first paint for the
        # interpreter and the two cores (issue 22). A window that is shown but never exposed
        # (started minimised) loads them after LOAD_BACKSTOP_MS all the same.
        self._load_started = False
        self._backstop = QTimer(self)
        self._backstop.setObjectName("load-backstop")
        self._backstop.setSingleShot(True)
        self._backstop.setInterval(LOAD_BACKSTOP_MS)
        self._backstop.timeout.connect(self._load)
        self._painted = _AfterFirstExpose(self._first_exposed, self)

    # --- pages ------------------------------------------------------------------------------

    def _make_page(self, key: str) -> Page:
        """A new page ``key``; each page's module is imported when it is first built."""
        s, settings = self.session, self.settings
        if key == "start":
            return StartPage(s, settings)
        if key == "checklist":
            from techcheck.app.gui.pages.checklist import ChecklistPage
            return ChecklistPage(s)
        if key == "camera":
            from techcheck.app.gui.pages.camera import CameraPage
            return CameraPage(s)
        if key == "microphone":
            from techcheck.app.gui.pages.microphone import MicrophonePage
            return MicrophonePage(s)
        if key == "speaker":
            from techcheck.app.gui.pages.speakers import SpeakersPage
            return SpeakersPage(s)
        if key == "network":
            from techcheck.app.gui.pages.network import NetworkPage
            return NetworkPage(s, settings)
        if key == "system":
            from techcheck.app.gui.pages.system import SystemPage
            return SystemPage(s)
        if key == "results":
            from techcheck.app.gui.pages.results import ResultsPage
            return ResultsPage(s, settings)
        if key == "details":
            from techcheck.app.gui.pages.details import DetailsPage
            return DetailsPage(s)
        raise KeyError(key)

    def _page_built(self, key: str, page: Page) -> None:
        """A page just built: into the stack, its signals to the window."""
        self.stack.addWidget(page)
        page.status_changed.connect(self._update_steps)
        panel = getattr(page, "panel", None)
        if panel is not None:
            panel.check_finished.connect(self._check_finished)
            panel.started.connect(self._update_steps)  # "Checking…" in the list
            panel.all_finished.connect(self._checks_idle)
            panel.all_finished.connect(self._update_steps)
            if self._loaded:
                panel.run_button.setEnabled(True)
                panel.retranslate()
        if key == "checklist":
            page.start_clicked.connect(self.check_everything)  # type: ignore[attr-defined]
        elif key == "results":
            page.rerun_requested.connect(self.rerun)  # type: ignore[attr-defined]
            page.run_all_requested.connect(self.check_everything)  # type: ignore[attr-defined]
        if self.steps.count():
            self._update_steps()

    def _title_of(self, key: str) -> str:
        """The step's name, without building its page (before the checks are loaded an
        unbuilt page would say its own name: ``titles``)."""
        return self.pages[key].title() if self.pages.is_built(key) else own_title(key)

    # --- placement --------------------------------------------------------------------------

    def _available(self) -> QRect:
        """The usable area (without panels and docks, in device-independent pixels) of the
        screen the window is on, or of the primary screen before it is placed."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def _frame_margins(self) -> QMargins:
        """The window manager's frame around the client area: the real one once the window is
        on screen (when the manager has said), else ``FRAME_ALLOWANCE``."""
        handle = self.windowHandle()
        if handle is not None and self.isVisible():
            real = handle.frameMargins()
            if not real.isNull():
                return real
        return FRAME_ALLOWANCE

    def _place(self, saved: bytes) -> None:
        """The first geometry: the remembered one (``settings.GEOMETRY``) if there is one,
        else the preferred size centred on the screen; either way clamped to the screen's
        available area, so every action is on screen at 1024×600 or at 150 % scale."""
        available = self._available()
        if not (saved and self.restoreGeometry(QByteArray(saved))):
            m = FRAME_ALLOWANCE
            want = QSize(PREFERRED_SIZE.width() + m.left() + m.right(),
                         PREFERRED_SIZE.height() + m.top() + m.bottom())
            frame = QRect(0, 0, want.width(), want.height())
            frame.moveCenter(available.center())
            self._set_frame(fit_on_screen(frame, available))
            return
        self.keep_on_screen()

    def _set_frame(self, frame: QRect) -> None:
        m = self._frame_margins()
        self.setGeometry(frame.marginsRemoved(m))

    def keep_on_screen(self) -> None:
        """Shrink and move the window (with its frame) into the available area of its screen;
        a maximised or full-screen window is the window manager's to place."""
        if self.windowState() & (Qt.WindowState.WindowMaximized
                                 | Qt.WindowState.WindowFullScreen):
            return
        m = self._frame_margins()
        frame = self.geometry().marginsAdded(m)
        fitted = fit_on_screen(frame, self._available())
        if fitted != frame:
            self._set_frame(fitted)

    # --- loading ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._load_started and not self._backstop.isActive():
            handle = self.windowHandle()
            if handle is not None:
                handle.installEventFilter(self._painted)
            self._backstop.start()

    def _first_exposed(self) -> None:
        """On screen: the real frame is known now; keep the window inside the screen with it,
        then load the checks."""
        self.keep_on_screen()
        self._load()

    def _load(self) -> None:
        self._backstop.stop()
        if self._closing or self._load_started:
            return
        self._load_started = True
        self.pages.build_all()  # each step is ready before a person can go to it
        self.loader = run_task(_load_plugins_and_devices(self.session.platform), name="load",
                               on_result=self._loaded_ok, on_error=self._load_failed,
                               on_finished=self._loader_done)

    def _loader_done(self) -> None:
        self.loader = None

    def _loaded_ok(self, found: dict[str, Any]) -> None:
        loaded: Session = found["session"]
        s = self.session
        wanted, s.platform = s.platform, loaded.platform
        s.plugins, s.profile = loaded.plugins, loaded.profile
        s.set_platform(wanted)  # chosen (or set by an invitation) while the checks loaded
        s.device_lists = found["devices"]
        # Demo mode only when chosen: a missing device is said first, with the demo as a choice
        s.demo = self.settings.get(S.DEMO_MODE) == "on"
        if self.keeper is None:
            from techcheck.app.gui.runhistory import RunKeeper

            self.keeper = RunKeeper(self.session, self)
            self.keeper.saved.connect(self._kept)
        log.info("plug-ins: %s; devices: %s; demo: %s", [p.id for p in s.plugins],
                 {k: len(v) for k, v in s.device_lists.items()}, s.demo)
        self._loaded = True
        self.start.start_button.setEnabled(True)
        for page in self.pages.values():
            panel = getattr(page, "panel", None)
            if panel is not None:
                panel.run_button.setEnabled(True)
                panel.retranslate()
        self._demo_changed()
        if self.current_key() == "start":  # shown before the checks could show the camera
            self.start.entered()
        self.ready.emit()

    def _load_failed(self, err) -> None:
        say(self.banner, lambda: self.tr("TechCheck could not load its checks: {error}. Reinstall "
                                    "TechCheck; the log has the details.").format(
                                        error=err.message))
        self.banner.setVisible(True)

    # --- steps ------------------------------------------------------------------------------

    def visible_keys(self) -> list[str]:
        keys = ["start"]
        if self.session.role == "recruiter":
            keys.append("checklist")
        keys += [*CHECK_PAGES, "results"]
        if self.session.role == "it":
            keys.append("details")
        return keys

    def _rebuild_steps(self) -> None:
        current = self.current_key()
        self.steps.blockSignals(True)
        self.steps.clear()
        for key in self.visible_keys():
            item = QListWidgetItem(self.steps)
            item.setData(Qt.ItemDataRole.UserRole, key)
        self.steps.blockSignals(False)
        self._update_steps()
        keys = self.visible_keys()
        self.go(current if current in keys else "start")

    def _update_steps(self) -> None:
        for i in range(self.steps.count()):
            item = self.steps.item(i)
            key = item.data(Qt.ItemDataRole.UserRole)
            if self.pages.is_built(key):
                st, word = self.pages[key].step_status()
            else:  # nothing has run yet (built before the checks are loaded: ``_load``)
                st, word = None, None
            title = self._title_of(key)
            if st is not None and word is None:
                word = status_word(st)
            item.setText(f"{title}\n{word}" if word else title)
            item.setIcon(status_icon(st, self))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {word}" if word else title)

    def current_key(self) -> str:
        w = self.stack.currentWidget()
        return w.key if isinstance(w, Page) else "start"

    def current_page(self) -> Page:
        return self.stack.currentWidget()  # type: ignore[return-value]

    def go(self, key: str, checking: bool = False) -> None:
        """Show the page ``key``; ``checking``: its check starts at once (the one-click
        check), so it need not start a preview of its own."""
        if key not in self.visible_keys():
            return
        old = self.current_page()
        new = self.pages[key]
        if old is not new and isinstance(old, Page):
            old.left()
        self.stack.setCurrentWidget(new)
        row = self.visible_keys().index(key)
        if self.steps.currentRow() != row:
            self.steps.blockSignals(True)
            self.steps.setCurrentRow(row)
            self.steps.blockSignals(False)
        self._update_nav()
        if self._loaded:
            # a sampler left idle for minutes stops; any step a person takes restarts it
            from techcheck.checks.system.probe import start_cpu_sampling

            start_cpu_sampling()
            new.entered(checking=checking)
        if not self.steps.hasFocus():
            new.setFocus()
        # else the keyboard stays in the side list: the next arrow key chooses the next step
        # (the WAI-ARIA tabs pattern, https://www.w3.org/WAI/ARIA/apg/patterns/tabs/), and
        # Return there, which the list does not take, is the page's primary action
        # (``keyPressEvent``)

    def _step_clicked(self, row: int) -> None:
        keys = self.visible_keys()
        if 0 <= row < len(keys):
            if keys[row] != "start" and not self._loaded:
                return
            self.go(keys[row])

    def _step_selected(self) -> None:
        rows = [self.steps.row(i) for i in self.steps.selectedItems()]
        if rows and rows[0] != self.visible_keys().index(self.current_key()):
            self._step_clicked(rows[0])

    def next(self) -> None:
        keys = self.visible_keys()
        i = keys.index(self.current_key())
        if i + 1 < len(keys) and (self._loaded or keys[i + 1] == "start"):
            self.go(keys[i + 1])

    def back(self) -> None:
        keys = self.visible_keys()
        i = keys.index(self.current_key())
        if i > 0:
            self.go(keys[i - 1])

    def _update_nav(self) -> None:
        keys = self.visible_keys()
        i = keys.index(self.current_key())
        self.back_button.setEnabled(i > 0)
        self.next_button.setEnabled(i + 1 < len(keys) and self._loaded)
        if i + 1 < len(keys):
            nxt = self._title_of(keys[i + 1])
            self.next_button.setText(self.tr("Next: {step} →").format(step=nxt))
            self.next_button.setAccessibleName(self.tr("Next step: {step}").format(step=nxt))
        else:
            self.next_button.setText(self.tr("Next →"))
            self.next_button.setAccessibleName(self.tr("Next step"))
        self.back_button.setText(self.tr("← &Back"))
        self.back_button.setAccessibleName(self.tr("Previous step"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Return or Enter that no widget took: a focused push button is pressed (as in a
        dialog), anywhere else the page's primary action is (``Page.primary``)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            focused = QApplication.focusWidget()
            target = focused if isinstance(focused, QPushButton) else self.current_page().primary
            if target is not None and target.isVisible() and target.isEnabled():
                event.accept()
                target.animateClick()
                return
        super().keyPressEvent(event)

    # --- choices ----------------------------------------------------------------------------

    def set_language(self, choice: str) -> None:
        self.settings.set(S.LANGUAGE, choice)
        lang = i18n.resolve(choice)
        self.session.lang = lang
        i18n.install(lang)

    def set_role(self, role: str) -> None:
        self.settings.set(S.ROLE, role)
        self.session.role = role
        self.start.show_role_texts()
        self._rebuild_steps()
        self._results_changed()  # the checklist counts on Results for a recruiter only

    def set_platform(self, platform: str) -> None:
        self.settings.set(S.PLATFORM, platform)
        if self._loaded:
            if platform != self.session.platform:
                self.session.set_platform(platform)
                self.session.results.clear()  # judged against the old profile's limits
                self.session.new_run()
                self.session.saved_run = None
                self._results_changed()
        else:
            self.session.platform = platform

    def set_demo(self, mode: str) -> None:
        """The Demo mode setting: "on" uses the samples; "auto" offers them when a camera or
        microphone is missing (``take_demo``), "off" does not. Neither turns them on alone."""
        self.settings.set(S.DEMO_MODE, mode)
        self._use_demo(mode == "on")

    def take_demo(self) -> None:
        """"See how it works with a sample video": demo mode for this sitting (the setting
        stays), then the one-click check on the samples."""
        self.start.show_demo_mode("on")
        self._use_demo(True)
        self.check_everything()

    def _use_demo(self, on: bool) -> None:
        if on != self.session.demo and self.session.results:
            # results judged the other media: a demo's are not the devices', nor the reverse
            self.session.results.clear()
            self.session.new_run()
            self.session.saved_run = self.session.previous_run = None
            self.session.demo = on
            self._results_changed()
        self.session.demo = on
        self._demo_changed()

    def missing_devices(self) -> tuple[str, ...]:
        """Camera and microphone kinds the computer has none of and no file or device was
        chosen for (``demo.MISSING``); nothing is missing in demo mode."""
        if not self._loaded or self.session.demo:
            return ()
        return demo.missing(self.session.device_lists, self.session.devices)

    def _show_missing(self) -> None:
        self.start.show_missing(self.missing_devices(),
                                offer_demo=self.settings.get(S.DEMO_MODE) != "off",
                                looking=self.lister is not None)

    def look_again(self) -> None:
        """List the devices again (a webcam just plugged in), off the GUI thread."""
        if not self._loaded or self.lister is not None:
            return
        plugins = list(self.session.plugins)
        self.lister = run_task(lambda ctx: _device_lists(plugins, ctx), name="devices",
                               on_result=self._devices_listed, on_finished=self._lister_done)
        self._show_missing()

    def _devices_listed(self, lists: dict[str, list[dict[str, Any]]]) -> None:
        self.session.device_lists = lists
        log.info("devices again: %s", {k: len(v) for k, v in lists.items()})
        for key in ("camera", "microphone", "speaker"):
            self.pages[key].refresh_devices()  # type: ignore[attr-defined]
        self.start.refresh_preview()  # a camera just plugged in shows at once

    def _lister_done(self) -> None:
        self.lister = None
        self._show_missing()

    def _demo_changed(self) -> None:
        self.banner.setVisible(self.session.demo)
        self.start.update_demo_note()
        for key in ("camera", "microphone", "speaker"):
            page = self.pages[key]
            page.refresh_devices()  # type: ignore[attr-defined]
        self._show_missing()  # after the pickers: leaving demo mode drops the samples they held
        self.start.refresh_preview()  # the sample video, or the person's own camera
        self.retranslate()

    # --- running ----------------------------------------------------------------------------

    def _results_changed(self) -> None:
        for page in self.pages.values():  # each step's cards too: none of a cleared result
            panel = getattr(page, "panel", None)
            if panel is not None and not panel.running:
                panel.show_results()
        self.pages["results"].refresh()  # type: ignore[attr-defined]
        if self.session.role == "it":
            self.pages["details"].refresh()  # type: ignore[attr-defined]
        self._update_steps()

    def _page_of(self, check_id: str) -> Page | None:
        plugin = next((p for p in self.session.plugins if p.id == check_id), None)
        return self.pages[page_for(plugin)] if plugin else None

    def rerun(self, check_id: str) -> None:
        page = self._page_of(check_id)
        if page is None or self._rerun_page is not None or self.run_all.active:
            return
        self._rerun_page = page
        page.panel.all_finished.connect(self._rerun_done)  # type: ignore[attr-defined]
        self.pages["results"].set_running(check_id)  # type: ignore[attr-defined]
        page.panel.run(only=check_id)  # type: ignore[attr-defined]

    def _rerun_done(self) -> None:
        page, self._rerun_page = self._rerun_page, None
        if page is not None:
            page.panel.all_finished.disconnect(self._rerun_done)  # type: ignore[attr-defined]
        self.pages["results"].set_running(None)  # type: ignore[attr-defined]
        self._results_changed()

    def check_everything(self, anyway: bool = False) -> None:
        """The one-click check (Start page, and "Check everything" on Results): a new run in
        the history, every step's check in turn on its own page, then Results. With a camera
        or microphone missing it does not start (unless ``anyway``): the Start page says what
        is missing, how to fix it, and offers the demo."""
        if not self._loaded or self._rerun_page is not None or self.run_all.active:
            return
        if self.missing_devices() and not anyway:
            log.info("not checking: missing %s", self.missing_devices())
            self.go("start")
            self.start.point_to_missing()
            return
        self.session.new_run()
        if self.session.results:  # the old verdict must not stand while the new run goes
            self.session.results.clear()
            self._results_changed()
        self.run_all.start()

    def _everything_checked(self, completed: bool) -> None:
        if self._closing:
            return
        if completed:
            self.go("results")
        self._checks_idle()

    def busy(self) -> bool:
        return any(p.busy() for p in self.pages.built()) or bool(tasks.running_tasks())

    # --- history ----------------------------------------------------------------------------

    def _check_finished(self, _result: Any) -> None:
        if self.keeper is not None:
            self.keeper.result_arrived()
        self._results_changed()

    def _checks_idle(self) -> None:
        """A page's checks are done: once nothing runs any more, keep the run."""
        if (self._closing or self.run_all.active or self.keeper is None
                or not self.keeper.unsaved):
            return
        if any(getattr(p, "panel", None) is not None and p.panel.running  # type: ignore[attr-defined]
               for p in self.pages.built()):
            return
        self.keeper.save()

    def _kept(self) -> None:
        self.pages["results"].show_comparison()  # type: ignore[attr-defined]
        if self.session.role == "it":
            self.pages["details"].refresh_history()  # type: ignore[attr-defined]

    # --- invitation -------------------------------------------------------------------------

    def open_invitation(self, path: str) -> Task:
        """``techcheck invite.toml``: open it as "Open invitation…" does."""
        return self.invitations.open(path)

    def _invitation_changed(self) -> None:
        self.pages["network"].retranslate()
        self.pages["results"].refresh()  # type: ignore[attr-defined]

    # --- language, close --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("TechCheck – ready for your video interview"))
        self.steps.setAccessibleName(self.tr("Steps"))
        self.stack.setAccessibleName(self.tr("Current step"))
        self.banner.setText(self.tr(
            "Demo mode: sample video and sound and a local server stand in for your devices. "
            "Turn it off on the Start page to test your own."))
        self._update_steps()
        self._update_nav()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel whatever runs, release the devices and join every worker, then close."""
        self._closing = True
        self._backstop.stop()
        self.run_all.stop()
        if self.keeper is not None:
            self.keeper.save_at_close()  # a run that finished moments ago is kept
        for page in self.pages.built():  # a page never built holds nothing
            page.left()
        stuck = tasks.shutdown(timeout_s=5.0)
        for page in self.pages.built():
            page.shutdown()
        probe = sys.modules.get("techcheck.checks.system.probe")
        if probe is not None:  # the processor-load sampler the loader started
            probe.cpu_sampler().stop()
        if stuck:
            log.error("closing with workers still running: %s", stuck)
        self.settings.set(S.GEOMETRY, bytes(self.saveGeometry().data()))
        self.settings.sync()
        super().closeEvent(event)
