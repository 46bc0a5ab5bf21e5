"""Reading and writing the JSON report (``techcheck.report/1``, documented in docs/report-format.md).

Reading is defensive, and the same in every install (the one-file app ships no jsonschema):
the file must be a regular file of at most ``MAX_BYTES``; the JSON may nest at most
``MAX_DEPTH`` deep, has no ``NaN``/``Infinity``, no number beyond ``MAX_NUMBER``, no lone
surrogate; and ``validate`` checks every field the schema
(``resources/schemas/report-1.schema.json``) describes, with its type, plus a real date in
``created`` and bounded counts of checks, metrics and findings (the limits are in
docs/input-limits.md). Anything else raises ``ReportError`` naming the file and the problem
(exit status 3). The tests hold ``validate`` against the JSON Schema with jsonschema.
"""

from __future__ import annotations

import json
import math
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from techcheck import resources
from techcheck.app.atomicfile import write_atomic
from techcheck.checks.i18n import shorten
from techcheck.checks.model import SCHEMA_ID, SCHEMA_VERSION, CheckResult, Report, Status
from techcheck.checks.safefile import InputFileError, read_bounded

SCHEMA_FILE = resources.path("schemas", "report-1.schema.json")

#: A real report is 10–100 KB, about 1 MB with a camera picture.
MAX_BYTES = 8 * 2**20
#: A real report nests 6 deep (checks → check → details → list → object → value).
MAX_DEPTH = 32
#: Larger than any measured value (bytes of memory, bits per second), small enough that every
#: number can be converted to a float and written out.
MAX_NUMBER = 1e18
#: JSON values (numbers, texts, true/false/null, lists and objects) in one report. A real
#: report holds a few hundred to a few thousand; 8 MiB of ``[[],[],…]`` would be 2.8 million
#: Python objects and about 700 MB, so they are counted before any is built.
MAX_VALUES = 100_000
MAX_CHECKS = 64
MAX_METRICS = 1000  # in all checks together
MAX_FINDINGS = 300  # in all checks together


class ReportError(Exception):
    """A report that cannot be read; ``str()`` is the whole message for the user."""


def dumps(report: Report, lang: str | None = None) -> str:
    return json.dumps(report.to_dict(lang), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, path: str | os.PathLike[str], lang: str | None = None) -> Path:
    return write_atomic(path, dumps(report, lang))


def read(path: str | os.PathLike[str]) -> Report:
    p = Path(path)
    try:
        raw = read_bounded(p, MAX_BYTES, "a TechCheck report")
    except InputFileError as exc:
        raise ReportError(str(exc)) from None
    return from_data(loads(raw, str(p)), str(p))


class _Refused(ValueError):
    pass


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number a report can hold")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise _Refused(f"the number {text[:12]}… has {len(text)} digits; at most 19")
    return int(text)


#: A JSON string token (RFC 8259 §7): a quote, runs of plain characters and escapes, then a
#: quote, or the end of the text for a string never closed. Possessive quantifiers and the
#: end as a way out make every match succeed from its first quote, so the scan is linear:
#: with the closing quote required, 80 KB of ``"\"\"…`` took 12 s (each quote a new start).
_STRING = re.compile(r'"[^"\\]*+(?:\\(?:.|\Z)[^"\\]*+)*+(?:"|\Z)', re.DOTALL)


def count_values(text: str) -> int:
    """An upper bound on the JSON values ``text`` parses to, counted without building them:
    outside strings, every value after the first in a list or object follows a comma and
    every list or object opens with a bracket (keys follow colons). Strings are blanked first
    (in C, by ``re.sub``), so commas inside a message or the camera picture do not count."""
    bare = _STRING.sub('""', text)
    return sum(bare.count(c) for c in ",:[{") + 1


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose names are all different: with a name given twice, readers
    disagree on which one counts (Python keeps the last), so a report could show one status
    to one program and another to the next (RFC 8259 §4: names SHOULD be unique)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Refused(f"the name '{twice[:40]}' is given twice in one object")
    return obj


