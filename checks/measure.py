"""Each measure declared once: its name, unit, label, the profile keys of its limits, the
direction that is good, the statuses crossing its limits give, and what to say when it does
(the finding's message and fix, the live preview's short hint).

A check grades a number only through its declaration (``ResultBuilder.grade``), so the report
row, the finding's sentence, the live hint and the GUI's details page all quote the one limit
that decided the status (docs/verdicts.md). Built-in checks keep their declarations in a small
module each (``MEASURES`` there) that imports nothing heavy, so a report can find a saved
metric's label without loading the check itself.

A declared limit names its profile key (``"jitter_warn_ms"``, or ``"color_a_range[0]"``
for an item of a pair), or is a number (a limit no profile changes, such as "one face"), or a
function of the check's ``Limits`` for a limit derived from several keys (a colour range
widened by its margin, the target video tier's speed). ``Measure.bind(limits)`` turns the
references into numbers for one run.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from techcheck.checks.model import Status

INF = math.inf

#: A limit as declared: a profile key, a number, or a function of the check's ``Limits``.
LimitRef = str | float | int | Callable[[Any], float]

#: The statuses past the first and the second limit (docs/verdicts.md).
WARN_FAIL = (Status.WARN, Status.FAIL)
TIP_WARN = (Status.TIP, Status.WARN)
WARN_ONLY = (Status.WARN, Status.WARN)
TIP_ONLY = (Status.TIP, Status.TIP)
FAIL_ONLY = (Status.FAIL, Status.FAIL)

_ITEM = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[(\d+)\])?$")

#: ``Measure.shown_as``: a fraction of a whole (0.84 of the picture's height) that a person
#: reads as a percentage, "84 %"; its limits too ("at most 80 %").
PERCENT = "percent"
#: ``Measure.shown_as``: a width and a height recorded as "1280x720", read as "1280 × 720"
#: with the multiplication sign between spaces (ISO 80000-1, "Quantities and units — General",
#: on multiplying numbers: the cross "×", never a letter x).
SIZE = "size"
_SIZE = re.compile(r"^(\d{1,6})\s*[x×X]\s*(\d{1,6})$")


@dataclass(frozen=True)
class Side:
    """One way a measure can go wrong (too low or too high), with up to two limits: past
    ``first`` the finding has ``levels[0]``, past ``second`` (further out; ``None`` when there
    is only one limit) ``levels[1]``. ``message`` and ``fix`` are ``N_`` templates filled with
    ``{value}``, ``{threshold}`` (the limit crossed) and the site's parameters; ``hint`` is the
    live preview's short text. ``variants`` are other messages for the same finding that a
    site picks by key when the value alone cannot say it (an echo at full strength, a delay
    that rises while uploading)."""

    code: str
    first: LimitRef
    second: LimitRef | None = None
    message: str = ""
    fix: str = ""
    hint: str = ""
    #: or the profile key of a ``LimitStatus`` (``"no_speech_status"``): one status, the
    #: profile's, past the limit
    levels: tuple[Status, Status] | str = WARN_FAIL
    #: (key, message, fix): another wording a site picks by key; fix "" keeps ``fix``
    variants: tuple[tuple[str, str, str], ...] = ()

    def bound(self) -> tuple[float, float, tuple[Status, Status]]:
        """(first, second, levels) of a side bound to its limits (``Measure.resolved``): numbers
        and statuses, no longer profile keys; a side that is not bound is a programming error."""
        first, second, levels = self.first, self.second, self.levels
        if not isinstance(first, int | float) or not isinstance(second, int | float) \
                or isinstance(levels, str):
            raise TypeError(f"{self.code}: bind the measure to its limits first")
        return float(first), float(second), levels

    def status(self, level: Status) -> Status:
        """The finding's status for a crossed limit (``level``: WARN = first, FAIL = second)."""
        if level is Status.PASS:
            return Status.PASS
        if isinstance(self.levels, str):
            raise TypeError(f"{self.code}: bind the measure to its limits first")
        return self.levels[0] if level is Status.WARN else self.levels[1]

    def texts(self, variant: str | None) -> tuple[str, str]:
        """(message, fix) templates, the side's own or the named variant's."""
        if variant is None:
            return self.message, self.fix
        for key, message, fix in self.variants:
            if key == variant:
                return message, fix or self.fix
        raise KeyError(f"{self.code}: no message variant {variant!r}")

    def refs(self) -> tuple[LimitRef, ...]:
        return (self.first,) if self.second is None else (self.first, self.second)


