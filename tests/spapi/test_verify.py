"""verify for sp-api credentials: LWA, then getMarketplaceParticipations; reasons a person can act on."""

from __future__ import annotations

from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.transport import FunctionTransport, RequestsTransport
from mws_component.lib.spapi.verify import verify

from .fakes import CLIENT_SECRET, CREDS, REFRESH_TOKEN, FakeSpApi, json_response, serve


def check(amazon: FakeSpApi, **change) -> dict:
    return verify({**CREDS, **change}, transport=FunctionTransport(amazon), clock=amazon.clock,
                  pacer=Pacer(amazon.clock))


def test_verified():
    amazon = FakeSpApi()
    assert check(amazon) == {"verified": True}
    assert [r.url.rsplit("/", 2)[-1] for r in amazon.seen] == ["token", "marketplaceParticipations"]


def test_revoked_refresh_token():
    result = check(FakeSpApi(), refreshToken="Atzr|revoked-one")
    assert result["verified"] is False
    assert "invalid_grant" in result["reason"] and "authorise the app again" in result["reason"]
    assert "Atzr|revoked-one" not in result["reason"]


def test_wrong_client_secret():
    result = check(FakeSpApi(), lwaClientSecret="amzn1.oa2-cs.v1.WRONG")
    assert "invalid_client" in result["reason"] and "client id or client secret is wrong" in result["reason"]
    assert "WRONG" not in result["reason"]


def test_app_lacks_the_role():
    amazon = FakeSpApi()
    amazon.faults += [lambda r: amazon.route(r), json_response(403, {"errors": [{
        "code": "Unauthorized", "message": "Access to requested resource is denied."}]}, amazon.clock)]
    reason = check(amazon)["reason"]
    assert "lacks the role" in reason and "Authorize" in reason and "HTTP 403" in reason


def test_marketplace_not_among_the_sellers_lists_them():
    amazon = FakeSpApi(participations=["A1PA6795UKMFR9", "A1F83G8C2ARO7P"])
    reason = check(amazon)["reason"]
    assert "does not sell in marketplace ATVPDKIKX0DER" in reason
    assert "A1PA6795UKMFR9 (Market A1PA6795UKMFR9)" in reason and "A1F83G8C2ARO7P" in reason


def test_bad_field_before_any_request():
    amazon = FakeSpApi()
    result = check(amazon, lwaClientId="")
    assert "'lwaClientId' is required" in result["reason"] and not amazon.seen


def test_over_loopback_http_and_nothing_secret_in_reasons():
    amazon = FakeSpApi()
    with serve(amazon) as url:
        cfg = {**CREDS, "endpoint": url, "lwaEndpoint": f"{url}/auth/o2/token", "refreshToken": REFRESH_TOKEN + "x"}
        result = verify(cfg, transport=RequestsTransport(timeout=5, deadline=10), clock=amazon.clock,
                        pacer=Pacer(amazon.clock))
    assert result["verified"] is False and "invalid_grant" in result["reason"]
    assert REFRESH_TOKEN not in result["reason"] and CLIENT_SECRET not in result["reason"]
