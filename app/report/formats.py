"""Report writers by format name. Every writer writes atomically and raises ``OSError`` on
failure; the caller turns that into a message with a fix."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from app.atomicfile import check_writable, describe_write_error, write_atomic
from app.report import jsonio, text
from checks.model import Report

log = logging.getLogger("techcheck.report")

Writer = Callable[[Report, "str | os.PathLike[str]", str], Path]


def _write_json(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    return jsonio.write(report, path, lang)


def _write_text(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    return write_atomic(path, text.render(report, lang))


def _write_html(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    from app.report import html

    return write_atomic(path, html.render(report, lang))


def _write_pdf(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
    from app.report import pdf  # fpdf2 is only imported when a PDF is asked for

    return pdf.write(report, path, lang)


WRITERS: dict[str, Writer] = {
    "json": _write_json,
    "text": _write_text,
    "html": _write_html,
    "pdf": _write_pdf,
}


def check_outputs(outputs: dict[str, str]) -> str | None:
    """Before doing any work: a message with the fix if a format is unknown or a path cannot be
    written, else ``None``."""
    for fmt, path in outputs.items():
        if fmt not in WRITERS:
            return f"{fmt.upper()} reports are not available in this version"
        problem = check_writable(path)
        if problem:
            return problem
    return None


def write_outputs(report: Report, outputs: dict[str, str], lang: str) -> list[str]:
    """Write ``report`` in each format to its path; one message per failure (the others are
    still written)."""
    problems = []
    for fmt, path in outputs.items():
        try:
            WRITERS[fmt](report, path, lang)
        except OSError as exc:
            log.error("writing %s failed: %s", path, exc)
            problems.append(describe_write_error(path, exc))
    return problems
