"""The client against a scripted Amazon: retries re-sign, pacing, paging, errors, server time."""

from __future__ import annotations

import base64
import hashlib

import pytest

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import ManualClock, utc
from mws_component.lib.mws.errors import (
    AuthenticationError,
    ConfigurationError,
    EndpointError,
    QuotaExceededError,
    ServiceError,
    TransportError,
)
from mws_component.lib.mws.operations import operation
from mws_component.lib.mws.paging import PaginationLoopError
from mws_component.lib.mws.parsing import HostileXmlError
from mws_component.lib.mws.transport import FunctionTransport, HttpResponse

from .fakes import CREDS, SECRET, FakeAmazon, error_body, ok_body, signature_valid

T0 = 1_700_000_000.0


def make(script, clock=None, **kw):
    fake = FakeAmazon(script=list(script))
    clock = clock or ManualClock(T0)
    client = MwsClient(CREDS, transport=FunctionTransport(fake), clock=clock, random=lambda: 0.5, **kw)
    return client, fake, clock


def test_request_carries_common_parameters_and_posts_a_signed_form():
    client, fake, _ = make([(200, ok_body("ListOrders"))])
    client.call("ListOrders", {"CreatedAfter": "2017-02-01T00:00:00Z", "MarketplaceId": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]})
    p = fake.params(0)
    assert p["Action"] == "ListOrders" and p["Version"] == "2013-09-01" and p["SellerId"] == CREDS["sellerId"]
    assert p["MarketplaceId.Id.1"] == "ATVPDKIKX0DER" and p["MarketplaceId.Id.2"] == "A2EUQ1WTGCTBG2"
    assert p["MWSAuthToken"] == CREDS["mwsAuthToken"] and p["SignatureMethod"] == "HmacSHA256"
    assert p["Timestamp"] == "2023-11-14T22:13:20Z"
    req = fake.seen[0]
    assert req.method == "POST" and req.url == "https://mws.amazonservices.com/Orders/2013-09-01"
    assert "Signature=" in req.body.decode() and req.headers["User-Agent"].startswith("mws-component/")


def test_feeds_use_merchant_and_submit_feed_puts_params_in_query_with_md5():
    client, fake, _ = make([(200, ok_body("SubmitFeed"))])
    client.call("SubmitFeed", {"FeedType": "_POST_INVENTORY_AVAILABILITY_DATA_"}, body=b"<x>\xc3\xa9</x>")
    req, p = fake.seen[0], fake.params(0)
    assert req.body == b"<x>\xc3\xa9</x>" and req.url.startswith("https://mws.amazonservices.com/Feeds/2009-01-01?")
    assert p["Merchant"] == CREDS["sellerId"] and "SellerId" not in p
    assert p["ContentMD5Value"] == base64.b64encode(hashlib.md5(req.body).digest()).decode()


def test_retry_builds_a_new_request_with_a_new_timestamp_and_valid_signatures():
    client, fake, clock = make([(500, error_body("InternalError", kind="Receiver")), (200, ok_body("GetOrder"))])
    response = client.call("GetOrder", {"AmazonOrderId": ["058-1233752-8214740"]})
    assert response.request_id == "ok-rid"
    first, second = fake.params(0), fake.params(1)
    assert first["Timestamp"] != second["Timestamp"]
    assert first["Signature"] != second["Signature"]
    assert all(signature_valid(r) for r in fake.seen)
    assert clock.slept == pytest.approx(0.75)  # equal jitter on a 1 s base with random() = 0.5


def test_throttled_waits_one_restore_interval_then_retries():
    client, fake, clock = make([(503, error_body("RequestThrottled", "Request is throttled")), (200, ok_body("ListOrders"))])
    client.call("ListOrders", {"CreatedAfter": "2017-02-01T00:00:00Z", "MarketplaceId": ["ATVPDKIKX0DER"]})
    assert len(fake.seen) == 2
    assert 60.0 <= clock.slept < 61.0  # ListOrders restores one request per minute


def test_gives_up_after_the_retry_budget_with_evidence():
    client, fake, _ = make([(503, error_body("ServiceUnavailable", request_id="r-9"))])
    with pytest.raises(ServiceError) as info:
        client.call("GetOrder", {"AmazonOrderId": ["058-1233752-8214740"]})
    assert len(fake.seen) == 5
    err = info.value
    assert (err.code, err.http_status, err.request_id, err.operation) == ("ServiceUnavailable", 503, "r-9", "GetOrder")
    assert "request id r-9" in str(err)


def test_transport_errors_are_retried_for_reads():
    calls = []

    def flaky(request):
        calls.append(request)
        if len(calls) < 3:
            raise TransportError("connection reset")
        return HttpResponse.of(200, {}, ok_body("GetOrder"))

    client = MwsClient(CREDS, transport=FunctionTransport(flaky), clock=ManualClock(T0), random=lambda: 0.0)
    assert client.call("GetOrder", {"AmazonOrderId": ["1"]}).status == 200
    assert len(calls) == 3


