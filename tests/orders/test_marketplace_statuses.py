"""Order statuses Amazon documents for one marketplace only (PendingAvailability: Japan, InvoiceUnconfirmed:
China) are ordinary ListOrders filter values: choosing one never breaks the trigger, it just finds the
orders that have it, none for a seller outside those marketplaces (like the sandbox's)."""

from __future__ import annotations

import dataclasses

import pytest
from mws_sandbox import Sandbox
from mws_sandbox.models.orders import AMAZON_CN, INVOICE_UNCONFIRMED, SHIPPED, UNSHIPPED, next_status

from mws_component.lib.orders import state as st

START = "2025-12-01T00:00:00Z"


@pytest.mark.parametrize("status", ["InvoiceUnconfirmed", "PendingAvailability"])
def test_a_marketplace_specific_status_alone_polls_without_error(world, status):
    run = world.run("listOrders", {**world.cfg, "orderStatus": [status]})
    assert run.errors == [] and run.bodies == []
    assert run.snapshots and run.events[-1] == "end"


def test_invoice_unconfirmed_next_to_shipped_emits_exactly_the_shipped_orders(world):
    run = world.run("listOrders", {**world.cfg, "orderStatus": ["Shipped", "InvoiceUnconfirmed"], "startTime": START})
    assert run.errors == []
    shipped = {o["amazonOrderId"] for o in world.sandbox.orders_truth()
               if o["orderStatus"] == SHIPPED and st.as_datetime(o["lastUpdateDate"]) >= st.as_datetime(START)}
    assert shipped and {b["amazonOrderId"] for b in run.bodies} == shipped


class Unlucky:
    """An rng whose draws never cancel and never ship partially."""

    def random(self) -> float:
        return 0.99


def test_an_amazon_cn_shipment_waits_in_invoice_unconfirmed_before_shipped():
    sandbox = Sandbox(seed=3, orders=10)
    some = next(iter(sandbox.backend.orders.orders.values()))
    order = dataclasses.replace(some, marketplace_id=AMAZON_CN, status=UNSHIPPED,
                                items=[dataclasses.replace(i, shipped=0) for i in some.items])
    assert next_status(order, Unlucky()) == INVOICE_UNCONFIRMED
    order.move_to(INVOICE_UNCONFIRMED, order.last_update + 60)
    assert order.unshipped_count == 0 and order.shipped_count == sum(i.quantity for i in order.items)
    assert next_status(order, Unlucky()) == SHIPPED
    elsewhere = dataclasses.replace(order, marketplace_id="ATVPDKIKX0DER", status=UNSHIPPED)
    assert next_status(elsewhere, Unlucky()) == SHIPPED
