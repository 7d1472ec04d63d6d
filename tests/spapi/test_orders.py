"""The SP-API listOrders poll: the same Pages and state as MWS; every order version once, across
pages, windows, kills, expired pagination tokens and throttling; filters and personal data."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from mws_component.lib.mws.errors import AuthenticationError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.orders import state as st
from mws_component.lib.orders.sync import OrderQuery, Page
from mws_component.lib.spapi.order_reads import WITHHELD, order_items
from mws_component.lib.spapi.orders import poll

from .conftest import make_client
from .fakes import FakeSpApi, json_response, order

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
SEARCH = "/orders/2026-01-01/orders"


def seller(count: int = 250, days: float = 2.0) -> FakeSpApi:
    """``count`` orders updated evenly over ``days`` days from T0; Amazon's clock at the end of them."""
    amazon = FakeSpApi()
    step = days * 86400 / count
    amazon.orders = [order(f"111-{i:07d}-0000001", format_timestamp(T0 + timedelta(seconds=step * i + 30)),
                           status="SHIPPED" if i % 3 == 0 else "UNSHIPPED") for i in range(count)]
    amazon.clock.advance(days * 86400 + 3600)
    return amazon


def query(**kw) -> OrderQuery:
    return OrderQuery(["ATVPDKIKX0DER"], max_per_page=kw.pop("max_per_page", 20), **kw)


def run(client, state: dict, stop_after: int | None = None, **kw) -> tuple[list[dict], dict, list[Page]]:
    """Emit then persist, page by page, as the trigger does; ``stop_after`` pages stands for a kill."""
    emitted, pages = [], []
    for page in poll(client, query(**kw), state):
        emitted += page.orders
        state = page.state
        pages.append(page)
        if stop_after is not None and len(pages) >= stop_after:
            break
    return emitted, state, pages


def start_state() -> dict:
    return st.initial("", format_timestamp(T0))


def ids(orders: list[dict]) -> list[str]:
    return [o["amazonOrderId"] for o in orders]


def test_every_order_once_through_windows_and_pages():
    amazon = seller()
    emitted, state, pages = run(make_client(amazon), start_state())
    assert all(isinstance(p, Page) for p in pages)
    assert sorted(ids(emitted)) == sorted(o["orderId"] for o in amazon.orders)
    assert len(set(ids(emitted))) == len(emitted)
    assert any(p.window_closed for p in pages) and "window" not in state
    assert st.as_datetime(state["cursor"]) <= datetime.fromtimestamp(amazon.clock.now(), timezone.utc) - timedelta(minutes=3)


def test_every_request_has_explicit_bounds_and_pages_repeat_them():
    amazon = seller(count=60, days=0.02)
    run(make_client(amazon), start_state())
    searches = amazon.requests_to(SEARCH)
    assert all("lastUpdatedBefore=" in r.url and "lastUpdatedAfter=" in r.url for r in searches)
    follow = [r for r in searches if "paginationToken=" in r.url]
    assert follow
    for r in follow:
        first = re.sub(r"&paginationToken=[^&]*", "", r.url)
        assert any(s.url == first for s in searches)  # the same parameters as the page that gave the token


def test_second_poll_emits_only_what_changed():
    amazon = seller(count=40, days=0.5)
    client = make_client(amazon)
    _, state, _ = run(client, start_state())
    changed = amazon.orders[5]
    amazon.clock.advance(1800)
    changed["lastUpdatedTime"] = format_timestamp(datetime.fromtimestamp(amazon.clock.now() - 900, timezone.utc))
    amazon.clock.advance(1800)
    emitted, _, _ = run(client, state)
    assert ids(emitted) == [changed["orderId"]]


@pytest.mark.parametrize("kill_after", [1, 2, 3, 5, 8])
def test_killed_between_pages_resumes_without_loss_or_repeat(kill_after):
    amazon = seller(count=120, days=1)
    first, state, _ = run(make_client(amazon), start_state(), stop_after=kill_after, max_per_page=2)
    rest, _, _ = run(make_client(amazon), state, max_per_page=2)  # a new process: a new client, the saved state
    assert sorted(ids(first + rest)) == sorted(o["orderId"] for o in amazon.orders)
    assert len(set(ids(first + rest))) == len(first + rest)


def test_expired_pagination_token_walks_the_window_again_skipping_emitted():
    amazon = seller(count=120, days=1)
    first, state, _ = run(make_client(amazon), start_state(), stop_after=2, max_per_page=2)
    assert state["window"]["token"]
    amazon.token_generation += 1  # a day later: the saved token has expired
    rest, _, _ = run(make_client(amazon), state, max_per_page=2)
    refused = [r for r in amazon.requests_to(SEARCH) if f"paginationToken={state['window']['token']}" in r.url]
    assert len(refused) == 1  # sent once, after the kill, and refused: the window was walked again
    assert sorted(ids(first + rest)) == sorted(o["orderId"] for o in amazon.orders)
    assert len(set(ids(first + rest))) == len(first + rest)


