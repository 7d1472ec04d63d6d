"""Orders 2013-09-01 and Sellers: parameter rules, the 2-minute bound, snapshot paging, NextTokens,
Pending orders, order items and participations, with hand-signed requests."""

from __future__ import annotations

import re

import pytest
from mws_sandbox.timefmt import iso_z, parse_iso

from .conftest import CA, ORDERS, SELLERS, START, US

LONG_AGO = "2023-09-01T00:00:00Z"
ALL_MARKETS = {"MarketplaceId.Id.1": US, "MarketplaceId.Id.2": CA, "MarketplaceId.Id.3": "A1AM78C64UM0Y8",
               "MarketplaceId.Id.4": "A2Q3Y263D00KWC"}


def list_orders(raw, **params):
    values = {"LastUpdatedAfter": LONG_AGO, **ALL_MARKETS, **params}
    return raw.call(ORDERS, "ListOrders", {k: v for k, v in values.items() if v is not None})


def by_token(raw, token, action="ListOrdersByNextToken"):
    return raw.call(ORDERS, action, {"NextToken": token})


def order_ids(resp, result="ListOrdersResult"):
    return [o.findtext("AmazonOrderId") for o in resp.all(f"{result}/Orders/Order")]


def walk(raw, **params):
    """Every page of one ListOrders run: (ids, responses), pacing itself at the restore rate
    (ListOrders and ByNextToken share 6 requests of burst, one more per minute)."""
    resp = list_orders(raw, **params)
    assert resp.status == 200, resp.body
    pages, ids = [resp], order_ids(resp)
    token = resp.text("ListOrdersResult/NextToken")
    while token:
        raw.clock.advance(60)
        resp = by_token(raw, token)
        assert resp.status == 200, resp.body
        pages.append(resp)
        ids += order_ids(resp, "ListOrdersByNextTokenResult")
        token = resp.text("ListOrdersByNextTokenResult/NextToken")
    return ids, pages


# -- parameter rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "fragment"), [
    ({"LastUpdatedAfter": None}, "CreatedAfter or LastUpdatedAfter must be specified"),
    ({"CreatedAfter": LONG_AGO}, "cannot both be specified"),
    ({"CreatedBefore": "2023-10-01T00:00:00Z"}, "CreatedBefore cannot be used with LastUpdatedAfter"),
    ({"LastUpdatedBefore": "2023-08-01T00:00:00Z"}, "The LastUpdatedAfter date is after the LastUpdatedBefore date."),
    ({"LastUpdatedAfter": iso_z(START - 60)}, "The LastUpdatedAfter date is after the LastUpdatedBefore date."),
    ({"LastUpdatedBefore": iso_z(START - 60)}, "no later than two minutes before"),
    ({"OrderStatus.Status.1": "Unshipped"}, "Unshipped and PartiallyShipped must be requested together"),
    ({"OrderStatus.Status.1": "Lost"}, "Value Lost for parameter OrderStatus.Status is invalid"),
    ({"FulfillmentChannel.Channel.1": "FBM"}, "FulfillmentChannel.Channel is invalid"),
    ({"PaymentMethod.Method.1": "Card"}, "PaymentMethod.Method is invalid"),
    ({"MaxResultsPerPage": "0"}, "MaxResultsPerPage is invalid"),
    ({"MaxResultsPerPage": "101"}, "MaxResultsPerPage is invalid"),
    ({"MarketplaceId.Id.1": "A1PA6795UKMFR9"}, "Invalid MarketplaceId: A1PA6795UKMFR9"),
    ({"MarketplaceId.Id.1": "A6W85IYQ5WB1C"}, "Invalid MarketplaceId"),
    ({"BuyerEmail": "a@b.c"}, "BuyerEmail cannot be combined with LastUpdatedAfter"),
])
def test_list_orders_parameter_rules(raw, params, fragment):
    resp = list_orders(raw, **params)
    assert (resp.status, resp.code) == (400, "InvalidParameterValue")
    assert fragment in resp.message


