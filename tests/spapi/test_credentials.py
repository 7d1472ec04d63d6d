"""SP-API credentials: each mistake is refused before any request, naming the field and the fix."""

from __future__ import annotations

import pytest

from mws_component.lib.connection import api_of
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.spapi.credentials import load_sp_api_credentials
from mws_component.lib.spapi.regions import region_of

from .fakes import CLIENT_SECRET, CREDS, REFRESH_TOKEN

AMAZON = {k: v for k, v in CREDS.items() if k not in ("endpoint", "lwaEndpoint")}


@pytest.mark.parametrize(("field", "value", "words"), [
    ("sellerId", "", "is required"),
    ("lwaClientId", None, "is required"),
    ("lwaClientSecret", "  ", "is required"),
    ("refreshToken", "Atzr|has space", "printable ASCII"),
    ("refreshToken", 12, "must be text"),
    ("marketplaceId", "NOTAMARKET", "not an Amazon marketplace id"),
    ("marketplaceId", "AAHKV2X7AFYLW", "not served by the Selling Partner API"),
    ("region", "us", "use one of na, eu, fe"),
    ("endpoint", "ftp://example.com", "only https"),
    ("endpoint", "http://example.com", "must use https"),
    ("lwaEndpoint", "https://api.amazon.com", "needs a path"),
    ("lwaEndpoint", "http://example.com/auth/o2/token", "must use https"),
])
def test_each_mistake_names_its_field(field, value, words):
    with pytest.raises(ConfigurationError) as caught:
        load_sp_api_credentials({**AMAZON, field: value})
    assert caught.value.field == field
    assert f"'{field}'" in str(caught.value) and words in str(caught.value)


def test_fix_says_where_to_find_the_value():
    with pytest.raises(ConfigurationError, match="Develop Apps > Authorize"):
        load_sp_api_credentials({**AMAZON, "refreshToken": ""})


@pytest.mark.parametrize(("marketplace", "region", "host"), [
    ("ATVPDKIKX0DER", "na", "sellingpartnerapi-na.amazon.com"),
    ("A2Q3Y263D00KWC", "na", "sellingpartnerapi-na.amazon.com"),
    ("A1PA6795UKMFR9", "eu", "sellingpartnerapi-eu.amazon.com"),
    ("A21TJRUUN4KGV", "eu", "sellingpartnerapi-eu.amazon.com"),
    ("A1VC38T7YXB528", "fe", "sellingpartnerapi-fe.amazon.com"),
    ("A39IBJ37TRP1C6", "fe", "sellingpartnerapi-fe.amazon.com"),
])
def test_region_follows_the_marketplace(marketplace, region, host):
    creds = load_sp_api_credentials({**AMAZON, "marketplaceId": marketplace})
    assert region_of(marketplace) == region
    assert creds.resolved_endpoint.base_url == f"https://{host}"
    assert creds.token_url == "https://api.amazon.com/auth/o2/token"


def test_explicit_region_then_endpoint_win():
    assert load_sp_api_credentials({**AMAZON, "region": "EU"}).resolved_endpoint.host == "sellingpartnerapi-eu.amazon.com"
    creds = load_sp_api_credentials(CREDS)
    assert creds.resolved_endpoint.base_url == "http://127.0.0.1:8999"
    assert creds.token_url == "http://127.0.0.1:8999/auth/o2/token"


def test_secrets_never_show():
    creds = load_sp_api_credentials(CREDS)
    shown = repr(creds) + str(creds) + creds.model_dump_json()
    assert CLIENT_SECRET not in shown and REFRESH_TOKEN not in shown


def test_api_field_picks_the_api():
    assert api_of({"api": "sp-api"}) == api_of({"api": " SP-API "}) == "sp-api"
    assert api_of({}) == api_of({"api": ""}) == api_of({"api": "mws"}) == "mws"
    with pytest.raises(ConfigurationError, match="'api' must be mws or sp-api"):
        api_of({"api": 1})
