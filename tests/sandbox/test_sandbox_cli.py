"""``mws-component sandbox`` as a real subprocess: it serves, writes 0600 credentials that work (also
for ``mws-component verify``), answers signed calls and the scenario API, and stops on SIGTERM."""

from __future__ import annotations

import errno
import json
import os
import selectors
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from mws_sandbox import Sandbox, serve
from mws_sandbox.server import PortUnavailable

from mws_component.lib.mws.clock import SystemClock
from mws_component.lib.mws.transport import HttpRequest, HttpResponse, RequestsTransport

from .conftest import ORDERS, SELLERS, Raw

ROOT = Path(__file__).resolve().parents[2]


def _first_line(proc: subprocess.Popen, timeout: float = 20.0) -> str:
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        proc.kill()
        pytest.fail("mws-component sandbox printed nothing")
    return proc.stdout.readline()


@pytest.fixture
def running(tmp_path):
    creds_file = tmp_path / "creds.json"
    proc = subprocess.Popen([sys.executable, "-m", "mws_component.cli", "sandbox", "--port", "0", "--credentials-out",
                             str(creds_file), "--orders", "8", "--seed", "4"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = _first_line(proc)
        assert line.startswith("MWS sandbox listening on http://127.0.0.1:"), line
        yield proc, line.split()[4], creds_file
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_serves_signed_calls_with_the_written_credentials(running):
    proc, url, creds_file = running
    assert stat.S_IMODE(os.stat(creds_file).st_mode) == 0o600
    creds = json.loads(creds_file.read_text())
    assert creds["endpoint"] == url
    transport = RequestsTransport(timeout=5.0)

    def send(request: HttpRequest) -> HttpResponse:
        return transport.send(HttpRequest(request.method, url + request.url, request.headers, request.body))

    raw = Raw(send, creds, SystemClock(), url.removeprefix("http://"))
    resp = raw.call(SELLERS, "ListMarketplaceParticipations")
    assert resp.status == 200 and creds["marketplaceId"] in resp.body.decode()
    orders = raw.call(ORDERS, "ListOrders", {"CreatedAfter": "2000-01-01T00:00:00Z",
                                             "MarketplaceId.Id.1": creds["marketplaceId"]})
    assert orders.status == 200
    assert requests.get(url + "/_sandbox/stats", timeout=5).json()["requests"] == 2
    assert len(requests.get(url + "/_sandbox/orders", timeout=5).json()) == 8
    transport.close()

    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out and creds["secretKey"] not in out + err


def test_verify_passes_against_the_running_sandbox(running):
    _, _, creds_file = running
    proc = subprocess.run([sys.executable, "-m", "mws_component.cli", "verify", "--credentials", str(creds_file),
                           "--component-path", str(ROOT)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == {"verified": True}


def test_bad_arguments_are_refused(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mws_component.cli", "sandbox", "--port", "70000",
                           "--credentials-out", str(tmp_path / "c.json")], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 2 and "--port must be 0-65535" in proc.stderr
    assert not (tmp_path / "c.json").exists()


def test_a_port_in_use_is_named_and_exits_2(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as held:
        port = held.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "mws_component.cli", "sandbox", "--port", str(port),
                               "--credentials-out", str(tmp_path / "c.json")], cwd=ROOT, capture_output=True,
                              text=True, timeout=30)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (f"mws-component sandbox: port {port} on 127.0.0.1 is already in use; "
                           "choose another --port or 0 for any free port\n")
    assert proc.stdout == "" and not (tmp_path / "c.json").exists()


def test_serve_on_a_taken_port_raises_port_unavailable():
    with socket.create_server(("127.0.0.1", 0)) as held:
        port = held.getsockname()[1]
        with pytest.raises(PortUnavailable, match=f"^port {port} on 127.0.0.1 is already in use$") as caught:
            serve(Sandbox(), port=port)
    assert caught.value.errno == errno.EADDRINUSE