def test_marketplace_is_required(raw):
    resp = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO})
    assert resp.code == "InvalidParameterValue" and "MarketplaceId.Id.1 is required" in resp.message


def test_seller_order_id_excludes_buyer_email_and_status(raw):
    resp = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO, "MarketplaceId.Id.1": US,
                                           "SellerOrderId": "X", "BuyerEmail": "a@b.c"})
    assert "cannot be combined" in resp.message
    resp = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO, "MarketplaceId.Id.1": US,
                                           "SellerOrderId": "X", "OrderStatus.Status.1": "Shipped"})
    assert "SellerOrderId cannot be combined with OrderStatus" in resp.message


def test_bad_date_is_malformed_input(raw):
    resp = list_orders(raw, LastUpdatedAfter="2023-13-45")
    assert (resp.status, resp.code) == (400, "MalformedInput")
    assert "ISO8601" in resp.message


def test_statuses_channels_and_marketplaces_filter(raw, sandbox):
    truth = {o["amazonOrderId"]: o["orderStatus"] for o in sandbox.orders_truth()}
    ids, _ = walk(raw, **{"OrderStatus.Status.1": "Unshipped", "OrderStatus.Status.2": "PartiallyShipped"})
    assert ids and all(truth[i] in ("Unshipped", "PartiallyShipped") for i in ids)
    assert {i for i, s in truth.items() if s in ("Unshipped", "PartiallyShipped")} == set(ids)
    afn = list_orders(raw, **{"FulfillmentChannel.Channel.1": "AFN"})
    assert {o.findtext("FulfillmentChannel") for o in afn.all("ListOrdersResult/Orders/Order")} == {"AFN"}
    us_only = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO, "MarketplaceId.Id.1": US})
    assert {o.findtext("MarketplaceId") for o in us_only.all("ListOrdersResult/Orders/Order")} == {US}


def test_created_after_echoes_created_before(raw):
    resp = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO, **ALL_MARKETS})
    assert resp.text("ListOrdersResult/CreatedBefore") == "2023-11-14T22:11:20.000Z"
    assert resp.text("ListOrdersResult/LastUpdatedBefore") is None


def test_easy_ship_filter_matches_nothing_here_but_is_validated(raw):
    assert order_ids(list_orders(raw, **{"EasyShipShipmentStatus.Status.1": "Delivered"})) == []
    assert list_orders(raw, **{"EasyShipShipmentStatus.Status.1": "Teleported"}).code == "InvalidParameterValue"


def test_buyer_email_and_seller_order_id_search(raw, sandbox):
    order = next(o for o in sandbox.backend.orders.orders.values() if o.revealed)
    resp = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO, **ALL_MARKETS, "BuyerEmail": order.buyer_email})
    assert order_ids(resp) == [order.amazon_order_id]


# -- the 2-minute bound and snapshot paging -----------------------------------------------------------

def test_bound_is_now_minus_two_minutes_and_nothing_newer_is_returned(raw, sandbox, clock):
    clock.advance(3600)
    new = sandbox.create_orders(2)
    resp = list_orders(raw)
    assert resp.text("ListOrdersResult/LastUpdatedBefore") == iso_z(clock.now() - 120).replace("Z", ".000Z")
    assert not set(new) & set(walk(raw)[0])
    clock.advance(120)
    assert set(new) <= set(walk(raw)[0])


def test_given_before_is_echoed_and_bounds_are_inclusive(raw, sandbox):
    order = sandbox.backend.orders.orders[sandbox.orders_truth()[5]["amazonOrderId"]]
    stamp = iso_z(order.last_update)
    resp = list_orders(raw, LastUpdatedAfter=stamp, LastUpdatedBefore=stamp)
    assert resp.text("ListOrdersResult/LastUpdatedBefore") == stamp.replace("Z", ".000Z")
    assert order.amazon_order_id in order_ids(resp)