def loads(raw: bytes | str, where: str = "report") -> Any:
    """Parse a report's JSON with the limits above; ``ReportError`` when it breaks one."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        values = count_values(text)
        if values > MAX_VALUES:
            raise _Refused(f"it holds more than {MAX_VALUES:,} JSON values (a real report "
                           "holds a few thousand)")
        data = json.loads(text, parse_constant=_constant, parse_int=_int,
                          object_pairs_hook=_object)
    except UnicodeDecodeError:
        raise ReportError(f"{where}: not a TechCheck report (not UTF-8 text)") from None
    except RecursionError:
        raise ReportError(f"{where}: not a TechCheck report (nested more than {MAX_DEPTH} "
                          "deep)") from None
    except _Refused as exc:
        raise ReportError(f"{where}: the report is damaged: {exc}") from None
    except ValueError as exc:  # JSONDecodeError, and int() past Python's digit limit
        raise ReportError(f"{where}: not a TechCheck report (not valid JSON: {exc})") from None
    problem = _plain_json(data)
    if problem:
        raise ReportError(f"{where}: the report is damaged: {problem}")
    return data


def _plain_json(data: Any) -> str | None:
    """The first value a report cannot hold: too deep, a non-finite or huge number, text that
    is not valid Unicode. Iterative, so depth cannot exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"{where or '(top)'}: nested more than {MAX_DEPTH} deep"
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return f"{where or '(top)'}: text with an invalid character (a lone surrogate)"
        elif isinstance(value, float):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                return f"{where or '(top)'}: the number is too large"
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_NUMBER:
                return f"{where or '(top)'}: the number is too large"
        elif isinstance(value, dict):
            for k, v in value.items():
                if _SURROGATE.search(k):
                    return f"{where or '(top)'}: a name with an invalid character"
                stack.append((v, f"{where}/{k[:40]}" if where else k[:40], depth + 1))
        elif isinstance(value, list):
            stack.extend((v, f"{where}/{i}", depth + 1) for i, v in enumerate(value))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def from_data(data: Any, where: str = "report") -> Report:
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
        raise ReportError(f"{where}: not a TechCheck report (no \"schema\" field)")
    schema = data["schema"]
    name, _, version = schema.partition("/")
    if name != SCHEMA_ID.split("/")[0]:
        raise ReportError(f"{where}: not a TechCheck report (schema {schema[:60]!r})")
    if version.isdecimal() and len(version) <= 6 and int(version) > SCHEMA_VERSION:
        raise ReportError(
            f"{where}: written by a newer TechCheck (schema {schema}); this version reads "
            f"{SCHEMA_ID}. Update TechCheck to open it."
        )
    if schema != SCHEMA_ID:
        raise ReportError(f"{where}: not a report this TechCheck can read (schema "
                          f"{schema[:60]!r}; it reads {SCHEMA_ID})")
    problems = validate(data)
    if problems:
        raise ReportError(f"{where}: the report is damaged: {problems[0]}")
    try:
        report = Report.from_dict(_shortened(data))
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ReportError(f"{where}: the report is damaged: {exc}") from None
    for check in report.checks:
        check.status = _at_least_its_findings(check)
    return report


def _at_least_its_findings(check: CheckResult) -> Status:
    """A check's status as read, made as bad as its worst finding (a tip never counts, as in
    ``CheckResult.recompute_status``): a file saying "pass" over a FAIL finding would
    otherwise render READY. Never made better than it says: a stated status worse than its
    findings (an error the runner set) stays."""
    found = Status.worst([f.status for f in check.findings if f.status is not Status.TIP])
    return Status.worst([check.status, found])


_WHOLE = ("details", "logo")


