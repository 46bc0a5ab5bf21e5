"""How numbers, quantities, dates and lengths of time are written in each language: the one
formatting path every surface uses (the app's labels and tables, the terminal, the text, HTML
and PDF reports, and the numbers inside finding texts).

The separators, digit grouping and month names come from the Unicode CLDR through Babel
(https://babel.pocoo.org/en/latest/numbers.html; CLDR "Number Symbols" and "Date Format
Patterns", https://unicode.org/reports/tr35/), not from hand-written tables: Swedish writes
"23 404,5 MiB" and "7,5 Mbit/s", English "23,404.5 MiB". Babel is imported on first use only,
so the app's first paint does not wait for it.

Kept free of Qt (the engine never imports Qt): the app calls these same functions.
"""

from __future__ import annotations

import math
from datetime import datetime
from functools import cache
from typing import Any

#: The CLDR locale each interface language is written in. English is British English: the day
#: before the month ("1 December 2026") and a 24-hour clock, as the reports always wrote it.
LOCALES = {"en": "en_GB", "sv": "sv_SE"}

#: Between a number and its unit: a no-break space, so "7,5 Mbit/s" never breaks apart.
UNIT_SPACE = "\u00a0"

#: Units written straight after the number: the plane angle's degree, minute and second
#: ("0.4°"). SI Brochure, 9th edition (BIPM 2019), section 5.4.3: a space separates a value
#: from its unit "the only exceptions are for the unit symbols for degree, minute and second
#: for plane angle, °, ′ and ″, for which no space is left".
UNSPACED_UNITS = frozenset({"°", "′", "″"})


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


@cache
def symbols(lang: str) -> tuple[str, str, str]:
    """(decimal separator, group separator, minus sign) of ``lang`` from CLDR: English
    "." "," "-", Swedish "," no-break space and "−" (U+2212)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    loc = locale_of(lang)
    group = get_group_symbol(loc)
    # CLDR's Swedish group separator is a no-break space (U+00A0); a narrow one (U+202F) in
    # some CLDR versions. Both render as a space; U+00A0 is in every font the reports embed.
    return (get_decimal_symbol(loc), "\u00a0" if group.isspace() else group,
            get_minus_sign_symbol(loc))


def decimals_for(value: float | int) -> int:
    """Sensible precision for a measured value: whole numbers as they are, 3 significant
    digits up to 100, none above (1 234 MiB, 56.3 ms, 0.42 %)."""
    if isinstance(value, int):
        return 0
    if float(value).is_integer() and (abs(value) >= 10 or not value):
        return 0
    a = abs(float(value))
    return 0 if a >= 100 else 1 if a >= 1 else 2


def number(value: float | int, lang: str, decimals: int | None = None,
           grouping: bool = True) -> str:
    """``value`` the way a reader of ``lang`` writes it (3,457.5 / 3 457,5), with
    ``decimals`` digits after the separator (``decimals_for`` when None)."""
    if isinstance(value, bool):
        raise TypeError("bool is not a number here")
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    from babel.numbers import format_decimal

    if decimals is None:
        decimals = decimals_for(value)
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(value, format=pattern, locale=locale_of(lang),
                          decimal_quantization=True, group_separator=grouping)
    _, group, minus = symbols(lang)
    if grouping and group == "\u00a0":
        text = text.replace("\u202f", group).replace(" ", group)
    # Babel writes a hyphen with an explicit pattern even where CLDR's sign is U+2212
    return text.replace("-", minus)


def trimmed(value: float | int, lang: str, decimals: int | None = None) -> str:
    """``value`` with at most ``decimals`` digits after the separator and none that are
    trailing zeros: a limit as people state it ("9", "1,2", "0,33"), not "9,0"."""
    text = number(value, lang, decimals)
    sep = symbols(lang)[0]
    if sep in text:
        text = text.rstrip("0").rstrip(sep)
    return text


def unit_for(value: Any, unit: str) -> tuple[float, str]:
    """(divisor, unit) ``value`` is written in: memory and disk of 10 GiB and more as GiB
    ("80 136 MiB" reads better as "78,3 GiB"). A limit passes its value here, so that the
    value and its limit are written in one unit ("74,8 GiB", "≥ 2 GiB")."""
    if unit == "MiB" and isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value) and abs(value) >= 10 * 1024:
        return 1024.0, "GiB"
    return 1.0, unit


def with_unit(text: str, unit: str) -> str:
    """A written number and its unit: a no-break space between them, none before a degree."""
    if not unit:
        return text
    return f"{text}{unit}" if unit in UNSPACED_UNITS else f"{text}{UNIT_SPACE}{unit}"


def python_number(text: str, lang: str) -> str:
    """A number Python's ``format`` wrote (a template's own spec, e.g. ``{value:.1f}``,
    ``{n:,}``) with ``lang``'s separators and minus sign."""
    decimal, group, minus = symbols(lang)
    out = []
    for ch in text:
        out.append(decimal if ch == "." else group if ch == "," else minus if ch == "-" else ch)
    return "".join(out)