@pytest.mark.parametrize("failure", [
    (500, error_body("InternalError")),
    lambda request: (_ for _ in ()).throw(TransportError("reset after upload")),
])
def test_submit_feed_is_not_blindly_resent_once_the_body_may_have_arrived(failure):
    client, fake, _ = make([failure, (200, ok_body("SubmitFeed"))])
    with pytest.raises((ServiceError, TransportError)):
        client.call("SubmitFeed", {"FeedType": "_POST_PRODUCT_DATA_"}, body=b"<a/>")
    assert len(fake.seen) == 1


def test_submit_feed_is_retried_when_amazon_clearly_did_not_take_it():
    client, fake, _ = make([(503, error_body("RequestThrottled")), (200, ok_body("SubmitFeed"))])
    client.call("SubmitFeed", {"FeedType": "_POST_PRODUCT_DATA_"}, body=b"<a/>")
    assert len(fake.seen) == 2


def test_request_expired_resyncs_to_server_clock_and_retries_once():
    server_skew = 20 * 60  # the seller's clock is 20 minutes slow
    clock = ManualClock(T0)

    def server_headers():
        stamp = utc(clock.now() + server_skew).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {"x-mws-timestamp": stamp}

    fake = FakeAmazon(script=[(400, error_body("RequestExpired", "Request has expired")), (200, ok_body("GetOrder"))],
                      clock_headers=server_headers)
    client = MwsClient(CREDS, transport=FunctionTransport(fake), clock=clock)
    client.call("GetOrder", {"AmazonOrderId": ["1"]})
    assert fake.params(0)["Timestamp"] == "2023-11-14T22:13:20Z"
    assert fake.params(1)["Timestamp"] == "2023-11-14T22:33:20Z"
    assert clock.slept == 0


def test_quota_exceeded_waits_until_reset_then_retries():
    resets = utc(T0 + 600).isoformat().replace("+00:00", "Z")
    client, fake, clock = make([(503, error_body("QuotaExceeded"), {"x-mws-quota-resetsOn": resets}),
                                (200, ok_body("GetFeedSubmissionCount"))])
    client.call("GetFeedSubmissionCount")
    assert clock.slept == pytest.approx(600, abs=1)


def test_quota_exceeded_beyond_the_wait_cap_fails_with_the_reset_time():
    resets = utc(T0 + 3000).isoformat().replace("+00:00", "Z")
    client, _, _ = make([(503, error_body("QuotaExceeded"), {"x-mws-quota-resetsOn": resets})])
    with pytest.raises(QuotaExceededError) as info:
        client.call("GetFeedSubmissionCount")
    assert info.value.resets_on == resets


def test_quota_headers_pace_the_next_call_until_reset():
    resets = utc(T0 + 120).isoformat().replace("+00:00", "Z")
    headers = {"x-mws-quota-max": "80.0", "x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": resets}
    client, fake, clock = make([(200, ok_body("GetFeedSubmissionCount"), headers), (200, ok_body("GetFeedSubmissionCount"))])
    client.call("GetFeedSubmissionCount")
    client.call("GetFeedSubmissionCount")
    assert clock.slept == pytest.approx(120, abs=1)


def test_paced_sequence_runs_at_amazons_rate_in_simulated_time():
    """1,000 ListOrderItems calls: burst 30 then one per 2 s; minimum (1000-30)*2 s."""
    client, fake, clock = make([(200, ok_body("ListOrderItems", "<AmazonOrderId>1</AmazonOrderId>"))])
    for _ in range(1000):
        client.call("ListOrderItems", {"AmazonOrderId": "058-1233752-8214740"})
    minimum = (1000 - 30) * operation("ListOrderItems").quota.restore_seconds
    assert minimum <= clock.slept <= minimum * 1.01
    assert len(fake.seen) == 1000


def test_pages_follow_next_token_and_stop_at_the_last_page():
    pages = [
        (200, ok_body("ListOrders", "<NextToken>t+1/=</NextToken><Orders><Order><AmazonOrderId>1</AmazonOrderId></Order></Orders>")),
        (200, ok_body("ListOrdersByNextToken", "<NextToken>t2</NextToken><Orders/>")),
        (200, ok_body("ListOrdersByNextToken", "<Orders><Order><AmazonOrderId>3</AmazonOrderId></Order></Orders>")),
    ]
    client, fake, _ = make(pages)
    seen = list(client.pages("ListOrders", {"CreatedAfter": "2017-01-01T00:00:00Z", "MarketplaceId": ["ATVPDKIKX0DER"]}))
    assert [r.operation for r in seen] == ["ListOrders", "ListOrdersByNextToken", "ListOrdersByNextToken"]
    assert fake.params(1)["NextToken"] == "t+1/="
    assert set(fake.params(1)) >= {"NextToken", "Action"} and "MarketplaceId.Id.1" not in fake.params(1)


