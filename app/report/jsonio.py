"""Reading and writing the JSON report (``techcheck.report/1``, documented in docs/report-format.md).

Reading is defensive: a report from a newer schema, a file that is not JSON, or one that does
not match the schema raises ``ReportError`` with a message for the user (exit status 3).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import resources
from app.atomicfile import write_atomic
from checks.model import SCHEMA_ID, SCHEMA_VERSION, Report

SCHEMA_FILE = resources.path("schemas", "report-1.schema.json")


class ReportError(Exception):
    """A report that cannot be read; ``str()`` is the whole message for the user."""


def dumps(report: Report, lang: str | None = None) -> str:
    return json.dumps(report.to_dict(lang), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, path: str | os.PathLike[str], lang: str | None = None) -> Path:
    return write_atomic(path, dumps(report, lang))


def read(path: str | os.PathLike[str]) -> Report:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ReportError(f"{p}: no such file") from None
    except OSError as exc:
        raise ReportError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    if len(raw) > 20 * 2**20:
        raise ReportError(f"{p}: too large to be a TechCheck report ({len(raw)} bytes)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{p}: not a TechCheck report (not valid JSON: {exc})") from None
    return from_data(data, str(p))


def from_data(data: Any, where: str = "report") -> Report:
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
        raise ReportError(f"{where}: not a TechCheck report (no \"schema\" field)")
    schema = data["schema"]
    name, _, version = schema.partition("/")
    if name != SCHEMA_ID.split("/")[0]:
        raise ReportError(f"{where}: not a TechCheck report (schema {schema!r})")
    if not version.isdigit() or int(version) > SCHEMA_VERSION:
        raise ReportError(
            f"{where}: written by a newer TechCheck (schema {schema}); this version reads "
            f"{SCHEMA_ID}. Update TechCheck to open it."
        )
    problems = validate(data)
    if problems:
        raise ReportError(f"{where}: the report is damaged: {problems[0]}")
    try:
        return Report.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportError(f"{where}: the report is damaged: {exc}") from None


def validate(data: Any) -> list[str]:
    """Schema problems as readable lines; empty when valid. Uses jsonschema when installed,
    else a structural check of the required fields (the frozen app does not ship jsonschema)."""
    try:
        import jsonschema
    except ImportError:
        return _validate_minimal(data)
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(str(x) for x in e.absolute_path) or '(top)'}: {e.message}"
        for e in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]


def _validate_minimal(data: Any) -> list[str]:
    for key in ("schema", "created", "verdict", "checks", "profile", "machine"):
        if key not in data:
            return [f"(top): '{key}' is a required property"]
    if not isinstance(data["checks"], list):
        return ["checks: must be a list"]
    for i, c in enumerate(data["checks"]):
        if not isinstance(c, dict):
            return [f"checks/{i}: must be an object"]
        for key in ("id", "title", "status", "metrics", "findings"):
            if key not in c:
                return [f"checks/{i}: '{key}' is a required property"]
    return []
