"""Write files so that a crash or a full disk never leaves a half-written file behind.

The data goes to a temporary file in the same directory, is flushed to disk, and replaces the
target in one ``os.replace``; on any error the temporary file is removed and the old file, if
any, is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes | str, encoding: str = "utf-8") -> Path:
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # keep the mode an existing file had
            os.chmod(tmp, os.stat(target).st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def describe_write_error(path: str | os.PathLike[str], exc: OSError) -> str:
    """A message that says what went wrong writing ``path`` and what to do about it."""
    import errno

    p = Path(path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"cannot write {p}: the disk is full. Free some space or choose another place."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {p}: permission denied. Choose a folder you can write to."
    if exc.errno == errno.ENOENT:
        return f"cannot write {p}: the folder {p.parent} does not exist."
    if exc.errno == errno.EISDIR:
        return f"cannot write {p}: it is a folder. Give a file name."
    return f"cannot write {p}: {exc.strerror or exc}."


def check_writable(path: str | os.PathLike[str]) -> str | None:
    """Before a long run: None if ``path`` can be written, else a message with the fix."""
    p = Path(path)
    if p.is_dir():
        return f"cannot write {p}: it is a folder. Give a file name."
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        return f"cannot write {p}: the folder {parent} does not exist."
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        return f"cannot write {p}: permission denied. Choose a folder you can write to."
    return None
