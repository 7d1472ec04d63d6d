"""The client: pacing per usage plan, 429 and x-amzn-RateLimit-Limit, retries that build a new request,
JSON errors mapped with the request id, a size cap on JSON, and Amazon's clock from Date."""

from __future__ import annotations

import pytest

from mws_component.lib.mws.errors import (
    AuthenticationError,
    EndpointError,
    InvalidRequestError,
    ResponseIntegrityError,
    ResponseTooLargeError,
    ServiceError,
    ThrottledError,
    TransportError,
)
from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.mws.transport import HttpResponse, RequestsTransport
from mws_component.lib.spapi import client as client_module
from mws_component.lib.spapi.client import SpApiClient
from mws_component.lib.spapi.errors import error_from

from .conftest import make_client
from .fakes import CREDS, json_response, serve

PARTICIPATIONS = "/sellers/v1/marketplaceParticipations"


def test_burst_then_paced_at_the_plan_rate(client, amazon):
    for _ in range(15 + 2):  # getMarketplaceParticipations: burst 15, rate 0.016/s
        client.call("getMarketplaceParticipations")
    assert amazon.clock.slept == pytest.approx(2 / 0.016, rel=0.01)


def test_429_waits_for_a_token_and_retries(client, amazon):
    client.call("getMarketplaceParticipations")
    amazon.faults.append(json_response(429, {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your "
                                                         "quota for the requested resource."}]}, amazon.clock))
    assert client.call("getMarketplaceParticipations").status == 200
    assert amazon.clock.slept == pytest.approx(1 / 0.016, rel=0.01)  # one restore interval, no exponential backoff


def test_rate_limit_header_replaces_the_plan(client, amazon):
    amazon.rate_header = "0.5"
    client.call("getMarketplaceParticipations")  # learns 0.5/s; the new bucket starts empty
    before = amazon.clock.slept
    client.call("getMarketplaceParticipations")
    client.call("getMarketplaceParticipations")
    assert amazon.clock.slept - before == pytest.approx(2 * 2.0, rel=0.01)


@pytest.mark.parametrize("header", ["abc", "0", "-1", "1e9"])
def test_unbelievable_rate_headers_are_ignored(client, amazon, header):
    amazon.rate_header = header
    for _ in range(3):
        client.call("getMarketplaceParticipations")
    assert amazon.clock.slept == 0


def test_5xx_and_dropped_connections_retried_each_with_a_new_request(client, amazon):
    client.call("getMarketplaceParticipations")
    amazon.faults += [json_response(500, {"errors": [{"code": "InternalFailure", "message": "boom"}]}),
                      ConnectionError("reset"), json_response(503, {})]
    assert client.call("getMarketplaceParticipations").status == 200
    attempts = amazon.requests_to(PARTICIPATIONS)[1:]
    assert len(attempts) == 4
    assert len({id(r) for r in attempts}) == 4  # never the same request object sent twice
    assert amazon.clock.slept > 0  # backed off on the injected clock


def test_new_request_carries_the_token_valid_at_that_moment(client, amazon):
    client.call("getMarketplaceParticipations")
    amazon.clock.advance(3590)
    amazon.faults.append(ConnectionError("dropped"))
    client.call("getMarketplaceParticipations")
    tokens = [r.headers["x-amz-access-token"] for r in amazon.requests_to(PARTICIPATIONS)]
    assert tokens[-1] == "Atza|ACCESS1"


def test_retries_end_after_the_policy_budget(amazon):
    client = make_client(amazon, policy=RetryPolicy(max_attempts=3))
    client.auth.token()
    amazon.faults += [ConnectionError("x")] * 3
    with pytest.raises(TransportError):
        client.call("getMarketplaceParticipations")


ERRORS = [
    (400, "InvalidInput", InvalidRequestError),
    (404, "NotFound", InvalidRequestError),
    (403, "Unauthorized", AuthenticationError),
    (429, "QuotaExceeded", ThrottledError),
    (500, "InternalFailure", ServiceError),
    (503, "ServiceUnavailable", ServiceError),
    (413, "RequestEntityTooLarge", InvalidRequestError),
    (429, None, ThrottledError),
    (502, None, ServiceError),
    (401, None, AuthenticationError),
    (404, None, EndpointError),
]


