"""The device picker shared by the camera, microphone and speaker pages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QWidget

DEMO = "__demo__"


class DevicePicker(QComboBox):
    """Items: the system default, each device found, and in demo mode the sample. ``chosen``
    carries the device spec as the checks take it (``None`` = default, ``DEMO``, index, name)."""

    chosen = Signal(object)

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.devices: list[dict[str, Any]] = []
        self.demo = False
        self.currentIndexChanged.connect(lambda _i: self.chosen.emit(self.spec()))

    def set_devices(self, devices: list[dict[str, Any]], demo: bool, selected: Any = None) -> None:
        self.devices, self.demo = devices, demo
        self.blockSignals(True)
        self.clear()
        if demo:  # the sample video, the sample recording, or the stand-in speaker
            self.addItem(QCoreApplication.translate("DevicePicker", "Sample (demo mode)"), DEMO)
        self.addItem(QCoreApplication.translate("DevicePicker", "System default"), None)
        for d in devices:
            name = d.get("name") or str(d.get("index"))
            if d.get("default"):
                name = QCoreApplication.translate("DevicePicker", "{name} (default)").format(
                    name=name)
            self.addItem(name, d.get("index"))
        i = self.findData(selected) if selected not in (None, "") else 0
        self.setCurrentIndex(max(0, i))
        self.blockSignals(False)

    def spec(self) -> Any:
        return self.currentData()

    def retranslate(self) -> None:
        self.set_devices(self.devices, self.demo, self.spec())
