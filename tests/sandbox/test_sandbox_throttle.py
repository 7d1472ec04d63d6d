"""Throttling as Amazon's quotas: burst then restore, shared groups, per seller, hourly quotas and
the x-mws-quota-* headers only where Amazon sent them. All in simulated time (ManualClock)."""

from __future__ import annotations

from mws_sandbox.throttle import Throttle

from mws_component.lib.mws.operations import operation, quotas

from .conftest import FEEDS, ORDERS, SELLERS, US

LIST = {"CreatedAfter": "2023-09-01T00:00:00Z", "MarketplaceId.Id.1": US, "MaxResultsPerPage": "1"}


def list_orders(raw):
    return raw.call(ORDERS, "ListOrders", LIST)


def test_list_orders_bursts_six_then_throttles_then_restores_one_per_minute(raw, clock):
    assert quotas()["ListOrders"].burst == 6
    assert [list_orders(raw).status for _ in range(6)] == [200] * 6
    throttled = list_orders(raw)
    assert (throttled.status, throttled.code, throttled.message) == (503, "RequestThrottled", "Request is throttled")
    clock.advance(59)
    assert list_orders(raw).status == 503
    clock.advance(1)
    assert list_orders(raw).status == 200
    assert list_orders(raw).status == 503
    clock.advance(6 * 60)
    assert [list_orders(raw).status for _ in range(7)] == [200] * 6 + [503]


def test_list_orders_and_by_next_token_share_one_bucket(raw):
    token = list_orders(raw).text("ListOrdersResult/NextToken")
    for _ in range(5):
        assert raw.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token}).status == 200
    assert raw.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token}).code == "RequestThrottled"
    assert list_orders(raw).code == "RequestThrottled"
    assert raw.call(ORDERS, "GetOrder", {"AmazonOrderId.Id.1": "111-0000000-0000000"}).status == 200


def test_buckets_are_per_seller(raw, other_raw):
    for _ in range(2):
        assert raw.call(SELLERS, "GetServiceStatus").status == 200
    assert raw.call(SELLERS, "GetServiceStatus").code == "RequestThrottled"
    assert other_raw.call(SELLERS, "GetServiceStatus").status == 200


def test_sellers_and_orders_service_status_are_separate_groups(raw, clock):
    for _ in range(2):
        raw.call(SELLERS, "GetServiceStatus")
    assert raw.call(SELLERS, "GetServiceStatus").status == 503
    assert raw.call(ORDERS, "GetServiceStatus").status == 200
    clock.advance(300)
    assert raw.call(SELLERS, "GetServiceStatus").status == 200


def test_list_order_items_restores_every_two_seconds(raw, sandbox, clock):
    order_id = sandbox.orders_truth()[0]["amazonOrderId"]
    statuses = [raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": order_id}).status for _ in range(31)]
    assert statuses == [200] * 30 + [503]
    clock.advance(4)
    statuses = [raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": order_id}).status for _ in range(3)]
    assert statuses == [200, 200, 503]


def test_orders_and_sellers_send_no_quota_headers(raw):
    for resp in (list_orders(raw), raw.call(SELLERS, "ListMarketplaceParticipations")):
        assert not [h for h in resp.headers if h.lower().startswith("x-mws-quota")]


def test_feeds_send_hourly_quota_headers(raw, clock):
    first = raw.call(FEEDS, "GetFeedSubmissionList")
    assert first.headers["x-mws-quota-max"] == "80.0"
    assert first.headers["x-mws-quota-remaining"] == "79.0"
    assert first.headers["x-mws-quota-resetson"] == "2023-11-14T23:13:20.000Z"
    clock.advance(45)
    assert raw.call(FEEDS, "GetFeedSubmissionList").headers["x-mws-quota-remaining"] == "78.0"
    count = raw.call(FEEDS, "GetFeedSubmissionCount")
    assert (count.headers["x-mws-quota-max"], count.headers["x-mws-quota-remaining"]) == ("80.0", "79.0")


def test_hourly_quota_runs_out_before_the_bucket_and_resets_after_the_hour(raw, clock):
    """GetFeedSubmissionList: burst 10 + 1 per 45 s would allow 90 in an hour; the quota is 80."""
    statuses = [raw.call(FEEDS, "GetFeedSubmissionList").status for _ in range(10)]
    for _ in range(70):
        clock.advance(45)
        statuses.append(raw.call(FEEDS, "GetFeedSubmissionList").status)
    assert statuses == [200] * 80
    clock.advance(45)
    over = raw.call(FEEDS, "GetFeedSubmissionList")
    assert (over.status, over.code) == (503, "QuotaExceeded")
    assert over.message.startswith("You exceeded your quota of 80.0 requests per 1 hour for operation "
                                   "Feeds/2009-01-01/GetFeedSubmissionList.")
    assert "Tue Nov 14 23:13:20 UTC 2023" in over.message
    assert over.headers["x-mws-quota-remaining"] == "0.0"
    clock.advance(3600 - 45 * 71)
    assert raw.call(FEEDS, "GetFeedSubmissionList").headers["x-mws-quota-remaining"] == "79.0"


def test_throttled_requests_are_counted_in_stats(raw, sandbox):
    for _ in range(8):
        list_orders(raw)
    stats = sandbox.stats()
    assert stats["operations"]["ListOrders"] == {"requests": 8, "throttled": 2, "errors": 0}
    assert stats["throttled"] == 2


def test_bucket_unit_refills_fractionally_and_caps_at_burst():
    throttle = Throttle()
    op = operation("ListOrderItems")  # burst 30, one per 2 s
    for _ in range(30):
        throttle.take("S", op, 0.0)
    assert throttle.level("S", "ListOrderItems") == 0.0
    throttle.take("S", op, 3.0)  # 1.5 restored, one spent
    assert throttle.level("S", "ListOrderItems") == 0.5
    throttle.take("S", op, 10_000.0)
    assert throttle.level("S", "ListOrderItems") == 29.0


def test_quota_headers_keep_amazons_spelling_on_the_wire(http_raw, server):
    import http.client

    request = http_raw.request(FEEDS, "GetFeedSubmissionCount", method="GET")
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    connection.request("GET", request.url, headers=dict(request.headers))
    response = connection.getresponse()
    names = [name for name, _ in response.getheaders()]
    response.read()
    connection.close()
    assert response.status == 200
    assert {"x-mws-quota-resetsOn", "x-mws-quota-max", "x-mws-request-id", "Content-Type", "Date"} <= set(names)
    assert response.getheader("Server") == "Server"