@dataclass(frozen=True)
class Measure:
    """What one metric is and how it is judged. A measure without sides is recorded, not
    graded (the processor's core count); it still has its label and unit here."""

    name: str  # the metric's name in reports (public: checks/renamed.py keeps old ones)
    unit: str
    low: Side | None = None  # judged when the value is below the limits (higher is better)
    high: Side | None = None  # judged when the value is above the limits (lower is better)
    label: str = ""  # N_ text for reports and the details page
    #: Digits after the decimal separator its values are written with on every surface (a
    #: count: 0, so one face reads "1", never "1.0"); None picks a sensible precision
    #: (``techcheck.checks.l10n.decimals_for``). Its limits are written at most this precise.
    decimals: int | None = None
    #: How its values are written for a person (``PERCENT``, ``SIZE``; "" as they are). The
    #: report file keeps the value as measured (docs/report-format.md): a fraction stays
    #: 0.84 with unit "", so files stay compatible; every surface writes it through ``shown``.
    shown_as: str = ""
    #: (recorded word, N_ text a person reads) for a measure whose value is a word: the
    #: network's "direct" is read "directly, without a proxy" ("direkt, utan proxy").
    words: tuple[tuple[str, str], ...] = ()
    #: Profile values times ``scale`` are the limits in the metric's unit (a ratio in the
    #: profile, shown in %).
    scale: float = 1.0
    margin: float = 0.0  # hysteresis for live judging: how far past a limit changes state
    ok_hint: str = ""  # N_ short text for the live preview when it passes
    #: Codes whose finding explains this one (its fix also fixes this): when another measure
    #: of the same run reported one of them, this measure's finding is left out.
    explained_by: tuple[str, ...] = ()
    # Camera window options (checks/camera/judge.py).
    aggregate: str = "median"  # or "mean" (shares of black or frozen frames)
    needs_face: bool = True
    sticky: bool = False  # the check reports the worst state seen, not the last (stalls)
    absent_ok: bool = False  # not measured while a face is seen means fine (no light behind)

    def shown(self, value: Any, unit: str) -> tuple[Any, str]:
        """(value, unit) as a person reads them: a ``PERCENT`` fraction (or a pair of limits)
        times 100 in "%", a ``SIZE`` with its multiplication sign, a recorded word as its
        declared text (an N_ template: ``l10n.quantity`` translates it). A value in another
        unit than the declared one (a plug-in's, a future file's) is left as it is."""
        if self.shown_as == PERCENT and unit == self.unit:
            return _times(value, 100.0), "%"
        if isinstance(value, str):
            if self.shown_as == SIZE:
                m = _SIZE.fullmatch(value.strip())
                if m is not None:
                    return f"{m[1]}\u00a0×\u00a0{m[2]}", unit
            for word, text in self.words:
                if value == word:
                    return text, unit
        return value, unit

    @property
    def graded(self) -> bool:
        return self.low is not None or self.high is not None

    def sides(self) -> list[tuple[Side, bool]]:
        """(side, higher_is_better) for each side it judges."""
        out = []
        if self.low is not None:
            out.append((self.low, True))
        if self.high is not None:
            out.append((self.high, False))
        return out

    def keys(self) -> set[str]:
        """The profile keys its limits name (for the test that they exist)."""
        out = set()
        for side, _ in self.sides():
            for ref in side.refs():
                if isinstance(ref, str):
                    m = _ITEM.match(ref)
                    out.add(m.group(1) if m else ref)
            if isinstance(side.levels, str):
                out.add(side.levels)
        return out

    def bind(self, limits: Any) -> Measure:
        """This measure with its limits as numbers from ``limits`` (the check's ``Limits``
        for this run). A one-limit side gets an infinite second limit on its bad side."""
        sides = {}
        for attr, side, hib in (("low", self.low, True), ("high", self.high, False)):
            if side is None:
                continue
            first = _resolve(side.first, limits, self.scale)
            second = (-INF if hib else INF) if side.second is None else \
                _resolve(side.second, limits, self.scale)
            levels = side.levels
            if isinstance(levels, str):  # the profile says which status: pass, warn or fail
                status = Status(getattr(limits, levels))
                levels = (status, status)
            sides[attr] = dataclasses.replace(side, first=first, second=second, levels=levels)
        if not sides:
            return self
        return dataclasses.replace(self, scale=1.0, low=sides.get("low", self.low),
                                   high=sides.get("high", self.high))

    def pass_limits(self, shift: float = 0.0) -> float | list[float] | None:
        """What a passing value is held to (bound measures only): the first limit of each
        side it judges, moved by the hysteresis ``shift`` that was applied (> 0 more lenient),
        as ``[low, high]`` when it has both (infinite limits left out)."""
        lo = float(self.low.first) - shift if self.low is not None else None  # type: ignore[arg-type]
        hi = None
        if self.high is not None and self.high.first != INF:
            hi = float(self.high.first) + shift  # type: ignore[arg-type]
        if lo is not None and hi is not None:
            return [lo, hi]
        return lo if lo is not None else hi

    @property
    def pass_op(self) -> str | None:
        """How a passing value compares with ``pass_limits``."""
        if self.low is not None and self.high is not None and self.high.first != INF:
            return "between"
        if self.low is not None:
            return ">="
        return "<=" if self.high is not None else None


