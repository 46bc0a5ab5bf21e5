"""What a running check receives: the profile, the chosen devices, a cancel token, a way to
report live progress and a way to ask the user something.

The GUI passes callbacks that emit Qt signals; the CLI passes ones that print to stderr and
answer questions by themselves (``--yes``). Checks never know which one they talk to.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techcheck.checks.profile import Profile


class Cancelled(Exception):
    """Raised inside a check when the user or the runner cancelled it."""


class CancelToken:
    """Thread-safe cancel flag that checks poll and sleep on, so cancel takes effect promptly."""

    def __init__(self, parent: CancelToken | None = None) -> None:
        self._event = threading.Event()
        self._parent = parent

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set() or (self._parent is not None and self._parent.cancelled)

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()

    def sleep(self, seconds: float) -> None:
        """Sleep that wakes within 50 ms of a cancel and then raises ``Cancelled``."""
        deadline = _now() + max(0.0, seconds)
        while True:
            self.raise_if_cancelled()
            left = deadline - _now()
            if left <= 0:
                return
            self._event.wait(min(left, 0.05))

    def child(self) -> CancelToken:
        """A token cancelled with this one, that can also be cancelled alone (per-check timeout)."""
        return CancelToken(parent=self)


def _now() -> float:
    import time

    return time.monotonic()


@dataclass
class Progress:
    """A live update from a check: how far it is, a line of text, and data for live views."""

    check_id: str
    fraction: float | None = None  # 0..1, None when unknown
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Question:
    """Something a check needs from the person: "speak now", "did you hear the sound?".

    ``kind`` is ``"instruction"`` (the answer is just "ready") or ``"confirm"`` (yes/no).
    A non-interactive run answers with ``default``.
    """

    check_id: str
    kind: str
    text: str  # English template, translated where shown
    default: bool = True
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Devices:
    """What the user chose. ``None`` means "the system default"."""

    camera: str | None = None
    microphone: str | None = None
    speaker: str | None = None
    server: str | None = None
    stun: str | None = None


def _no_progress(_: Progress) -> None:
    return None


def _default_answer(q: Question) -> bool:
    return q.default


@dataclass
class CheckContext:
    profile: Profile
    devices: Devices = field(default_factory=Devices)
    cancel: CancelToken = field(default_factory=CancelToken)
    progress: Callable[[Progress], None] = _no_progress
    ask: Callable[[Question], bool] = _default_answer
    duration: float | None = None  # seconds a measuring check should take; None: its default
    interactive: bool = False
    lang: str = "en"
    # e.g. {"snapshot": True}; {"keep_media": {}} asks the microphone check to put its recording
    # there (in memory) for the call preview.
    options: dict[str, Any] = field(default_factory=dict)

    def limits(self, check_id: str) -> Any:
        """The profile's limits for ``check_id`` (an instance of that check's ``Limits``)."""
        return self.profile.limits(check_id)