def test_repeated_next_token_stops_with_a_loop_error():
    pages = [
        (200, ok_body("ListOrders", "<NextToken>same</NextToken>")),
        (200, ok_body("ListOrdersByNextToken", "<NextToken>same</NextToken>")),
    ]
    client, fake, _ = make(pages)
    with pytest.raises(PaginationLoopError):
        list(client.pages("ListOrders", {"CreatedAfter": "2017-01-01T00:00:00Z"}))
    assert len(fake.seen) == 2


def test_feeds_paging_stops_when_has_next_is_false_even_with_a_token():
    client, fake, _ = make([(200, ok_body("GetFeedSubmissionList", "<HasNext>false</HasNext><NextToken>x</NextToken>"))])
    assert len(list(client.pages("GetFeedSubmissionList"))) == 1


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    b"<ListOrdersResponse><ListOrdersResult>&lol2;</ListOrdersResult></ListOrdersResponse>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>',
    b"<html>not xml",
])
def test_hostile_or_broken_xml_is_refused(body):
    client, _, _ = make([(200, body)])
    with pytest.raises(HostileXmlError):
        client.call("GetOrder", {"AmazonOrderId": ["1"]})


def test_access_denied_names_the_region_and_missing_token():
    creds = {**CREDS, "marketplaceId": "A1PA6795UKMFR9", "region": "NA", "mwsAuthToken": ""}
    fake = FakeAmazon(script=[(401, error_body("AccessDenied", "Access denied"))])
    client = MwsClient(creds, transport=FunctionTransport(fake), clock=ManualClock(T0))
    with pytest.raises(AuthenticationError) as info:
        client.call("ListMarketplaceParticipations")
    text = str(info.value)
    assert "Amazon.de (A1PA6795UKMFR9) is in region EU" in text and "mws.amazonservices.com" in text
    assert "no MWS Auth Token" in text and "MWSAuthToken" not in fake.params(0)


def test_swapped_keys_are_called_out():
    creds = {**CREDS, "accessKeyId": SECRET, "secretKey": CREDS["accessKeyId"]}

    def answer(request):
        return HttpResponse.of(403, {}, error_body("SignatureDoesNotMatch"))

    client = MwsClient(creds, transport=FunctionTransport(answer), clock=ManualClock(T0))
    with pytest.raises(AuthenticationError, match="look swapped"):
        client.call("ListMarketplaceParticipations")


def test_invalid_address_and_non_xml_errors():
    client, _, _ = make([(404, error_body("InvalidAddress"))])
    with pytest.raises(EndpointError, match="mws.amazonservices.com does not serve"):
        client.call("GetOrder", {"AmazonOrderId": ["1"]})
    client, _, _ = make([(502, b"<html>Bad gateway</html>")])
    with pytest.raises(ServiceError, match="HTTP 502"):
        client.call("GetOrder", {"AmazonOrderId": ["1"]})


def test_raw_download_md5_is_checked_and_mismatch_is_never_accepted():
    report = b"<AmazonEnvelope/>"
    client, fake, _ = make([(200, report, {"Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="})])
    with pytest.raises(Exception, match="does not match its Content-MD5") as info:
        client.call("GetFeedSubmissionResult", {"FeedSubmissionId": "1"})
    assert info.value.code == "ContentMD5DoesNotMatch" and len(fake.seen) == 3
    client, _, _ = make([(200, report, {"Content-MD5": base64.b64encode(hashlib.md5(report).digest()).decode()})])
    assert client.call("GetFeedSubmissionResult", {"FeedSubmissionId": "1"}).body == report


def test_bad_input_is_refused_before_any_request():
    client, fake, _ = make([(200, ok_body("ListOrders"))])
    with pytest.raises(ConfigurationError, match="does not take a list"):
        client.call("ListOrderItems", {"AmazonOrderId": ["1", "2"]})
    with pytest.raises(ConfigurationError, match="unknown MWS operation"):
        client.call("ListOrderz")
    with pytest.raises(ConfigurationError, match="needs a body"):
        client.call("SubmitFeed", {"FeedType": "x"})
    assert fake.seen == []


def test_secrets_never_appear_in_reprs_or_errors():
    client, fake, _ = make([(403, error_body("SignatureDoesNotMatch"))])
    with pytest.raises(AuthenticationError) as info:
        client.call("ListMarketplaceParticipations")
    blob = " ".join([repr(client), repr(client.credentials), str(info.value), repr(info.value),
                     str(info.value.to_dict()), client.credentials.model_dump_json()])
    assert SECRET not in blob and CREDS["mwsAuthToken"] not in blob
