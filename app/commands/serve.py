"""``techcheck serve``: a measurement server a company runs for its own candidates.

HTTP download/upload/latency endpoints on TCP PORT and a STUN responder on UDP PORT, so that
``techcheck run --server http://ADDR:PORT --stun ADDR:PORT`` measures against it. Binds to
127.0.0.1 unless told otherwise: exposing a port is the operator's decision.
"""

from __future__ import annotations

import argparse
import logging
import sys

from techcheck.app.commands.common import fail
from techcheck.checks.network import server

log = logging.getLogger("techcheck.cli")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="run a measurement server for the network check",
        description="Serve the network check's measurements: HTTP on TCP PORT, STUN on UDP PORT. "
        f"Limits: {server.MAX_CONNECTIONS} connections ({server.MAX_PER_ADDRESS} per address), "
        f"{server.HEADER_TIMEOUT_S:.0f} s and {server.MAX_HEAD_BYTES >> 10} KiB for a request's "
        f"headers, {server.MAX_DOWNLOAD_BYTES >> 20} MiB and {server.MAX_REQUEST_S:.0f} s per "
        "request (docs/input-limits.md).")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDR",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=_port, default=8080, metavar="PORT",
                   help="TCP and UDP port number (default 8080; 0 picks a free one)")
    p.set_defaults(func=run)


def _port(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError("must be 0-65535")
    return n


def run(args: argparse.Namespace) -> int:
    try:
        running = server.start_server(args.host, args.port)
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    print(f"techcheck: serving on {running.url} (TCP) and {running.stun} (UDP, STUN)",
          file=sys.stderr)
    print(f"techcheck: measure with: techcheck run --only network --server {running.url} "
          f"--stun {running.stun}", file=sys.stderr)
    sys.stderr.flush()
    try:
        running.serve_forever()
    except KeyboardInterrupt:
        print("techcheck: stopped", file=sys.stderr)
    return 0
