"""The console rendered on the server, no browser: pages, filters, actions and the JSON endpoints they
share, feed content and reports, quotas and the request log (with no secret in any page)."""

from __future__ import annotations

import json
import re

from mws_sandbox.http import Request
from mws_sandbox.models.feeds import PROCESS_SECONDS

from .conftest import CONSOLE, get, list_orders, page, post

ROW = re.compile(r'<tr data-order="([^"]+)"')


def _json(sb, method: str, path: str, data: dict | None = None):
    response = sb.handle(Request(method, "/_sandbox" + path, {}, json.dumps(data or {}).encode()))
    return response.status, json.loads(response.body)


def test_every_page_renders_with_navigation_and_the_vendored_htmx(sandbox):
    for path in ("", "/orders", "/feeds", "/quotas", "/time"):
        html = page(sandbox, path)
        assert f'src="{CONSOLE}/static/htmx.min.js"' in html and 'hx-boost="true"' in html
        assert all(f'href="{CONSOLE}{tab}"' in html for tab in ("/orders", "/feeds", "/quotas", "/time"))
        assert sandbox.backend.primary.seller_id in html
    script, licence = get(sandbox, "/static/htmx.min.js"), get(sandbox, "/static/htmx-LICENSE.txt")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert b"htmx" in script.body[:200] and b"Zero-Clause BSD" in licence.body
    assert get(sandbox, "/static/../app.py").status == 404 and get(sandbox, "/nowhere").status == 404


def test_orders_table_lists_every_order_and_filters_by_status_marketplace_and_channel(sandbox):
    truth = {o["amazonOrderId"]: o["orderStatus"] for o in sandbox.orders_truth()}
    assert set(ROW.findall(page(sandbox, "/orders"))) == set(truth)
    for status in set(truth.values()):
        assert set(ROW.findall(page(sandbox, f"/orders?status={status}"))) == {i for i, s in truth.items() if s == status}
    orders = sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id)
    some = orders[0]
    shown = set(ROW.findall(page(sandbox, f"/orders?marketplace={some.marketplace_id}&channel={some.channel}")))
    assert shown == {o.amazon_order_id for o in orders
                     if o.marketplace_id == some.marketplace_id and o.channel == some.channel}


def test_an_order_opens_with_its_items_and_status_history(sandbox):
    order_id = sandbox.create_orders(1)[0]
    sandbox.move_order(order_id)
    html = page(sandbox, f"/orders?order={order_id}")
    order = sandbox.backend.order(order_id)
    assert 'id="order-detail"' in html and all(item.sku in html for item in order.items)
    history = html[html.index("Status history"):]
    assert history.index("Pending") < history.index("Unshipped")


def test_create_move_and_cancel_forms_act_like_the_json_api_and_redirect_back(sandbox):
    back = f"{CONSOLE}/orders?status=Pending"
    created = post(sandbox, "/orders/create", count="2", back=back)
    assert created.status == 303 and created.headers["location"].startswith(back + "&notice=created+2")
    new = [o["amazonOrderId"] for o in sandbox.orders_truth()[-2:]]
    assert post(sandbox, "/orders/move", amazonOrderId=new[0]).status == 303
    assert post(sandbox, "/orders/cancel", amazonOrderId=new[1]).status == 303
    states = {o["amazonOrderId"]: o["orderStatus"] for o in sandbox.orders_truth()}
    assert (states[new[0]], states[new[1]]) == ("Unshipped", "Canceled")
    refused = post(sandbox, "/orders/cancel", amazonOrderId=new[1])
    assert "error=order+" in refused.headers["location"] and "Canceled" in refused.headers["location"]
    assert "only Pending or Unshipped" in page(sandbox, refused.headers["location"][len(CONSOLE):])
    assert "error=count" in post(sandbox, "/orders/create", count="lots").headers["location"]
    assert post(sandbox, "/orders/create", count="1", back="https://elsewhere.example/").headers[
        "location"].startswith(f"{CONSOLE}/orders?")


def test_json_endpoints_move_and_cancel_one_order(sandbox):
    order_id = sandbox.create_orders(1)[0]
    assert _json(sandbox, "POST", "/orders/move", {"amazonOrderId": order_id}) == (
        200, {"amazonOrderId": order_id, "orderStatus": "Unshipped"})
    assert _json(sandbox, "POST", "/orders/cancel", {"amazonOrderId": order_id})[1]["orderStatus"] == "Canceled"
    status, body = _json(sandbox, "POST", "/orders/move", {"amazonOrderId": order_id})
    assert status == 400 and "only open orders" in body["error"]
    status, body = _json(sandbox, "POST", "/orders/cancel", {"amazonOrderId": "nope"})
    assert status == 400 and "no order 'nope'" in body["error"]
    assert _json(sandbox, "POST", "/orders/cancel", {})[0] == 400


def test_clock_and_fault_forms_change_what_the_json_api_reports(sandbox):
    before = sandbox.clock.now()
    assert post(sandbox, "/clock", advanceSeconds="3600").status == 303
    assert sandbox.clock.now() - before >= 3600
    assert "error=" in post(sandbox, "/clock", advanceSeconds="-5").headers["location"]
    post(sandbox, "/faults", throttleRate="0.25", errorRate="0.1", disconnectRate="", slowRate="0", slowSeconds="3")
    assert _json(sandbox, "GET", "/faults")[1] == {"throttleRate": 0.25, "errorRate": 0.1, "disconnectRate": 0.0,
                                                    "slowRate": 0.0, "slowSeconds": 3.0}
    refused = post(sandbox, "/faults", throttleRate="2")
    assert "must+be+a+number+from+0+to+1" in refused.headers["location"]
    html = page(sandbox, "/time")
    assert 'value="0.25"' in html and "faults on" in html


