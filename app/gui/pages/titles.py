"""Each step's own name, in one place: the pages show it, and the window's step list reads it
before the pages are built (they are built after the first paint, issue 22).

Each name keeps the translation context of its page's class (what ``self.tr`` there uses), so
Qt's lupdate files it where the translators have it. A check step shows its check's declared
title instead once the checks are loaded (``CheckPage.title``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def own_title(key: str) -> str:
    """The step ``key``'s name in the installed language; the key itself for an unknown one.
    Each call is written out: lupdate reads only literal ``translate`` calls."""
    if key == "start":
        return QCoreApplication.translate("StartPage", "Start")
    if key == "checklist":
        return QCoreApplication.translate("ChecklistPage", "Preparation")
    if key == "camera":
        return QCoreApplication.translate("CameraPage", "Camera")
    if key == "microphone":
        return QCoreApplication.translate("MicrophonePage", "Microphone")
    if key == "speaker":
        return QCoreApplication.translate("SpeakersPage", "Speakers")
    if key == "network":
        return QCoreApplication.translate("NetworkPage", "Connection")
    if key == "system":
        return QCoreApplication.translate("SystemPage", "Computer")
    if key == "results":
        return QCoreApplication.translate("ResultsPage", "Results")
    if key == "details":
        return QCoreApplication.translate("DetailsPage", "Details")
    return key
