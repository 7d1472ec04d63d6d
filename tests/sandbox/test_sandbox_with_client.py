"""The project's own client against the sandbox, in-process (InProcessTransport) on one shared
ManualClock: pacing and retries cost simulated time only, and the sandbox's quotas agree."""

from __future__ import annotations

import pytest
from mws_sandbox.models.feeds import PROCESS_SECONDS

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import AuthenticationError, NextTokenExpiredError, NotReadyError
from mws_component.lib.mws.parsing import as_list
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.mws.transport import InProcessTransport

from .conftest import US, feed_xml


@pytest.fixture
def client(sandbox, creds, clock) -> MwsClient:
    return MwsClient(creds, transport=InProcessTransport(sandbox), clock=clock)


def test_listing_every_page_paces_under_the_quota(client, sandbox, clock):
    pages = list(client.pages("ListOrders", {"LastUpdatedAfter": "2023-09-01T00:00:00Z",
                                              "MarketplaceId": [US, "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8",
                                                                "A2Q3Y263D00KWC"], "MaxResultsPerPage": 5}))
    ids = []
    for page in pages:
        ids += [o["AmazonOrderId"] for o in as_list(page.result["Orders"]["Order"])]
    assert sorted(ids) == sorted(o["amazonOrderId"] for o in sandbox.orders_truth())
    assert len(pages) == 12
    assert sandbox.stats()["throttled"] == 0  # the client's buckets match the sandbox's
    assert clock.now() - 1_700_000_000 >= 6 * 60  # 12 calls on a 6-burst, 1/min bucket: simulated waiting


def test_feed_round_trip_with_md5_checked_download(client, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    feed = feed_xml("Inventory", f"<Message><MessageID>1</MessageID><Inventory><SKU>{sku}</SKU><Quantity>31"
                                 "</Quantity></Inventory></Message>")
    submitted = client.call("SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_"}, body=feed)
    feed_id = as_list(submitted.result["FeedSubmissionInfo"])[0]["FeedSubmissionId"]
    with pytest.raises(NotReadyError):
        client.call("GetFeedSubmissionResult", {"FeedSubmissionId": feed_id})
    clock.advance(PROCESS_SECONDS)
    report = client.call("GetFeedSubmissionResult", {"FeedSubmissionId": feed_id})
    assert b"<MessagesSuccessful>1</MessagesSuccessful>" in report.body
    assert sandbox.catalogue()[sku]["quantity"] == 31


def test_errors_map_to_the_clients_classes(sandbox, creds, clock):
    wrong = MwsClient({**creds, "secretKey": "x" * 40}, transport=InProcessTransport(sandbox), clock=clock)
    with pytest.raises(AuthenticationError) as caught:
        wrong.call("ListMarketplaceParticipations")
    assert caught.value.code == "SignatureDoesNotMatch" and caught.value.http_status == 403
    client = MwsClient(creds, transport=InProcessTransport(sandbox), clock=clock)
    with pytest.raises(NextTokenExpiredError):
        client.call("ListOrdersByNextToken", {"NextToken": "bm90LWEtdG9rZW4+/w=="})


def test_client_retries_through_injected_faults(sandbox, creds, clock):
    sandbox.set_faults(errorRate=0.3, throttleRate=0.2, disconnectRate=0.1)
    client = MwsClient(creds, transport=InProcessTransport(sandbox), clock=clock,
                       policy=RetryPolicy(max_attempts=8, max_throttled=8, call_deadline=3600),
                       random=lambda: 0.5)
    for _ in range(10):  # GetServiceStatus restores one request per 5 min: a call may wait 30 min here
        assert client.call("GetServiceStatus").result["Status"] == "GREEN"
    stats = sandbox.stats()["operations"]["GetServiceStatus"]
    assert stats["requests"] > 10 and (stats["errors"] or stats["throttled"])