def test_paging_walks_a_snapshot_sorted_by_last_update(raw, sandbox):
    ids, pages = walk(raw, MaxResultsPerPage="7")
    truth = sandbox.orders_truth()
    assert len(ids) == len(set(ids)) == len(truth) == 60
    results = ["ListOrdersResult"] + ["ListOrdersByNextTokenResult"] * 8
    assert [len(order_ids(p, r)) for p, r in zip(pages, results, strict=True)] == [7] * 8 + [4]
    dates = {o["amazonOrderId"]: o["lastUpdateDate"] for o in truth}
    assert [(dates[i], i) for i in ids] == sorted((dates[i], i) for i in ids)
    for page in pages[1:]:
        assert page.text("ListOrdersByNextTokenResult/LastUpdatedBefore") == pages[0].text(
            "ListOrdersResult/LastUpdatedBefore")
    assert pages[-1].text("ListOrdersByNextTokenResult/NextToken") is None


def test_orders_updated_while_paging_are_left_out_of_later_pages(raw, sandbox, clock):
    first = list_orders(raw, MaxResultsPerPage="10")
    clock.advance(30)
    moved = sandbox.update_orders(60)  # every open order moves on, so its LastUpdateDate passes the bound
    assert moved
    rest, token = [], first.text("ListOrdersResult/NextToken")
    while token:
        page = by_token(raw, token)
        rest += order_ids(page, "ListOrdersByNextTokenResult")
        token = page.text("ListOrdersByNextTokenResult/NextToken")
    assert not set(rest) & set(moved)
    untouched = {o["amazonOrderId"] for o in sandbox.orders_truth()} - set(moved) - set(order_ids(first))
    assert set(rest) == untouched


def test_created_after_paging_keeps_orders_updated_meanwhile(raw, sandbox, clock):
    first = raw.call(ORDERS, "ListOrders", {"CreatedAfter": LONG_AGO, **ALL_MARKETS, "MaxResultsPerPage": "20"})
    clock.advance(30)
    moved = set(sandbox.update_orders(60))
    seen, token = order_ids(first), first.text("ListOrdersResult/NextToken")
    while token:
        page = by_token(raw, token)
        seen += order_ids(page, "ListOrdersByNextTokenResult")
        token = page.text("ListOrdersByNextTokenResult/NextToken")
    assert sorted(seen) == sorted(o["amazonOrderId"] for o in sandbox.orders_truth())
    assert moved - set(order_ids(first))  # some were updated before their page was fetched, and still came


def test_created_after_paging_drops_orders_whose_status_no_longer_matches(raw, sandbox, clock):
    query = {"CreatedAfter": LONG_AGO, **ALL_MARKETS, "OrderStatus.Status.1": "Pending", "MaxResultsPerPage": "1"}
    first = raw.call(ORDERS, "ListOrders", query)
    pending = [o["amazonOrderId"] for o in sandbox.orders_truth() if o["orderStatus"] == "Pending"]
    assert len(pending) >= 2
    second = sorted(pending, key=lambda i: (sandbox.backend.orders.orders[i].last_update, i))[1]
    sandbox.backend.orders.orders[second].move_to("Unshipped", clock.now())
    page = by_token(raw, first.text("ListOrdersResult/NextToken"))
    assert order_ids(page, "ListOrdersByNextTokenResult") == []


def test_pages_render_the_current_state_of_orders_still_inside_the_bound(raw, sandbox):
    first = list_orders(raw, MaxResultsPerPage="5")
    token = first.text("ListOrdersResult/NextToken")
    second_page = raw.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token})
    target = next(o for o in second_page.all("*/Orders/Order") if o.find("BuyerName") is not None)
    order = sandbox.backend.orders.orders[target.findtext("AmazonOrderId")]
    order.buyer_name = "Renamed Buyer"  # a change that keeps LastUpdateDate inside the bound
    again = by_token(raw, token)
    names = {o.findtext("AmazonOrderId"): o.findtext("BuyerName") for o in again.all("*/Orders/Order")}
    assert names[order.amazon_order_id] == "Renamed Buyer"


