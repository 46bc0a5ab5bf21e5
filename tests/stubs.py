"""Stand-ins, all in one place, for hardware boundaries this machine does not have (a battery,
a Wi-Fi card). Each feature they stand in for is also tested on the real path."""

from __future__ import annotations

import dataclasses

from techcheck.checks.context import CancelToken
from techcheck.checks.system.meetapp import Where
from techcheck.checks.system.probe import Battery, Connection, CpuLoad, SystemProbe, VpnInterface


class FakeSystemProbe(SystemProbe):
    """A laptop whose every reading the test chooses; unset readings come from the real OS."""

    def __init__(self, *, load: float | None = None, free_mb: float | None = None,
                 total_mb: float | None = None, battery: Battery | str | None = "real",
                 disk_free_mb: float | None = None, vpns: list[VpnInterface] | None = None,
                 connection: Connection | None = None, apps: list[str] | None = None,
                 where: Where | None = None) -> None:
        super().__init__(where)  # where to look for installed apps (a private dpkg database)
        self._load, self._free, self._total = load, free_mb, total_mb
        self._battery, self._disk, self._vpns = battery, disk_free_mb, vpns
        self._conn, self._apps = connection, apps

    def cpu_load(self, seconds: float, cancel: CancelToken) -> CpuLoad:
        if self._load is None:
            return super().cpu_load(seconds, cancel)
        return CpuLoad(self._load, [self._load], [("busyapp", self._load)])

    def memory(self) -> tuple[float, float]:
        free, total = super().memory()
        return (self._free if self._free is not None else free,
                self._total if self._total is not None else total)

    def battery(self) -> Battery | None:
        return super().battery() if self._battery == "real" else self._battery  # type: ignore

    def disk_free_mb(self) -> tuple[str, float]:
        where, free = super().disk_free_mb()
        return where, self._disk if self._disk is not None else free

    def vpn_interfaces(self) -> list[VpnInterface]:
        return super().vpn_interfaces() if self._vpns is None else self._vpns

    def connection(self) -> Connection:
        return super().connection() if self._conn is None else self._conn

    def running_apps(self) -> list[str]:
        return super().running_apps() if self._apps is None else self._apps


class BrokenPortAudio:
    """A machine without the PortAudio library: ``import sounddevice`` raises the ``OSError``
    sounddevice raises there ("PortAudio library not found", sounddevice's
documentation on installation). This machine has PortAudio, so it is faked at
    the import boundary; everything above it (the checks, the findings) runs for real."""

    def find_spec(self, name, path=None, target=None):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None

    @classmethod
    def install(cls, monkeypatch) -> None:
        import sys

        monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
        monkeypatch.setattr(sys, "meta_path", [cls(), *sys.meta_path])


class UnpluggedCamera:
    """A camera that is pulled out after ``frames`` frames: wraps a real source (a video file
    opened through ``cv2.VideoCapture``) and then fails the way a real camera's read does.
    This machine has no camera to unplug."""

    def __init__(self, source, frames: int) -> None:
        self._source = source
        self._left = frames
        # judged as a live camera (with the warm-up), timed by the file's own clock
        self.info = dataclasses.replace(source.info, kind="camera")

    @property
    def is_camera(self) -> bool:
        return True

    def read(self):
        from techcheck.checks.camera.source import CameraDisconnected

        if self._left <= 0:
            raise CameraDisconnected("the test unplugged the camera")
        self._left -= 1
        return self._source.read()

    def close(self) -> None:
        self._source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