def quantity(value: Any, unit: str, lang: str, decimals: int | None = None,
             unit_of: Any = None) -> str:
    """A measured value with its unit ("7,5 Mbit/s", "0,4°"), or "Yes"/"No" for a truth value
    and the translated word for a word ("wired"): never a raw ``True``/``False``.

    ``decimals`` is the measure's own precision as it declares it (``Measure.decimals``: a
    count of faces is "1", never "1,0"); None picks a sensible one (``decimals_for``).
    ``unit_of``: the value whose size picks the unit (``unit_for``), when it is not ``value``
    itself (a limit is written in its measured value's unit)."""
    from techcheck.checks.i18n import N_, translate

    if value is None:
        return "–"
    if isinstance(value, bool):
        return translate(N_("Yes") if value else N_("No"), lang)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "–"
        divisor, unit = unit_for(value if unit_of is None else unit_of, unit)
        if divisor != 1.0:
            value = value / divisor
            decimals = None
        return with_unit(number(value, lang, decimals), unit)
    if value == "unknown":  # the engine's word for a measurement that did not happen
        return translate(N_("not measured"), lang)  # never "unknown s", as if it were a number
    text = translate(str(value), lang)
    try:  # a number given as text takes its unit; a word never does ("none", not "none %")
        float(str(value))
    except ValueError:
        return text
    return with_unit(text, unit) if unit and unit not in text else text


#: How a limit's comparison is written before its value.
OP_SIGN = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


def limit(op: str | None, threshold: Any, unit: str, lang: str, decimals: int | None = None,
          value: Any = None) -> str:
    """A limit as the reports and the app state it: "≥ 1,2 Mbit/s", "0,21 till 0,61", and a
    range whose ends are equal as what it is, "exactly 1" ("exakt 1"), never "1.0 to 1.0".

    A limit is written without trailing zeros at the measure's precision (``decimals``):
    "≤ 9°", not "≤ 9,0°". ``value`` is the measured value, whose size picks the unit the
    limit is written in too (``unit_for``): "74,8 GiB" against "≥ 2 GiB", not "≥ 2 048 MiB"."""
    from techcheck.checks.i18n import N_, translate

    if threshold is None or threshold == "":
        return ""

    def one(x: Any) -> str:
        if isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x):
            divisor, _ = unit_for(value, unit)
            return trimmed(x / divisor, lang, decimals if divisor == 1.0 else None)
        return quantity(x, "", lang)

    shown_unit = unit_for(value, unit)[1]
    if isinstance(threshold, list | tuple) and len(threshold) == 2:
        lo, hi = (one(x) for x in threshold)
        if lo == hi:
            return translate(N_("exactly {value}"), lang, {"value": with_unit(lo, shown_unit)})
        text = translate(N_("{lo} to {hi}"), lang, {"lo": lo, "hi": hi})
        return f"{text}{UNIT_SPACE}{shown_unit}" if shown_unit else text
    if not isinstance(threshold, int | float) or isinstance(threshold, bool):
        return quantity(threshold, unit, lang)
    q = with_unit(one(threshold), shown_unit)
    sign = OP_SIGN.get(op or "")
    return f"{sign}\u00a0{q}" if sign else q


_DATE_PATTERN = {"en": "d MMMM y, HH:mm", "sv": "d MMMM y 'kl'. HH:mm"}


def when(moment: str | datetime, lang: str) -> str:
    """``2026-12-01T10:00:00+01:00`` → "1 December 2026, 10:00 (UTC+01:00)" /
    "1 december 2026 kl. 10:00 (UTC+01:00)". Text that is not a time is shown as it is."""
    if isinstance(moment, datetime):
        dt = moment
    else:
        try:
            dt = datetime.fromisoformat(moment)
        except (TypeError, ValueError):
            return str(moment)
    from babel.dates import format_datetime

    text = format_datetime(dt.replace(tzinfo=None), _DATE_PATTERN.get(lang, _DATE_PATTERN["en"]),
                           locale=locale_of(lang))
    if dt.utcoffset() is not None:
        off = dt.strftime("%z")
        text += f" (UTC{off[:3]}:{off[3:]})" if off not in ("+0000", "-0000") else " (UTC)"
    return text


def span(seconds: float, lang: str) -> str:
    """A rounded length of time in words: 25 minutes, 3 hours, 2 days."""
    from techcheck.checks.i18n import N_, translate

    minutes = abs(seconds) / 60
    if minutes < 1.5:
        return translate(N_("1 minute"), lang)
    if minutes < 120:
        return translate(N_("{n} minutes"), lang, {"n": round(minutes)})
    hours = minutes / 60
    if hours < 48:
        return translate(N_("{n} hours"), lang, {"n": round(hours)})
    return translate(N_("{n} days"), lang, {"n": round(hours / 24)})


def length_of_time(seconds: float, lang: str) -> str:
    """A length of time a person takes in at a glance, to the unit that fits it: "45 s",
    "12 min", "5 h", "2 days" (SI's symbols for the second, minute and hour, which Swedish
    writes alike: SI Brochure, 9th ed., Table 8); a clock two days off is not "172 800 s"."""
    from techcheck.checks.i18n import N_, translate

    s = abs(float(seconds))
    if s < 99.5:
        return with_unit(number(round(s), lang, 0), "s")
    if s < 99.5 * 60:
        return with_unit(number(round(s / 60), lang, 0), "min")
    if s < 47.5 * 3600:
        return with_unit(number(round(s / 3600), lang, 0), "h")
    return translate(N_("{n} days"), lang, {"n": round(s / 86400)})