def test_next_token_looks_like_amazons(raw):
    token = list_orders(raw, MaxResultsPerPage="1").text("ListOrdersResult/NextToken")
    assert len(token) > 400 and token.endswith("=") and "+" in token and "/" in token
    assert re.fullmatch(r"[A-Za-z0-9+/]+=*", token)


@pytest.mark.parametrize("mangle", [lambda t: t[:-5], lambda t: t.replace("+", " "), lambda t: "garbage"])
def test_garbled_next_token_is_next_token_corrupted(raw, mangle):
    token = list_orders(raw, MaxResultsPerPage="1").text("ListOrdersResult/NextToken")
    resp = by_token(raw, mangle(token))
    assert (resp.status, resp.code) == (400, "NextTokenCorrupted")


def test_next_token_is_bound_to_seller_and_operation(raw, other_raw, sandbox):
    token = list_orders(raw, MaxResultsPerPage="1").text("ListOrdersResult/NextToken")
    assert by_token(other_raw, token).code == "NextTokenCorrupted"
    assert by_token(raw, token, "ListOrderItemsByNextToken").code == "NextTokenCorrupted"
    assert by_token(raw, token).status == 200
    sandbox.reset()
    assert by_token(raw, token).code == "NextTokenCorrupted"


def test_missing_next_token(raw):
    resp = raw.call(ORDERS, "ListOrdersByNextToken")
    assert resp.code == "InvalidParameterValue" and "NextToken" in resp.message


# -- order shapes ---------------------------------------------------------------------------------------

def test_pending_orders_have_no_buyer_address_or_totals(raw, sandbox, clock):
    new = sandbox.create_orders(1)[0]
    clock.advance(180)
    order = raw.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": new}).all("GetOrderResult/Orders/Order")[0]
    assert order.findtext("OrderStatus") == "Pending"
    for absent in ("BuyerName", "BuyerEmail", "ShippingAddress", "OrderTotal"):
        assert order.find(absent) is None
    assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", order.findtext("AmazonOrderId"))
    items = raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": new}).all("ListOrderItemsResult/OrderItems/OrderItem")
    assert items and all(i.find("ItemPrice") is None and i.find("ItemTax") is None for i in items)


def test_leaving_pending_reveals_buyer_address_and_totals(raw, sandbox, clock):
    new = sandbox.create_orders(1)[0]
    clock.advance(10)
    while sandbox.backend.orders.orders[new].status == "Pending":
        sandbox.backend.orders.advance(sandbox.backend.primary.seller_id, 1, clock.now(), sandbox.backend.rng)
    order = raw.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": new}).all("GetOrderResult/Orders/Order")[0]
    assert order.findtext("OrderStatus") in ("Unshipped", "Canceled")
    assert order.findtext("BuyerName") and order.find("ShippingAddress/City") is not None
    assert order.find("OrderTotal/Amount") is not None
    assert order.findtext("LastUpdateDate") > order.findtext("PurchaseDate")


def test_money_fields_add_up_to_the_order_total(raw, sandbox):
    shipped = next(o for o in sandbox.orders_truth() if o["orderStatus"] == "Shipped")["amazonOrderId"]
    order = raw.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": shipped}).all("GetOrderResult/Orders/Order")[0]
    items = raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": shipped})
    total = 0
    for item in items.all("ListOrderItemsResult/OrderItems/OrderItem"):
        for name in ("ItemPrice", "ShippingPrice", "ItemTax"):
            assert item.findtext(f"{name}/CurrencyCode") == order.findtext("OrderTotal/CurrencyCode")
            assert re.fullmatch(r"\d+\.\d\d", item.findtext(f"{name}/Amount"))
            total += float(item.findtext(f"{name}/Amount"))
        total -= float(item.findtext("PromotionDiscount/Amount"))
    assert round(total, 2) == float(order.findtext("OrderTotal/Amount"))


