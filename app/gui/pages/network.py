"""Network: live throughput and latency graphs while the network check measures."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from techcheck.app import demo
from techcheck.app.gui import settings as S
from techcheck.app.gui.pages.base import CheckPage
from techcheck.app.gui.session import Session
from techcheck.app.gui.widgets.checkpanel import CheckPanel
from techcheck.app.gui.widgets.graph import LiveGraph
from techcheck.app.gui.widgets.previewslot import PreviewSlot

log = logging.getLogger("techcheck.gui")


class NetworkPage(CheckPage):
    key = "network"

    def __init__(self, session: Session, settings: S.Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        graphs = QHBoxLayout()
        self.throughput = LiveGraph("Mbit/s", self.body)
        self.latency = LiveGraph("ms", self.body)
        graphs.addWidget(self.throughput)
        graphs.addWidget(self.latency)
        self.layout_.addLayout(graphs, 1)
        self.server_note = QLabel(self.body)
        self.server_note.setWordWrap(True)
        self.layout_.addWidget(self.server_note)
        self.panel = CheckPanel(session, "network", self.body)
        self.panel.about_to_run.connect(self._before_run)
        self.panel.sample.connect(self.add_sample)
        self.panel.check_finished.connect(self._checked)
        self.panel.all_finished.connect(self._show_preview)
        self.add_check_panel(self.panel)
        # "As they will see and hear you", once camera and connection are checked
        # (built when there is something to show: it loads the call model)
        self.preview_slot = PreviewSlot(self.body, settings)  # its save remembers the folder
        self.layout_.addWidget(self.preview_slot)
        self._active = False
        self.server: Any = None
        self.samples = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.set_heading(self.tr(
            "Measures download and upload speed and the delay, also while the line is busy — "
            "that is what makes calls freeze. Use the network you will use in the interview."))
        self.throughput.title = self.tr("Speed")
        self.throughput.set_series_label("down", self.tr("Download"))
        self.throughput.set_series_label("up", self.tr("Upload"))
        self.latency.title = self.tr("Delay")
        self.latency.set_series_label("idle", self.tr("Idle"))
        self.latency.set_series_label("loaded", self.tr("While busy"))
        self.throughput.setAccessibleName(self.tr("Speed graph"))
        self.latency.setAccessibleName(self.tr("Delay graph"))
        self._describe_server()

    def _describe_server(self) -> None:
        inv = self.session.invitation
        if inv is not None and inv.server:
            host = urlsplit(inv.server).hostname or inv.server
            text = self.tr("As the invitation asks, the connection is measured against the "
                           "company's server {host}.").format(host=host)
            if self.session.demo:
                text += " " + self.tr("This is a real measurement even in demo mode: it is the "
                                      "connection your interview will use.")
            self.server_note.setText(text)
        elif self.session.demo and self.server is not None:
            self.server_note.setText(self.tr(
                "Demo mode: measuring against a server on this computer ({url}).").format(
                    url=self.server.url))
        elif self.session.demo:
            self.server_note.setText(self.tr("Demo mode: the local measurement server starts "
                                             "with the check."))
        else:
            self.server_note.setText("")

    def entered(self, checking: bool = False) -> None:
        self._active = True
        self._show_preview()

    def _show_preview(self) -> None:
        self.preview_slot.follow(self.session, self._active and not self.panel.running)

    def _before_run(self) -> None:
        self.preview_slot.pause()  # the camera is free for the checks; the view returns after
        self.throughput.clear()
        self.latency.clear()
        self.samples = 0
        inv = self.session.invitation
        if inv is not None and inv.server:  # the company's own servers, in any mode
            self.session.devices.server = inv.server
            self.session.devices.stun = inv.stun or None
            self._describe_server()
        elif self.session.demo:
            self.ensure_demo_server()
        else:
            self.session.devices.server = None
            self.session.devices.stun = (inv.stun or None) if inv is not None else None

    def ensure_demo_server(self) -> None:
        if self.server is None:
            try:
                self.server = demo.start_server()
            except OSError as exc:
                log.error("cannot start the demo server: %s", exc)
                self.server = None
        if self.server is not None:
            self.session.devices.server = self.server.url
            self.session.devices.stun = getattr(self.server, "stun", None)
        self._describe_server()

    def add_sample(self, data: dict) -> None:
        """A point for a graph, and the check's own measure of that series so far (the steady
        rate, the median delay: the functions its result is made from) for the legend."""
        kind = data.get("kind")
        t = float(data.get("t", 0.0))
        if kind == "throughput" and "mbps" in data:
            key = data.get("direction", "down")
            self.throughput.add(key, t, float(data["mbps"]))
            self.throughput.set_measure(key, data.get("measure_mbps"))
            self.samples += 1
        elif kind == "latency" and "ms" in data:
            key = "loaded" if data.get("loaded") else "idle"
            self.latency.add(key, t, float(data["ms"]))
            self.latency.set_measure(key, data.get("measure_ms"))
            self.samples += 1

    def _checked(self, result: Any) -> None:
        """The card is shown: each legend quotes the card's own figure for its series, and
        says "not measured" where the card has none (never the last point, as if measured)."""
        if getattr(result, "id", None) == "network":
            from techcheck.checks.network import measures as M  # not before the first paint

            metrics = result.metrics

            def value(m: Any) -> float | None:
                v = getattr(metrics.get(m.name), "value", None)
                return float(v) if isinstance(v, int | float) and not isinstance(v, bool) \
                    else None

            def quoted(v: float | None) -> float | str:
                return "unknown" if v is None else v

            self.throughput.set_measure("down", quoted(value(M.DOWNLOAD)))
            self.throughput.set_measure("up", quoted(value(M.UPLOAD)))
            self.latency.set_measure("idle", quoted(value(M.LATENCY)))
            # "while busy": the worse direction, the one the card's delay-under-load quotes
            loaded = [v for v in (value(M.LOADED_LATENCY_DOWNLOAD),
                                  value(M.LOADED_LATENCY_UPLOAD)) if v is not None]
            self.latency.set_measure("loaded", quoted(max(loaded) if loaded else None))

    def left(self) -> None:
        self._active = False
        self.preview_slot.stop()
        self.panel.cancel()

    def shutdown(self) -> None:
        self.left()
        if self.server is not None:
            self.server.stop()
            self.server = None
