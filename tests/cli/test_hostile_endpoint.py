"""``mws-component run`` against a hostile endpoint on loopback: each answer ends the step quickly,
with a clear message and an exit code a script can act on (issue 11 §3)."""

from __future__ import annotations

import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

import pytest

from .loopback import endpoint_credentials

ITEMS = (b'<?xml version="1.0"?><ListOrderItemsResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">'
         b"<ListOrderItemsResult><AmazonOrderId>058-1233752-8214740</AmazonOrderId><OrderItems><OrderItem><Title>")
QUOTA = (b'<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>QuotaExceeded</Code>'
         b"<Message>You exceeded your quota</Message></Error><RequestID>r-1</RequestID></ErrorResponse>")


def _handler(mode: str):
    class Hostile(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
            if mode == "resets-in-2100":
                self.send_response(503)
                self.send_header("x-mws-timestamp", stamp)
                self.send_header("x-mws-quota-resetsOn", "2100-01-01T00:00:00.000Z")
                self.send_header("Content-Length", str(len(QUOTA)))
                self.end_headers()
                self.wfile.write(QUOTA)
                return
            self.send_response(200)  # "endless": a title that never ends, sent without a length
            self.send_header("x-mws-timestamp", stamp)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            block = b"A" * (1 << 20)
            try:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(ITEMS), ITEMS))
                for _ in range(64):  # 64 MiB on offer, four times the cap
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            except OSError:
                pass  # the client stopped reading at its cap: that is the point
    return Hostile


@pytest.fixture
def hostile(request, tmp_path):
    with endpoint_credentials(_handler(request.param), tmp_path) as creds:
        yield creds


def _run(creds) -> tuple[subprocess.CompletedProcess, float]:
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "mws_component.cli", "run", "listOrderItems", "--credentials",
                           str(creds), "--body", '{"amazonOrderId": "058-1233752-8214740"}'],
                          capture_output=True, text=True, timeout=150)
    return done, time.monotonic() - began


@pytest.mark.parametrize("hostile", ["endless"], indirect=True)
def test_an_endless_answer_is_cut_at_its_cap_with_a_clear_error(hostile):
    done, seconds = _run(hostile)
    assert done.returncode == 1 and done.stdout == ""
    assert "ResponseTooLargeError" in done.stderr and "16 MiB" in done.stderr and "ListOrderItems" in done.stderr
    assert seconds < 30


@pytest.mark.parametrize("hostile", ["resets-in-2100"], indirect=True)
def test_a_quota_reset_far_away_rebounds_the_message_instead_of_sleeping(hostile):
    done, seconds = _run(hostile)
    assert done.returncode == 75, done.stderr  # EX_TEMPFAIL: try again later
    assert "rebound" in done.stderr and "quota" in done.stderr and done.stdout == ""
    assert seconds < 30
