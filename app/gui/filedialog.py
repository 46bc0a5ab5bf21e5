"""Saving a file the person names, and opening one. Saving: one filter per format the app can
write (the chosen one selected, its suffix added to a name typed without one), the folder of
the last save remembered per user (``settings.SAVE_FOLDER``, one folder for the report and the
call preview alike), and a default name in the person's language that every desktop system
accepts. Opening lists the type asked for first and remembers its
own folder (``settings.OPEN_FOLDER``): files come from elsewhere (Downloads) than where the
person keeps what TechCheck saved.

A ``QFileDialog`` object, not ``getSaveFileName``: its ``defaultSuffix`` follows the filter the
person picks, so the dialog itself adds ".pdf" to "my report" and asks before replacing an
existing "my report.pdf" (the static function would hand back a name without a suffix and
never ask). It is the platform's own dialog where Qt has one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from techcheck.app.gui import settings as S

translate = QCoreApplication.translate  # lupdate finds translate("Context", "text")


@dataclass(frozen=True)
class FileType:
    """One entry of the dialog's type list: what the format is called and its suffixes (the
    first is added to a name typed without one)."""

    key: str
    label: str  # translated, e.g. "PDF document"
    suffixes: tuple[str, ...]

    def name_filter(self) -> str:
        return f"{self.label} ({' '.join('*' + s for s in self.suffixes)})"


#: Characters Windows does not allow in a file name (Microsoft, "Naming Files, Paths, and
#: Namespaces"), plus the control characters; "/" is macOS's and Linux's separator too, and
#: Finder shows ":" as "/" (Apple, "File System Programming Guide").
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: Names Windows reserves for devices, with or without a suffix (same Microsoft page).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


def safe_file_name(name: str, fallback: str = "TechCheck") -> str:
    """``name`` as a file name Windows, macOS and Linux all accept: forbidden characters
    become "-", no trailing dot or space (Windows drops them), not a reserved device name, and
    at most 120 characters (well under every system's 255-byte limit, in UTF-8 too)."""
    clean = _FORBIDDEN.sub("-", unicodedata.normalize("NFC", name)).strip().rstrip(". ")
    clean = clean[:120].rstrip(". ")
    if not clean or _RESERVED.match(clean):
        clean = f"{fallback}-{clean}" if clean else fallback
    return clean


#: Where a dialog opens the first time: a save in Documents, an open in Downloads (where a
#: mail program or a browser puts an invitation someone sent).
_FIRST_FOLDER = {"save": QStandardPaths.StandardLocation.DocumentsLocation,
                 "open": QStandardPaths.StandardLocation.DownloadLocation}


def start_folder(settings: S.Settings | None, setting: S.Setting[str] = S.SAVE_FOLDER,
                 first: str = "save") -> Path:
    """Where the dialog opens: the folder ``setting`` remembers if it still exists, else the
    person's Documents (``first`` "save") or Downloads ("open") folder, else home (never the
    working directory the app started in)."""
    if settings is not None:
        last = settings.get(setting)
        if last and Path(last).is_dir():
            return Path(last)
    where = QStandardPaths.writableLocation(_FIRST_FOLDER[first])
    return Path(where) if where and Path(where).is_dir() else Path.home()


def remember_folder(settings: S.Settings | None, path: str,
                    setting: S.Setting[str] = S.SAVE_FOLDER) -> None:
    """Keep the folder ``path`` is in for the next dialog (written at once: the app may be
    closed in any way after a save)."""
    if settings is not None:
        settings.set(setting, str(Path(path).parent))
        settings.sync()


def ask_save(parent: QWidget, title: str, stem: str, types: list[FileType], chosen: str,
             settings: S.Settings | None,
             writes: Callable[[str], list[Path]] | None = None) -> tuple[str, str] | None:
    """Ask where to save; (path, key of the file type) or None when the person cancels. The
    type is the one the typed name's suffix names, else the filter chosen in the dialog.

    ``writes``: for a save that writes several files under the chosen name (the call
    preview's .avi, .wav and .txt), the files a chosen path stands for. The dialog then does
    not ask about the one name it knows; the person is asked once, naming every existing file
    that would be replaced, and choosing another name opens the dialog again."""
    by_filter = {t.name_filter(): t for t in types}
    first = next(t for t in types if t.key == chosen)
    dialog = QFileDialog(parent, title, str(start_folder(settings)),
                         ";;".join(by_filter))
    dialog.setObjectName("saveDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectNameFilter(first.name_filter())
    dialog.setDefaultSuffix(first.suffixes[0].lstrip("."))
    dialog.selectFile(safe_file_name(stem) + first.suffixes[0])

    def follow(name_filter: str) -> None:
        kind = by_filter.get(name_filter)
        if kind is not None:
            dialog.setDefaultSuffix(kind.suffixes[0].lstrip("."))

    dialog.filterSelected.connect(follow)
    if writes is not None:
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    try:
        while True:
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
                return None
            path = dialog.selectedFiles()[0]
            picked = by_filter.get(dialog.selectedNameFilter(), first)
            if writes is None or may_replace(parent, title, writes(path)):
                break
    finally:
        dialog.deleteLater()
    suffix = Path(path).suffix.lower()
    kind = next((t for t in types if suffix in t.suffixes), picked)
    return path, kind.key


def may_replace(parent: QWidget, title: str, files: list[Path]) -> bool:
    """Whether the files of one save may be written: True when none of them exists, else the
    person's answer to one question naming every file that would be replaced (a file
    dialog asks only about the name typed into it). Choosing another name is the default,
    as in the platform's own dialog: Return or Escape replaces nothing."""
    existing = [p for p in files if p.exists() or p.is_symlink()]
    if not existing:
        return True
    # one text each for one file and for several (English and Swedish have only these two
    # forms; lupdate reads no plural from a module-level translate)
    question = (translate("FileDialog", "Replace the existing file in {folder}?")
                if len(existing) == 1 else
                translate("FileDialog", "Replace {n} existing files in {folder}?"))
    box = QMessageBox(QMessageBox.Icon.Question, title,
                      question.format(folder=str(existing[0].parent), n=len(existing)),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("replaceQuestion")
    box.setInformativeText("\n".join(p.name for p in existing))
    replace = box.addButton(translate("FileDialog", "&Replace"),
                            QMessageBox.ButtonRole.AcceptRole)
    other = box.addButton(translate("FileDialog", "&Choose another name"),
                          QMessageBox.ButtonRole.RejectRole)
    replace.setAccessibleName(translate("FileDialog", "Replace the existing files"))
    other.setAccessibleName(translate("FileDialog", "Choose another name"))
    box.setDefaultButton(other)
    box.setEscapeButton(other)
    try:
        box.exec()
        return box.clickedButton() is replace
    finally:
        box.deleteLater()


def ask_open(parent: QWidget, title: str, types: list[FileType], settings: S.Settings | None,
             all_files: str) -> str | None:
    """Ask for an existing file to open; its path, or None when the person cancels. The
    dialog lists ``types`` (the first selected) and then every file (``all_files`` is that
    entry's translated label: a mail program may have renamed the file), opens in the folder
    of the last file opened (``settings.OPEN_FOLDER``, apart from where reports are saved) or
    Downloads, and remembers the folder of the file chosen."""
    filters = [t.name_filter() for t in types] + [f"{all_files} (*)"]
    dialog = QFileDialog(parent, title, str(start_folder(settings, S.OPEN_FOLDER, "open")),
                         ";;".join(filters))
    dialog.setObjectName("openDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.selectNameFilter(filters[0])
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = dialog.selectedFiles()[0]
    finally:
        dialog.deleteLater()
    remember_folder(settings, path, S.OPEN_FOLDER)
    return path
