"""One log per user, rotating, plus stderr. Each area logs under its own ``techcheck.*`` name."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from techcheck.app import paths

LOG_NAME = "techcheck.log"
_configured: Path | None = None


def setup(verbose: bool = False, stderr: bool = True) -> Path | None:
    """Configure logging once; returns the log file, or None if it could not be created."""
    global _configured
    root = logging.getLogger("techcheck")
    root.setLevel(logging.DEBUG)
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    root.propagate = False
    target = paths.log_dir() / LOG_NAME
    log_file: Path | None = target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(
            target, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        fh.setLevel(logging.DEBUG)
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError as exc:
        log_file = None
        print(f"techcheck: cannot write the log file ({exc}); logging to the terminal only",
              file=sys.stderr)
    if stderr:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(logging.DEBUG if verbose else logging.WARNING)
        sh.setFormatter(logging.Formatter("techcheck: %(levelname)s: %(message)s") if verbose
                        else _NoTraceback("techcheck: %(levelname)s: %(message)s"))
        root.addHandler(sh)
    _configured = log_file
    return log_file


class _NoTraceback(logging.Formatter):
    """Tracebacks belong in the log file, not on the user's terminal."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None
        try:
            return super().format(record).split("\n", 1)[0]
        finally:
            record.exc_info, record.exc_text = saved


def log_file() -> Path | None:
    return _configured


def log_tail(max_lines: int = 400) -> str:
    """The last lines of this run's log file ("" without one), for IT support's detail
    view and the diagnostics they paste into a ticket."""
    path = log_file()
    if path is None or not path.exists():
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()
    except OSError as exc:
        return f"(cannot read the log {path}: {exc})"
    return "".join(lines[-max_lines:])
