"""Fixtures for the SP-API side of the sandbox: Amazon's models read from ../shared/sp-api/models,
a validator for an operation's response schema, and ``Sp``, a hand-built client (LWA exchange,
``x-amz-access-token``) that talks to the sandbox in-process or over a loopback socket.

Hand-built on purpose, like ``Raw`` for MWS: these tests pin the wire behaviour without the
project's SP-API client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import jsonschema
import pytest
import requests
from mws_sandbox import Request, Sandbox, serve

from tests.conftest import SHARED, require_shared

MODELS = SHARED / "sp-api" / "models"
OPERATIONS = {  # operationId -> (model file, HTTP method, path template)
    "getMarketplaceParticipations": ("sellers.json", "get", "/sellers/v1/marketplaceParticipations"),
    "searchOrders": ("orders_2026-01-01.json", "get", "/orders/2026-01-01/orders"),
    "getOrder": ("orders_2026-01-01.json", "get", "/orders/2026-01-01/orders/{orderId}"),
    "listFinancialEvents": ("financesV0.json", "get", "/finances/v0/financialEvents"),
    "confirmShipment": ("ordersV0.json", "post", "/orders/v0/orders/{orderId}/shipmentConfirmation"),
    "createRestrictedDataToken": ("tokens_2021-03-01.json", "post", "/tokens/2021-03-01/restrictedDataToken"),
    "createFeedDocument": ("feeds_2021-06-30.json", "post", "/feeds/2021-06-30/documents"),
    "getFeedDocument": ("feeds_2021-06-30.json", "get", "/feeds/2021-06-30/documents/{feedDocumentId}"),
    "createFeed": ("feeds_2021-06-30.json", "post", "/feeds/2021-06-30/feeds"),
    "getFeeds": ("feeds_2021-06-30.json", "get", "/feeds/2021-06-30/feeds"),
    "getFeed": ("feeds_2021-06-30.json", "get", "/feeds/2021-06-30/feeds/{feedId}"),
    "cancelFeed": ("feeds_2021-06-30.json", "delete", "/feeds/2021-06-30/feeds/{feedId}"),
    "putListingsItem": ("listingsItems_2021-08-01.json", "put", "/listings/2021-08-01/items/{sellerId}/{sku}"),
    "patchListingsItem": ("listingsItems_2021-08-01.json", "patch", "/listings/2021-08-01/items/{sellerId}/{sku}"),
    "deleteListingsItem": ("listingsItems_2021-08-01.json", "delete", "/listings/2021-08-01/items/{sellerId}/{sku}"),
    "getListingsItem": ("listingsItems_2021-08-01.json", "get", "/listings/2021-08-01/items/{sellerId}/{sku}"),
    "searchDefinitionsProductTypes": ("definitionsProductTypes_2020-09-01.json", "get",
                                      "/definitions/2020-09-01/productTypes"),
    "getDefinitionsProductType": ("definitionsProductTypes_2020-09-01.json", "get",
                                  "/definitions/2020-09-01/productTypes/{productType}"),
    "createReport": ("reports_2021-06-30.json", "post", "/reports/2021-06-30/reports"),
    "getReport": ("reports_2021-06-30.json", "get", "/reports/2021-06-30/reports/{reportId}"),
    "getReportDocument": ("reports_2021-06-30.json", "get", "/reports/2021-06-30/documents/{reportDocumentId}"),
}
ORDER_SIDE = ("getMarketplaceParticipations", "searchOrders", "getOrder", "createRestrictedDataToken")
ALL_DATA = "BUYER,RECIPIENT,PROCEEDS,EXPENSE,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES,TAX,PAYMENT,FULFILLMENT_ORDERS"
SEARCH = "/orders/2026-01-01/orders"


@cache
def model(name: str) -> dict:
    folder = require_shared(MODELS, "Amazon's SP-API models")
    return json.loads((Path(folder) / name).read_text(encoding="utf-8"))


def operation(operation_id: str) -> dict:
    name, method, path = OPERATIONS[operation_id]
    return model(name)["paths"][path][method]


def validate(operation_id: str, status: int, body: object) -> None:
    """Check ``body`` against the model's schema for this operation and status (refs resolved in the model);
    an answer the model gives no schema (cancelFeed's 200) must be empty."""
    responses = operation(operation_id)["responses"]
    assert str(status) in responses, f"{operation_id} defines no {status} answer"
    if "schema" not in responses[str(status)]:
        assert body in ({}, None), f"{operation_id} {status} has no schema, so no content: {body}"
        return
    schema = {**responses[str(status)]["schema"], "definitions": model(OPERATIONS[operation_id][0])["definitions"]}
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(body)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def code(self) -> str | None:
        return self.json["errors"][0]["code"] if self.status >= 400 else None


class Sp:
    """SP-API over ``send(method, url, headers, body) -> Answer``; ``token`` is the access token in use."""

    def __init__(self, send, creds: dict) -> None:
        self.send, self.creds, self.token = send, creds, None

    def lwa(self, **overrides: str) -> Answer:
        fields = {"grant_type": "refresh_token", "refresh_token": self.creds["refreshToken"],
                  "client_id": self.creds["lwaClientId"], "client_secret": self.creds["lwaClientSecret"], **overrides}
        fields = {k: v for k, v in fields.items() if v is not None}
        headers = {"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}
        return self.send("POST", "/auth/o2/token", headers, urlencode(fields).encode())

    def login(self) -> Sp:
        answer = self.lwa()
        assert answer.status == 200, answer.body
        self.token = answer.json["access_token"]
        return self

    def get(self, path: str, params: dict | None = None, token: str | None = None) -> Answer:
        url = path + ("?" + urlencode(params, doseq=True) if params else "")
        return self.send("GET", url, self._auth(token), b"")

    def post(self, path: str, body: dict, token: str | None = None) -> Answer:
        headers = {**self._auth(token), "Content-Type": "application/json"}
        return self.send("POST", path, headers, json.dumps(body).encode())

    def call(self, method: str, path: str, params: dict | None = None, body: dict | None = None,
             token: str | None = None) -> Answer:
        """Any SP-API call: query ``params`` (lists comma-joined, as Amazon's clients send) and a JSON body."""
        query = {k: ",".join(v) if isinstance(v, (list, tuple)) else v for k, v in (params or {}).items()}
        url = path + ("?" + urlencode(query) if query else "")
        headers = {**self._auth(token), **({"Content-Type": "application/json"} if body is not None else {})}
        return self.send(method, url, headers, b"" if body is None else json.dumps(body).encode())

    def search(self, token: str | None = None, **params) -> Answer:
        return self.get(SEARCH, params, token)

    def order(self, order_id: str, token: str | None = None, **params) -> Answer:
        return self.get(f"{SEARCH}/{order_id}", params, token)

    def rdt(self, *resources: dict) -> str:
        answer = self.post("/tokens/2021-03-01/restrictedDataToken", {"restrictedResources": list(resources)})
        assert answer.status == 200, answer.body
        return answer.json["restrictedDataToken"]

    def _auth(self, token: str | None) -> dict:
        token = token or self.token
        return {"x-amz-access-token": token} if token else {}


def in_process(sandbox: Sandbox):
    def send(method: str, url: str, headers: dict, body: bytes) -> Answer:
        response = sandbox.handle(Request(method, url, headers, body))
        return Answer(response.status, dict(response.headers), response.body)
    return send


@pytest.fixture
def sp(sandbox) -> Sp:
    """Logged in as the seller with orders, in-process."""
    return Sp(in_process(sandbox), sandbox.sp_api_credentials("http://127.0.0.1:8000")).login()


@pytest.fixture
def other_sp(sandbox) -> Sp:
    """The second (pan-European) seller of the same world."""
    return Sp(in_process(sandbox), sandbox.sp_api_credentials("http://127.0.0.1:8000", seller=1)).login()


@pytest.fixture
def http_sp(sandbox):
    """Over a real loopback socket with requests (5 s timeout); headers as sent on the wire."""
    with serve(sandbox) as server, requests.Session() as session:
        def send(method: str, url: str, headers: dict, body: bytes) -> Answer:
            r = session.request(method, server.url + url, headers=headers, data=body, timeout=5.0)
            return Answer(r.status_code, dict(r.headers), r.content)
        yield Sp(send, sandbox.sp_api_credentials(server.url))
