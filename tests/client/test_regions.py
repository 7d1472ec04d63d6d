"""Marketplace -> region -> endpoint, custom endpoints, and credential validation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mws_component.lib.mws.credentials import load_credentials
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.regions import marketplaces, parse_endpoint, resolve_endpoint

BASE = {"sellerId": "S", "accessKeyId": "AKIA", "secretKey": "s3cr3t", "marketplaceId": "ATVPDKIKX0DER"}


@pytest.mark.parametrize(("marketplace", "host"), [
    ("ATVPDKIKX0DER", "mws.amazonservices.com"),
    ("A2EUQ1WTGCTBG2", "mws.amazonservices.ca"),
    ("A1PA6795UKMFR9", "mws-eu.amazonservices.com"),
    ("A1F83G8C2ARO7P", "mws-eu.amazonservices.com"),
    ("A21TJRUUN4KGV", "mws.amazonservices.in"),
    ("A1VC38T7YXB528", "mws.amazonservices.jp"),
    ("A39IBJ37TRP1C6", "mws.amazonservices.com.au"),
    ("A19VAU5U5O7RUS", "mws-fe.amazonservices.com"),
    ("A2VIGQ35RCS4UG", "mws.amazonservices.ae"),
])
def test_marketplace_decides_the_host(marketplace, host):
    assert resolve_endpoint(marketplace).host == host


def test_every_marketplace_of_the_reference_is_in_the_table():
    assert len(marketplaces()) == 22
    assert all(re.fullmatch(r"A[0-9A-Z]{8,13}", m) for m in marketplaces())


def test_region_and_endpoint_override():
    assert resolve_endpoint("ATVPDKIKX0DER", region="EU").host == "mws-eu.amazonservices.com"
    assert resolve_endpoint("ATVPDKIKX0DER", region="uk").host == "mws-eu.amazonservices.com"
    ep = resolve_endpoint("ATVPDKIKX0DER", endpoint="http://127.0.0.1:8123")
    assert (ep.scheme, ep.host, ep.port, ep.base_url) == ("http", "127.0.0.1", 8123, "http://127.0.0.1:8123")


@pytest.mark.parametrize("url", ["http://mws.example.com", "ftp://x", "http://10.0.0.1:80", "https://"])
def test_custom_endpoint_must_be_https_unless_loopback(url):
    with pytest.raises(ConfigurationError) as info:
        parse_endpoint(url)
    assert info.value.field == "endpoint"


def test_unknown_marketplace_lists_the_valid_ones():
    with pytest.raises(ConfigurationError) as info:
        load_credentials({**BASE, "marketplaceId": "NOPE"})
    assert "ATVPDKIKX0DER (US)" in str(info.value) and info.value.field == "marketplaceId"


@pytest.mark.parametrize("missing", ["sellerId", "accessKeyId", "secretKey", "marketplaceId"])
def test_missing_credential_field_is_named(missing):
    data = {k: v for k, v in BASE.items() if k != missing}
    with pytest.raises(ConfigurationError, match=f"'{missing}' is required") as info:
        load_credentials(data)
    assert info.value.field == missing


def test_blank_optional_fields_are_none_and_secrets_are_masked():
    creds = load_credentials({**BASE, "mwsAuthToken": " ", "region": "", "endpoint": ""})
    assert creds.mwsAuthToken is None and creds.region is None
    token = load_credentials({**BASE, "mwsAuthToken": "amzn.mws.secret-token"})
    dumped = token.model_dump_json() + repr(token) + str(token)
    assert "s3cr3t" not in dumped and "secret-token" not in dumped
    assert json.loads(token.model_dump_json())["secretKey"] == "**********"


def test_the_table_is_the_only_place_marketplace_ids_live():
    root = Path(__file__).resolve().parents[2]
    ids = set(marketplaces())
    offenders = []
    for path in list((root / "lib").rglob("*.py")) + [root / "verifyCredentials.py"]:
        found = ids & set(re.findall(r"\bA[0-9A-Z]{8,13}\b", path.read_text(encoding="utf-8")))
        if found:
            offenders.append(f"{path.relative_to(root)}: {sorted(found)}")
    assert offenders == []
