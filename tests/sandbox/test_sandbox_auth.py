"""Signature Version 2, credentials and the common request rules, driven with hand-signed requests."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from mws_sandbox.auth import check_signature
from mws_sandbox.timefmt import iso_z
from mws_sandbox.wire import WireRequest

from mws_component.lib.mws.signing import sign
from mws_component.lib.mws.transport import HttpRequest

from .conftest import FEEDS, ORDERS, SELLERS, US

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def participations(raw, **kw):
    return raw.call(SELLERS, "ListMarketplaceParticipations", **kw)


def test_published_orders_vector_is_accepted_by_the_server_check():
    """mws.md §1.4 (c): Amazon's own example signature must pass the sandbox's check unchanged."""
    params = {"AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "ListOrders", "CreatedAfter": "2017-02-01T18:12:21Z",
              "MarketplaceId.Id.1": "ATVPDKIKX0DER", "SellerId": "A2NEXAMPLETF53", "SignatureMethod": "HmacSHA256",
              "SignatureVersion": "2", "Timestamp": "2017-02-05T18:12:21Z", "Version": "2013-09-01",
              "Signature": "hohfm+dHZIPyXr115M0cSI+G3v5nmYMpfqGfH3JIKcU="}
    wire = WireRequest("POST", "mws.amazonservices.com", "/Orders/2013-09-01", params, {})
    check_signature(wire, AWS_SECRET)
    tampered = WireRequest("POST", "mws.amazonservices.com", "/Orders/2013-09-01",
                           {**params, "CreatedAfter": "2017-02-01T18:12:22Z"}, {})
    with pytest.raises(Exception, match="signature"):
        check_signature(tampered, AWS_SECRET)


@pytest.mark.parametrize("method", ["HmacSHA256", "HmacSHA1"])
def test_both_signature_methods_are_accepted(raw, method):
    assert participations(raw, SignatureMethod=method).status == 200


def test_params_in_query_string_and_in_form_body_both_verify(raw):
    assert participations(raw, in_query=True).status == 200
    assert participations(raw).status == 200
    assert participations(raw, method="GET").status == 200


def test_host_is_signed_with_or_without_its_port(raw):
    assert participations(raw, sign_host="127.0.0.1:8000").status == 200
    assert participations(raw, sign_host="127.0.0.1").status == 200
    wrong = participations(raw, sign_host="mws.amazonservices.com")
    assert (wrong.status, wrong.code) == (403, "SignatureDoesNotMatch")


def test_wrong_secret_is_signature_does_not_match_and_leaks_nothing(raw, creds):
    resp = participations(raw, secret="not-the-secret")
    assert (resp.status, resp.code) == (403, "SignatureDoesNotMatch")
    assert resp.message.startswith("The request signature we calculated does not match")
    assert creds["secretKey"].encode() not in resp.body
    assert resp.headers["x-mws-request-id"] == resp.xml.findtext("RequestID")


def test_signature_over_other_parameters_does_not_match(raw, creds, clock):
    values = {**raw.common(SELLERS, "ListMarketplaceParticipations")}
    values["Signature"] = sign("POST", raw.host, SELLERS, values, creds["secretKey"]).signature
    values["Timestamp"] = iso_z(clock.now() + 1)  # changed after signing
    resp = raw.send_signed(SELLERS, values)
    assert resp.code == "SignatureDoesNotMatch"


def test_verb_is_part_of_the_signature(raw, creds):
    values = raw.common(SELLERS, "ListMarketplaceParticipations")
    values["Signature"] = sign("GET", raw.host, SELLERS, values, creds["secretKey"]).signature
    assert raw.send_signed(SELLERS, values, method="POST").code == "SignatureDoesNotMatch"


def test_unicode_and_reserved_characters_canonicalise_like_the_client(raw):
    resp = raw.call(ORDERS, "ListOrders", {"CreatedAfter": "2023-10-01T00:00:00Z", "MarketplaceId.Id.1": US,
                                           "BuyerEmail": "zoë+test a*b~c/é@example.com"})
    assert resp.status == 200, resp.body


def test_unknown_access_key(raw):
    resp = participations(raw, AWSAccessKeyId="AKIAUNKNOWNUNKNOWN00")
    assert (resp.status, resp.code) == (403, "InvalidAccessKeyId")


def test_seller_not_authorised_is_access_denied(raw):
    resp = participations(raw, SellerId="A1NOTASELLER0000")
    assert (resp.status, resp.code) == (401, "AccessDenied")


def test_wrong_or_missing_auth_token_is_access_denied(raw, other_raw):
    assert participations(raw, MWSAuthToken=other_raw.creds["mwsAuthToken"]).code == "AccessDenied"
    resp = participations(raw, drop=("MWSAuthToken",))
    assert (resp.status, resp.code) == (401, "AccessDenied")


def test_feeds_accept_merchant_as_the_seller_parameter(raw):
    resp = raw.call(FEEDS, "GetFeedSubmissionCount", seller_param="Merchant")
    assert resp.status == 200
    assert resp.text("GetFeedSubmissionCountResult/Count") == "0"


@pytest.mark.parametrize("skew", [-901, 901])
def test_timestamp_more_than_15_minutes_off_is_request_expired(raw, clock, skew):
    resp = participations(raw, Timestamp=iso_z(clock.now() + skew))
    assert (resp.status, resp.code) == (400, "RequestExpired")


@pytest.mark.parametrize("skew", [-899, 899])
def test_timestamp_within_15_minutes_passes(raw, clock, skew):
    assert participations(raw, Timestamp=iso_z(clock.now() + skew)).status == 200


@pytest.mark.parametrize("stamp", ["2023-11-14T22:13:20.000Z", "2023-11-14T22:13:20+00:00", "2023-11-14T22:13:20",
                                   "2023-11-14T23:13:20+01:00"])
def test_timestamp_formats_clients_send_are_accepted(raw, stamp):
    assert participations(raw, Timestamp=stamp).status == 200


@pytest.mark.parametrize("stamp", ["2023-11-14T22:13:20+0000", "2023-11-14T22%3A13%3A20", "yesterday"])
def test_malformed_timestamp_is_invalid_parameter_value(raw, stamp):
    resp = participations(raw, Timestamp=stamp)
    assert (resp.status, resp.code) == (400, "InvalidParameterValue")
    assert "ISO8601" in resp.message


def test_expires_instead_of_timestamp(raw, clock):
    ok = participations(raw, drop=("Timestamp",), Expires=iso_z(clock.now() + 60))
    late = participations(raw, drop=("Timestamp",), Expires=iso_z(clock.now() - 60))
    assert ok.status == 200
    assert late.code == "RequestExpired"


@pytest.mark.parametrize("name", ["AWSAccessKeyId", "SignatureVersion", "SignatureMethod", "Timestamp"])
def test_missing_common_parameter_is_invalid_parameter_value(raw, name):
    resp = participations(raw, drop=(name,))
    assert (resp.status, resp.code) == (400, "InvalidParameterValue")
    assert name in resp.message


def test_missing_signature(raw, creds):
    resp = raw.send_signed(SELLERS, raw.common(SELLERS, "ListMarketplaceParticipations"))
    assert (resp.status, resp.code) == (400, "InvalidParameterValue")


def test_unsupported_signature_version_and_method(raw, creds):
    assert participations(raw, SignatureVersion="1").code == "InvalidParameterValue"
    values = raw.common(SELLERS, "ListMarketplaceParticipations")
    values["Signature"] = sign("POST", raw.host, SELLERS, values, creds["secretKey"]).signature
    resp = raw.send_signed(SELLERS, {**values, "SignatureMethod": "HmacMD5"})
    assert resp.code == "InvalidParameterValue" and "HmacSHA256" in resp.message


def test_raw_unencoded_signature_is_refused_like_amazon(raw, creds):
    values = raw.common(SELLERS, "ListMarketplaceParticipations")
    signature = sign("POST", raw.host, SELLERS, values, creds["secretKey"]).signature
    query = urlencode(values) + "&Signature=" + signature  # '=' padding left unencoded
    resp = raw.send(HttpRequest("POST", f"{SELLERS}?{query}", {"Host": raw.host, "User-Agent": "t/1"}, b""))
    assert (resp.status, b"InvalidParameterValue" in resp.body) == (400, True)
    assert b"may not contain a '=' delimiter" in resp.body


def test_missing_action(raw):
    resp = raw.call(SELLERS, None)
    assert (resp.status, resp.code) == (400, "InvalidParameterValue")
    assert resp.message == "Either Action or Operation query parameter must be present."


def test_unknown_action_and_unknown_path_are_invalid_address(raw):
    resp = raw.call(ORDERS, "ListOrderz")
    assert (resp.status, resp.code) == (404, "InvalidAddress")
    assert resp.xml.get("xmlns") is None and b'xmlns="https://mws.amazonservices.com/Orders/2013-09-01"' in resp.body
    lost = raw.call("/", "ListOrders")
    assert (lost.status, lost.code) == (404, "InvalidAddress")


def test_feeds_may_be_posted_to_the_root_path(raw):
    resp = raw.call("/", "GetFeedSubmissionCount", seller_param="Merchant")
    assert resp.status == 200
    assert b'xmlns="http://mws.amazonaws.com/doc/2009-01-01/"' in resp.body


def test_wrong_version_for_the_section(raw):
    resp = raw.call(ORDERS, "GetServiceStatus", Version="2011-01-01")
    assert (resp.status, resp.code) == (400, "InvalidParameterValue")
    assert "2013-09-01" in resp.message


def test_conflicting_duplicate_parameter_is_refused(raw, creds):
    values = raw.common(SELLERS, "ListMarketplaceParticipations")
    values["Signature"] = sign("POST", raw.host, SELLERS, values, creds["secretKey"]).signature
    body = urlencode(values) + "&Action=GetServiceStatus"
    resp = raw.send(HttpRequest("POST", SELLERS, {"Host": raw.host,
                                                  "Content-Type": "application/x-www-form-urlencoded"}, body.encode()))
    assert resp.status == 400 and b"more than once" in resp.body


def test_every_response_carries_request_id_and_timestamp(raw):
    for resp in (participations(raw), participations(raw, secret="x"), raw.call(ORDERS, "Nope")):
        assert len(resp.headers["x-mws-request-id"]) == 36
        assert resp.headers["x-mws-timestamp"] == "2023-11-14T22:13:20.000Z"
        assert resp.headers["content-type"].startswith("text/xml")


def test_ping_answers_get_root_with_server_time(raw):
    resp = raw.send(HttpRequest("GET", "/", {"Host": raw.host}))
    assert resp.status == 200
    assert b'<PingResponse><Timestamp timestamp="2023-11-14T22:13:20.000Z" /></PingResponse>' in resp.body


def test_signed_path_is_percent_encoded_like_the_client(raw, creds):
    # A client that signs the encoded path and sends it encoded must pass.
    path = "/Orders/2013-09-01"
    values = raw.common(path, "GetServiceStatus")
    values["Signature"] = sign("POST", raw.host, path, values, creds["secretKey"]).signature
    request = HttpRequest("POST", quote(path), {"Host": raw.host, "User-Agent": "t/1",
                                                "Content-Type": "application/x-www-form-urlencoded"},
                          urlencode(values).encode())
    assert raw.send(request).status == 200


@pytest.mark.parametrize("agent", [None, "", "curl"])
def test_user_agent_is_required_as_app_slash_version(raw, agent):
    headers = {} if agent is None else {"User-Agent": agent}
    request = raw.request(SELLERS, "ListMarketplaceParticipations")
    request = HttpRequest(request.method, request.url, {**{k: v for k, v in request.headers.items()
                                                           if k != "User-Agent"}, **headers}, request.body)
    resp = raw.send(request)
    assert (resp.status, b"UserAgentHeaderMalformed" in resp.body) == (400, True)


def test_common_user_agents_pass(raw):
    for agent in ("python-amazon-mws/0.8.15 (Language=Python)", "python-requests/2.31.0",
                  "mws-component/0.1.0 (Language=Python; Platform=elastic.io)"):
        assert participations(raw, headers={"User-Agent": agent}).status == 200
