"""Every run, kept on this computer so the GUI and ``techcheck compare`` can say what changed.

Reports are stored as JSON in ``<user data dir>/history/``, one file per run, named by the UTC
time of the run so that names sort in time order. Writes are atomic (a full disk never leaves
a half-written file or loses an older run). Nothing is uploaded. The camera snapshot is never
kept in the history, even when the user added it to a report they saved.

Retention: at most ``keep_runs`` runs and none older than ``keep_days`` days (either may be 0
for "no limit"); set in ``<user config dir>/history.toml``::

    [history]
    enabled = true
    keep_runs = 50
    keep_days = 180
"""

from __future__ import annotations

import contextlib
import copy
import logging
import secrets
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from techcheck.app import paths
from techcheck.app.atomicfile import write_atomic
from techcheck.app.report import jsonio
from techcheck.app.report.view import SNAPSHOT_KEY
from techcheck.checks.model import Report
from techcheck.checks.safefile import InputFileError, read_bounded

log = logging.getLogger("techcheck.history")

SETTINGS_FILE = "history.toml"
SETTINGS_MAX_BYTES = 64 * 1024
#: Upper bounds of the retention numbers (0 still means "no limit").
LIMITS = {"keep_runs": 100_000, "keep_days": 36_500}


@dataclass(frozen=True)
class Retention:
    enabled: bool = True
    keep_runs: int = 50
    keep_days: int = 180

    @classmethod
    def load(cls, path: Path | None = None) -> Retention:
        """The user's setting; the defaults when there is none or it is unreadable (logged).
        Each number is bounded (``LIMITS``): a value past its bound is a mistake, and
        ``keep_days = 999999999999`` would overflow the date arithmetic of every run."""
        path = path or paths.config_dir() / SETTINGS_FILE
        try:
            raw = read_bounded(path, SETTINGS_MAX_BYTES, "a history settings file")
            data = tomllib.loads(raw.decode("utf-8")).get("history", {})
        except InputFileError as exc:
            if path.exists() or path.is_symlink():
                log.warning("%s; keeping the default history settings", exc)
            return cls()
        except (ValueError, RecursionError) as exc:  # not UTF-8, not TOML, a huge number
            log.warning("cannot read %s (%s); keeping the default history settings", path,
                        exc.__class__.__name__ if isinstance(exc, RecursionError) else exc)
            return cls()
        default = cls()
        if not isinstance(data, dict):
            log.warning("%s: [history] must be a table; keeping the defaults", path)
            return default
        values = {}
        for key, want in (("enabled", bool), ("keep_runs", int), ("keep_days", int)):
            v = data.get(key, getattr(default, key))
            top = LIMITS.get(key, 0)
            if not isinstance(v, want) or (want is int and (isinstance(v, bool) or v < 0)):
                log.warning("%s: [history] %s must be a %s >= 0; using %r", path, key,
                            want.__name__, getattr(default, key))
                v = getattr(default, key)
            elif want is int and v > top:
                log.warning("%s: [history] %s must be at most %d; using %r", path, key, top,
                            getattr(default, key))
                v = getattr(default, key)
            values[key] = v
        return cls(**values)

    def save(self, path: Path | None = None) -> Path:
        path = path or paths.config_dir() / SETTINGS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(path, (
            "# How many TechCheck runs are kept on this computer (0 = no limit).\n"
            f"[history]\nenabled = {str(self.enabled).lower()}\n"
            f"keep_runs = {int(self.keep_runs)}\nkeep_days = {int(self.keep_days)}\n"))


@dataclass(frozen=True)
class Entry:
    """A stored run, as the GUI lists it."""

    path: Path
    created: datetime
    verdict: str
    profile: str

    def load(self) -> Report:
        return jsonio.read(self.path)


class History:
    """The run history in ``root`` (default: the user data directory)."""

    def __init__(self, root: Path | None = None, retention: Retention | None = None) -> None:
        self.root = root or paths.data_dir() / "history"
        self.retention = retention or Retention.load()
        self.skipped: list[str] = []  # messages about files ``entries`` could not read

    def save(self, report: Report) -> Path | None:
        """Keep ``report`` (without a camera snapshot) and prune; ``None`` when disabled.
        Raises ``OSError`` when it cannot be written (disk full): the caller reports it."""
        if not self.retention.enabled:
            return None
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = _utc(report.created).strftime("%Y%m%dT%H%M%SZ")
        path = self.root / f"{stamp}-{secrets.token_hex(3)}.json"
        write_atomic(path, jsonio.dumps(_without_snapshot(report)))
        self.prune()
        return path

    def entries(self) -> list[Entry]:
        """Stored runs, newest first. A file that cannot be read is skipped, logged and named
        in ``skipped`` (its message), so one damaged file never hides the others."""
        out = []
        self.skipped = []
        for p in self._files():
            try:
                r = jsonio.read(p)
                created = _utc(r.created)
            except (jsonio.ReportError, ValueError, OverflowError) as exc:
                log.warning("history: skipping %s", exc)
                self.skipped.append(str(exc) if isinstance(exc, jsonio.ReportError)
                                    else f"{p}: the report is damaged: {exc}")
                continue
            out.append(Entry(p, created, r.verdict.value, str(r.profile.get("name", ""))))
        return sorted(out, key=lambda e: e.created, reverse=True)

    def latest(self, before: datetime | str | None = None) -> Report | None:
        """The newest stored run, or the newest strictly before ``before``."""
        limit = _utc(before) if before is not None else None
        for e in self.entries():
            if limit is None or e.created < limit:
                try:
                    return e.load()
                except jsonio.ReportError:
                    continue
        return None

    def prune(self, now: datetime | None = None) -> list[Path]:
        """Delete runs beyond the retention setting; returns what was deleted."""
        now = now or datetime.now(UTC)
        files = sorted(self._files(), key=lambda p: p.name, reverse=True)  # newest first
        doomed = []
        for i, p in enumerate(files):
            too_many = self.retention.keep_runs and i >= self.retention.keep_runs
            when = _from_name(p)
            too_old = (self.retention.keep_days and when is not None
                       and now - when > timedelta(days=self.retention.keep_days))
            if too_many or too_old:
                doomed.append(p)
        for p in doomed:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        # Temporary files an interrupted write left behind (older than a minute).
        for tmp in self.root.glob(".*.tmp") if self.root.is_dir() else ():
            with contextlib.suppress(OSError):
                if now.timestamp() - tmp.stat().st_mtime > 60:
                    tmp.unlink()
        return doomed

    def clear(self) -> int:
        files = self._files()
        for p in files:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        return len(files)

    def _files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("*.json") if p.is_file() and not p.name.startswith(".")]


def _utc(value: datetime | str) -> datetime:
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    if dt.tzinfo is None:
        dt = dt.astimezone()  # a naive time is local time
    return dt.astimezone(UTC)


def _from_name(p: Path) -> datetime | None:
    try:
        return datetime.strptime(p.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _without_snapshot(report: Report) -> Report:
    if not any(SNAPSHOT_KEY in c.details for c in report.checks):
        return report
    r = copy.deepcopy(report)
    for c in r.checks:
        c.details.pop(SNAPSHOT_KEY, None)
    return r


def default() -> History:
    """The user's history with the user's retention setting (what the CLI and GUI use)."""
    return History()


def save(report: Report) -> Path | None:
    return default().save(report)


def entries() -> list[Entry]:
    return default().entries()


def latest(before: datetime | str | None = None) -> Report | None:
    return default().latest(before)


def prune() -> list[Path]:
    return default().prune()


__all__ = ["Entry", "History", "Retention", "entries", "latest", "prune", "save"]
