"""``mws-component sandbox``: serve the MWS sandbox on 127.0.0.1 until Ctrl-C or SIGTERM.

Writes a credentials JSON (mode 0600: it holds the sandbox's secret key) that works against the
running sandbox, e.g. for ``mws-component verify --credentials FILE``, and next to it the same
seller's SP-API credentials (``creds.json`` -> ``creds.sp-api.json``: LWA client id and secret,
refresh token, the sandbox as ``endpoint`` and ``lwaEndpoint``), also mode 0600. Prints the URL and the
web console's URL (``/_sandbox/console``), never the secrets. Submitted feeds are also checked with the
project's XSD-derived rules (lib.feeds).
A bad ``--port``/``--orders``, or a port already taken, is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

HELP = "serve the MWS and SP-API sandbox on 127.0.0.1 (seeded orders, real quotas) until Ctrl-C"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: any free port)")
    parser.add_argument("--credentials-out", required=True, metavar="FILE",
                        help="write MWS credentials JSON for this sandbox here, and the same seller's "
                             "SP-API credentials next to it as <stem>.sp-api.json (both mode 0600)")
    parser.add_argument("--orders", type=int, default=25, help="orders to seed (default 25)")
    parser.add_argument("--seed", type=int, default=0, help="seed for data and faults (default 0)")


def write_credentials(path: str, credentials: dict) -> None:
    """Create or replace ``path`` readable by its owner only, before any secret is written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(credentials, handle, indent=2)
        handle.write("\n")


def sp_api_path(path: str) -> str:
    """``creds.json`` -> ``creds.sp-api.json`` in the same folder (``creds`` -> ``creds.sp-api.json``)."""
    folder, name = os.path.split(path)
    stem = name[: -len(".json")] if name.endswith(".json") else name
    return os.path.join(folder, f"{stem}.sp-api.json")


def refuse(problem: str) -> int:
    print(f"mws-component sandbox: {problem}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from mws_sandbox import Sandbox, serve
    from mws_sandbox.server import PortUnavailable

    if not 0 <= args.port <= 65535:
        return refuse(f"--port must be 0-65535, got {args.port}")
    if args.orders < 0:
        return refuse(f"--orders must be 0 or more, got {args.orders}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sandbox = Sandbox(seed=args.seed, orders=args.orders)
    try:
        server = serve(sandbox, port=args.port)
    except PortUnavailable as exc:
        return refuse(f"{exc}; choose another --port or 0 for any free port")
    with server:
        write_credentials(args.credentials_out, sandbox.credentials(server.url))
        write_credentials(sp_api_path(args.credentials_out), sandbox.sp_api_credentials(server.url))
        print(f"MWS sandbox listening on {server.url} (seed {args.seed}, {args.orders} orders)", flush=True)
        print(f"credentials written to {args.credentials_out} (MWS) and {sp_api_path(args.credentials_out)} "
              f"(SP-API); scenario API at {server.url}/_sandbox/", flush=True)
        print(f"console at {server.url}/_sandbox/console (orders, feeds, quotas, clock and faults in a browser)",
              flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("MWS sandbox stopped", flush=True)
    return 0
