"""Stand-in for the platform's result endpoint, for trying ``mws-component serve`` locally (README).

``python3 examples/result_sink.py URL_FILE`` listens on a free loopback port, writes its URL to
URL_FILE once it listens, answers the first POST with 200, prints the posted JSON on stdout and exits.
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Sink(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
        print(json.dumps(json.loads(body or b"null")), flush=True)

    def log_message(self, *args) -> None:
        pass


def main(url_file: str) -> int:
    with HTTPServer(("127.0.0.1", 0), Sink) as server:
        tmp = url_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(f"http://127.0.0.1:{server.server_address[1]}/result\n")
        os.replace(tmp, url_file)
        server.timeout = 120
        server.handle_request()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "sink.url"))
