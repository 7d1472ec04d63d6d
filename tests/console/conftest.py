"""Fixtures for the console tests: an in-process sandbox and helpers to call it, signed MWS calls made
with the sandbox's own SigV2 functions, and (browser tests) Debian's chromium driven by Playwright.

Playwright cannot download a browser here: it is pointed at ``/usr/bin/chromium`` (``$CHROMIUM_PATH``),
which ``scripts/ensure_chromium.sh`` installs; without it the browser tests fail and say so.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from mws_sandbox import Sandbox
from mws_sandbox.http import Request, Response
from mws_sandbox.sigv2 import signature, string_to_sign
from mws_sandbox.timefmt import iso_z

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CONSOLE = "/_sandbox/console"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
USER_AGENT = {"User-Agent": "console-tests/1.0 (Language=Python; Platform=Linux)"}
ORDERS_PATH, ORDERS_VERSION = "/Orders/2013-09-01", "2013-09-01"


class StillClock:
    """Sandbox time that moves only when told (``advance``), so bucket levels are exact."""

    def __init__(self, now: float = 1_780_000_000.0) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        self._now += seconds

    def advance(self, seconds: float) -> None:
        self._now += seconds


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(StillClock(), seed=7, orders=12)


def get(sb: Sandbox, path: str) -> Response:
    return sb.handle(Request("GET", CONSOLE + path))


def page(sb: Sandbox, path: str) -> str:
    response = get(sb, path)
    assert response.status == 200, response.body[:500]
    return response.body.decode("utf-8")


def post(sb: Sandbox, path: str, **fields: str) -> Response:
    return sb.handle(Request("POST", CONSOLE + path, FORM, urlencode(fields).encode()))


def signed_params(sb: Sandbox, host: str, action: str = "ListOrders", **extra: str) -> dict[str, str]:
    """A signed Orders call's parameters for the sandbox's primary seller, signed for ``host``."""
    creds = sb.credentials(f"http://{host}")
    params = {"AWSAccessKeyId": creds["accessKeyId"], "Action": action, "SellerId": creds["sellerId"],
              "MWSAuthToken": creds["mwsAuthToken"], "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
              "Timestamp": iso_z(sb.clock.now()), "Version": ORDERS_VERSION,
              "CreatedAfter": "2000-01-01T00:00:00Z", "MarketplaceId.Id.1": creds["marketplaceId"], **extra}
    params["Signature"] = signature(creds["secretKey"], string_to_sign("POST", host, ORDERS_PATH, params))
    return params


def list_orders(sb: Sandbox, host: str = "127.0.0.1") -> tuple[Response, dict[str, str]]:
    params = signed_params(sb, host)
    response = sb.handle(Request("POST", ORDERS_PATH, {**FORM, **USER_AGENT, "Host": host}, urlencode(params).encode()))
    return response, params


@pytest.fixture(scope="module")
def browser():
    """Chromium through Playwright, for one test module: Playwright's sync API keeps an event loop
    running on the main thread while it is open, which would break every later ``asyncio.run``."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no chromium at {CHROMIUM}; run `bash scripts/ensure_chromium.sh` (scripts/test.sh does)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: the suite runs as root here, where Chromium's own sandbox refuses to start.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()