def test_throttling_5xx_and_drops_lose_nothing():
    amazon = seller(count=100, days=1)
    client = make_client(amazon)
    client.auth.token()
    quota = json_response(429, {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]},
                          amazon.clock)
    amazon.faults += [quota, ConnectionError("reset"), json_response(503, {}), quota]
    emitted, _, _ = run(client, start_state())
    assert sorted(ids(emitted)) == sorted(o["orderId"] for o in amazon.orders)
    assert len(set(ids(emitted))) == len(emitted)


def test_paced_at_the_search_orders_plan_without_real_sleeping():
    amazon = seller(count=600, days=3)
    client = make_client(amazon)
    _, _, pages = run(client, start_state(), max_per_page=10)
    searches = len(amazon.requests_to(SEARCH))
    assert searches > 20  # past the burst: the rest waited for the bucket on the fake clock
    assert amazon.clock.slept == pytest.approx((searches - 20) / 0.0056, rel=0.05)


def test_status_and_channel_filters():
    amazon = seller(count=30, days=0.2)
    emitted, _, _ = run(make_client(amazon), start_state(), statuses=["Shipped", "InvoiceUnconfirmed"],
                        keep=frozenset({"Shipped"}), fulfillment_channel="MFN")
    url = amazon.requests_to(SEARCH)[0].url
    assert "fulfillmentStatuses=SHIPPED&" in url and "fulfilledBy=MERCHANT" in url
    assert emitted and {o["orderStatus"] for o in emitted} == {"Shipped"}
    assert {o["fulfillmentChannel"] for o in emitted} == {"MFN"}


def test_nothing_to_ask_yet_sends_no_search():
    amazon = FakeSpApi()
    now = format_timestamp(datetime.fromtimestamp(amazon.clock.now(), timezone.utc) - timedelta(minutes=2))
    assert list(poll(make_client(amazon), query(), st.initial("", now))) == []
    assert not amazon.requests_to(SEARCH)


def _with_buyer(amazon: FakeSpApi) -> None:
    for o in amazon.orders:
        o["buyer"] = {"buyerName": "Jane Roe", "buyerEmail": "x@marketplace.amazon.com"}
        o["recipient"] = {"deliveryAddress": {"name": "Jane Roe", "city": "Seattle", "countryCode": "US"}}


def test_personal_data_needs_a_restricted_data_token(caplog):
    amazon = seller(count=10, days=0.1)
    _with_buyer(amazon)
    caplog.set_level("INFO")
    plain, _, _ = run(make_client(amazon), start_state())
    assert all("buyerName" not in o and "shippingAddress" not in o for o in plain)
    assert WITHHELD in caplog.text
    amazon.seen.clear()
    client = make_client(amazon)
    rich = [o for page in poll(client, query(), start_state(), personal_data=True) for o in page.orders]
    assert rich and all(o["buyerName"] == "Jane Roe" and o["shippingAddress"]["city"] == "Seattle" for o in rich)
    assert "includedData=FULFILLMENT,PROCEEDS,PAYMENT,BUYER,RECIPIENT,TAX" in amazon.requests_to(SEARCH)[0].url
    rdt_calls = amazon.requests_to("/tokens/2021-03-01/restrictedDataToken")
    assert len(rdt_calls) == 1 and b'"path":"/orders/2026-01-01/orders"' in rdt_calls[0].body
    assert all(r.headers["x-amz-access-token"].startswith("Atz.sprdt|") for r in amazon.requests_to(SEARCH))


def test_personal_data_refused_says_what_to_do():
    amazon = seller(count=5, days=0.1)
    amazon.rdt_allowed = False
    with pytest.raises(AuthenticationError, match="restricted role"):
        list(poll(make_client(amazon), query(), start_state(), personal_data=True))


def test_order_items_from_get_order():
    amazon = seller(count=3, days=0.1)
    wanted = amazon.orders[1]["orderId"]
    out = order_items(make_client(amazon), wanted)
    assert out == {"amazonOrderId": wanted, "orderItems": [{"orderItemId": wanted.replace("-", "")[:14],
                                                            "asin": "B000000001", "sellerSku": "SKU-1",
                                                            "quantityOrdered": 1, "isTransparency": False}]}
    assert "includedData=FULFILLMENT,PROCEEDS,EXPENSE,PROMOTION" in amazon.requests_to(f"{SEARCH}/{wanted}")[0].url