def _shortened(value: Any) -> Any:
    """``value`` with every text longer than ``MAX_TEXT`` cut, ending in "…(shortened)", so
    that no renderer lays out megabytes of one field (a PDF takes a second per 10,000
    characters). ``details`` (the camera picture) and a brand's ``logo`` stay whole: they are
    not laid out as text."""
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, list):
        return [_shortened(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in _WHOLE else _shortened(v) for k, v in value.items()}
    return value


# --- validation -----------------------------------------------------------------------------
# The schema's rules written out, so every install validates the same way (tests/
# test_hostile_reports.py holds them against resources/schemas/report-1.schema.json).

STATUSES = ("pass", "tip", "warn", "fail", "skipped", "error")
VERDICTS = ("ready", "ready_with_warnings", "not_ready", "demo")
OPS = ("<", "<=", ">", ">=", "==", "between", None)
_CREATED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
_CHECK_ID = re.compile(r"^[a-z0-9_]+$")
_CODE = re.compile(r"^[a-z0-9_]+\.[a-z0-9_.]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _Invalid(Exception):
    pass


def _num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


_TYPES: dict[str, Any] = {
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
    "number": _num,
    "boolean": lambda x: isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "null": lambda x: x is None,
}


def _need(obj: dict, where: str, keys: tuple[str, ...]) -> None:
    for key in keys:
        if key not in obj:
            raise _Invalid(f"{where or '(top)'}: '{key}' is a required property")


def _is(value: Any, where: str, *kinds: str) -> None:
    if not any(_TYPES[k](value) for k in kinds):
        raise _Invalid(f"{where}: must be {' or '.join(kinds)}, not {_describe(value)}")


def _one_of(value: Any, where: str, allowed: tuple[Any, ...]) -> None:
    if value not in allowed or isinstance(value, bool):
        shown = ", ".join("null" if a is None else str(a) for a in allowed)
        raise _Invalid(f"{where}: must be one of {shown}, not {_describe(value)}")


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value[:40] + ("…" if len(value) > 40 else ""))
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if _num(value):
        return str(value)
    return "a list" if isinstance(value, list) else "an object"


def _fields(obj: dict, where: str, spec: dict[str, tuple[str, ...]]) -> None:
    for key, kinds in spec.items():
        if key in obj:
            _is(obj[key], f"{where}/{key}" if where else key, *kinds)


def _threshold(value: Any, where: str) -> None:
    if isinstance(value, list):
        if len(value) != 2 or not all(_num(x) for x in value):
            raise _Invalid(f"{where}: a range must be two numbers [low, high]")
    else:
        _is(value, where, "number", "string", "boolean", "null")


def validate(data: Any) -> list[str]:
    """Problems as readable lines (the first one found); empty when ``data`` is a valid
    ``techcheck.report/1``. Pure Python: the same verdict in a plain install, the one-file app
    and the tests."""
    try:
        _validate(data)
    except _Invalid as exc:
        return [str(exc)]
    return []


def _validate(d: Any) -> None:
    _is(d, "(top)", "object")
    _need(d, "", ("schema", "created", "app_version", "profile", "verdict", "machine", "checks"))
    if d["schema"] != SCHEMA_ID:
        raise _Invalid(f"schema: must be {SCHEMA_ID}")
    _is(d["created"], "created", "string")
    if not _CREATED.match(d["created"]):
        raise _Invalid(f"created: not a date and time with its zone: {_describe(d['created'])}")
    try:
        created = datetime.fromisoformat(d["created"])
    except ValueError:
        raise _Invalid(f"created: no such date or time: {_describe(d['created'])}") from None
    if not 1971 <= created.year <= 9998:  # so that every time zone can convert it
        raise _Invalid(f"created: the year must be between 1971 and 9998: "
                       f"{_describe(d['created'])}")
    _fields(d, "", {"app_version": ("string",), "profile": ("object",), "machine": ("object",),
                    "checks": ("array",)})
    if "lang" in d:
        _one_of(d["lang"], "lang", ("en", "sv"))
    _one_of(d["verdict"], "verdict", VERDICTS)
    _need(d["profile"], "profile", ("name", "title"))
    _fields(d["profile"], "profile", {k: ("string",) for k in ("name", "title", "platform",
                                                               "file")})
    if "brand" in d["profile"]:
        _brand(d["profile"]["brand"], "profile/brand")
    _fields(d["machine"], "machine", {
        "os": ("string",), "kernel": ("string",), "arch": ("string",), "cpu": ("string",),
        "cpu_cores": ("integer",), "cpu_threads": ("integer",), "memory_gb": ("number",),
        "python": ("string",), "frozen": ("boolean",)})
    if len(d["checks"]) > MAX_CHECKS:
        raise _Invalid(f"checks: {len(d['checks'])} checks; a report has at most {MAX_CHECKS}")
    for i, c in enumerate(d["checks"]):
        _check(c, f"checks/{i}")
    metrics = sum(len(c["metrics"]) for c in d["checks"])
    findings = sum(len(c["findings"]) for c in d["checks"])
    if metrics > MAX_METRICS or findings > MAX_FINDINGS:
        raise _Invalid(f"checks: {metrics} metrics and {findings} findings; a report has at "
                       f"most {MAX_METRICS} metrics and {MAX_FINDINGS} findings")
    if "invitation" in d:
        inv = d["invitation"]
        _is(inv, "invitation", "object")
        _need(inv, "invitation", ("format", "profile", "when", "contact"))
        _fields(inv, "invitation", {k: ("string",) for k in (
            "format", "profile", "when", "contact", "company", "position", "server", "stun",
            "note", "app_min_version", "file", "sha256")})
        if "sha256" in inv and not _SHA256.match(inv["sha256"]):
            raise _Invalid("invitation/sha256: must be 64 hexadecimal digits")
        if "brand" in inv:
            _brand(inv["brand"], "invitation/brand")
    if "checklist" in d:
        cl = d["checklist"]
        _is(cl, "checklist", "object")
        _need(cl, "checklist", ("items",))
        _is(cl["items"], "checklist/items", "array")
        for i, item in enumerate(cl["items"]):
            where = f"checklist/items/{i}"
            _is(item, where, "object")
            _need(item, where, ("id", "label", "done"))
            _fields(item, where, {"id": ("string",), "label": ("string",), "done": ("boolean",)})


_ACCENT = re.compile(r"^#[0-9a-f]{6}$")
_LOGO = re.compile(r"^data:image/(png|svg\+xml);base64,")


def _brand(b: Any, where: str) -> None:
    """An organisation's brand (docs/branding.md); ``techcheck.app.brand`` checks it again to show it."""
    _is(b, where, "object")
    _need(b, where, ("name",))
    extra = set(b) - {"name", "accent", "welcome", "logo"}
    if extra:
        raise _Invalid(f"{where}: unknown field '{sorted(extra)[0][:40]}'")
    _fields(b, where, {k: ("string",) for k in ("name", "accent", "welcome", "logo")})
    for key, most in (("name", 80), ("welcome", 300)):
        if len(b.get(key, "")) > most:
            raise _Invalid(f"{where}/{key}: longer than {most} characters")
    if "accent" in b and not _ACCENT.match(b["accent"]):
        raise _Invalid(f"{where}/accent: must be a colour like #1a7f37")
    if "logo" in b and not _LOGO.match(b["logo"]):
        raise _Invalid(f"{where}/logo: must be a PNG or SVG data: URL")


def _check(c: Any, where: str) -> None:
    _is(c, where, "object")
    _need(c, where, ("id", "title", "status", "duration_s", "metrics", "findings"))
    _fields(c, where, {"id": ("string",), "title": ("string",), "duration_s": ("number",),
                       "metrics": ("object",), "findings": ("array",), "details": ("object",),
                       "error": ("string", "null")})
    if not _CHECK_ID.match(c["id"]):
        raise _Invalid(f"{where}/id: must be lower-case letters, digits and _")
    _one_of(c["status"], f"{where}/status", STATUSES)
    if c["duration_s"] < 0:
        raise _Invalid(f"{where}/duration_s: must not be negative")
    for name, m in c["metrics"].items():
        mw = f"{where}/metrics/{name[:40]}"
        _is(m, mw, "object")
        _need(m, mw, ("value", "unit"))
        extra = set(m) - {"value", "unit", "threshold", "op", "status"}
        if extra:
            raise _Invalid(f"{mw}: unknown field '{sorted(extra)[0][:40]}'")
        _is(m["value"], f"{mw}/value", "number", "string", "boolean", "null")
        _is(m["unit"], f"{mw}/unit", "string")
        if "threshold" in m:
            _threshold(m["threshold"], f"{mw}/threshold")
        if "op" in m:
            _one_of(m["op"], f"{mw}/op", OPS[:-1])
        if "status" in m:
            _one_of(m["status"], f"{mw}/status", STATUSES)
    for i, f in enumerate(c["findings"]):
        _finding(f, f"{where}/findings/{i}")


def _finding(f: Any, where: str) -> None:
    _is(f, where, "object")
    _need(f, where, ("code", "status", "message", "fix", "value", "threshold", "unit"))
    _fields(f, where, {"code": ("string",), "message": ("string",), "fix": ("string",),
                       "unit": ("string",), "template": ("object",)})
    if not _CODE.match(f["code"]):
        raise _Invalid(f"{where}/code: must look like check.what")
    _one_of(f["status"], f"{where}/status", STATUSES)
    _is(f["value"], f"{where}/value", "number", "string", "boolean", "null")
    _threshold(f["threshold"], f"{where}/threshold")
    if "op" in f:
        _one_of(f["op"], f"{where}/op", OPS)
    if "template" in f:
        tpl = f["template"]
        _need(tpl, f"{where}/template", ("message", "fix", "params"))
        _fields(tpl, f"{where}/template", {"message": ("string",), "fix": ("string",),
                                           "params": ("object",)})
