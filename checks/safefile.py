"""Reading a file that came from outside without trusting its kind or its size.

Every loader of a user's file (report, profile, invitation, history settings) reads through
``read_bounded``: it opens without blocking (a FIFO must not hang the app), refuses anything
that is not a regular file (``/dev/zero`` would never end, a device node can have side effects),
checks the size before reading, and reads at most one byte more than the limit in case the file
grows meanwhile. The limits themselves are documented in docs/input-limits.md.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from techcheck.checks.i18n import N_

#: ENAMETOOLONG in words: Linux and macOS file systems allow 255 bytes per name (NAME_MAX),
#: and a whole path of PATH_MAX (4096 bytes on Linux).
NAME_TOO_LONG = N_("the file name is too long (each folder or file name may be at most 255 "
                   "bytes, the whole path 4096); give a shorter name")


def os_error_text(exc: OSError) -> str:
    """What an ``OSError`` met on a path means, in words (ENAMETOOLONG spelled out)."""
    if exc.errno == errno.ENAMETOOLONG:
        return NAME_TOO_LONG
    return exc.strerror or str(exc)


class InputFileError(Exception):
    """A file that cannot be read; ``str()`` names the file and says what is wrong."""


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (for a message): an English
    template (``N_``), translated where it is shown."""
    if stat.S_ISDIR(mode):
        return N_("a folder")
    if stat.S_ISLNK(mode):
        return N_("a symbolic link")
    if stat.S_ISFIFO(mode):
        return N_("a named pipe (FIFO)")
    if stat.S_ISCHR(mode):
        return N_("a character device")
    if stat.S_ISBLK(mode):
        return N_("a block device")
    if stat.S_ISSOCK(mode):
        return N_("a socket")
    return "not a regular file"


def read_bounded(path: str | os.PathLike[str], limit: int, what: str = "a file",
                 shown: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises ``InputFileError`` with a message such as "r.json: not a regular file but a named
    pipe (FIFO)" or "r.json: too large for a TechCheck report (200.0 MiB; at most 8.0 MiB)".
    ``what`` names the kind of file with its article; ``shown`` is how the file is named in
    messages (default: the path as given).
    """
    p = Path(path)
    name = shown if shown is not None else str(p)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{name}: a folder, not {what}") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise InputFileError(f"{name}: {NAME_TOO_LONG}") from None
        raise InputFileError(f"{name}: cannot open it ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputFileError(f"{name}: not a regular file but {file_kind(st.st_mode)}")
        if st.st_size > limit:
            raise InputFileError(f"{name}: too large for {what} ({_size(st.st_size)}; "
                                 f"at most {_size(limit)})")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputFileError(f"{name}: too large for {what} (more than {_size(limit)})")
    return b"".join(chunks)


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} bytes"
