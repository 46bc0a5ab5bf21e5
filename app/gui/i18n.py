"""GUI language: Qt's translators for the widgets' own texts (``.qm`` compiled from
``resources/translations/techcheck_<lang>.ts``) plus ``techcheck.checks.i18n`` for what checks say."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from techcheck import resources
from techcheck.checks.i18n import LANGUAGES, translate

log = logging.getLogger("techcheck.gui")

_installed: list[QTranslator] = []
_current = "en"


def system_language() -> str:
    """The OS language when we have it, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


def resolve(setting: str) -> str:
    return system_language() if setting == "system" else setting if setting in LANGUAGES else "en"


def qm_path(lang: str):
    return resources.path("translations", f"techcheck_{lang}.qm")


def install(lang: str) -> str:
    """Switch the whole app to ``lang``; widgets retranslate on the LanguageChange event."""
    global _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("a language can be installed only in a running Qt application")
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    # English too: its file holds the plural forms ("1 check", "3 checks") of the source texts
    ours = QTranslator()
    if ours.load(str(qm_path(lang))):
        _installed.append(ours)
    else:
        log.error("cannot load the %s translation %s", lang, qm_path(lang))
    if lang != "en":
        qt_own = QTranslator()  # standard buttons, file dialogs
        if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _installed.append(qt_own)
    for tr in _installed:
        app.installTranslator(tr)
    _current = lang
    # Qt posts LanguageChange to the windows; send it now so that the switch is done when
    # this returns (what a test, and a person pressing the language box, then sees)
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for w in QApplication.topLevelWidgets():
        QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))
    return lang


def current() -> str:
    return _current


def ct(template: str, params: dict[str, Any] | None = None) -> str:
    """A text from ``checks/`` (finding, fix, title, progress) in the GUI's language."""
    return translate(template, _current, params)
