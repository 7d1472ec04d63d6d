"""getOrder against the sandbox: the same orders listOrders emits, paced within quota, unknown ids named,
bad input refused before any request."""

from __future__ import annotations

import pytest

from mws_component.lib.actions.get_order import order_ids
from mws_component.lib.mws.errors import ConfigurationError, InvalidRequestError

BOTH_APIS = pytest.mark.parametrize("world", ["mws", "sp-api"], indirect=True)
START = "2025-11-01T00:00:00Z"


def listed(world) -> dict[str, dict]:
    run = world.run("listOrders", {**world.cfg, "startTime": START})
    assert run.errors == []
    return {b["amazonOrderId"]: b for b in run.bodies}


@BOTH_APIS
def test_fifty_orders_come_out_as_listorders_emits_them_paced_not_throttled(world):
    orders = listed(world)
    ids = sorted(orders)[:50]
    before = world.sandbox.stats()
    started = world.clock.now()
    run = world.run("getOrder", world.cfg, body={"amazonOrderIds": ids})
    assert run.errors == []
    assert [b["amazonOrderId"] for b in run.bodies] == ids  # one message per order, in the order asked
    assert run.bodies == [orders[i] for i in ids]
    after = world.sandbox.stats()
    assert after["throttled"] == before["throttled"]
    if world.api == "sp-api":  # 50 getOrder calls: burst 30, then one every 2 s, waited out on the clock
        assert after["operations"]["getOrder"]["requests"] == 50
        assert world.clock.now() - started >= 19 * 2
    else:  # one GetOrder call carries all 50 ids
        assert after["operations"]["GetOrder"]["requests"] == 1


def test_mws_getorder_messages_beyond_the_burst_wait_for_quota_instead_of_being_throttled(world):
    ids = sorted(listed(world))[:8]
    started = world.clock.now()
    for order_id in ids:  # GetOrder: burst 6, one more a minute
        run = world.run("getOrder", world.cfg, body={"amazonOrderId": order_id})
        assert run.errors == [] and [b["amazonOrderId"] for b in run.bodies] == [order_id]
    stats = world.sandbox.stats()
    assert stats["operations"]["GetOrder"] == {"requests": 8, "throttled": 0, "errors": 0}
    assert world.clock.now() - started >= 60


@BOTH_APIS
def test_unknown_ids_are_named_after_the_known_ones_are_emitted(world):
    known = sorted(listed(world))[:2]
    unknown = ["999-0000000-0000001", "999-0000000-0000002"]
    run = world.run("getOrder", world.cfg, body={"amazonOrderIds": [known[0], unknown[0], known[1], unknown[1]]})
    assert [b["amazonOrderId"] for b in run.bodies] == known
    (error,) = run.errors
    assert isinstance(error, InvalidRequestError) and error.code == "OrderNotFound"
    assert unknown[0] in str(error) and unknown[1] in str(error) and known[0] not in str(error)


@pytest.mark.parametrize(("body", "field", "words"), [
    ({}, "amazonOrderIds", "required"),
    ({"amazonOrderIds": []}, "amazonOrderIds", "required"),
    ({"amazonOrderIds": ["058-1233752-8214740", "58-1233752-8214740"]}, "amazonOrderIds[1]", "3-7-7"),
    ({"amazonOrderIds": "058-1233752-8214740, x"}, "amazonOrderIds[1]", "3-7-7"),
    ({"amazonOrderIds": [58]}, "amazonOrderIds", "text"),
    ({"amazonOrderId": "058-1233752-821474"}, "amazonOrderId", "3-7-7"),
    ({"amazonOrderIds": [f"058-1233752-{n:07d}" for n in range(51)]}, "amazonOrderIds", "at most 50"),
])
def test_bad_input_is_refused_before_any_request(world, body, field, words):
    run = world.run("getOrder", world.cfg, body=body)
    (error,) = run.errors
    assert isinstance(error, ConfigurationError) and error.field == field and words in str(error)
    assert run.bodies == [] and world.sandbox.stats()["requests"] == 0


def test_ids_are_read_from_a_list_text_or_one_id_without_repeats():
    assert order_ids({"amazonOrderIds": "058-1233752-8214740,111-0000000-0000001"}) == [
        "058-1233752-8214740", "111-0000000-0000001"]
    assert order_ids({"amazonOrderId": "058-1233752-8214740",
                      "amazonOrderIds": ["058-1233752-8214740", "111-0000000-0000001"]}) == [
        "058-1233752-8214740", "111-0000000-0000001"]
