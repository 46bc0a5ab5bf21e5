"""Report writers by format name. Every writer writes atomically and raises ``OSError`` on
failure; the caller turns that into a message with a fix."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from app.atomicfile import write_atomic
from app.report import jsonio, text
from checks.model import Report

Writer = Callable[[Report, "str | os.PathLike[str]", str], Path]


def _write_json(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    return jsonio.write(report, path, lang)


def _write_text(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    return write_atomic(path, text.render(report, lang))


WRITERS: dict[str, Writer] = {
    "json": _write_json,
    "text": _write_text,
}
