"""The measuring pieces on their own: quota ceiling, the sandbox's timeline, target verdicts."""

from __future__ import annotations

import pytest
from mws_sandbox import Sandbox

from bench import quota, targets
from bench.timeline import Event, Recorder, error_code, outcome
from bench.world import RETAIL
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.operations import operation, quotas, serialize
from mws_component.lib.mws.transport import HttpResponse

LIST_ORDERS = quotas()["ListOrders"]


def test_ceiling_is_the_burst_then_one_per_restore_period():
    assert quota.ceiling(LIST_ORDERS, 0) == 6
    assert quota.ceiling(LIST_ORDERS, 59.9) == 6
    assert quota.ceiling(LIST_ORDERS, 60) == 7
    assert quota.ceiling(LIST_ORDERS, 3600) == 66
    assert quota.ceiling(quotas()["ListOrderItems"], 10) == 35
    with pytest.raises(ValueError, match="elapsed"):
        quota.ceiling(LIST_ORDERS, -1)


def test_next_token_calls_spend_their_list_calls_group():
    assert quota.group_of("ListOrdersByNextToken") == "ListOrders"
    assert quota.group_of("ListOrderItemsByNextToken") == "ListOrderItems"
    assert quota.group_of("NoSuchAction") is None and quota.group_of(None) is None


def _signed_list_orders(client: MwsClient):
    op = operation("ListOrders")
    return client.prepare(op, serialize(op, {"LastUpdatedAfter": "2025-12-01T00:00:00Z",
                                             "MarketplaceId": ["ATVPDKIKX0DER"]}))


def test_recorder_sees_the_burst_answered_then_throttling_and_usage_scores_it():
    clock = ManualClock(1_767_225_600.0)
    sandbox = Sandbox(clock=clock, seed=7, orders=20)
    recorder = Recorder(sandbox)
    client = MwsClient(sandbox.credentials("http://127.0.0.1:9"), clock=clock)
    for _ in range(8):  # unpaced, straight to the sandbox: 6 fit the burst, 2 do not
        sandbox.handle(_signed_list_orders(client))
    clock.advance(60)
    sandbox.handle(_signed_list_orders(client))  # one more restored after a minute
    assert [e.outcome for e in recorder.events] == ["ok"] * 6 + ["throttled"] * 2 + ["ok"]
    assert {e.action for e in recorder.events} == {"ListOrders"}
    assert recorder.events[-1].t - recorder.events[0].t == 60
    usage = quota.usage(recorder.events, sandbox.stats(), "ListOrders")
    assert (usage["pages"], usage["requests"], usage["throttled"]) == (7, 9, 2)
    assert usage["quota_allows"] == 7 and usage["efficiency"] == 1.0
    assert usage["throttled_ratio"] == round(2 / 9, 4)


def test_usage_counts_only_the_asked_group_and_half_the_ceiling_scores_half():
    events = [Event(0.0, "ListOrders", "ok"), Event(600.0, "ListOrdersByNextToken", "ok"),
              Event(5.0, "ListOrderItems", "ok")]
    stats = {"operations": {"ListOrders": {"requests": 4, "throttled": 0, "errors": 0},
                            "ListOrdersByNextToken": {"requests": 4, "throttled": 0, "errors": 0},
                            "ListOrderItems": {"requests": 50, "throttled": 7, "errors": 1}}}
    usage = quota.usage(events, stats, "ListOrders")
    assert usage["pages"] == 8 and usage["quota_allows"] == 16 and usage["efficiency"] == 0.5
    items = quota.usage(events, stats, "ListOrderItems")
    assert items["pages"] == 42 and items["errors"] == 1 and items["elapsed_seconds"] == 0


def test_outcome_reads_the_error_code_not_just_the_status():
    def error(status: int, code: str) -> HttpResponse:
        body = (f'<?xml version="1.0"?><ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">'
                f"<Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error>"
                f"<RequestID>r</RequestID></ErrorResponse>").encode()
        return HttpResponse.of(status, {}, body)

    assert outcome(HttpResponse.of(200, {}, b"<ok/>")) == "ok"
    assert outcome(error(503, "RequestThrottled")) == "throttled"
    assert outcome(error(503, "QuotaExceeded")) == "throttled"
    assert outcome(error(503, "ServiceUnavailable")) == "error"
    assert outcome(HttpResponse.of(500, {}, b"not xml")) == "error"
    assert error_code(b'<!DOCTYPE x [<!ENTITY a "b">]><E><Code>&a;</Code></E>') is None  # defusedxml refuses


