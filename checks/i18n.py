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
import math
import re
import string
from functools import cache
from typing import Any

from techcheck import resources
from techcheck.checks.l10n import UNIT_SPACE, python_number

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


#: The longest text ``translate`` returns; longer ones (a damaged or hostile report) are cut
#: and end in ``SHORTENED`` so a reader sees that something was left out.
MAX_TEXT = 2000
SHORTENED = N_("…(shortened)")
#: The only format specs a template may use: optional alignment and a width of at most two
#: digits, an optional thousands comma, a precision of one digit and a float type. Anything
#: else (``{x:>300000000}``, ``{x.attr}``, ``{x[0]}``, ``{x!r}``) is shown as written, never
#: evaluated: templates are read back from report files that anyone can edit, and
#: ``str.format`` on such a template can allocate gigabytes or read attributes of the process
#: (Python documentation, "Format String Syntax" and the security note of ``string.Template``).
_SPEC = re.compile(r"(?P<align>[<>^])?(?P<width>\d{1,2})?(?P<comma>,)?(?:\.(?P<prec>\d))?"
                   r"(?P<kind>[fg%])?")


def shorten(text: str, limit: int = MAX_TEXT, lang: str = "en") -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…(shortened)" when cut."""
    if len(text) <= limit:
        return text
    mark = catalogue(lang).get(SHORTENED, SHORTENED) if lang != "en" else SHORTENED
    return text[: max(0, limit - len(mark))] + mark


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _field(value: Any, spec: str, lang: str) -> str | None:
    """One filled placeholder, or ``None`` when ``spec`` is not allowed or does not fit.
    ``{x:duration}`` writes a number of seconds as a length of time ("2 days")."""
    if spec == "duration" and _is_number(value) and math.isfinite(value):
        from techcheck.checks.l10n import length_of_time

        return length_of_time(value, lang)
    m = _SPEC.fullmatch(spec)
    if m is None:
        return None
    text_spec = (m["align"] or "") + (m["width"] or "")
    try:
        if _is_number(value) and (not isinstance(value, int) or abs(value) < 10**30):
            if isinstance(value, float) and not math.isfinite(value):
                return format("–", text_spec)
            # the template's own precision and grouping, the language's separators and minus
            # (techcheck.checks.l10n: one way to write numbers on every surface)
            text = python_number(format(value, spec), lang)
            # a percentage as the reports write "%" (l10n.with_unit): "84 %", never "84%"
            return text.replace("%", UNIT_SPACE + "%") if m["kind"] == "%" else text
        if isinstance(value, str):
            return format(shorten(value, MAX_TEXT, lang), text_spec)
        if isinstance(value, int) and not isinstance(value, bool):  # too long to write out
            return format(f"{float(value):g}", text_spec)  # OverflowError past 1e308
        if value is None or isinstance(value, bool):
            return format(str(value), text_spec)
        return format(shorten(_plain(value), MAX_TEXT, lang), text_spec)
    except (ValueError, OverflowError, TypeError):  # e.g. a number too large to write out
        return None


def _plain(value: Any) -> str:
    """Lists and tables as short text, bounded before it is built (no ``repr`` of a huge or
    deeply nested value)."""
    if isinstance(value, list | tuple):
        items = [v if isinstance(v, str) else "…" if isinstance(v, list | dict) else str(v)
                 for v in value[:50]]
        return ", ".join(shorten(i, 200) for i in items) + (", …" if len(value) > 50 else "")
    if isinstance(value, dict):
        return _plain([f"{k}: {v}" if not isinstance(v, list | dict) else f"{k}: …"
                       for k, v in list(value.items())[:50]])
    return "…"


def fill(template: str, params: dict[str, Any], lang: str = "en") -> str:
    """Put ``params`` into the named placeholders of ``template``.

    A safe subset of ``str.format``: only plain names (``{value}``, ``{value:.1f}``), no
    attribute or index lookups, no conversions, only the specs ``_SPEC`` allows. A placeholder
    that breaks these rules, names a missing parameter or does not fit its value stays in the
    text as written. Swedish gets decimal commas.
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:  # unbalanced braces: nothing can be filled safely
        return template
    out = []
    for literal, name, spec, conversion in parts:
        out.append(literal)
        if name is None:
            continue
        text = None
        if conversion is None and name.isidentifier() and name in params:
            text = _field(params[name], spec or "", lang)
        if text is None:
            text = "{" + name + (f"!{conversion}" if conversion else "") + (
                f":{spec}" if spec else "") + "}"
        out.append(text)
    return "".join(out)


#: Parameters that hold a message id (an English template) rather than data: checks store the
#: English text (``platform``: "video calls" or the profile's title; ``cause``: why the
#: microphone's band is narrow) and it is translated here,
#: when the message is shown, so a saved report re-renders in any language
#: (docs/report-format.md). A check never stores text it has already translated.
MESSAGE_ID_PARAMS = frozenset({"platform", "cause"})


def _translated_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    if lang == "en" or not MESSAGE_ID_PARAMS.intersection(params):
        return params
    cat = catalogue(lang)
    return {k: cat.get(v, v) if k in MESSAGE_ID_PARAMS and isinstance(v, str) else v
            for k, v in params.items()}


def translate(template: str, lang: str = "en", params: dict[str, Any] | None = None) -> str:
    """Translate ``template`` to ``lang`` and fill in ``params`` (safely: see ``fill``), the
    ``MESSAGE_ID_PARAMS`` among them translated too. Unknown text stays English; the result is
    at most ``MAX_TEXT`` characters."""
    text = catalogue(lang).get(template, template) if lang != "en" else template
    if params:
        text = fill(shorten(text, MAX_TEXT, lang), _translated_params(params, lang), lang)
    return shorten(text, MAX_TEXT, lang)
