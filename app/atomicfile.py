"""Write files so that a crash or a full disk never leaves a half-written file behind.

The data goes to a temporary file in the same directory, is flushed to disk, and replaces the
target in one ``os.replace``; on any error the temporary file is removed and the old file, if
any, is untouched.

Only a new path or an existing regular file is ever replaced. A symbolic link, a named pipe, a
device node (``/dev/null``, ``/dev/full``) or a socket is refused with ``NotRegularFileError``
and left exactly as it was: replacing would turn it into a plain file (as root, ``--json
/dev/null`` would break the system), and writing through it would not be atomic. To send a
report to another program, write it to a file first.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from techcheck.checks.i18n import N_, translate
from techcheck.checks.safefile import NAME_TOO_LONG, file_kind


class NotRegularFileError(OSError):
    """The target exists and is not a regular file; ``str()`` is the message for the user in
    English, ``text(lang)`` in the person's language (its ``N_`` template and parameters)."""

    def __init__(self, template: str, **params: str) -> None:
        super().__init__(translate(template, "en", params))
        self.template = template
        self.params = params

    def text(self, lang: str) -> str:
        params = {k: translate(v, lang) if k == "kind" else v for k, v in self.params.items()}
        return translate(self.template, lang, params)


def refuse_special(path: str | os.PathLike[str]) -> None:
    """Raise ``NotRegularFileError`` when ``path`` exists and is not a regular file."""
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return
    except OSError:
        return  # permission and the like: the write itself says what is wrong
    if stat.S_ISREG(st.st_mode):
        return
    kind = file_kind(st.st_mode)
    target = None
    if stat.S_ISLNK(st.st_mode):
        with contextlib.suppress(OSError):
            target = os.readlink(p)
    if target is not None:
        raise NotRegularFileError(
            N_("cannot write {path}: it is a symbolic link to {target}. TechCheck only "
               "replaces regular files and left it untouched; give the name of a new file or "
               "of a regular file."), path=str(p), target=target)
    raise NotRegularFileError(
        N_("cannot write {path}: it is {kind}. TechCheck only replaces regular files and left "
           "it untouched; give the name of a new file or of a regular file."),
        path=str(p), kind=kind)


def write_atomic(path: str | os.PathLike[str], data: bytes | str, encoding: str = "utf-8") -> Path:
    return write_atomic_many({path: data}, encoding)[0]


def write_atomic_many(files: dict[str | os.PathLike[str], bytes | str],
                      encoding: str = "utf-8") -> list[Path]:
    """Write several files, all or none: every target is checked and every temporary file
    written and flushed before the first one replaces its target. A refused target or a full
    disk leaves every target as it was."""
    for given in files:  # Path() would drop the slash and replace the file before it
        if os.fspath(given).endswith(("/", os.sep)):
            raise NotRegularFileError(
                N_("cannot write {path}: a name that ends in / is a folder, and TechCheck "
                   "writes reports only into files; give a file name."), path=os.fspath(given))
    targets = [Path(p) for p in files]
    for target in targets:
        refuse_special(target)
    temps: list[str] = []
    current: Path | None = None
    try:
        for target, data in zip(targets, files.values(), strict=True):
            current = target
            payload = data.encode(encoding) if isinstance(data, str) else data
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                       dir=target.parent)
            temps.append(tmp)
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(OSError):  # keep the mode an existing file had
                os.chmod(tmp, os.stat(target).st_mode & 0o777 if target.exists() else 0o644)
        for target in targets:
            refuse_special(target)  # again: it may have been made meanwhile
        for tmp, target in zip(temps, targets, strict=True):
            current = target
            os.replace(tmp, target)
    except BaseException as exc:
        if isinstance(exc, OSError) and not isinstance(exc, NotRegularFileError) and current:
            exc.filename = str(current)  # the target, not the temporary file's name
        for tmp in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    return targets


def describe_write_error(path: str | os.PathLike[str], exc: OSError, lang: str = "en") -> str:
    """A message in ``lang`` that says what went wrong writing ``path`` and what to do about
    it (the system's own words, ``strerror``, only for an error not named here)."""
    import errno

    p = str(Path(path))
    if isinstance(exc, NotRegularFileError):
        return exc.text(lang)
    template = _WRITE_ERRORS.get(exc.errno or 0)
    if exc.errno == errno.ENAMETOOLONG:
        return translate(template or "", lang, {"path": p, "why": translate(NAME_TOO_LONG, lang)})
    if template is None:
        return translate(N_("cannot write {path}: {why}."), lang,
                         {"path": p, "why": exc.strerror or str(exc)})
    return translate(template, lang, {"path": p, "folder": str(Path(path).parent)})


def _write_errors() -> dict[int, str]:
    import errno

    full = N_("cannot write {path}: the disk is full. Free some space or choose another place.")
    denied = N_("cannot write {path}: permission denied. Choose a folder you can write to.")
    return {errno.ENOSPC: full, errno.EDQUOT: full, errno.EFBIG: full,
            errno.EACCES: denied, errno.EPERM: denied, errno.EROFS: denied,
            errno.ENOENT: N_("cannot write {path}: the folder {folder} does not exist."),
            errno.ENAMETOOLONG: N_("cannot write {path}: {why}."),
            errno.EISDIR: N_("cannot write {path}: it is a folder. Give a file name.")}


#: What each write error means for the person (errno(3)), as ``N_`` templates.
_WRITE_ERRORS = _write_errors()


def check_writable(path: str | os.PathLike[str]) -> str | None:
    """Before a long run: None if ``path`` can be written, else a message with the fix."""
    try:
        return _writable_problem(path)
    except OSError as exc:  # a name too long for the file system, a loop of links…
        return describe_write_error(path, exc)


def _writable_problem(path: str | os.PathLike[str]) -> str | None:
    p = Path(path)
    if os.fspath(path).endswith(("/", os.sep)):
        return (f"cannot write {os.fspath(path)}: a name that ends in / is a folder, and "
                "TechCheck writes reports only into files; give a file name.")
    os.stat(p.parent if str(p.parent) else ".")  # raises ENAMETOOLONG, ELOOP… for the message
    with contextlib.suppress(FileNotFoundError):
        os.stat(p)
    if p.is_dir():
        return f"cannot write {p}: it is a folder. Give a file name."
    try:
        refuse_special(p)
    except NotRegularFileError as exc:
        return str(exc)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        return f"cannot write {p}: the folder {parent} does not exist."
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        return f"cannot write {p}: permission denied. Choose a folder you can write to."
    return None
