"""Signature Version 2 against published vectors (mws.md §1.4), one intermediate at a time."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mws_component.lib.mws import signing

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def test_aws_sigv2_reference_vector():
    # smarty-archives/go-aws-auth sign2_test.go (AWS general reference example)
    params = {
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "DescribeJobFlows",
        "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
        "Timestamp": "2011-10-03T15:19:30", "Version": "2009-03-31",
    }
    query = signing.canonical_query(params)
    assert query == ("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256"
                     "&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31")
    sts = signing.string_to_sign("GET", "elasticmapreduce.amazonaws.com", "/", params)
    assert sts == f"GET\nelasticmapreduce.amazonaws.com\n/\n{query}"
    signed = signing.sign("GET", "elasticmapreduce.amazonaws.com", "/", params, AWS_SECRET)
    assert signed.signature == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
    assert signing.percent_encode(signed.signature) == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf%2FMj6vPxyYIs%3D"


@pytest.mark.parametrize(("message", "expected"), [
    # bizon/mws-sdk __tests__/lib/client/sign.js snapshots (secret "secret"; path literally without a slash)
    ("POST\nmws-eu.amazonservices.com\nProducts/2011-10-01\nCool=Test%20with%20spaces",
     "JKuirYHlrTxwQYwG61ULhe+VkyngRdgokEOPSnnxieo="),
    ("POST\nmws-eu.amazonservices.com\nProducts/2011-10-01\nMethod=Example",
     "nUS2Ev6IZwnNwnVNRWz8hFjJfns5HJLsBrWlMSGwW/A="),
])
def test_mws_sdk_hmac_vectors(message, expected):
    assert signing.hmac_signature("secret", message) == expected


def test_mws_sdk_vector_canonical_query_with_spaces():
    assert signing.canonical_query({"Cool": "Test with spaces"}) == "Cool=Test%20with%20spaces"


def test_orders_list_orders_vector_step_by_step():
    params = {
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "ListOrders",
        "CreatedAfter": "2017-02-01T18:12:21Z", "MarketplaceId.Id.1": "ATVPDKIKX0DER",
        "SellerId": "A2NEXAMPLETF53", "SignatureMethod": "HmacSHA256", "SignatureVersion": "2",
        "Timestamp": "2017-02-05T18:12:21Z", "Version": "2013-09-01",
    }
    signed = signing.sign("POST", "mws.amazonservices.com", "/Orders/2013-09-01", params, AWS_SECRET)
    assert signed.canonical_query == (
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=ListOrders&CreatedAfter=2017-02-01T18%3A12%3A21Z"
        "&MarketplaceId.Id.1=ATVPDKIKX0DER&SellerId=A2NEXAMPLETF53&SignatureMethod=HmacSHA256"
        "&SignatureVersion=2&Timestamp=2017-02-05T18%3A12%3A21Z&Version=2013-09-01")
    assert signed.string_to_sign == f"POST\nmws.amazonservices.com\n/Orders/2013-09-01\n{signed.canonical_query}"
    assert signed.signature == "hohfm+dHZIPyXr115M0cSI+G3v5nmYMpfqGfH3JIKcU="


def test_products_encoding_vector():
    value = "a b+c~d*é/"
    assert signing.percent_encode(value) == "a%20b%2Bc~d%2A%C3%A9%2F"
    params = {
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "GetMatchingProductForId", "IdList.Id.1": value,
        "IdType": "SellerSKU", "MarketplaceId": "A1PA6795UKMFR9", "SellerId": "A2NEXAMPLETF53",
        "SignatureMethod": "HmacSHA256", "SignatureVersion": "2", "Timestamp": "2017-02-05T18:12:21Z",
        "Version": "2011-10-01",
    }
    signed = signing.sign("POST", "mws-eu.amazonservices.com", "/Products/2011-10-01", params, AWS_SECRET)
    assert "IdList.Id.1=a%20b%2Bc~d%2A%C3%A9%2F" in signed.canonical_query
    assert signed.signature == "MXuTRzlpxKdIPm7KZx88HcN9zXsv3C/Rs5oyeB9znG4="


def test_canonical_query_never_starts_with_ampersand_and_excludes_signature():
    params = {"AWSAccessKeyId": "k", "Markets": "m", "SignatureVersion": "2", "Signature": "zzz",
              "Timestamp": "2017-08-12T19:40:35Z", "Version": "2017-01-01", "SignatureMethod": "HmacSHA256"}
    assert signing.canonical_query(params) == (
        "AWSAccessKeyId=k&Markets=m&SignatureMethod=HmacSHA256&SignatureVersion=2"
        "&Timestamp=2017-08-12T19%3A40%3A35Z&Version=2017-01-01")


def test_byte_order_sorting_uppercase_first_and_lexical_indexes():
    params = {"MaxResultsPerPage": "1", "MWSAuthToken": "t", "MarketplaceId.Id.10": "x",
              "MarketplaceId.Id.2": "y", "Marketplace": "z"}
    names = [pair.split("=")[0] for pair in signing.canonical_query(params).split("&")]
    assert names == ["MWSAuthToken", "Marketplace", "MarketplaceId.Id.10", "MarketplaceId.Id.2", "MaxResultsPerPage"]


@pytest.mark.parametrize(("raw", "encoded"), [
    (" ", "%20"), ("+", "%2B"), ("/", "%2F"), ("=", "%3D"), ("*", "%2A"), ("~", "~"), ("-_.", "-_."),
    ("é", "%C3%A9"), ("日本", "%E6%97%A5%E6%9C%AC"), ("&", "%26"), (":", "%3A"), ("%", "%25"),
])
def test_percent_encoding_edge_cases(raw, encoded):
    assert signing.percent_encode(raw) == encoded


@given(st.text())
def test_percent_encoding_is_rfc3986_and_reversible(value):
    encoded = signing.percent_encode(value)
    assert all(c.isascii() and (c.isalnum() or c in "-_.~%") for c in encoded)
    assert all(encoded[i + 1:i + 3].upper() == encoded[i + 1:i + 3] for i, c in enumerate(encoded) if c == "%")
    assert unquote(encoded, errors="surrogatepass") == value or not value.isprintable()


def test_host_lowercase_and_non_default_port_kept():
    assert signing.canonical_host("MWS.AmazonServices.com") == "mws.amazonservices.com"
    assert signing.canonical_host("127.0.0.1", "http", 8080) == "127.0.0.1:8080"
    assert signing.canonical_host("mws.amazonservices.com", "https", 443) == "mws.amazonservices.com"
    assert signing.canonical_host("localhost", "http", 80) == "localhost"
    assert signing.string_to_sign("post", "MWS.AMAZONSERVICES.COM", "", {}) == "POST\nmws.amazonservices.com\n/\n"


def test_hmac_sha1_supported_and_unknown_method_refused():
    sha1 = signing.hmac_signature("secret", "x", "HmacSHA1")
    assert len(sha1) == 28 and sha1 != signing.hmac_signature("secret", "x")
    with pytest.raises(ValueError, match="HmacSHA256"):
        signing.hmac_signature("secret", "x", "HmacMD5")


@pytest.mark.parametrize(("body", "md5"), [
    (b"abc\tdef", "Zj+Bh1BJ8HzBb9ToK28qFQ=="),
    (b"mws", "mA5nPbh1CSx9M3dbkr3Cyg=="),
    (b"", "1B2M2Y8AsgTpgAmY7PhCfg=="),
    (b"sku\tprice\tquantity\nwidget\t\t0\n", "iUI5qlSDSrZOHRgvj4amUQ=="),
])
def test_content_md5_vectors(body, md5):
    assert signing.content_md5(body) == md5


def test_signing_module_is_pure():
    """No clock, environment, randomness or network inside: only these imports."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(signing))
    imported = {n.module if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names}
    assert imported <= {"__future__", "base64", "hashlib", "collections.abc", "dataclasses",
                        "urllib.parse", "cryptography.hazmat.primitives"}
