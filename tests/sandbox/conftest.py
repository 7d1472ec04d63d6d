"""Fixtures for the sandbox tests: a seeded sandbox on a ManualClock, and ``Raw``, a client built by
hand from ``lib.mws.signing`` that sends signed requests in-process or over a loopback socket.

Hand-built on purpose: these tests pin the wire behaviour without depending on the project's
client (which has its own tests against the sandbox).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from defusedxml.ElementTree import fromstring
from mws_sandbox import Sandbox, serve
from mws_sandbox.timefmt import iso_z

from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.signing import content_md5, sign
from mws_component.lib.mws.transport import HttpRequest, HttpResponse, RequestsTransport

START = 1_700_000_000.0  # 2023-11-14T22:13:20Z
SELLERS, ORDERS, FEEDS = "/Sellers/2011-07-01", "/Orders/2013-09-01", "/Feeds/2009-01-01"
FINANCES = "/Finances/2015-05-01"
REPORTS = "/Reports/2009-01-01"
VERSIONS = {SELLERS: "2011-07-01", ORDERS: "2013-09-01", FEEDS: "2009-01-01", "/": "2009-01-01",
            FINANCES: "2015-05-01", REPORTS: "2009-01-01"}
US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"


def strip_ns(root: ET.Element) -> ET.Element:
    for element in root.iter():
        element.tag = element.tag.split("}", 1)[-1]
    return root


@dataclass
class Resp:
    status: int
    headers: dict
    body: bytes

    @property
    def xml(self) -> ET.Element:
        return strip_ns(fromstring(self.body))

    @property
    def code(self) -> str | None:
        return self.xml.findtext("Error/Code")

    @property
    def message(self) -> str | None:
        return self.xml.findtext("Error/Message")

    def text(self, path: str) -> str | None:
        return self.xml.findtext(path)

    def all(self, path: str) -> list[ET.Element]:
        return self.xml.findall(path)


class Raw:
    """Signed MWS requests built by hand. ``send`` takes an HttpRequest and returns an HttpResponse."""

    def __init__(self, send, creds: dict, clock, host: str) -> None:
        self.send, self.creds, self.clock, self.host = send, creds, clock, host

    def common(self, path: str, action: str, seller_param: str = "SellerId") -> dict:
        return {"AWSAccessKeyId": self.creds["accessKeyId"], "Action": action,
                seller_param: self.creds["sellerId"], "MWSAuthToken": self.creds["mwsAuthToken"],
                "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
                "Timestamp": iso_z(self.clock.now()), "Version": VERSIONS[path]}

    def request(self, path: str, action: str, params: dict | None = None, *, method: str = "POST",
                body: bytes | None = None, headers: dict | None = None, in_query: bool = False,
                secret: str | None = None, sign_host: str | None = None, drop: tuple = (),
                seller_param: str = "SellerId", **overrides: str) -> HttpRequest:
        """A signed request; ``overrides`` replace common parameters before signing, ``drop`` removes them."""
        values = {**self.common(path, action, seller_param), **(params or {}), **overrides}
        values = {k: v for k, v in values.items() if k not in drop and v is not None}
        signed = sign(method, sign_host or self.host, path, values, secret or self.creds["secretKey"])
        values["Signature"] = signed.signature
        return self.wire(path, values, method=method, body=body, headers=headers, in_query=in_query)

    def wire(self, path: str, values: dict, *, method: str = "POST", body: bytes | None = None,
             headers: dict | None = None, in_query: bool = False) -> HttpRequest:
        """Form body for plain calls (as the official libraries send), URL parameters with a raw body."""
        all_headers = {"Host": self.host, "User-Agent": "sandbox-tests/1.0 (Language=Python)", **(headers or {})}
        if body is not None or in_query or method == "GET":
            return HttpRequest(method, f"{path}?{urlencode(values)}", all_headers, body or b"")
        all_headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        return HttpRequest(method, path, all_headers, urlencode(values).encode("utf-8"))

    def call(self, path: str, action: str, params: dict | None = None, **kw) -> Resp:
        return self._send(self.request(path, action, params, **kw))

    def send_signed(self, path: str, values: dict, **kw) -> Resp:
        """Send already-signed ``values`` (for tests that tamper after signing)."""
        return self._send(self.wire(path, values, **kw))

    def _send(self, request: HttpRequest) -> Resp:
        response = self.send(request)
        return Resp(response.status, dict(response.headers), response.body)

    def submit_feed(self, feed: bytes, feed_type: str = "_POST_INVENTORY_AVAILABILITY_DATA_", **params) -> Resp:
        values = {"FeedType": feed_type, "ContentMD5Value": content_md5(feed), **params}
        return self.call(FEEDS, "SubmitFeed", values, body=feed, headers={"Content-Type": "text/xml"})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def sandbox(clock) -> Sandbox:
    return Sandbox(clock, seed=7, orders=60)


@pytest.fixture
def creds(sandbox) -> dict:
    return sandbox.credentials("http://127.0.0.1:8000")


@pytest.fixture
def raw(sandbox, creds, clock) -> Raw:
    """In-process: requests go straight to ``Sandbox.handle``."""
    return Raw(sandbox.handle, creds, clock, "127.0.0.1:8000")


@pytest.fixture
def other_raw(sandbox, clock) -> Raw:
    """The second (pan-European) seller authorised for the same developer."""
    return Raw(sandbox.handle, sandbox.credentials("http://127.0.0.1:8000", seller=1), clock, "127.0.0.1:8000")


@pytest.fixture
def server(sandbox):
    with serve(sandbox) as running:
        yield running


@pytest.fixture
def http_raw(server, sandbox, clock) -> Raw:
    """Over a real loopback socket, through the project's requests transport (5 s timeout)."""
    transport = RequestsTransport(timeout=5.0)
    base = server.url

    def send(request: HttpRequest) -> HttpResponse:
        return transport.send(HttpRequest(request.method, base + request.url, request.headers, request.body))

    yield Raw(send, sandbox.credentials(base), clock, urlsplit(base).netloc)
    transport.close()


def feed_xml(message_type: str, *messages: str, merchant: str = "M_TEST") -> bytes:
    """An AmazonEnvelope around ready-made ``<Message>`` strings (test data, not production code)."""
    body = "".join(messages)
    return (f'<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion>'
            f"<MerchantIdentifier>{merchant}</MerchantIdentifier></Header><MessageType>{message_type}</MessageType>"
            f"{body}</AmazonEnvelope>").encode()
