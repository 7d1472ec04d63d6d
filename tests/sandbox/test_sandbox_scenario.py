"""The scenario API over a real loopback socket: JSON under /_sandbox/, never signed."""

from __future__ import annotations

import requests

from mws_component.lib.mws.signing import content_md5

from .conftest import FEEDS, ORDERS, START, US, feed_xml


def api(server, method, path, payload=None, **kw):
    resp = requests.request(method, f"{server.url}/_sandbox{path}", json=payload, timeout=5, **kw)
    return resp.status_code, resp.json()


def test_orders_list_create_and_update(server, sandbox, clock):
    status, orders = api(server, "GET", "/orders")
    assert status == 200 and len(orders) == 60
    assert set(orders[0]) == {"amazonOrderId", "lastUpdateDate", "orderStatus"}

    clock.advance(10)
    status, created = api(server, "POST", "/orders", {"count": 3})
    assert status == 200 and len(created["created"]) == 3
    by_id = {o["amazonOrderId"]: o for o in api(server, "GET", "/orders")[1]}
    assert all(by_id[i]["orderStatus"] == "Pending" and by_id[i]["lastUpdateDate"] == "2023-11-14T22:13:30Z"
               for i in created["created"])

    clock.advance(50)
    status, updated = api(server, "POST", "/orders/update", {"count": 5})
    assert status == 200 and len(updated["updated"]) == 5
    after = {o["amazonOrderId"]: o for o in api(server, "GET", "/orders")[1]}
    for order_id in updated["updated"]:
        assert after[order_id]["lastUpdateDate"] > by_id[order_id]["lastUpdateDate"]
        assert after[order_id]["orderStatus"] != by_id[order_id]["orderStatus"]


def test_clock_advance_moves_quotas_and_feeds(server, http_raw, sandbox, clock):
    for _ in range(6):
        http_raw.call(ORDERS, "ListOrders", {"CreatedAfter": "2023-09-01T00:00:00Z", "MarketplaceId.Id.1": US})
    assert http_raw.call(ORDERS, "ListOrders", {"CreatedAfter": "2023-09-01T00:00:00Z",
                                                "MarketplaceId.Id.1": US}).code == "RequestThrottled"
    status, body = api(server, "POST", "/clock", {"advanceSeconds": 60})
    assert status == 200 and body["now"] == "2023-11-14T22:14:20.000Z" and clock.now() == START + 60
    assert http_raw.call(ORDERS, "ListOrders", {"CreatedAfter": "2023-09-01T00:00:00Z",
                                                "MarketplaceId.Id.1": US}).status == 200
    assert api(server, "GET", "/clock")[1]["now"] == body["now"]


def test_faults_stats_feeds_and_reset(server, http_raw, sandbox):
    status, settings = api(server, "POST", "/faults", {"errorRate": 1})
    assert status == 200 and settings["errorRate"] == 1.0
    assert api(server, "GET", "/faults")[1]["errorRate"] == 1.0
    assert http_raw.call(ORDERS, "GetServiceStatus").code == "InternalError"
    api(server, "POST", "/faults", {"errorRate": 0})

    feed = feed_xml("Inventory", "<Message><MessageID>1</MessageID><Inventory><SKU>GHOST</SKU><Quantity>1"
                                 "</Quantity></Inventory></Message>")
    assert http_raw.call(FEEDS, "SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_",
                                               "ContentMD5Value": content_md5(feed)}, body=feed,
                         headers={"Content-Type": "text/xml"}).status == 200
    status, feeds = api(server, "GET", "/feeds")
    assert status == 200 and feeds[0]["feedType"] == "_POST_INVENTORY_AVAILABILITY_DATA_"
    assert feeds[0]["status"] == "_SUBMITTED_" and "GHOST" in feeds[0]["content"]

    status, stats = api(server, "GET", "/stats")
    assert stats["operations"]["GetServiceStatus"] == {"requests": 1, "throttled": 0, "errors": 1}
    assert stats["operations"]["SubmitFeed"]["requests"] == 1 and stats["requests"] == 2

    assert api(server, "GET", "/catalogue")[1]["B&W-CERAMIC-COFFEE-11OZ"]["currency"] == "USD"
    api(server, "POST", "/orders", {"count": 2})
    status, body = api(server, "POST", "/reset")
    assert status == 200 and body == {"ok": True, "orders": 60}
    assert api(server, "GET", "/feeds")[1] == [] and api(server, "GET", "/stats")[1]["requests"] == 0
    assert api(server, "GET", "/faults")[1]["errorRate"] == 0.0


def test_reset_gives_back_the_same_seeded_data(server, sandbox):
    before = api(server, "GET", "/orders")[1]
    api(server, "POST", "/orders/update", {"count": 10})
    api(server, "POST", "/reset")
    assert api(server, "GET", "/orders")[1] == before


def test_bad_input_names_the_field_and_the_fix(server):
    status, body = api(server, "POST", "/orders", {"count": -1})
    assert status == 400 and "'count' must be a whole number from 0 to 10000" in body["error"]
    status, body = api(server, "POST", "/orders", {"amount": 3})
    assert status == 400 and "'count'" in body["error"]
    status, body = api(server, "POST", "/clock", {"advanceSeconds": "soon"})
    assert status == 400 and "'advanceSeconds'" in body["error"]
    status, body = api(server, "POST", "/faults", {"errorRate": 7})
    assert status == 400 and "'errorRate' must be a number from 0 to 1" in body["error"]
    resp = requests.post(f"{server.url}/_sandbox/orders", data=b"[1,2]", timeout=5)
    assert resp.status_code == 400 and "JSON object" in resp.json()["error"]
    resp = requests.post(f"{server.url}/_sandbox/orders", data=b"{nope", timeout=5)
    assert resp.status_code == 400


def test_unknown_endpoint_lists_the_known_ones(server):
    status, body = api(server, "DELETE", "/orders")
    assert status == 404 and "POST /_sandbox/orders/update" in body["error"]


def test_curl_style_form_content_type_still_reads_the_json_body(server):
    resp = requests.post(f"{server.url}/_sandbox/orders", data=b'{"count": 1}', timeout=5,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status_code == 200 and len(resp.json()["created"]) == 1
