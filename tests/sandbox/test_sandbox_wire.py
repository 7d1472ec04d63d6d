"""Decoding and date reading: any parameters a client signs with the shared canonicalisation verify
after travelling form-encoded (``+`` for spaces, any Unicode), and one changed byte never does."""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mws_sandbox.auth import check_signature, host_variants
from mws_sandbox.errors import SignatureDoesNotMatch
from mws_sandbox.timefmt import iso_ms, iso_offset, iso_z, parse_iso
from mws_sandbox.wire import decode

from mws_component.lib.mws.signing import sign
from mws_component.lib.mws.transport import HttpRequest

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
names = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="=&+%#"),
                min_size=1, max_size=12)
values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _signed_wire(params: dict, method: str, in_query: bool):
    full = {**params, "SignatureMethod": "HmacSHA256"}
    full["Signature"] = sign(method, "127.0.0.1:9", "/Orders/2013-09-01", full, SECRET).signature
    encoded = urlencode(full, quote_via=quote_plus)
    if in_query:
        request = HttpRequest(method, f"/Orders/2013-09-01?{encoded}", {"Host": "127.0.0.1:9"})
    else:
        request = HttpRequest(method, "/Orders/2013-09-01", {"Host": "127.0.0.1:9",
                              "Content-Type": "application/x-www-form-urlencoded"}, encoded.encode())
    return decode(request)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(names, values, min_size=1, max_size=6), st.sampled_from(["POST", "GET"]), st.booleans())
def test_any_signed_parameters_verify_after_form_encoding(params, method, in_query):
    params.pop("Signature", None)
    params.pop("SignatureMethod", None)
    wire = _signed_wire(params, method, in_query or method == "GET")
    check_signature(wire, SECRET)
    name = sorted(params)[0]
    tampered = decode(HttpRequest(method, "/Orders/2013-09-01?" + urlencode({**wire.params, name: wire.params[name]
                                                                            + "x"}), {"Host": "127.0.0.1:9"}))
    with pytest.raises(SignatureDoesNotMatch):
        check_signature(tampered, SECRET)


def test_empty_values_are_signed_as_name_equals():
    wire = _signed_wire({"Action": "ListOrders", "BuyerEmail": ""}, "POST", False)
    assert wire.params["BuyerEmail"] == ""
    check_signature(wire, SECRET)


def test_host_variants():
    assert host_variants("127.0.0.1:8000") == ["127.0.0.1:8000", "127.0.0.1"]
    assert host_variants("mws.amazonservices.com") == ["mws.amazonservices.com"]


def test_absolute_url_without_host_header_uses_the_url_host():
    wire = decode(HttpRequest("POST", "http://LocalHost:5000/Sellers/2011-07-01?Action=X"))
    assert (wire.host, wire.path, wire.params) == ("localhost:5000", "/Sellers/2011-07-01", {"Action": "X"})


@pytest.mark.parametrize(("text", "epoch"), [
    ("2023-11-14T22:13:20Z", 1_700_000_000), ("2023-11-14T22:13:20.5Z", 1_700_000_000.5),
    ("2023-11-14T23:13:20+01:00", 1_700_000_000), ("2023-11-14T17:13:20-05:00", 1_700_000_000),
    ("2023-11-14T22:13:20", 1_700_000_000), ("2023-11-14", 1_699_920_000), ("2023-11-14T22:13Z", 1_699_999_980),
])
def test_parse_iso_accepts_what_clients_send(text, epoch):
    assert parse_iso(text) == epoch


@pytest.mark.parametrize("text", ["2023-11-14T22:13:20+0000", "2023-02-30T00:00:00Z", "14/11/2023", "",
                                  "2023-11-14T22%3A13%3A20Z"])
def test_parse_iso_refuses_what_amazon_refused(text):
    assert parse_iso(text) is None


def test_formats():
    assert iso_z(1_700_000_000.9) == "2023-11-14T22:13:20Z"
    assert iso_ms(1_700_000_000.25) == "2023-11-14T22:13:20.250Z"
    assert iso_offset(1_700_000_000) == "2023-11-14T22:13:20+00:00"