def test_get_order_returns_known_ids_only_and_caps_at_50(raw, sandbox):
    known = [o["amazonOrderId"] for o in sandbox.orders_truth()[:2]]
    resp = raw.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": known[0], "AmazonOrderId.Id.2": "111-0000000-0000000",
                                         "AmazonOrderId.Id.3": known[1]})
    assert order_ids(resp, "GetOrderResult") == known
    too_many = {f"AmazonOrderId.Id.{i}": known[0] for i in range(1, 52)}
    assert raw.call(ORDERS, "GetOrder", too_many).code == "InvalidParameterValue"
    assert raw.call(ORDERS, "GetOrder").code == "InvalidParameterValue"


def test_other_sellers_orders_are_invisible(other_raw, sandbox):
    some = sandbox.orders_truth()[0]["amazonOrderId"]
    assert other_raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": some}).message == f"Invalid AmazonOrderId: {some}"


# -- order items ---------------------------------------------------------------------------------------

def test_list_order_items_pages_large_orders(raw, sandbox):
    big = next(o for o in sandbox.backend.orders.orders.values() if len(o.items) > 20)
    first = raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": big.amazon_order_id})
    assert first.text("ListOrderItemsResult/AmazonOrderId") == big.amazon_order_id
    token = first.text("ListOrderItemsResult/NextToken")
    assert token and len(first.all("ListOrderItemsResult/OrderItems/OrderItem")) == 20
    second = by_token(raw, token, "ListOrderItemsByNextToken")
    rest = second.all("ListOrderItemsByNextTokenResult/OrderItems/OrderItem")
    assert len(rest) == len(big.items) - 20 and second.text("ListOrderItemsByNextTokenResult/NextToken") is None
    skus = [i.findtext("SellerSKU") for i in first.all("*/OrderItems/OrderItem") + rest]
    assert skus == [i.sku for i in big.items]


def test_list_order_items_rules(raw):
    assert raw.call(ORDERS, "ListOrderItems").code == "InvalidParameterValue"
    resp = raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId.Id.1": "111-0000000-0000000"})
    assert "Start of list found where not expected" in resp.message
    assert raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": "111-0000000-0000000"}).message == (
        "Invalid AmazonOrderId: 111-0000000-0000000")


def test_service_status_for_orders_and_sellers(raw):
    for path in (ORDERS, SELLERS):
        resp = raw.call(path, "GetServiceStatus")
        assert resp.text("GetServiceStatusResult/Status") == "GREEN"
        assert parse_iso(resp.text("GetServiceStatusResult/Timestamp")) == START


# -- sellers -------------------------------------------------------------------------------------------

def test_participations_list_several_marketplaces_and_currencies(raw, creds):
    resp = raw.call(SELLERS, "ListMarketplaceParticipations")
    result = "ListMarketplaceParticipationsResult"
    ids = [p.findtext("MarketplaceId") for p in resp.all(f"{result}/ListParticipations/Participation")]
    assert creds["marketplaceId"] in ids and "A6W85IYQ5WB1C" in ids
    assert {p.findtext("SellerId") for p in resp.all(f"{result}/ListParticipations/Participation")} == {creds["sellerId"]}
    currencies = {m.findtext("DefaultCurrencyCode") for m in resp.all(f"{result}/ListMarketplaces/Marketplace")}
    assert {"USD", "CAD", "MXN", "BRL"} <= currencies
    assert resp.text(f"{result}/NextToken") is None


def test_participations_page_with_next_token(other_raw):
    first = other_raw.call(SELLERS, "ListMarketplaceParticipations")
    token = first.text("ListMarketplaceParticipationsResult/NextToken")
    assert token
    second = other_raw.call(SELLERS, "ListMarketplaceParticipationsByNextToken", {"NextToken": token})
    result = "ListMarketplaceParticipationsByNextTokenResult"
    seen = [p.findtext("MarketplaceId") for p in first.all("*/ListParticipations/Participation")]
    seen += [p.findtext("MarketplaceId") for p in second.all(f"{result}/ListParticipations/Participation")]
    assert len(seen) == len(set(seen)) == 11 and "A1PA6795UKMFR9" in seen
    assert second.text(f"{result}/NextToken") is None
