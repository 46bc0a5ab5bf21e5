"""Start: language, role and interview platform (which picks the profile), demo mode, and a
recruiter's invitation (which sets the platform and the company's measurement server and
shows the interview's time and contact).

When no camera or microphone is found the page says so first, with the fix, and offers the
demo as a choice ("See how it works with a sample video"): the demo is never put silently in
place of a check of the person's own devices (issue 20)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from techcheck.app import demo
from techcheck.app.gui import settings as S
from techcheck.app.gui import style
from techcheck.app.gui.filedialog import FileType, ask_open
from techcheck.app.gui.i18n import ct
from techcheck.app.gui.pages.base import Page
from techcheck.app.gui.session import Session
from techcheck.app.gui.widgets.brand import BrandBanner
from techcheck.app.gui.widgets.selfview import SelfView
from techcheck.app.gui.widgets.status import StatusBadge
from techcheck.app.report.view import past_interview, span, when
from techcheck.checks.model import Status

if TYPE_CHECKING:  # the invitation model loads when an invitation is opened
    from techcheck.app.invitation import Invitation

# From this width of the page's content (device-independent pixels) the self-view stands
# beside the choices; below it, above them.
WIDE_PAGE = 1000

PLATFORM_NAMES = {"teams": "Microsoft Teams", "zoom": "Zoom", "meet": "Google Meet",
                  "webex": "Webex"}


class StartPage(Page):
    key = "start"
    language_chosen = Signal(str)  # "system" | "en" | "sv"
    role_chosen = Signal(str)
    platform_chosen = Signal(str)
    demo_chosen = Signal(str)  # auto | on | off
    start_clicked = Signal()
    invitation_chosen = Signal(str)  # path of a file to open
    invitation_closed = Signal()
    private_server_accepted = Signal(object)  # an Invitation the person chose to use anyway
    look_again_clicked = Signal()  # list the devices again (after plugging one in)
    demo_offer_taken = Signal()  # "See how it works with a sample video"
    check_anyway_clicked = Signal()  # check the devices as they are, missing ones included

    def __init__(self, session: Session, settings: S.Settings, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.settings = settings
        # The interview's countdown moves on while the page is open (a person keeps TechCheck
        # open for the minutes before the call); twice a minute is enough for "in 25 minutes".
        self.countdown = QTimer(self)
        self.countdown.setInterval(30_000)
        self.countdown.timeout.connect(self._tick_countdown)
        self.brand_banner = BrandBanner(self.body)  # the invitation's brand, when it has one
        self.layout_.addWidget(self.brand_banner)
        # What is missing, the fix, and the demo as an explicit choice (``show_missing``)
        self.missing_box = QGroupBox(self.body)
        self.missing_box.setObjectName("no-devices")
        missing = QVBoxLayout(self.missing_box)
        self.missing_title = StatusBadge(self.missing_box, size=22)  # a warning: shape and word
        missing.addWidget(self.missing_title)
        self.missing_text = QLabel(self.missing_box)
        self.missing_text.setWordWrap(True)
        self.missing_text.setTextFormat(Qt.TextFormat.PlainText)
        missing.addWidget(self.missing_text)
        choices = QHBoxLayout()
        self.look_again_button = QPushButton(self.missing_box)
        self.look_again_button.clicked.connect(self.look_again_clicked)
        self.demo_offer_button = QPushButton(self.missing_box)
        self.demo_offer_button.clicked.connect(self.demo_offer_taken)
        self.check_anyway_button = QPushButton(self.missing_box)
        self.check_anyway_button.clicked.connect(self.check_anyway_clicked)
        for button in (self.look_again_button, self.demo_offer_button, self.check_anyway_button):
            choices.addWidget(button)
        choices.addStretch(1)
        missing.addLayout(choices)
        self.missing_box.setVisible(False)
        self._missing: tuple[str, ...] = ()
        self._offer_demo = True
        self._looking = False
        self.layout_.addWidget(self.missing_box)
        # The person's own picture first, as a video service's pre-join screen shows it: live
        # from when the checks are loaded until the page is left (``entered``/``left``),
        # beside the choices on a wide window, above them on a narrow one (``resizeEvent``).
        self.green = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.green.setSpacing(style.GAP * 2)
        self.selfview = SelfView(self.body)
        self.green.addWidget(self.selfview, 3, Qt.AlignmentFlag.AlignTop)
        self.layout_.addLayout(self.green)
        self._here = False
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.language = QComboBox(self.body)
        self.role = QComboBox(self.body)
        self.platform = QComboBox(self.body)
        self.demo = QComboBox(self.body)
        self.language_label = QLabel(self.body)
        self.role_label = QLabel(self.body)
        self.platform_label = QLabel(self.body)
        self.demo_label = QLabel(self.body)
        for lab, box in ((self.language_label, self.language), (self.role_label, self.role),
                         (self.platform_label, self.platform), (self.demo_label, self.demo)):
            lab.setBuddy(box)
            form.addRow(lab, box)
        side.addLayout(form)
        self.demo_note = QLabel(self.body)
        self.demo_note.setWordWrap(True)
        side.addWidget(self.demo_note)
        inv_row = QHBoxLayout()
        self.open_invitation_button = QPushButton(self.body)
        self.open_invitation_button.clicked.connect(self.ask_invitation)
        self.close_invitation_button = QPushButton(self.body)
        self.close_invitation_button.clicked.connect(self.invitation_closed)
        inv_row.addWidget(self.open_invitation_button)
        inv_row.addWidget(self.close_invitation_button)
        inv_row.addStretch(1)
        side.addLayout(inv_row)
        self.invitation_error = StatusBadge(self.body, size=16)
        self.invitation_error.word.setWordWrap(True)
        self.invitation_error.word.setTextFormat(Qt.TextFormat.PlainText)
        plain = self.invitation_error.word.font()
        plain.setBold(False)
        self.invitation_error.word.setFont(plain)
        self.invitation_error.word.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        side.addWidget(self.invitation_error)
        # An invitation naming a server inside the candidate's network: asked inline, never used
        # unanswered (docs/invitation-format.md).
        self.private_box = QGroupBox(self.body)
        private = QVBoxLayout(self.private_box)
        self.private_text = QLabel(self.private_box)
        self.private_text.setWordWrap(True)
        self.private_text.setTextFormat(Qt.TextFormat.PlainText)
        private.addWidget(self.private_text)
        answers = QHBoxLayout()
        self.private_yes = QPushButton(self.private_box)
        self.private_yes.clicked.connect(self._private_server_allowed)
        self.private_no = QPushButton(self.private_box)
        self.private_no.clicked.connect(self._private_server_refused)
        answers.addWidget(self.private_no)
        answers.addWidget(self.private_yes)
        answers.addStretch(1)
        private.addLayout(answers)
        self.private_box.setVisible(False)
        self._pending: Invitation | None = None
        side.addWidget(self.private_box)
        self.invitation_box = QGroupBox(self.body)
        self.invitation_form = QFormLayout(self.invitation_box)
        self.invitation_rows: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("position", "when", "contact", "server", "note", "file"):
            name, value = QLabel(self.invitation_box), QLabel(self.invitation_box)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)  # the file's text is never markup
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.invitation_form.addRow(name, value)
            self.invitation_rows[key] = (name, value)
        side.addWidget(self.invitation_box)
        self._invitation_message = ""
        side.addStretch(1)
        self.green.addLayout(side, 2)
        self.layout_.addStretch(1)
        self.layout_.addStretch(1)
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.start_button = QPushButton(bar)
        self.start_button.clicked.connect(self.start_clicked)
        self.start_note = QLabel(bar)
        self.start_note.setWordWrap(True)
        row.addWidget(self.start_button)
        row.addWidget(self.start_note, 1)
        self.add_action_widget(bar)
        self.set_primary(self.start_button)
        self.retranslate()
        self._select(self.language, settings.get(S.LANGUAGE))
        self._select(self.role, settings.get(S.ROLE))
        self._select(self.platform, settings.get(S.PLATFORM))
        self._select(self.demo, settings.get(S.DEMO_MODE))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(self.language.currentData()))
        self.role.currentIndexChanged.connect(
            lambda _i: self.role_chosen.emit(self.role.currentData()))
        self.platform.currentIndexChanged.connect(
            lambda _i: self.platform_chosen.emit(self.platform.currentData()))
        self.demo.currentIndexChanged.connect(
            lambda _i: self.demo_chosen.emit(self.demo.currentData()))

    # --- the live self-view ------------------------------------------------------------------

    def entered(self, checking: bool = False) -> None:
        self._here = True
        self.refresh_preview()

    def left(self) -> None:
        """The camera is released before the next page (the one-click check's camera check
        included) opens it: one owner of the device at a time."""
        self._here = False
        self.selfview.stop()

    def refresh_preview(self) -> None:
        """Show the camera the Camera page has chosen (the sample video in demo mode), live,
        while this page is the one shown; called again when the devices or demo mode change."""
        if not self._here or self.session.profile is None:
            return
        try:
            limits = self.session.profile.limits("camera")
        except KeyError:  # a profile without the camera check: guides without judging
            limits = None
        spec = self.session.devices.camera
        self.selfview.show_camera(spec, limits, sample=self.session.demo)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        view = self.scroll_area.viewport()
        wide = view.width() >= WIDE_PAGE
        self.green.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                else QBoxLayout.Direction.TopToBottom)
        # side by side they share the width; one above the other, the picture takes only
        # its own height and the choices follow right below it
        self.green.setStretch(0, 3 if wide else 0)
        self.green.setStretch(1, 2 if wide else 1)
        # below the heading; above the choices it leaves room for the first of them
        self.selfview.set_max_height(round(view.height() * (0.7 if wide else 0.45)))

    def show_demo_mode(self, mode: str) -> None:
        """Show ``mode`` in the Demo mode box without choosing it (the demo offer turns demo
        mode on for this sitting only; the saved setting stays)."""
        self.demo.blockSignals(True)
        self._select(self.demo, mode)
        self.demo.blockSignals(False)

    @staticmethod
    def _select(box: QComboBox, value: str) -> None:
        i = box.findData(value)
        if i >= 0:
            box.setCurrentIndex(i)

    @staticmethod
    def _fill(box: QComboBox, items: list[tuple[str, str]]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        for data, text in items:
            box.addItem(text, data)
        i = box.findData(current)
        box.setCurrentIndex(max(0, i))
        box.blockSignals(False)

    def show_role_texts(self) -> None:
        """The heading and introduction for the person's role: a recruiter holds the
        interview, it is not "your video interview" to them (issue 23)."""
        if self.session.role == "recruiter":
            self.heading.setText(self.tr("Get ready to hold a video interview"))
            self.intro.setText(self.tr(
                "In a few minutes TechCheck tests your camera, microphone, speakers, connection "
                "and computer, so that the candidate sees and hears you well, and tells you "
                "exactly what to fix. Tick your preparation in the next step. Nothing you say or "
                "show leaves this computer."))
            return
        self.heading.setText(self.tr("Get ready for your video interview"))
        self.intro.setText(self.tr(
            "In a few minutes TechCheck tests your camera, microphone, speakers, connection and "
            "computer, and tells you exactly what to fix. Nothing you say or show leaves this "
            "computer."))

    def retranslate(self) -> None:
        self.show_role_texts()
        self.language_label.setText(self.tr("&Language:"))
        self.role_label.setText(self.tr("I &am:"))
        self.demo_label.setText(self.tr("&Demo mode:"))
        self._fill(self.language, [("system", self.tr("Same as the computer")),
                                   ("en", "English"), ("sv", "Svenska")])
        self._fill(self.role, [("candidate", self.tr("A candidate")),
                               ("recruiter", self.tr("A recruiter")),
                               ("it", self.tr("IT support"))])
        self._fill(self.platform, [*PLATFORM_NAMES.items(),
                                   ("other", self.tr("Another service or not known"))])
        self._fill(self.demo, [("auto", self.tr("Offered when no camera or microphone is "
                                                "found")),
                               ("on", self.tr("On: use sample video, sound and a local server")),
                               ("off", self.tr("Off: use my devices"))])
        self.language.setAccessibleName(self.tr("Language"))
        self.role.setAccessibleName(self.tr("Your role"))
        self.platform.setAccessibleName(self.tr("Video service of the interview"))
        self.demo.setAccessibleName(self.tr("Demo mode"))
        self.platform_label.setText(self.tr("The interview is &on:"))
        self.start_button.setText(self.tr("&Start the check"))
        self.start_button.setAccessibleName(self.tr("Start the check"))
        self.start_note.setText(self.tr(
            "Checks camera, microphone, speakers, connection and computer one after the other, "
            "in about a minute. Stay close: a step may ask you something."))
        self.open_invitation_button.setText(self.tr("Open &invitation…"))
        self.open_invitation_button.setAccessibleName(self.tr(
            "Open an invitation file from the recruiter"))
        self.open_invitation_button.setToolTip(self.tr(
            "A recruiter may send you a TechCheck invitation (.toml): it sets the video service, "
            "the company's measurement server and shows the interview's time."))
        self.close_invitation_button.setText(self.tr("Close the in&vitation"))
        self.close_invitation_button.setAccessibleName(self.tr("Close the invitation"))
        self.private_box.setTitle(self.tr("A server inside your network"))
        self.private_box.setAccessibleName(self.private_box.title())
        self.private_yes.setText(self.tr("&Use it, I trust the sender"))
        self.private_yes.setAccessibleName(self.tr("Use the server inside my network"))
        self.private_no.setText(self.tr("Do &not use this invitation"))
        self.private_no.setAccessibleName(self.tr("Do not use this invitation"))
        self._show_private_question()
        self.update_demo_note()
        self._show_missing()
        self.show_invitation()

    # --- no camera or microphone ------------------------------------------------------------

    def show_missing(self, kinds: tuple[str, ...], offer_demo: bool,
                     looking: bool = False) -> None:
        """Say which of camera and microphone were not found (``kinds``, a key of
        ``demo.MISSING``; ``()`` hides the box) and how to fix it, offering the demo when
        ``offer_demo`` (demo mode not turned off); ``looking``: the devices are being listed
        again."""
        self._missing, self._offer_demo, self._looking = kinds, offer_demo, looking
        self._show_missing()

    def point_to_missing(self) -> None:
        """"Start the check" was pressed with a device missing: nothing starts; the box with
        the fix and the choices is what the person sees next."""
        self._show_missing()
        self.scroll_area.ensureWidgetVisible(self.missing_box)
        (self.demo_offer_button if self._offer_demo else self.look_again_button).setFocus()

    def _show_missing(self) -> None:
        kinds = self._missing
        self.missing_box.setVisible(bool(kinds))
        if not kinds:
            return
        title = ct(demo.MISSING[kinds])
        self.missing_title.set_status(Status.WARN, title)
        self.missing_box.setAccessibleName(title)
        text = ct(demo.MISSING_FIX) + " " + self.tr("Then press “Look again”.")
        if self._offer_demo:
            text += "\n\n" + self.tr(
                "Or see first how TechCheck works, with a sample video, a sample recording and "
                "a measurement server on this computer. That is a demo: it says nothing about "
                "your own devices.")
        self.missing_text.setText(text)
        self.look_again_button.setText(self.tr("Looking…") if self._looking
                                       else self.tr("&Look again"))
        self.look_again_button.setEnabled(not self._looking)
        self.look_again_button.setAccessibleName(self.tr(
            "Look for the camera and microphone again"))
        self.demo_offer_button.setText(ct(demo.CHOICE))
        self.demo_offer_button.setAccessibleName(ct(demo.CHOICE))
        self.demo_offer_button.setVisible(self._offer_demo)
        self.check_anyway_button.setText(self.tr("Check my devices &anyway"))
        self.check_anyway_button.setAccessibleName(self.tr("Check my devices anyway"))

    # --- invitation -------------------------------------------------------------------------

    def select_platform(self, platform: str) -> None:
        self._select(self.platform, platform)

    def ask_invitation(self) -> None:
        """The shared open dialog (``filedialog.ask_open``): invitations first, then every
        file; it opens where the last invitation came from, else Downloads."""
        path = ask_open(self, self.tr("Open an invitation"),
                        [FileType("invitation", self.tr("TechCheck invitations"), (".toml",))],
                        self.settings, self.tr("All files"))
        if path:
            self.invitation_chosen.emit(path)

    def ask_private_server(self, inv: Invitation) -> None:
        """Ask, inline, before using an invitation whose server or STUN server is on this
        computer or inside the person's network; nothing changes until they answer."""
        self._pending = inv
        self.invitation_error.setVisible(False)  # "Reading…"
        self._show_private_question()
        self.private_no.setFocus()

    def _show_private_question(self) -> None:
        inv = self._pending
        self.private_box.setVisible(inv is not None)
        if inv is None:
            return
        servers = ", ".join(value for _key, value in inv.internal_servers)
        self.private_text.setText(self.tr(
            "The invitation {file} asks TechCheck to measure against {servers}, which is on "
            "this computer or inside your own network, not on the internet where a company's "
            "measurement server is. This may be a mistake, or an attempt to make TechCheck "
            "contact devices on your network. Use it only if you trust whoever sent it.").format(
                file=inv.file or "", servers=servers))

    def _private_server_allowed(self) -> None:
        inv, self._pending = self._pending, None
        self._show_private_question()
        if inv is not None:
            self.private_server_accepted.emit(inv)

    def _private_server_refused(self) -> None:
        self._pending = None
        self._show_private_question()
        self.show_invitation_error(self.tr(
            "it names a server on this computer or inside your network, and you chose not to "
            "use it"))

    def invitation_loading(self, name: str) -> None:
        self._pending = None
        self._show_private_question()
        self._invitation_message = ""
        self.invitation_error.set_status(None, self.tr("Reading {file}…").format(file=name))
        self.invitation_error.setVisible(True)

    def show_invitation_error(self, message: str) -> None:
        """The validator's message, inline; whatever was open before stays as it was."""
        self._invitation_message = message
        self._show_invitation_error()

    def _show_invitation_error(self) -> None:
        if self._invitation_message:
            self.invitation_error.set_status(Status.FAIL, self.tr(
                "This invitation cannot be used, so nothing was changed: {error}. Ask the "
                "recruiter to send it again.").format(error=self._invitation_message))
        self.invitation_error.setVisible(bool(self._invitation_message))

    def show_invitation(self) -> None:
        """Show the open invitation (or hide the box when there is none)."""
        inv = self.session.invitation
        self.brand_banner.show_brand(inv.brand if inv is not None else None)
        self.invitation_box.setVisible(inv is not None)
        self.close_invitation_button.setVisible(inv is not None)
        if inv is not None:
            self._invitation_message = ""
        self._show_invitation_error()
        self._run_countdown()
        if inv is None:
            return
        self.invitation_box.setTitle(
            self.tr("Invitation from {company}").format(company=inv.company) if inv.company
            else self.tr("Invitation"))
        self.invitation_box.setAccessibleName(self.invitation_box.title())
        names = {"position": self.tr("Position:"), "when": self.tr("Interview:"),
                 "contact": self.tr("Contact:"), "server": self.tr("Connection:"),
                 "note": self.tr("Note:"), "file": self.tr("File:")}
        values = {"position": inv.position, "when": self.interview_time(inv),
                  "contact": inv.contact, "server": self.server_text(inv), "note": inv.note,
                  "file": inv.file}
        for key, (name, value) in self.invitation_rows.items():
            name.setText(names[key])
            value.setText(values[key])
            name.setVisible(bool(values[key]))
            value.setVisible(bool(values[key]))

    def interview_time(self, inv: Invitation, now: datetime | None = None) -> str:
        """The interview in this computer's time with its zone, the countdown to it (or that it
        was in the past), the invitation's own time when its zone differs, and the daylight-
        saving change that falls before it (``invitation.timing``)."""
        from techcheck.app.invitation import timing  # loaded with the invitation it shows

        now = now or datetime.now().astimezone()
        t = timing(inv.when, now)
        local = t.local
        text = when(local.isoformat(), self.session.lang)
        zone = local.tzname() or ""
        if zone.isalpha() and zone != "UTC":  # "CET", not "+01"
            text = text.replace(" (UTC", f" ({zone}, UTC", 1)
        past = past_interview(inv.when, now, inv.contact, self.session.lang)
        if past is not None:  # the words Results and every report use (view.PAST_INTERVIEW)
            text += "\n" + past
        else:
            text += " · " + self.tr("in {span}").format(
                span=span(t.seconds_left, self.session.lang))
        if inv.when.utcoffset() != local.utcoffset():
            text += "\n" + self.tr("In the invitation: {time}").format(
                time=when(inv.when.isoformat(), self.session.lang))
        if t.clock_change is not None:
            text += "\n" + self.tr(
                "Tip: the clocks change for daylight saving time on {date}, before the interview. "
                "The time above allows for it; a time worked out by hand today may be an hour "
                "off.").format(date=when(t.clock_change.isoformat(), self.session.lang))
        return text

    def _run_countdown(self) -> None:
        """Count down while the page is on screen and the interview is still ahead; a hidden
        page holds no timer (it is refreshed when shown again)."""
        inv = self.session.invitation
        ahead = inv is not None and inv.when > datetime.now().astimezone()
        if ahead and self.isVisible():
            self.countdown.start()
        else:
            self.countdown.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.session.invitation is not None:
            self._tick_countdown()
        self._run_countdown()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.countdown.stop()

    def _tick_countdown(self) -> None:
        """Refresh the interview's row so its countdown stays true; stops once it has begun."""
        inv = self.session.invitation
        if inv is None:
            self.countdown.stop()
            return
        row = self.invitation_rows["when"][1]
        row.setText(self.interview_time(inv))
        self._run_countdown()

    def server_text(self, inv: Invitation) -> str:
        if not inv.server:
            return ""
        host = urlsplit(inv.server).hostname or inv.server
        text = self.tr("Measured against the company's server {host}.").format(host=host)
        if self.session.demo:
            text += " " + self.tr(
                "Even in demo mode the connection is measured for real against this server, "
                "because that is the connection your interview will use; only the camera and "
                "microphone use the samples.")
        return text

    def update_demo_note(self) -> None:
        if self.session.demo:
            self.demo_note.setText(self.tr(
                "Demo mode is on: the pages use a sample video, a sample recording and a "
                "measurement server on this computer, so you can see how everything works. "
                "The results say nothing about your own devices."))
        else:
            self.demo_note.setText("")