def _submit(sandbox, body: str) -> str:
    seller = sandbox.backend.primary.seller_id
    feed = sandbox.backend.feeds.submit(seller, "_POST_INVENTORY_AVAILABILITY_DATA_", body.encode(), "text/xml",
                                        sandbox.clock.now())
    return feed.feed_id


def test_feeds_show_pretty_content_without_secrets_and_the_report_with_errors_highlighted(sandbox):
    seller, secret = sandbox.backend.primary.seller_id, sandbox.backend.developer.secret_key
    sku = next(iter(sandbox.catalogue()))
    body = (f'<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion>'
            f"<MerchantIdentifier>{seller}</MerchantIdentifier></Header><MessageType>Inventory</MessageType>"
            f"<Message><MessageID>1</MessageID><Inventory><SKU>{sku}</SKU><Quantity>4</Quantity></Inventory></Message>"
            f"<Message><MessageID>2</MessageID><Inventory><SKU>NO-SUCH-SKU</SKU><Quantity>1</Quantity></Inventory>"
            f"</Message><!-- {secret} --></AmazonEnvelope>")
    feed_id = _submit(sandbox, body)
    waiting = page(sandbox, "/feeds")
    assert f'id="feed-{feed_id}"' in waiting and "_SUBMITTED_" in waiting and 'hx-trigger="every 2s"' in waiting
    sandbox.advance(PROCESS_SECONDS)
    html = page(sandbox, "/feeds")
    assert "_DONE_" in html and 'class="result-error"' in html and "NO-SUCH-SKU" in html
    assert "\n  &lt;Header&gt;\n    &lt;DocumentVersion&gt;" in html  # indented, escaped
    assert seller in html and secret not in html and "[redacted]" in html
    assert "ProcessingReport" in html  # the report as GetFeedSubmissionResult returns it


def test_unparseable_or_hostile_xml_is_shown_as_sent(sandbox):
    hostile = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    _submit(sandbox, hostile)
    _submit(sandbox, "<unclosed>")
    html = page(sandbox, "/feeds")
    assert "root:" not in html and "&lt;unclosed&gt;" in html


def test_quotas_show_live_buckets_a_plot_and_a_request_log_without_secrets(sandbox):
    for _ in range(8):  # ListOrders: burst 6, so the last two are throttled
        response, params = list_orders(sandbox)
    assert response.status == 503
    html = page(sandbox, "/quotas")
    row = html[html.index('data-bucket="ListOrders"'):]
    row = row[: row.index("</tr>")]
    assert "6.0 / 6" in row and "1 every 60 s" in row and "60.0 s" in row
    assert html.count('class="throttled"') >= 2 and "<svg" in html and 'class="throttled"/>' in html
    for secret in (params["Signature"], params["AWSAccessKeyId"], params["MWSAuthToken"],
                   sandbox.backend.developer.secret_key):
        assert secret not in html
    assert "Signature=[redacted]" in html and "CreatedAfter=2000-01-01T00:00:00Z" in html
    sandbox.advance(61)
    row = page(sandbox, "/quotas").split('data-bucket="ListOrders"')[1].split("</tr>")[0]
    assert "5.0 / 6" in row


def test_the_request_log_keeps_no_sp_api_or_lwa_secret(sandbox):
    creds = sandbox.sp_api_credentials("http://127.0.0.1")
    form = {"grant_type": "refresh_token", "refresh_token": creds["refreshToken"], "client_id": creds["lwaClientId"],
            "client_secret": creds["lwaClientSecret"]}
    from urllib.parse import urlencode

    token = json.loads(sandbox.handle(Request("POST", "/auth/o2/token", {"Content-Type": "application/x-www-form-urlencoded"},
                                              urlencode(form).encode())).body)["access_token"]
    sandbox.handle(Request("GET", f"/orders/v0/orders?MarketplaceIds={creds['marketplaceId']}"
                                  "&CreatedAfter=2000-01-01T00:00:00Z", {"x-amz-access-token": token}))
    html = page(sandbox, "/quotas")
    assert "/auth/o2/token" in html and "/orders/v0/orders" in html
    for secret in (token, creds["refreshToken"], creds["lwaClientId"], creds["lwaClientSecret"]):
        assert secret not in html


def test_sp_api_feeds_show_with_their_json_report_and_issues_highlighted(sandbox):
    seller, marketplace = sandbox.backend.primary.seller_id, sandbox.backend.primary.home_marketplace
    store, now = sandbox.sp_feeds, sandbox.clock.now()
    body = {"header": {"sellerId": seller, "version": "2.0", "issueLocale": "en_US"},
            "messages": [{"messageId": 1, "sku": next(iter(sandbox.catalogue())), "operationType": "DELETE"},
                         {"messageId": 2, "sku": "X-1", "operationType": "BOGUS"}]}
    document = store.new_document(seller, "application/json; charset=UTF-8", now)
    document.content = json.dumps(body).encode()
    feed = store.create(seller, "JSON_LISTINGS_FEED", (marketplace,), document.document_id, now)
    assert "IN_QUEUE" in page(sandbox, "/feeds")
    sandbox.advance(PROCESS_SECONDS + 1)
    html = page(sandbox, "/feeds")
    card = html[html.index(f'id="feed-{feed.feed_id}"'):]
    assert 'data-api="SP-API"' in card and "DONE" in card and 'class="result-error"' in card
    assert "&#34;operationType&#34;: &#34;BOGUS&#34;" in card  # the input document, indented
