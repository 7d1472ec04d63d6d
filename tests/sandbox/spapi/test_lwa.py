"""The LWA token endpoint and access tokens: Amazon's answers and errors, expiry on the sandbox clock,
revocation and re-authorisation through the scenario API, and the 403 for a missing or dead token."""

from __future__ import annotations

import json

from mws_sandbox import Request

from .conftest import Sp, in_process

UNAUTHORIZED = {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied.",
                            "details": ""}]}
PARTICIPATIONS = "/sellers/v1/marketplaceParticipations"


def scenario(sandbox, path: str, body: dict) -> dict:
    response = sandbox.handle(Request("POST", f"/_sandbox{path}", {}, json.dumps(body).encode()))
    assert response.status == 200, response.body
    return json.loads(response.body)


def test_exchange_answers_amazons_token_shape(sandbox):
    sp = Sp(in_process(sandbox), sandbox.sp_api_credentials("http://sb"))
    answer = sp.lwa()
    assert answer.status == 200
    body = answer.json
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["access_token"].startswith("Atza|") and body["token_type"] == "bearer"
    assert body["expires_in"] == 3600 and body["refresh_token"] == sp.creds["refreshToken"]
    assert answer.headers["x-amzn-requestid"]


def test_credentials_are_deterministic_per_seed_and_differ_per_seller(clock):
    from mws_sandbox import Sandbox

    first, again = Sandbox(clock, seed=3), Sandbox(clock, seed=3)
    assert first.sp_api_credentials("http://a") == again.sp_api_credentials("http://a")
    mine, other = first.sp_api_credentials("http://a"), first.sp_api_credentials("http://a", seller=1)
    assert mine["lwaClientId"] != other["lwaClientId"] and mine["refreshToken"] != other["refreshToken"]
    assert mine["sellerId"] == first.credentials("http://a")["sellerId"]
    assert Sandbox(clock, seed=4).sp_api_credentials("http://a")["refreshToken"] != mine["refreshToken"]


def test_wrong_client_secret_or_id_is_401_invalid_client(sp):
    for overrides in ({"client_secret": "amzn1.oa2-cs.v1.wrong"}, {"client_id": "amzn1.application-oa2-client.x"}):
        answer = sp.lwa(**overrides)
        assert (answer.status, answer.json["error"]) == (401, "invalid_client")
        assert answer.json["error_description"]


def test_wrong_refresh_token_is_400_invalid_grant(sp, other_sp):
    assert sp.lwa(refresh_token="Atzr|IwEBnot-issued").json["error"] == "invalid_grant"
    another_sellers = sp.lwa(refresh_token=other_sp.creds["refreshToken"])
    assert (another_sellers.status, another_sellers.json["error"]) == (400, "invalid_grant")


def test_missing_fields_are_invalid_request_and_other_grants_unsupported(sp):
    for name in ("grant_type", "refresh_token", "client_id", "client_secret"):
        answer = sp.lwa(**{name: None})
        assert (answer.status, answer.json["error"]) == (400, "invalid_request")
        assert name in answer.json["error_description"]
    assert sp.lwa(grant_type="client_credentials").json["error"] == "unsupported_grant_type"


def test_access_token_expires_on_the_sandbox_clock_and_refresh_gives_a_new_one(sp, clock):
    assert sp.get(PARTICIPATIONS).status == 200
    clock.advance(3599)
    assert sp.get(PARTICIPATIONS).status == 200
    clock.advance(1)
    expired = sp.get(PARTICIPATIONS)
    assert (expired.status, expired.json) == (403, UNAUTHORIZED)
    old = sp.token
    sp.login()
    assert sp.token != old and sp.get(PARTICIPATIONS).status == 200


def test_missing_or_unknown_token_is_403_unauthorized_with_a_request_id(sp):
    for token in (None, "Atza|IwEBforged"):
        sp.token = token
        answer = sp.get(PARTICIPATIONS)
        assert (answer.status, answer.json) == (403, UNAUTHORIZED)
        assert answer.headers["x-amzn-requestid"] and "x-amzn-ratelimit-limit" not in answer.headers


def test_revoked_refresh_token_is_invalid_grant_until_authorised_again(sp, sandbox):
    assert scenario(sandbox, "/sp-api/revoke", {"seller": 0}) == {"revoked": sp.creds["sellerId"]}
    assert sp.lwa().json["error"] == "invalid_grant"
    assert sp.get(PARTICIPATIONS).status == 200  # the access token already issued lives out its hour
    fresh = scenario(sandbox, "/sp-api/authorize", {"seller": 0})["refreshToken"]
    assert fresh != sp.creds["refreshToken"] and sp.lwa().json["error"] == "invalid_grant"
    assert sp.lwa(refresh_token=fresh).status == 200
    assert sandbox.sp_api_credentials("http://sb")["refreshToken"] == fresh


def test_reset_restores_the_seeded_refresh_token(sp, sandbox):
    sandbox.revoke_refresh_token(0)
    sandbox.reset()
    assert sp.lwa().status == 200


def test_scenario_api_refuses_bad_input(sandbox):
    response = sandbox.handle(Request("POST", "/_sandbox/sp-api/revoke", {}, b'{"seller": 5}'))
    assert response.status == 400 and b"seller" in response.body
