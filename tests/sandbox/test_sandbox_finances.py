"""Finances ListFinancialEvents(+ByNextToken) as Amazon documents it: PostedAfter inclusive, PostedBefore
exclusive and at least two minutes old, AmazonOrderId as the other way in, NextToken pages, burst 30
restoring one every 2 s, events that follow the orders (shipments, refunds of cancelled shipped units)."""

from __future__ import annotations

from decimal import Decimal

from mws_sandbox.models.finances import Ledger, share
from mws_sandbox.models.orders import CANCELED, SHIPPED
from mws_sandbox.timefmt import iso_z

from .conftest import FINANCES, START

AFTER = iso_z(START - 40 * 86400)


def events(resp) -> list:
    return resp.all(".//FinancialEvents/*/*")


def test_posted_after_lists_the_ledger_in_pages_walked_by_next_token(raw, sandbox):
    first = raw.call(FINANCES, "ListFinancialEvents", {"PostedAfter": AFTER, "MaxResultsPerPage": "10"})
    assert first.status == 200 and len(events(first)) == 10
    seen, token = len(events(first)), first.text("ListFinancialEventsResult/NextToken")
    while token:
        page = raw.call(FINANCES, "ListFinancialEventsByNextToken", {"NextToken": token})
        assert page.status == 200
        seen += len(events(page))
        token = page.text("ListFinancialEventsByNextTokenResult/NextToken")
    ledger = sandbox.backend.ledger
    assert seen == len(ledger.between(sandbox.backend.primary.seller_id, START - 40 * 86400, START - 120)) > 10
    assert first.all(".//ShipmentEvent/ShipmentItemList/ShipmentItem/ItemChargeList/ChargeComponent/ChargeAmount/"
                     "CurrencyAmount")


def test_posted_before_is_exclusive_and_must_be_two_minutes_old(raw, sandbox):
    seller = sandbox.backend.primary.seller_id
    sandbox.finances_truth()  # post the ledger
    posted = sandbox.backend.ledger.between(seller, 0, START)[3].posted
    at = raw.call(FINANCES, "ListFinancialEvents", {"PostedAfter": iso_z(posted), "PostedBefore": iso_z(posted + 1)})
    before = raw.call(FINANCES, "ListFinancialEvents", {"PostedAfter": iso_z(posted - 1), "PostedBefore": iso_z(posted)})
    assert len(events(at)) >= 1 and all(e.findtext("PostedDate") != iso_z(posted) for e in events(before))
    late = raw.call(FINANCES, "ListFinancialEvents", {"PostedAfter": AFTER, "PostedBefore": iso_z(START - 60)})
    assert (late.status, late.code) == (400, "InvalidParameterValue") and "two minutes" in late.message
    backwards = raw.call(FINANCES, "ListFinancialEvents", {"PostedAfter": AFTER, "PostedBefore": AFTER})
    assert backwards.code == "InvalidParameterValue"
    assert raw.call(FINANCES, "ListFinancialEvents", {}).code == "InvalidParameterValue"
    both = raw.call(FINANCES, "ListFinancialEvents", {"PostedAfter": AFTER, "AmazonOrderId": "111-0000000-0000000"})
    assert both.code == "InvalidParameterValue"


def test_amazon_order_id_lists_that_orders_events(raw, sandbox):
    sandbox.finances_truth()
    shipped = next(o for o in sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id)
                   if o.status == SHIPPED)
    resp = raw.call(FINANCES, "ListFinancialEvents", {"AmazonOrderId": shipped.amazon_order_id})
    assert {e.findtext("AmazonOrderId") for e in events(resp)} == {shipped.amazon_order_id}


def test_burst_of_thirty_then_one_every_two_seconds_shared_with_by_next_token(raw, clock):
    params = {"PostedAfter": AFTER, "MaxResultsPerPage": "1"}
    token = raw.call(FINANCES, "ListFinancialEvents", params).text("ListFinancialEventsResult/NextToken")
    assert [raw.call(FINANCES, "ListFinancialEvents", params).status for _ in range(29)] == [200] * 29
    assert raw.call(FINANCES, "ListFinancialEventsByNextToken", {"NextToken": token}).code == "RequestThrottled"
    clock.advance(2)
    assert raw.call(FINANCES, "ListFinancialEventsByNextToken", {"NextToken": token}).status == 200


def test_cancelling_shipped_units_posts_a_refund_that_reverses_them(sandbox, clock):
    seller = sandbox.backend.primary.seller_id
    order = next(o for o in sandbox.backend.orders.of_seller(seller) if o.status == "PartiallyShipped")
    before = Decimal(sandbox.finances_truth()["orders"][order.amazon_order_id][order.currency])
    clock.advance(60)
    order.move_to(CANCELED, clock.now())  # as a later feed or scenario could
    after = sandbox.finances_truth()["orders"][order.amazon_order_id][order.currency]
    refund = sandbox.backend.ledger.of_order(seller, order.amazon_order_id)[-1]
    assert refund.list_name == "RefundEventList" and refund.posted == order.last_update
    assert Decimal(after) < before


def test_shares_of_a_line_add_up_to_the_line():
    total = Decimal("10.00")
    assert sum((share(total, n + 1, 3) - share(total, n, 3) for n in range(3)), Decimal(0)) == total
    assert Ledger().between("A", 0, 1) == []
