"""Translation of the texts that checks produce (finding messages, fixes, titles).

Checks mark English templates with ``N_`` and the catalogue files in
``resources/translations/<lang>/*.json`` (one per area: core, camera, audio, network, report…)
map each template to its translation. The same
catalogue serves the GUI, the CLI and the reports, so a finding reads the same everywhere. The
GUI's own widgets use Qt's .ts/.qm tooling; this module stays free of Qt.
"""

from __future__ import annotations

import json
import logging
import string
from functools import cache
from typing import Any

import resources

log = logging.getLogger("techcheck.i18n")

LANGUAGES = ("en", "sv")


def N_(text: str) -> str:
    """Mark a string for translation; it is translated when shown, not here."""
    return text


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    folder = resources.path("translations", lang)
    merged: dict[str, str] = {}
    files = sorted(folder.glob("*.json"))
    if not files:
        log.warning("no translation catalogue for %r", lang)
    for p in files:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # a broken catalogue must not stop a check
            log.error("cannot read translations %s: %s", p, exc)
            continue
        merged.update({k: v for k, v in data.items() if not k.startswith("_")})
    return merged


class _Formatter(string.Formatter):
    """str.format that writes decimal commas for Swedish and leaves missing fields visible."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return "{" + key + "}"
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, str) and value.startswith("{") and format_spec:
            return value  # a missing field: show it rather than crash on its format spec
        text = super().format_field(value, format_spec)
        if self.lang == "sv" and isinstance(value, float):
            text = text.replace(".", ",")
        return text


def translate(template: str, lang: str = "en", params: dict[str, Any] | None = None) -> str:
    """Translate ``template`` to ``lang`` and fill in ``params``. Unknown text stays English."""
    text = catalogue(lang).get(template, template) if lang != "en" else template
    if not params:
        return text
    try:
        return _Formatter(lang).vformat(text, (), params)
    except (ValueError, IndexError, KeyError) as exc:  # a bad translation must not crash a run
        log.warning("cannot format %r: %s", text, exc)
        return template
