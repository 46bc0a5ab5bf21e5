"""Each step's own name, in one place: the pages show it, and the window's step list reads it
before the pages are built (they are built after the first paint, issue 22).

Each name keeps the translation context of its page's class (what ``self.tr`` there uses), so
Qt's lupdate files it where the translators have it. A check step shows its check's declared
title instead once the checks are loaded (``CheckPage.title``)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# step key -> (its page's translation context, its name). QT_TRANSLATE_NOOP marks each name
# for lupdate under that context; ``own_title`` translates it when asked.
_TITLES: dict[str, tuple[str, object]] = {
    "start": ("StartPage", QT_TRANSLATE_NOOP("StartPage", "Start")),
    "checklist": ("ChecklistPage", QT_TRANSLATE_NOOP("ChecklistPage", "Preparation")),
    "camera": ("CameraPage", QT_TRANSLATE_NOOP("CameraPage", "Camera")),
    "microphone": ("MicrophonePage", QT_TRANSLATE_NOOP("MicrophonePage", "Microphone")),
    "speaker": ("SpeakersPage", QT_TRANSLATE_NOOP("SpeakersPage", "Speakers")),
    "network": ("NetworkPage", QT_TRANSLATE_NOOP("NetworkPage", "Connection")),
    "system": ("SystemPage", QT_TRANSLATE_NOOP("SystemPage", "Computer")),
    "results": ("ResultsPage", QT_TRANSLATE_NOOP("ResultsPage", "Results")),
    "details": ("DetailsPage", QT_TRANSLATE_NOOP("DetailsPage", "Details")),
}


def own_title(key: str) -> str:
    """The step ``key``'s name in the installed language; the key itself for an unknown one."""
    if key not in _TITLES:
        return key
    context, name = _TITLES[key]
    return QCoreApplication.translate(context, str(name))  # the marker returns its text
