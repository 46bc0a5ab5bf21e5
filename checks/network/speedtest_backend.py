"""speedtest.net through speedtest-cli, as an optional throughput backend.

Kept because many IT departments know its numbers; not the default because it counts upload
bytes handed to the socket (over-reports 5-13 %), includes ramp-up in the download, and has no
jitter or loss (speedtest-cli's own source, and docs/benchmarks.md "Network measurement
accuracy"). Our STUN probe still runs alongside it, so latency under load
is measured either way.

``speedtest+http://host/path/upload.php`` names one server directly (speedtest.net servers, or
``techcheck serve``, which answers the same URLs) and needs no speedtest.net configuration;
plain ``speedtest`` asks speedtest.net for the nearest server.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from techcheck.checks.network.httpio import HttpFailure
from techcheck.checks.network.transfer import TransferResult

log = logging.getLogger("techcheck.network")


class _Shutdown:
    """speedtest-cli polls ``isSet()``; ``threading.Event.isSet`` is deprecated."""

    def __init__(self, cancelled: Callable[[], bool]) -> None:
        self.cancelled = cancelled
        self.flag = False

    def isSet(self) -> bool:
        return self.flag or self.cancelled()

    def set(self) -> None:
        self.flag = True


def _config(seconds_down: float, seconds_up: float) -> dict[str, Any]:
    """What speedtest.net's configuration usually says (threadcount 4, upload ratio 5,
    maxchunkcount 50), with our durations."""
    up_sizes = [524288, 1048576, 7340032]
    upload_max = 50
    count = math.ceil(upload_max / len(up_sizes))
    return {
        "client": {"ip": "", "lat": "0", "lon": "0", "isp": "", "isprating": "",
                   "rating": "", "ispdlavg": "", "ispulavg": "", "loggedin": "0",
                   "country": ""},
        "ignore_servers": [],
        "sizes": {"upload": up_sizes,
                  "download": [350, 500, 750, 1000, 1500, 2000, 2500, 3000, 3500, 4000]},
        "counts": {"upload": count, "download": 4},
        "threads": {"upload": 2, "download": 8},
        "length": {"upload": max(1, round(seconds_up)), "download": max(1, round(seconds_down))},
        "upload_max": count * len(up_sizes),
    }


_import_lock = threading.Lock()


def import_speedtest() -> types.ModuleType:
    """speedtest-cli, imported without its side effect on the standard streams: at import it
    wraps the file descriptors of ``sys.stdout`` and ``sys.stderr`` in new, never closed file
    objects (speedtest.py, ``_Py3Utf8Output``), which the interpreter reports as
    "ResourceWarning: unclosed file" when it exits (and which would close those descriptors if
    they were ever collected). With streams that have no descriptor during the import it keeps
    the streams themselves; it is a library here, so its own printing goes where ours does."""
    with _import_lock:
        if "speedtest" not in sys.modules:
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                import speedtest
            speedtest._py3_utf8_stdout, speedtest._py3_utf8_stderr = sys.stdout, sys.stderr
        import speedtest
    module: types.ModuleType = speedtest  # speedtest-cli has no type information
    return module


def run(server: str, seconds_down: float, seconds_up: float, cancelled: Callable[[], bool],
        phase: Callable[[str], None], timeout_s: float = 5.0) -> tuple[TransferResult,
                                                                        TransferResult, float | None]:
    """(download, upload, speedtest-cli's ping in ms). ``phase`` is told "download"/"upload"
    as each starts, so latency probes can be labelled."""
    speedtest: Any = import_speedtest()

    shutdown = _Shutdown(cancelled)
    url = server.removeprefix("speedtest+") if server.startswith("speedtest+") else ""
    try:
        if url:
            cfg = _config(seconds_down, seconds_up)

            class Offline(speedtest.Speedtest):  # type: ignore[misc]  # speedtest-cli is untyped
                def get_config(self) -> dict[str, Any]:  # no speedtest.net lookup for a server
                    self.config.update(cfg)
                    self.lat_lon = (0.0, 0.0)
                    config: dict[str, Any] = self.config
                    return config

            st = Offline(timeout=timeout_s, secure=url.startswith("https"),
                         shutdown_event=shutdown)
            host = urlsplit(url).netloc
            st.get_best_server([{"url": url, "host": host, "id": "0", "name": host,
                                 "sponsor": "", "country": "", "d": 0.0}])
        else:
            st = speedtest.Speedtest(timeout=timeout_s, shutdown_event=shutdown)
            st.config["length"] = {"download": max(1, round(seconds_down)),
                                   "upload": max(1, round(seconds_up))}
            st.get_best_server()
        ping = float(st.results.ping) if st.results.ping < 3600 else None
        results = []
        for direction, fn in (("down", st.download), ("up", st.upload)):
            phase("download" if direction == "down" else "upload")
            start = time.monotonic()
            bps = fn()
            took = time.monotonic() - start
            got = st.results.bytes_received if direction == "down" else st.results.bytes_sent
            results.append(TransferResult(direction, bps / 1e6 if bps else None, int(got), took,
                                          0.0, [(0.0, 0), (took, int(got))]))
    except speedtest.SpeedtestBestServerFailure as exc:
        err = HttpFailure("connect", str(exc))
        return _failed("down", err), _failed("up", err), None
    except (speedtest.SpeedtestException, OSError, ValueError) as exc:
        err = HttpFailure("connect", f"{type(exc).__name__}: {exc}")
        return _failed("down", err), _failed("up", err), None
    finally:
        shutdown.set()
    return results[0], results[1], ping


def _failed(direction: str, err: HttpFailure) -> TransferResult:
    return TransferResult(direction, None, 0, 0.0, 0.0, [], [err])