def test_targets_pass_fail_and_say_why_when_not_judged():
    verdicts = targets.evaluate({
        "orders_sync": {"orders_efficiency": 0.985, "throttled_ratio": 0.03, "peak_rss_mb": 80.0},
        "feed_build_100k": {"error": "RuntimeError: boom"},
        "sailor_throughput": {"skipped": "no RabbitMQ broker"},
        "order_items": {"efficiency": 0.97},
    })
    assert verdicts["orders_sync.orders_efficiency"] | {} == {
        "target": ">= 0.99", "goal": ">= 0.99", "value": 0.985, "pass": False, "goal_met": False}
    assert verdicts["order_items.efficiency"] | {} == {"target": ">= 0.95", "goal": ">= 0.99", "value": 0.97,
                                                       "pass": True, "goal_met": False}
    assert verdicts["orders_sync.throttled_ratio"]["pass"] is False
    assert verdicts["orders_sync.peak_rss_mb"]["goal_met"] is True
    assert verdicts["feed_build_100k.ratio"]["pass"] is None and "boom" in verdicts["feed_build_100k.ratio"]["why"]
    assert verdicts["sailor_throughput.ratio"]["why"] == "no RabbitMQ broker"
    assert verdicts["step_start.step_start"]["why"] == "not run"


def test_a_yes_no_target_is_judged_only_on_a_real_boolean():
    same = targets.evaluate({"feed_build_100k": {"same_bytes": True}})["feed_build_100k.same_bytes"]
    differ = targets.evaluate({"feed_build_100k": {"same_bytes": False}})["feed_build_100k.same_bytes"]
    vague = targets.evaluate({"feed_build_100k": {"same_bytes": 1}})["feed_build_100k.same_bytes"]
    assert (same["pass"], differ["pass"], vague["pass"]) == (True, False, None)


def test_orders_are_judged_against_a_full_page_on_every_request_the_quota_allows():
    """301 requests a minute apart after a burst of 6 could carry 30,100 orders; 30,000 came: 0.9967.
    The empty answers after the last order (caught up, nothing left) are not the backfill's."""
    burst = [Event(0.0, "ListOrders", "ok", 100) for _ in range(6)]
    paced = [Event(60.0 * k, "ListOrdersByNextToken", "ok", 100) for k in range(1, 295)]
    last = [Event(60.0 * 295, "ListOrdersByNextToken", "ok", 0 + 1)]
    after = [Event(60.0 * 300, "ListOrders", "ok", 0), Event(60.0 * 400, "ListOrders", "ok", 0)]
    result = quota.delivery([*burst, *paced, *last, *after, Event(1.0, "ListOrderItems", "ok")], "ListOrders",
                            30_000, quota.ORDERS_PER_PAGE)
    assert result["orders_ceiling"] == 100 * (6 + 295)
    assert result["orders_efficiency"] == round(30_000 / 30_100, 4)
    assert result["requests_to_last_order"] == 301 and result["full_pages_needed"] == 300
    assert quota.delivery(after, "ListOrders", 0, 100)["orders_efficiency"] == 0.0


def test_the_recorder_counts_the_orders_each_list_orders_answer_carried():
    clock = ManualClock(1_767_225_600.0)
    sandbox = Sandbox(clock=clock, seed=7, orders=30)
    recorder = Recorder(sandbox)
    client = MwsClient(sandbox.credentials("http://127.0.0.1:9"), clock=clock)
    op = operation("ListOrders")
    for after in ("2025-11-01T00:00:00Z", "2025-12-20T00:00:00Z"):  # before every seeded order; some days later
        sandbox.handle(client.prepare(op, serialize(op, {"LastUpdatedAfter": after, "MarketplaceId": list(RETAIL)})))
    since = sum(1 for o in sandbox.orders_truth() if o["lastUpdateDate"] >= "2025-12-20T00:00:00Z")
    assert [e.listed for e in recorder.events] == [30, since] and 0 < since < 30


def test_orders_per_hour_is_over_simulated_time():
    assert quota.per_hour(30_000, 5 * 3600) == 6000
    assert quota.per_hour(10, 0) is None


def test_the_peer_loop_sleeps_like_the_tap_and_gives_up_after_five_tries():
    import mws

    from bench.peer import GaveUp, tap_call

    clock = ManualClock(0.0)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.sleep(seconds)

    answers = iter([mws.MWSError("throttled"), mws.MWSError("throttled"), "page"])

    def flaky():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert tap_call(flaky, sleep) == "page"
    assert slept == [2.0, 60.0, 120.0]

    slept.clear()

    def always_fails():
        raise mws.MWSError("throttled")

    with pytest.raises(GaveUp, match="5 times"):
        tap_call(always_fails, sleep)
    assert slept == [2.0, 60.0, 120.0, 180.0, 240.0, 300.0]
