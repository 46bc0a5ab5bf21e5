"""Fixtures for the GUI tests: fresh typed settings, a main window that is closed at the end,
sample media when the bundled demo files are absent, and a guard that fails a test leaving a
worker thread or a timer running."""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def write_wav(path: Path, seconds: float = 2.0, rate: int = 48000) -> Path:
    """A speech-like test signal: a 220 Hz tone with syllable-rate amplitude bursts, -20 dBFS."""
    t = np.arange(int(seconds * rate)) / rate
    env = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)
    x = 0.1 * np.sqrt(2) * env * np.sin(2 * np.pi * 220 * t)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((x * 32767).astype("<i2").tobytes())
    return path


def write_clip(path: Path, frames: int = 30, size: tuple[int, int] = (640, 360)) -> Path:
    """A short MJPG clip through OpenCV's own writer (what cv2.VideoCapture reads back)."""
    import cv2

    w, h = size
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (w, h))
    yy, xx = np.mgrid[0:h, 0:w]
    for i in range(frames):
        img = np.zeros((h, w, 3), np.uint8)
        img[..., 0] = (xx * 255 // w).astype(np.uint8)
        img[..., 1] = (yy * 255 // h).astype(np.uint8)
        img[..., 2] = (i * 8) % 255
        cv2.circle(img, (w // 2, h // 2 - 20), h // 5, (140, 170, 210), -1)
        out.write(img)
    out.release()
    return path


@pytest.fixture
def demo_media(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The bundled demo clip and sound, or generated stand-ins while they are not bundled."""
    from techcheck.app import demo

    clip, voice = demo.camera_clip(), demo.voice_clip()
    if not clip.exists():
        clip = write_clip(tmp_path / "camera.avi")
        monkeypatch.setattr(demo, "camera_clip", lambda: clip)
    if not voice.exists():
        voice = write_wav(tmp_path / "voice.wav")
        monkeypatch.setattr(demo, "voice_clip", lambda: voice)
    return clip, voice


@pytest.fixture
def gui_settings(tmp_path: Path, qapp):
    from PySide6.QtCore import QSettings

    from techcheck.app.gui.settings import Settings

    return Settings(QSettings(str(tmp_path / "techcheck.ini"), QSettings.Format.IniFormat))


def _leftover_threads(before: set[int]) -> list[str]:
    """Python threads started during the test and still alive. QThreads that touched Python's
    threading show up as never-ending "dummy" threads: those are covered by running_tasks."""
    return [t.name for t in threading.enumerate() if t.ident not in before and t.is_alive()
            and not isinstance(t, threading._DummyThread)]


@pytest.fixture
def leak_guard(qapp):
    """Fails the test when a GUI task, a thread it started, or an active QTimer is left."""
    from techcheck.app.gui import tasks

    before = {t.ident for t in threading.enumerate()}
    yield
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and (tasks.running_tasks() or _leftover_threads(before)):
        qapp.processEvents()
        time.sleep(0.02)
    assert not tasks.running_tasks(), f"tasks left running: {tasks.running_tasks()}"
    assert not _leftover_threads(before), f"threads left running: {_leftover_threads(before)}"


@pytest.fixture
def make_window(qtbot, gui_settings, leak_guard, demo_media):
    """Build a main window (settings first), wait until its plug-ins are loaded; closed at the
    end, after which no timer of it may still be active."""
    from PySide6.QtCore import QTimer

    from techcheck.app.gui import settings as S
    from techcheck.app.gui.window import MainWindow

    made = []

    def make(paced: bool = False, **values) -> MainWindow:
        """``paced``: sample files play at their own pace as in the app (Session.paced_files);
        off by default so a test of something else does not wait out the clips' length (the
        demo voice alone is 9.8 s): tests of what the person sees during the run turn it on."""
        for key, value in values.items():
            gui_settings.set(getattr(S, key.upper()), value)
        w = MainWindow(gui_settings)
        w.session.paced_files = paced
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: w._loaded, timeout=60_000)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()
        active = [t.objectName() or repr(t) for t in w.findChildren(QTimer) if t.isActive()]
        assert not active, f"timers still active after close: {active}"
    if made:  # a window in Swedish installs its language app-wide: the next test is English
        from techcheck.app.gui import i18n

        i18n.install("en")


@pytest.fixture
def screen():
    """Start an Xvfb of a given size (a real X screen of a laptop's size); yields a function
    ``start(width, height)`` returning its DISPLAY value. Stopped at the end of the test."""
    from pyvirtualdisplay import Display

    started: list[Display] = []

    def start(width: int, height: int) -> str:
        d = Display(backend="xvfb", size=(width, height), color_depth=24)
        d.start()
        started.append(d)
        return f":{d.display}"

    yield start
    for d in started:
        d.stop()


# --- acting as a person would -----------------------------------------------------------------

def visible_widgets(root, cls=None):
    """Widgets under ``root`` (a window) that are on screen, optionally of one class."""
    from PySide6.QtWidgets import QWidget

    return [w for w in root.findChildren(cls or QWidget) if w.isVisible()]


def by_name(root, name: str, cls=None):
    """The one visible widget whose accessible name is ``name`` (what a screen reader says),
    or an AssertionError listing what is there."""
    from PySide6.QtWidgets import QAbstractButton, QApplication

    QApplication.processEvents()  # widgets added to a layout are shown by a queued call
    found = [w for w in visible_widgets(root, cls or QAbstractButton) if w.accessibleName() == name]
    if len(found) != 1:
        names = sorted({w.accessibleName() for w in visible_widgets(root, cls or QAbstractButton)})
        raise AssertionError(f"{len(found)} visible widgets named {name!r}; visible: {names}")
    return found[0]


def press(qtbot, widget) -> None:
    """A real left click in the middle of an enabled, visible widget."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QCheckBox, QRadioButton

    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    pos = widget.rect().center()
    if isinstance(widget, QCheckBox | QRadioButton):  # on the box: the row may be wider
        pos = QPoint(min(8, widget.width() // 2), widget.height() // 2)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def click_step(qtbot, window, key: str) -> None:
    """Click a step in the side list, as a person chooses a page."""
    from PySide6.QtCore import Qt

    row = window.visible_keys().index(key)
    lst = window.steps
    rect = lst.visualItemRect(lst.item(row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_key() == key


def answer_file_dialog(qtbot, path: str, look=None) -> list[str]:
    """When the next file dialog opens, type ``path`` into its name field and press Enter,
    as a person saving or opening a file does. Returns a list that gets the dialog's title.
    ``look(dialog)``, if given, is called first: to read what the person sees, or to act on
    the dialog's other controls."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

    seen: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, fill)
            return
        seen.append(dialog.windowTitle())
        try:
            if look is not None:
                look(dialog)
            edit = dialog.findChild(QLineEdit, "fileNameEdit")
            # Qt's completer lists the folder as the name is typed; on a busy machine its list
            # pops up mid-name and takes the keys that follow (a popup gets the keyboard). It is
            # Qt's, not ours: off for the typing.
            edit.setCompleter(None)
            typed = path
            if Path(path).is_absolute() and Path(path).parent.is_dir():
                # A person goes to the folder, then types the name. Typing the folders too left
                # Qt's dialog, on a busy machine, with the bare name and its old folder, so the
                # name resolved elsewhere. (A folder that does not exist is typed: the tests of
                # the app's message for it.)
                folder = Path(path).parent
                dialog.setDirectory(str(folder))
                qtbot.waitUntil(lambda: Path(dialog.directory().absolutePath()) == folder,
                                timeout=10_000)
                typed = Path(path).name
            edit.selectAll()
            qtbot.keyClicks(edit, typed)
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        except Exception as exc:  # never leave a modal dialog open: the test would hang
            seen.append(f"failed: {exc!r}")
            dialog.reject()
            raise
        QTimer.singleShot(300, lambda: confirm(dialog, edit, 10))

    def confirm(dialog, edit, tries: int) -> None:
        """The name field's completer may take the first Enter (a person presses it again)."""
        from shiboken6 import isValid

        if not isValid(dialog) or not dialog.isVisible():  # accepted: Qt deleted it
            return
        if tries == 0:
            seen.append(f"failed: the dialog stayed open with {edit.text()!r} in "
                        f"{dialog.directory().absolutePath()!r}")
            dialog.reject()
            return
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        QTimer.singleShot(300, lambda: confirm(dialog, edit, tries - 1))

    QTimer.singleShot(100, fill)
    return seen


def export_via_dialog(qtbot, window, menu_text: str, path) -> list[str]:
    """Results → "Export the report" → the format in its menu → the file dialog. Waits until
    the file is written (or the page says why not)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMenu

    res = window.pages["results"]
    press(qtbot, by_name(window, "Export the report"))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    action = next(a for a in menu.actions() if a.text() == menu_text)
    seen = answer_file_dialog(qtbot, str(path))
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: bool(seen) and res.exporter is None and (
        "Saved:" in res.export_note.text() or "could not be saved" in res.export_note.text()),
        timeout=60_000)
    return seen
