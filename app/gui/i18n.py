"""GUI language: Qt's translators for the widgets' own texts (``.qm`` compiled from
``resources/translations/techcheck_<lang>.ts``) plus ``techcheck.checks.i18n`` for what checks say."""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    for w in QApplication.allWidgets():  # the status lines written once: written again
        make = getattr(w, _MAKER, None)
        set_text = getattr(w, "setText", None)  # ``say`` takes any widget with setText
        if make is not None and set_text is not None:
            set_text(make())
    return lang


#: The attribute under which ``say`` keeps how a label's text is made.
_MAKER = "_techcheck_text"


def say(label: Any, make: Callable[[], str] | None) -> str:
    """Show ``make()`` in ``label`` (a QLabel, or anything with ``setText``) now, and again
    after every language switch: a status line written once ("Saved: …", "Copied 1 234
    characters") follows the language like every other text. ``None`` clears the line.

    ``make`` must build the whole text at call time (``self.tr``, ``ct``, numbers through
    ``techcheck.checks.l10n``), so it comes out in the language then current."""
    setattr(label, _MAKER, make)
    text = make() if make is not None else ""
    label.setText(text)
    return text


def fmt(template: str, **params: Any) -> str:
    """A translated template (``self.tr(...)``) filled with ``params`` the way finding texts
    are: numbers per its specs (``{level:.1f}``) with the GUI language's separators and minus
    ("−27,5 dBFS" in Swedish), never Python's English ``str.format``."""
    from techcheck.checks.i18n import fill

    return fill(template, params, _current)


def counted(text: str, n: int) -> str:
    """Qt's plural-form text (``self.tr("Copied %n character(s)…", "", n)``, which writes the
    count as plain digits) with the count written the one way numbers are: "19 352" in
    Swedish. Call it before filling in other values, so only the count's digits are there."""
    return text.replace(str(n), num(n), 1) if abs(n) >= 1000 else text


def num(value: float | int, decimals: int | None = None) -> str:
    """A number in the GUI's language (``techcheck.checks.l10n``, as every report writes it)."""
    from techcheck.checks import l10n

    return l10n.number(value, _current, decimals)


def qty(value: Any, unit: str) -> str:
    """A value with its unit in the GUI's language: "7,5 Mbit/s", "Ja" for True."""
    from techcheck.checks import l10n

    return l10n.quantity(value, unit, _current)


def current() -> str:
    return _current


def ct(template: str, params: dict[str, Any] | None = None) -> str:
    """A text from ``checks/`` (finding, fix, title, progress) in the GUI's language."""
    return translate(template, _current, params)
