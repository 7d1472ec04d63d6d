"""A small scripted SP-API seller world for the client's tests (the emulator covers integration).

``FakeSpApi`` answers LWA, Sellers, Orders 2026-01-01 and Tokens requests like Amazon documents
them (checking the access token, paging with nextToken, filtering by lastUpdated window), on a
``ManualClock``. ``faults`` queues answers (or ``ConnectionError``) served before the real one.
``serve`` puts any handler behind a real loopback HTTP server, for transport-level tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.errors import TransportError
from mws_component.lib.mws.server_time import parse_iso
from mws_component.lib.mws.transport import HttpRequest, HttpResponse

CLIENT_SECRET = "amzn1.oa2-cs.v1.SECRETSECRETSECRET0123456789"
REFRESH_TOKEN = "Atzr|IwEBIREFRESHREFRESHREFRESH0123456789"
CREDS = {
    "api": "sp-api",
    "sellerId": "A2NEXAMPLETF53",
    "marketplaceId": "ATVPDKIKX0DER",
    "lwaClientId": "amzn1.application-oa2-client.0123456789abcdef",
    "lwaClientSecret": CLIENT_SECRET,
    "refreshToken": REFRESH_TOKEN,
    "endpoint": "http://127.0.0.1:8999",
    "lwaEndpoint": "http://127.0.0.1:8999/auth/o2/token",
}
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def json_response(status: int, data: object, clock: ManualClock | None = None, **headers: str) -> HttpResponse:
    base = {"content-type": "application/json", "x-amzn-RequestId": f"req-{status}"}
    if clock is not None:
        base["date"] = formatdate(clock.now(), usegmt=True)
    return HttpResponse.of(status, {**base, **headers}, json.dumps(data).encode())


def order(order_id: str, updated: str, status: str = "UNSHIPPED", by: str = "MERCHANT", **extra) -> dict:
    return {"orderId": order_id, "createdTime": updated, "lastUpdatedTime": updated, "programs": [],
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER", "marketplaceName": "Amazon.com"},
            "fulfillment": {"fulfillmentStatus": status, "fulfilledBy": by},
            "orderItems": [{"orderItemId": order_id.replace("-", "")[:14], "quantityOrdered": 1,
                            "product": {"asin": "B000000001", "sellerSku": "SKU-1"}}], **extra}


@dataclass
class FakeSpApi:
    clock: ManualClock = field(default_factory=lambda: ManualClock(START))
    orders: list[dict] = field(default_factory=list)
    token_lifetime: int = 3600
    participations: list[str] = field(default_factory=lambda: ["ATVPDKIKX0DER"])
    faults: list = field(default_factory=list)  # HttpResponse, callable(request) or ConnectionError, served first
    seen: list[HttpRequest] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)
    rdt_allowed: bool = True
    rate_header: str | None = None
    token_generation: int = 0  # raise it to expire every paginationToken given so far

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.seen.append(request)
        if self.faults:
            fault = self.faults.pop(0)
            if isinstance(fault, Exception):
                raise TransportError(str(fault), operation=request.operation or None)
            return fault(request) if callable(fault) else fault
        return self.route(request)

    def route(self, request: HttpRequest) -> HttpResponse:
        path = urlsplit(request.url).path
        if path == "/auth/o2/token":
            return self.lwa(request)
        if path == "/":
            return json_response(404, {"errors": [{"code": "NotFound", "message": "no such path"}]}, self.clock)
        token = request.headers.get("x-amz-access-token")
        if token in self.expired:
            return json_response(403, {"errors": [{"code": "Unauthorized", "message": "Access to requested "
                                       "resource is denied.", "details": "The access token you provided has expired."}]},
                                 self.clock)
        if token not in self.issued:
            return json_response(403, {"errors": [{"code": "Unauthorized",
                                                   "message": "Access to requested resource is denied."}]}, self.clock)
        extra = {"x-amzn-RateLimit-Limit": self.rate_header} if self.rate_header else {}
        return self.api(request, path, token, extra)

    def api(self, request: HttpRequest, path: str, token: str, extra: dict) -> HttpResponse:
        if path == "/sellers/v1/marketplaceParticipations":
            payload = [{"marketplace": {"id": m, "name": f"Market {m}", "countryCode": "US",
                                        "defaultCurrencyCode": "USD", "defaultLanguageCode": "en_US",
                                        "domainName": "www.example.com"},
                        "participation": {"isParticipating": True, "hasSuspendedListings": False},
                        "storeName": "Store"} for m in self.participations]
            return json_response(200, {"payload": payload}, self.clock, **extra)
        if path == "/tokens/2021-03-01/restrictedDataToken":
            if not self.rdt_allowed:
                return json_response(403, {"errors": [{"code": "Unauthorized", "message": "Access to requested "
                                                       "resource is denied."}]}, self.clock)
            rdt = f"Atz.sprdt|RDT{len(self.issued)}"
            self.issued.append(rdt)
            return json_response(200, {"restrictedDataToken": rdt, "expiresIn": 3600}, self.clock)
        if path == "/orders/2026-01-01/orders":
            return self.search(request, token, extra)
        if path.startswith("/orders/2026-01-01/orders/"):
            wanted = unquote(path.rsplit("/", 1)[1])
            found = [o for o in self.orders if o["orderId"] == wanted]
            if not found:
                return json_response(404, {"errors": [{"code": "NotFound", "message": "order not found"}]}, self.clock)
            return json_response(200, {"order": self.visible(found[-1], token)}, self.clock, **extra)
        return json_response(404, {"errors": [{"code": "NotFound", "message": "no such path"}]}, self.clock)

    def visible(self, order_: dict, token: str) -> dict:
        if token.startswith("Atz.sprdt|"):
            return order_
        return {k: v for k, v in order_.items() if k not in ("buyer", "recipient")}

    def lwa(self, request: HttpRequest) -> HttpResponse:
        form = dict(parse_qsl(bytes(request.body).decode()))
        if form.get("client_secret") != CLIENT_SECRET or form.get("client_id") != CREDS["lwaClientId"]:
            return json_response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("refresh_token") != REFRESH_TOKEN or form.get("grant_type") != "refresh_token":
            return json_response(400, {"error": "invalid_grant", "error_description": "The request has an invalid "
                                                                                       "grant parameter : refresh_token"})
        token = f"Atza|ACCESS{len(self.issued)}"
        self.issued.append(token)
        return json_response(200, {"access_token": token, "refresh_token": REFRESH_TOKEN, "token_type": "bearer",
                                   "expires_in": self.token_lifetime})

    def search(self, request: HttpRequest, token: str, extra: dict) -> HttpResponse:
        q = dict(parse_qsl(urlsplit(request.url).query))
        after, before = parse_iso(q["lastUpdatedAfter"]), parse_iso(q["lastUpdatedBefore"])
        if before.timestamp() > self.clock.now() - 120:
            return json_response(400, {"errors": [{"code": "InvalidInput", "message": "lastUpdatedBefore must be "
                                                   "at least two minutes before the time of the request"}]}, self.clock)
        statuses = set(q["fulfillmentStatuses"].split(",")) if "fulfillmentStatuses" in q else None
        hits = [o for o in self.orders if after <= parse_iso(o["lastUpdatedTime"]) <= before
                and (statuses is None or o["fulfillment"]["fulfillmentStatus"] in statuses)]
        size = int(q.get("maxResultsPerPage", 100))
        start = 0
        if "paginationToken" in q:
            generation, _, start_text = q["paginationToken"].partition("-")
            if generation != f"g{self.token_generation}":
                return json_response(400, {"errors": [{"code": "InvalidInput", "message": "Invalid paginationToken",
                                                       "details": "The token has expired"}]}, self.clock)
            start = int(start_text)
        page = [self.visible(o, token) for o in hits[start:start + size]]
        body: dict = {"orders": page, "lastUpdatedBefore": q["lastUpdatedBefore"]}
        if start + size < len(hits):
            body["pagination"] = {"nextToken": f"g{self.token_generation}-{start + size}"}
        return json_response(200, body, self.clock, **extra)

    def requests_to(self, path: str) -> list[HttpRequest]:
        return [r for r in self.seen if urlsplit(r.url).path == path]


@contextmanager
def serve(handler: Callable[[HttpRequest], HttpResponse]) -> Iterator[str]:
    """``handler`` behind a real HTTP server on 127.0.0.1; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = f"http://127.0.0.1:{self.server.server_port}{self.path}"
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = handler(HttpRequest(self.command, url, headers, body))
            self.send_response_only(answer.status)  # no Date of the machine's: the handler's clock rules
            for name, value in answer.headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = _any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
