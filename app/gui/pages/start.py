"""Start: language, role and interview platform (which picks the profile), and demo mode."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.gui import settings as S
from app.gui.pages.base import Page
from app.gui.session import Session

PLATFORM_NAMES = {"teams": "Microsoft Teams", "zoom": "Zoom", "meet": "Google Meet",
                  "webex": "Webex"}


class StartPage(Page):
    key = "start"
    language_chosen = Signal(str)  # "system" | "en" | "sv"
    role_chosen = Signal(str)
    platform_chosen = Signal(str)
    demo_chosen = Signal(str)  # auto | on | off
    start_clicked = Signal()

    def __init__(self, session: Session, settings: S.Settings, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.settings = settings
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
        self.layout_.addLayout(form)
        self.demo_note = QLabel(self.body)
        self.demo_note.setWordWrap(True)
        self.layout_.addWidget(self.demo_note)
        row = QHBoxLayout()
        self.start_button = QPushButton(self.body)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_clicked)
        row.addWidget(self.start_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addStretch(1)
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

    def title(self) -> str:
        return self.tr("Start")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Get ready for your video interview"))
        self.intro.setText(self.tr(
            "In a few minutes TechCheck tests your camera, microphone, speakers, connection and "
            "computer, and tells you exactly what to fix. Nothing you say or show leaves this "
            "computer."))
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
        self._fill(self.demo, [("auto", self.tr("Automatic (when no camera, microphone or "
                                                "network is found)")),
                               ("on", self.tr("On: use sample video, sound and a local server")),
                               ("off", self.tr("Off: use my devices"))])
        self.language.setAccessibleName(self.tr("Language"))
        self.role.setAccessibleName(self.tr("Your role"))
        self.platform.setAccessibleName(self.tr("Video service of the interview"))
        self.demo.setAccessibleName(self.tr("Demo mode"))
        self.platform_label.setText(self.tr("The interview is &on:"))
        self.start_button.setText(self.tr("&Start the check"))
        self.start_button.setAccessibleName(self.tr("Start the check"))
        self.update_demo_note()

    def update_demo_note(self) -> None:
        if self.session.demo:
            self.demo_note.setText(self.tr(
                "Demo mode is on: the pages use a sample video, a sample recording and a "
                "measurement server on this computer, so you can see how everything works. "
                "The results say nothing about your own devices."))
        else:
            self.demo_note.setText("")
