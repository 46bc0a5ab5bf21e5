"""Report writers by format name. Every writer writes atomically and raises ``OSError`` on
failure; the caller turns that into a message with a fix.

``write_outputs`` is all or nothing: it renders every requested format in memory first (each
bounded: texts are shortened and the PDF has a layout budget, docs/input-limits.md), and only
when all of them are made writes them together with ``write_atomic_many``. A report that
cannot be rendered, a refused path or a full disk leaves none of the files changed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from techcheck.app.atomicfile import (
    NotRegularFileError,
    check_writable,
    describe_write_error,
    write_atomic,
    write_atomic_many,
)
from techcheck.app.report import jsonio, text
from techcheck.checks.model import Report

log = logging.getLogger("techcheck.report")

Renderer = Callable[[Report, str], bytes]
Writer = Callable[[Report, "str | os.PathLike[str]", str], Path]


def _json(report: Report, lang: str) -> bytes:
    return jsonio.dumps(report, lang).encode("utf-8")


def _text(report: Report, lang: str) -> bytes:
    return text.render(report, lang).encode("utf-8")


def _html(report: Report, lang: str) -> bytes:
    from techcheck.app.report import html

    return html.render(report, lang).encode("utf-8")


def _pdf(report: Report, lang: str) -> bytes:
    from techcheck.app.report import pdf  # fpdf2 is only imported when a PDF is asked for

    return pdf.render(report, lang)


RENDERERS: dict[str, Renderer] = {"json": _json, "text": _text, "html": _html, "pdf": _pdf}


def _writer(fmt: str) -> Writer:
    def write(report: Report, path: str | os.PathLike[str], lang: str) -> Path:
        return write_atomic(path, RENDERERS[fmt](report, lang))

    return write


WRITERS: dict[str, Writer] = {fmt: _writer(fmt) for fmt in RENDERERS}


def check_outputs(outputs: dict[str, str]) -> str | None:
    """Before doing any work: a message with the fix if a format is unknown or a path cannot be
    written, else ``None``."""
    for fmt, path in outputs.items():
        if fmt not in WRITERS:
            return f"{fmt.upper()} reports are not available in this version"
        problem = check_writable(path)
        if problem:
            return problem
    return same_file_problem({f"--{fmt}": path for fmt, path in outputs.items()})


def same_file_problem(named: dict[str, str | os.PathLike[str]]) -> str | None:
    """A message when two of the ``named`` outputs (option → path) are one file, however
    written (``r.out`` and ``sub/../r.out``, a link to it): one would silently replace the
    other."""
    seen: dict[str, str] = {}
    for option, path in named.items():
        key = os.path.realpath(path)
        if key in seen:
            return (f"{seen[key]} and {option} both name {os.fspath(path)}; give each its "
                    "own file.")
        seen[key] = option
    return None


def write_outputs(report: Report, outputs: dict[str, str], lang: str) -> list[str]:
    """Write ``report`` in each format to its path, all or none; the messages of what went
    wrong (empty when every file is written)."""
    rendered: dict[str | os.PathLike[str], bytes | str] = {}
    for fmt, path in outputs.items():
        try:
            rendered[path] = RENDERERS[fmt](report, lang)
        except Exception as exc:  # whatever a damaged report trips: no file is half made
            log.exception("rendering %s failed", path)
            return [f"cannot make the {fmt.upper()} report ({exc.__class__.__name__}); no file "
                    "was written. The log has the details."]
    try:
        write_atomic_many(rendered)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else next(iter(rendered), "")
        if isinstance(exc, NotRegularFileError):
            return [str(exc) + " No file was written."]
        log.error("writing %s failed: %s", where, exc)
        return [describe_write_error(where, exc) + " No file was written."]
    return []
