"""An HTTP handler served on loopback, with credentials that point a step at it (hostile endpoints)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CREDENTIALS = {"sellerId": "A2NEXAMPLETF53", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "marketplaceId": "ATVPDKIKX0DER",
               "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}


@contextmanager
def endpoint_credentials(handler: type[BaseHTTPRequestHandler], folder: Path) -> Iterator[Path]:
    """Serve ``handler`` on a free loopback port; yield a credentials file whose endpoint is it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    creds = folder / "creds.json"
    creds.write_text(json.dumps({**CREDENTIALS, "endpoint": f"http://127.0.0.1:{server.server_port}"}))
    try:
        yield creds
    finally:
        server.shutdown()
