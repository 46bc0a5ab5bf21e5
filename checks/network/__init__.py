"""The ``network`` check: throughput, latency, jitter, loss, latency under load, UDP and the
platform's reachability, measured by our own engine (see ``check.py``), and the measurement
server ``techcheck serve`` runs (``server.start_server``)."""

from techcheck.checks.network.check import NetworkCheck
from techcheck.checks.network.limits import NetworkLimits
from techcheck.checks.network.server import RunningServer, start_server

__all__ = ["NetworkCheck", "NetworkLimits", "RunningServer", "start_server"]