def _times(value: Any, factor: float) -> Any:
    """``value`` (a number or a [low, high] pair) times ``factor``; anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value * factor
    if isinstance(value, list | tuple) and len(value) == 2:
        return [_times(x, factor) for x in value]
    return value


def _resolve(ref: LimitRef, limits: Any, scale: float) -> float:
    if isinstance(ref, int | float):
        return float(ref)  # a fixed limit: already in the metric's unit
    if callable(ref):
        return float(ref(limits)) * scale
    m = _ITEM.match(ref)
    if m is None:
        raise ValueError(f"not a profile key: {ref!r}")
    value = getattr(limits, m.group(1))
    if m.group(2) is not None:
        value = value[int(m.group(2))]
    return float(value) * scale


def table(measures: Iterable[Measure]) -> dict[str, Measure]:
    """Measures by name; a name declared twice is a mistake caught at import."""
    out: dict[str, Measure] = {}
    for m in measures:
        if m.name in out:
            raise ValueError(f"measure {m.name!r} is declared twice")
        out[m.name] = m
    return out


#: Where each built-in check declares its measures (light modules: no numpy, no OpenCV).
BUILTIN = {
    "system": "techcheck.checks.system.measures",
    "camera": "techcheck.checks.camera.rules",
    "microphone": "techcheck.checks.audio.measures",
    "speaker": "techcheck.checks.audio.measures",
    "network": "techcheck.checks.network.measures",
    "screen": "techcheck.checks.screen.measures",
}


def declared(check_id: str) -> Mapping[str, Measure]:
    """The measures a built-in check declares, by name (empty for another check: a plug-in's
    metrics are shown with their key made readable)."""
    module = BUILTIN.get(check_id)
    if module is None:
        return {}
    measures: Mapping[str, Measure] = importlib.import_module(module).MEASURES.get(check_id, {})
    return measures


def param_words(check_id: str) -> Mapping[str, tuple[tuple[str, str], ...]]:
    """The words a built-in check records in its findings' parameters (a server's "timeout")
    with the N_ text a person reads for each, by parameter name (``PARAM_WORDS`` beside its
    ``MEASURES``; empty when it declares none)."""
    module = BUILTIN.get(check_id)
    if module is None:
        return {}
    words: Mapping[str, tuple[tuple[str, str], ...]] = getattr(
        importlib.import_module(module), "PARAM_WORDS", {}).get(check_id, {})
    return words


def worded(params: Mapping[str, Any], words: Mapping[str, tuple[tuple[str, str], ...]],
           translate: Callable[[str], str]) -> dict[str, Any]:
    """``params`` with the declared words read as their texts (``translate`` puts a text in
    the reader's language): the words of a list ("stall, unconfirmed"), or a word in brackets
    after a name ("host:443 (timeout)"). Anything else stays as written."""
    out = dict(params)
    for name, table in words.items():
        value = params.get(name)
        if not isinstance(value, str):
            continue
        known = dict(table)
        if "(" not in value:
            out[name] = ", ".join(translate(known[p]) if p in known else p
                                  for p in value.split(", "))
        else:
            out[name] = _BRACKETED.sub(_bracketed_word(known, translate), value)
    return out


def _bracketed_word(known: Mapping[str, str],
                    translate: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    """A substitution for "(word)": the word's declared text if it has one."""
    def sub(m: re.Match[str]) -> str:
        return f"({translate(known[m[1]])})" if m[1] in known else m[0]
    return sub


_BRACKETED = re.compile(r"\((\w+)\)")
