"""The pure request builder, pinned by vectors: method, URL, query order and encoding, headers, body."""

from __future__ import annotations

import platform
from datetime import datetime, timezone

import pytest

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.spapi.operations import operation
from mws_component.lib.spapi.request import USER_AGENT, build

BASE = "https://sellingpartnerapi-na.amazon.com"
TOKEN = "Atza|IwEBIEXAMPLETOKEN"

VECTORS = [
    ("getMarketplaceParticipations", {}, None,
     "GET", f"{BASE}/sellers/v1/marketplaceParticipations", b""),
    ("searchOrders", {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "lastUpdatedBefore": "2026-01-01T01:00:00Z",
                      "marketplaceIds": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"], "fulfillmentStatuses": ["UNSHIPPED"],
                      "maxResultsPerPage": 100, "includedData": ["FULFILLMENT", "PROCEEDS"]}, None,
     "GET", f"{BASE}/orders/2026-01-01/orders?lastUpdatedAfter=2026-01-01T00%3A00%3A00Z"
            "&lastUpdatedBefore=2026-01-01T01%3A00%3A00Z&fulfillmentStatuses=UNSHIPPED"
            "&marketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2&maxResultsPerPage=100&includedData=FULFILLMENT,PROCEEDS", b""),
    ("searchOrders", {"lastUpdatedAfter": datetime(2026, 1, 1, 1, tzinfo=timezone.utc), "marketplaceIds": "X1",
                      "paginationToken": "a+b/c=,d", "fulfilledBy": ["MERCHANT"], "lastUpdatedBefore": None}, None,
     "GET", f"{BASE}/orders/2026-01-01/orders?lastUpdatedAfter=2026-01-01T01%3A00%3A00Z&marketplaceIds=X1"
            "&fulfilledBy=MERCHANT&paginationToken=a%2Bb%2Fc%3D%2Cd", b""),
    ("getOrder", {"orderId": "123-4567890-1234567", "includedData": ["BUYER"]}, None,
     "GET", f"{BASE}/orders/2026-01-01/orders/123-4567890-1234567?includedData=BUYER", b""),
    ("getOrder", {"orderId": "a/b c"}, None, "GET", f"{BASE}/orders/2026-01-01/orders/a%2Fb%20c", b""),
    ("createRestrictedDataToken", {}, {"restrictedResources": [{"path": "/orders/2026-01-01/orders", "method": "GET"}]},
     "POST", f"{BASE}/tokens/2021-03-01/restrictedDataToken",
     b'{"restrictedResources":[{"method":"GET","path":"/orders/2026-01-01/orders"}]}'),
]


@pytest.mark.parametrize(("name", "params", "body", "method", "url", "data"), VECTORS)
def test_vectors(name, params, body, method, url, data):
    request = build(operation(name), params, base_url=BASE, access_token=TOKEN, body=body)
    assert (request.method, request.url, request.body) == (method, url, data)
    assert request.headers["x-amz-access-token"] == TOKEN
    assert request.headers["user-agent"] == USER_AGENT
    assert request.operation == name
    assert ("content-type" in request.headers) == (method == "POST")


def test_user_agent_names_the_component_and_python():
    assert USER_AGENT.startswith("mws-component/")
    assert USER_AGENT.endswith(f"(Language=Python/{platform.python_version()})")


def test_same_inputs_same_request():
    op = operation("searchOrders")
    params = {"lastUpdatedAfter": "2026-01-01T00:00:00Z", "marketplaceIds": ["ATVPDKIKX0DER"]}
    assert build(op, params, base_url=BASE, access_token=TOKEN) == build(op, params, base_url=BASE, access_token=TOKEN)


def test_token_masked_in_repr():
    request = build(operation("getOrder"), {"orderId": "1"}, base_url=BASE, access_token=TOKEN)
    assert TOKEN not in repr(request) and "**********" in repr(request)
    assert TOKEN not in f"{request.headers!r}"


@pytest.mark.parametrize(("name", "params", "words"), [
    ("searchOrders", {"LastUpdatedAfter": "x"}, "takes no parameter 'LastUpdatedAfter'"),
    ("getOrder", {}, "needs 'orderId'"),
    ("searchOrders", {"lastUpdatedAfter": datetime(2026, 1, 1)}, "time zone"),  # noqa: DTZ001 - the point
    ("searchOrders", {"maxResultsPerPage": object()}, "must be text"),
])
def test_bad_parameters_refused_before_sending(name, params, words):
    with pytest.raises(ConfigurationError, match=words):
        build(operation(name), params, base_url=BASE, access_token=TOKEN)


def test_unknown_operation():
    with pytest.raises(ConfigurationError, match="known: getMarketplaceParticipations"):
        operation("getOrders")
