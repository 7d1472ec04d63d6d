"""LWA tokens: exchanged once and cached, refreshed before expiry on the injected clock, renewed once
after an expired-token 403; LWA errors say what to fix; secrets never leak."""

from __future__ import annotations

import logging

import pytest

from mws_component.lib.mws.errors import AuthenticationError, ServiceError
from mws_component.lib.spapi.auth import REFRESH_MARGIN
from mws_component.lib.spapi.errors import AccessTokenExpiredError

from .conftest import make_client
from .fakes import CLIENT_SECRET, CREDS, REFRESH_TOKEN, FakeSpApi, json_response

LWA = "/auth/o2/token"


def test_token_exchanged_once_and_cached(client, amazon):
    for _ in range(3):
        client.call("getMarketplaceParticipations")
    assert len(amazon.requests_to(LWA)) == 1
    used = {r.headers["x-amz-access-token"] for r in amazon.requests_to("/sellers/v1/marketplaceParticipations")}
    assert used == {"Atza|ACCESS0"}


def test_exchange_is_form_encoded_with_the_four_fields(client, amazon):
    client.call("getMarketplaceParticipations")
    request = amazon.requests_to(LWA)[0]
    assert request.method == "POST" and request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert bytes(request.body).decode().startswith("grant_type=refresh_token&refresh_token=Atzr%7C")
    assert REFRESH_TOKEN not in repr(request) and CLIENT_SECRET not in repr(request)


def test_refreshed_before_expiry_on_the_clock(client, amazon):
    client.call("getMarketplaceParticipations")
    amazon.clock.advance(3600 - REFRESH_MARGIN - 1)
    client.call("getMarketplaceParticipations")
    assert len(amazon.requests_to(LWA)) == 1
    amazon.clock.advance(2)
    client.call("getMarketplaceParticipations")
    assert len(amazon.requests_to(LWA)) == 2
    assert amazon.requests_to("/sellers/v1/marketplaceParticipations")[-1].headers["x-amz-access-token"] == "Atza|ACCESS1"


def test_expired_token_403_renews_once_and_retries(client, amazon):
    client.call("getMarketplaceParticipations")
    amazon.expired.add("Atza|ACCESS0")  # Amazon ended the token early
    assert client.call("getMarketplaceParticipations").status == 200
    assert len(amazon.requests_to(LWA)) == 2


def test_expired_twice_in_a_row_is_raised_not_looped(client, amazon):
    client.call("getMarketplaceParticipations")
    amazon.expired.update({"Atza|ACCESS0", "Atza|ACCESS1"})
    with pytest.raises(AccessTokenExpiredError):
        client.call("getMarketplaceParticipations")
    assert len(amazon.requests_to(LWA)) == 2


def test_plain_403_is_not_renewed_and_says_the_role(client, amazon):
    client.auth.token()
    amazon.faults.append(json_response(403, {"errors": [{"code": "Unauthorized", "message": "Access to requested "
                                                         "resource is denied."}]}, amazon.clock))
    with pytest.raises(AuthenticationError) as caught:
        client.call("searchOrders", {"lastUpdatedAfter": "2025-12-31T00:00:00Z"})
    assert type(caught.value) is AuthenticationError
    assert "Inventory and Order Tracking" in str(caught.value) and "request id req-403" in str(caught.value)
    assert len(amazon.requests_to(LWA)) == 1


@pytest.mark.parametrize(("change", "code", "field", "words"), [
    ({"refreshToken": "Atzr|revoked"}, "invalid_grant", "refreshToken", "authorise the app again"),
    ({"lwaClientSecret": "wrong-secret"}, "invalid_client", "lwaClientId", "client id or client secret is wrong"),
])
def test_lwa_errors_say_what_to_fix(change, code, field, words):
    amazon = FakeSpApi()
    client = make_client(amazon) if not change else _client_with(amazon, change)
    with pytest.raises(AuthenticationError) as caught:
        client.call("getMarketplaceParticipations")
    err = caught.value
    assert (err.code, err.field) == (code, field)
    assert words in str(err)
    assert not amazon.requests_to("/sellers/v1/marketplaceParticipations")  # nothing sent without a token


def _client_with(amazon, change):
    from mws_component.lib.mws.pacing import Pacer
    from mws_component.lib.mws.transport import FunctionTransport
    from mws_component.lib.spapi.client import SpApiClient
    return SpApiClient({**CREDS, **change}, transport=FunctionTransport(amazon), clock=amazon.clock,
                       pacer=Pacer(amazon.clock), random=lambda: 0.5)


def test_lwa_outage_is_retried_with_backoff_on_the_clock(client, amazon):
    amazon.faults += [json_response(503, {"error": "server_error"}), json_response(500, {})]
    assert client.call("getMarketplaceParticipations").status == 200
    assert len(amazon.requests_to(LWA)) == 3
    assert amazon.clock.slept > 0


def test_lwa_outage_beyond_the_budget_is_a_service_error(amazon):
    from mws_component.lib.mws.retry import RetryPolicy
    client = make_client(amazon, policy=RetryPolicy(max_attempts=2))
    amazon.faults += [json_response(503, {})] * 2
    with pytest.raises(ServiceError):
        client.call("getMarketplaceParticipations")


def test_secrets_never_in_logs_errors_or_reprs(caplog, amazon):
    caplog.set_level(logging.DEBUG)
    client = make_client(amazon)
    client.call("getMarketplaceParticipations")
    echo = f"bad token {CLIENT_SECRET} {REFRESH_TOKEN} Atza|ACCESS0"
    amazon.faults.append(json_response(400, {"errors": [{"code": "InvalidInput", "message": echo}]}))
    with pytest.raises(Exception) as caught:
        client.call("getMarketplaceParticipations")
    shown = " ".join([caplog.text, str(caught.value), repr(caught.value), str(caught.value.to_dict()),
                      repr(client), repr(client.auth), repr(client.credentials)])
    for secret in (CLIENT_SECRET, REFRESH_TOKEN, "Atza|ACCESS0"):
        assert secret not in shown
    assert "**********" in str(caught.value)
