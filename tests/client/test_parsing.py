"""Every published MWS response in ../shared/mws-samples parses; hostile XML does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from mws_component.lib.mws.parsing import HostileXmlError, as_list, parse_xml, root, text

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "mws-samples"
FILES = sorted(SAMPLES.rglob("*.xml")) if SAMPLES.is_dir() else []


@pytest.mark.skipif(not FILES, reason=f"no samples at {SAMPLES}")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_parses_without_namespace_prefixes(path):
    name, content = root(parse_xml(path.read_bytes()))
    assert ":" not in name
    assert not any(k.startswith("@xmlns") for k in content)


def _result(filename):
    name, content = root(parse_xml((SAMPLES / filename).read_bytes()))
    return content


@pytest.mark.skipif(not FILES, reason="no samples")
def test_orders_sample_fields_read_regardless_of_element_order():
    result = _result("eolabs/fetchListOrders.xml")["ListOrdersResult"]
    orders = as_list(result["Orders"]["Order"])
    assert orders and all(text(o["AmazonOrderId"]) for o in orders)
    assert all(text(o["LastUpdateDate"]) for o in orders)


@pytest.mark.skipif(not FILES, reason="no samples")
def test_single_order_item_is_still_a_list():
    for f in ("scaleleap/orders_list_order_items.xml", "amazon-client-mocks/MarketplaceWebServiceOrders__ListOrderItemsResponse.xml"):
        items = _result(f)["ListOrderItemsResult"]["OrderItems"]["OrderItem"]
        assert isinstance(items, list) and items


@pytest.mark.skipif(not FILES, reason="no samples")
def test_error_samples_carry_code_and_request_id():
    for f in sorted(SAMPLES.rglob("*rror*.xml")):
        name, content = root(parse_xml(f.read_bytes()))
        if name != "ErrorResponse":
            continue
        err = as_list(content["Error"])[0]
        assert text(err["Code"]), f
        assert text(content.get("RequestID") or content.get("RequestId")) is not None, f


@pytest.mark.parametrize("body", [
    b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
    b'<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>',
    b"<a><b></a>",
    b"",
])
def test_hostile_xml_refused(body):
    with pytest.raises(HostileXmlError):
        parse_xml(body)


def test_text_reads_leaves_with_attributes():
    doc = parse_xml(b'<a xmlns="urn:x" xmlns:n="urn:n"><n:b currency="USD">1.00</n:b><c/></a>')
    name, content = root(doc)
    assert name == "a" and text(content["b"]) == "1.00" and content["b"]["@currency"] == "USD"
    assert content["c"] is None and as_list(None) == [] and as_list({"x": 1}) == [{"x": 1}]


def test_hostile_xml_error_lives_in_the_error_tree():
    from mws_component.lib.mws import errors
    assert HostileXmlError is errors.HostileXmlError and issubclass(HostileXmlError, errors.MwsError)


def test_element_cap_counts_elements_and_attributes():
    from mws_component.lib.mws.errors import ResponseTooLargeError
    assert parse_xml(b"<r>" + b"<a/>" * 9 + b"</r>", max_elements=10) == {"r": {"a": [None] * 9}}
    with pytest.raises(ResponseTooLargeError, match="more than 10 XML elements") as info:
        parse_xml(b"<r>" + b"<a/>" * 10 + b"</r>", max_elements=10)
    assert info.value.limit == 10
    with pytest.raises(ResponseTooLargeError):
        parse_xml(b'<r a="1" b="2" c="3" d="4" e="5" f="6" g="7" h="8" i="9" j="10"/>', max_elements=10)


def test_default_element_cap_refuses_two_million_elements_before_building_them():
    from mws_component.lib.mws.errors import ResponseTooLargeError
    from mws_component.lib.mws.parsing import MAX_ELEMENTS
    with pytest.raises(ResponseTooLargeError, match=f"more than {MAX_ELEMENTS} XML elements"):
        parse_xml(b"<r>" + b"<a/>" * 2_000_000 + b"</r>")


@pytest.mark.parametrize("body", [
    b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://example.com/p.dtd"> %p;]><a/>',
    b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd" NDATA x>]><a/>',
    b"<!DOCTYPE a><a/>",
])
def test_any_dtd_is_refused_whatever_it_declares(body):
    with pytest.raises(HostileXmlError, match="DTD or entity"):
        parse_xml(body)
