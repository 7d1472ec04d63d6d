"""Drive the sandbox with an independent client: PyPI's python-amazon-mws (``mws`` 0.8.15).

Run as a subprocess by ``test_sandbox_independent_client.py`` (credentials as JSON on stdin, results
as JSON on stdout), so that ``tests/mws`` (a test package named like the library) cannot shadow
the real ``mws`` on ``sys.path``.

The client is used unchanged except for one adaptation: it strips only ``https://`` from its
domain when it builds the string to sign (``MWS.calc_signature``), so for a plain-http loopback
URL the signed host would read ``http://127.0.0.1:PORT``. ``mws_sandbox.compat.LoopbackSigning``
shows it the ``https://`` form while it signs; the request itself still goes to the plain-http URL.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone

import mws
import requests
from mws_sandbox.compat import LoopbackSigning

FEED = (b'<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion>'
        b"<MerchantIdentifier>M</MerchantIdentifier></Header><MessageType>Inventory</MessageType><Message>"
        b"<MessageID>1</MessageID><Inventory><SKU>%s</SKU><Quantity>17</Quantity></Inventory></Message>"
        b"</AmazonEnvelope>")


def client(api, creds, secret=None):
    cls = type(f"Loopback{api.__name__}", (LoopbackSigning, api), {})
    return cls(creds["accessKeyId"], secret or creds["secretKey"], creds["sellerId"], domain=creds["endpoint"],
               auth_token=creds["mwsAuthToken"])


def as_list(node):
    return node if isinstance(node, list) else [node]


def run(creds, sku):
    out = {}
    sellers = client(mws.Sellers, creds).list_marketplace_participations()
    out["marketplaces"] = [p.MarketplaceId for p in as_list(sellers.parsed.ListParticipations.Participation)]

    orders_api = client(mws.Orders, creds)
    listed = orders_api.list_orders(marketplaceids=[creds["marketplaceId"]],
                                    lastupdatedafter=datetime.now(timezone.utc) - timedelta(days=60), max_results="5")
    out["orders"] = [o.AmazonOrderId for o in as_list(listed.parsed.Orders.Order)]
    out["lastUpdatedBefore"] = listed.parsed.LastUpdatedBefore
    token = listed.parsed.get("NextToken")
    if token:
        following = orders_api.list_orders(next_token=token)
        out["orders"] += [o.AmazonOrderId for o in as_list(following.parsed.Orders.Order)]
    items = orders_api.list_order_items(amazon_order_id=out["orders"][0])
    out["items"] = [i.SellerSKU for i in as_list(items.parsed.OrderItems.OrderItem)]

    feeds_api = client(mws.Feeds, creds)
    submitted = feeds_api.submit_feed(FEED % sku.encode(), "_POST_INVENTORY_AVAILABILITY_DATA_",
                                      marketplaceids=[creds["marketplaceId"]])
    feed_id = submitted.parsed.FeedSubmissionInfo.FeedSubmissionId
    out["feed"] = {"id": feed_id, "status": submitted.parsed.FeedSubmissionInfo.FeedProcessingStatus}
    requests.post(creds["endpoint"] + "/_sandbox/clock", json={"advanceSeconds": 120}, timeout=10)
    listed_feeds = feeds_api.get_feed_submission_list(feedids=[feed_id])
    out["feedList"] = [(f.FeedSubmissionId, f.FeedProcessingStatus)
                       for f in as_list(listed_feeds.parsed.FeedSubmissionInfo)]
    report = feeds_api.get_feed_submission_result(feed_id)
    out["report"] = report.parsed.ProcessingReport.ProcessingSummary.MessagesSuccessful

    try:
        client(mws.Sellers, creds, secret="wrong-secret").list_marketplace_participations()
        out["wrongSecret"] = None
    except mws.MWSError as exc:
        out["wrongSecret"] = {"status": exc.response.status_code, "body": exc.response.text}
    return out


if __name__ == "__main__":
    request = json.load(sys.stdin)
    json.dump(run(request["credentials"], request["sku"]), sys.stdout)
