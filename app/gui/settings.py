"""Every setting the app keeps, declared once with its type and default, over ``QSettings``.

``QSettings`` returns strings from INI files and whatever was stored from the registry; reading
through ``Setting`` gives back the declared type or the default, so a hand-edited or old config
can never crash the app or show a wrong role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

from techcheck.app import paths

T = TypeVar("T")

ROLES = ("candidate", "recruiter", "it")
PLATFORMS = ("teams", "zoom", "meet", "webex", "other")
LANGUAGES = ("system", "en", "sv")
DEMO = ("auto", "on", "off")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    choices: tuple[Any, ...] | None = None

    def read(self, qs: QSettings) -> T:
        raw = qs.value(self.key, self.default)
        value = _coerce(raw, type(self.default), self.default)
        if self.choices is not None and value not in self.choices:
            return self.default
        return value

    def write(self, qs: QSettings, value: T) -> None:
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"{self.key} must be one of {self.choices}, not {value!r}")
        qs.setValue(self.key, value)


def _coerce(raw: Any, kind: type, default: Any) -> Any:
    if raw is None:
        return default
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    try:
        return kind(raw)
    except (TypeError, ValueError):
        return default


LANGUAGE = Setting("ui/language", "system", LANGUAGES)
ROLE = Setting("ui/role", "candidate", ROLES)
PLATFORM = Setting("ui/platform", "other", PLATFORMS)
CAMERA = Setting("devices/camera", "")  # "" = the system default
MICROPHONE = Setting("devices/microphone", "")
SPEAKER = Setting("devices/speaker", "")
DEMO_MODE = Setting("ui/demo", "auto", DEMO)
GEOMETRY = Setting("ui/geometry", b"")
#: The folder the person last saved a report in ("" = none yet: Documents), per user as the
#: settings file is (``filedialog.start_folder``).
SAVE_FOLDER = Setting("files/save_folder", "")
#: The folder the person last opened a file from (an invitation); "" = none yet: Downloads.
OPEN_FOLDER = Setting("files/open_folder", "")

ALL = (LANGUAGE, ROLE, PLATFORM, CAMERA, MICROPHONE, SPEAKER, DEMO_MODE)


class Settings:
    """Typed access: ``settings.get(ROLE)`` / ``settings.set(ROLE, "it")``."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            path = paths.config_dir() / "techcheck.ini"
            qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        self.qs = qsettings

    def get(self, setting: Setting[T]) -> T:
        return setting.read(self.qs)

    def set(self, setting: Setting[T], value: T) -> None:
        setting.write(self.qs, value)

    def sync(self) -> None:
        self.qs.sync()