@pytest.mark.parametrize(("status", "code", "cls"), ERRORS)
def test_error_mapping(status, code, cls):
    body = {"errors": [{"code": code, "message": "Said by Amazon", "details": "more"}]} if code else "<html>"
    err = error_from("searchOrders", json_response(status, body, **{"x-amzn-RequestId": "rid-42"}))
    assert type(err) is cls
    assert (err.code, err.http_status, err.request_id, err.operation) == (code, status, "rid-42", "searchOrders")
    assert "request id rid-42" in str(err)
    if code:
        assert "Said by Amazon: more" in str(err)


def test_error_body_that_is_not_the_envelope():
    err = error_from("getOrder", HttpResponse.of(400, {}, b"[1,2]"))
    assert isinstance(err, InvalidRequestError) and "HTTP 400 from getOrder" in str(err)


def test_json_answers_are_capped(client, amazon, monkeypatch):
    monkeypatch.setattr(client_module, "MAX_JSON_BYTES", 1000)
    client.auth.token()
    amazon.faults.append(json_response(200, {"payload": ["x" * 2000]}))
    with pytest.raises(ResponseTooLargeError):
        client.call("getMarketplaceParticipations")


@pytest.mark.parametrize("body", [b"not json", b"[1]", b'"x"'])
def test_answers_that_are_not_a_json_object_are_refused(amazon, body):
    client = make_client(amazon, policy=RetryPolicy(max_attempts=1))
    client.auth.token()
    amazon.faults += [HttpResponse.of(200, {}, body)] * 3
    with pytest.raises(ResponseIntegrityError):
        client.call("getMarketplaceParticipations")


def test_amazons_clock_from_the_date_header(client, amazon):
    amazon.clock.advance(0)
    skewed = SpApiClient(CREDS, transport=client.transport, clock=_Shifted(amazon.clock, -300),
                         pacer=Pacer(amazon.clock))
    assert skewed.sync_clock()  # the probe: an unauthenticated GET / that costs no usage plan
    assert abs(skewed.server_now().timestamp() - amazon.clock.now()) <= 1
    assert amazon.seen[-1].url.endswith("8999/") and "x-amz-access-token" not in amazon.seen[-1].headers
    assert skewed.sync_clock() and len(amazon.seen) == 1  # fresh: no second probe


class _Shifted:
    """A machine clock ``offset`` seconds off Amazon's."""

    def __init__(self, clock, offset: float) -> None:
        self.clock, self.offset = clock, offset

    def now(self) -> float:
        return self.clock.now() + self.offset

    def sleep(self, seconds: float) -> None:
        self.clock.sleep(seconds)


def test_over_real_loopback_http(amazon):
    with serve(amazon) as url:
        cfg = {**CREDS, "endpoint": url, "lwaEndpoint": f"{url}/auth/o2/token"}
        client = SpApiClient(cfg, transport=RequestsTransport(timeout=5, deadline=10), clock=amazon.clock,
                             pacer=Pacer(amazon.clock))
        client.sync_clock()
        answer = client.call("getMarketplaceParticipations")
        assert answer.data["payload"][0]["marketplace"]["id"] == "ATVPDKIKX0DER"
        assert answer.request_id == "req-200"
        amazon.faults.append(ConnectionError("drop"))
        assert client.call("getMarketplaceParticipations").status == 200
        sent = amazon.requests_to(PARTICIPATIONS)[0]
        assert sent.headers["user-agent"].startswith("mws-component/")
        assert sent.headers["x-amz-access-token"] == "Atza|ACCESS0"
        assert abs(client.server_now().timestamp() - amazon.clock.now()) <= 1


def test_every_answer_teaches_amazons_clock(amazon):
    skewed = SpApiClient(CREDS, transport=make_client(amazon).transport,
                         clock=_Shifted(amazon.clock, 400), pacer=Pacer(amazon.clock))
    skewed.call("getMarketplaceParticipations")  # no probe: the answer's Date is enough
    assert abs(skewed.server_now().timestamp() - amazon.clock.now()) <= 1
    assert skewed.server_time.fresh(60)


def test_a_wait_past_the_deadline_raises_instead_of_sleeping(client, amazon):
    from mws_component.lib.mws.errors import QuotaWaitError
    for _ in range(15):
        client.call("getMarketplaceParticipations")
    with client.deadline(30), pytest.raises(QuotaWaitError):
        client.call("getMarketplaceParticipations")  # the next token comes in 62.5 s
    assert amazon.clock.slept == 0
