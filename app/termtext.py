"""Text for a terminal: without the control codes a report, a profile or a file name may carry.

A saved report, a user's profile or a file name can hold ESC sequences (ECMA-48 CSI and OSC,
e.g. ``ESC ] 0 ; title BEL`` sets the window title and ``ESC [ 2 J`` clears the screen), other
C0 and C1 control characters (a carriage return can overwrite what was printed) and Unicode
bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069: the "Trojan Source"
reordering, CVE-2021-42574). ``clean`` removes them and keeps line breaks and tabs;
``CleanStream`` applies it to everything a CLI command writes to stdout and stderr
(``techcheck.app.cli`` installs it), so no command has to remember it.
"""

from __future__ import annotations

import io
import os
import re
from typing import TextIO

#: A whole escape sequence: CSI (ESC [ … final byte), OSC/DCS/PM/APC/SOS strings up to BEL or
#: ST (ESC \), or a two-character escape (ECMA-48, 5.3 and 8.3).
_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -~]?)")
#: C0 except tab and line feed, DEL, C1, bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """``text`` without escape sequences, control characters and bidi overrides."""
    if not text.isprintable():
        text = _CONTROL.sub("", _SEQUENCE.sub("", text))
    return text


class CleanStream(io.TextIOBase):
    """A text stream that writes ``clean(text)`` to ``inner``.

    When the reader has gone (``techcheck profiles teams | head -1``: the pipe is closed,
    EPIPE) the rest is dropped, as a program killed by SIGPIPE would drop it: the reader chose
    to stop reading, which is no error of the command's, so it finishes with its own exit
    status. The stream's descriptor is pointed at ``os.devnull`` so that Python's own final
    flush cannot complain either (Python docs, "Note on SIGPIPE" in the signal module)."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self.inner.write(clean(text))
            except BrokenPipeError:
                self._drop_the_rest()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self.inner.flush()
            except BrokenPipeError:
                self._drop_the_rest()

    def _drop_the_rest(self) -> None:
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self.inner.fileno())
            finally:
                os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass  # not a real descriptor (a test's StringIO): nothing will flush it later

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")

    def writable(self) -> bool:
        return True
