"""listOrderItems against the sandbox: every page of items, lowerCamelCase, validated input."""

from __future__ import annotations

import pytest

from mws_component.lib.mws.errors import ConfigurationError, MwsError


def orders_with_items(world):
    run = world.run("listOrders", {**world.cfg, "startTime": "2025-11-01T00:00:00Z"})
    return [b["amazonOrderId"] for b in run.bodies]


def test_items_of_every_order_come_back_with_all_pages(world):
    counts = []
    for order_id in orders_with_items(world)[:60]:
        run = world.run("listOrderItems", world.cfg, body={"amazonOrderId": order_id})
        assert run.errors == []
        (body,) = run.bodies
        assert body["amazonOrderId"] == order_id and body["orderItems"]
        item = body["orderItems"][0]
        assert {"orderItemId", "asin", "sellerSku", "quantityOrdered"} <= set(item)
        assert isinstance(item["quantityOrdered"], int)
        ids = [i["orderItemId"] for i in body["orderItems"]]
        assert len(ids) == len(set(ids))
        counts.append(len(ids))
    assert max(counts) > 20  # at least one order needed ListOrderItemsByNextToken
    assert world.sandbox.stats()["operations"]["ListOrderItemsByNextToken"]["requests"] > 0


def test_money_fields_keep_amazons_exact_decimal():
    from mws_component.lib.orders.convert import item_json

    item = item_json({"ItemPrice": {"CurrencyCode": "JPY", "Amount": "1980.00"}, "IsGift": "false",
                      "PromotionIds": {"PromotionId": ["a", "b"]}, "QuantityOrdered": "2", "SellerSKU": "x&y"})
    assert item == {"itemPrice": {"currencyCode": "JPY", "amount": "1980.00"}, "isGift": False,
                    "promotionIds": ["a", "b"], "quantityOrdered": 2, "sellerSku": "x&y"}


@pytest.mark.parametrize("body", [{}, {"amazonOrderId": ""}, {"amazonOrderId": "12345"}, {"orderId": "058-1233752-8214740"}])
def test_bad_order_id_is_refused_before_any_request(world, body):
    before = world.sandbox.stats()
    run = world.run("listOrderItems", world.cfg, body=body)
    assert len(run.errors) == 1 and isinstance(run.errors[0], ConfigurationError)
    assert "amazonOrderId" in str(run.errors[0]) and "3-7-7" in str(run.errors[0]) or "required" in str(run.errors[0])
    assert world.sandbox.stats() == before


def test_unknown_order_is_amazons_error_with_request_id(world):
    run = world.run("listOrderItems", world.cfg, body={"amazonOrderId": "999-9999999-9999999"})
    assert len(run.errors) == 1 and isinstance(run.errors[0], MwsError)
    assert run.errors[0].request_id
