"""SP-API region -> host, marketplace -> region, and the LWA token URL, read from ``data/endpoints.json``.

Marketplace ids are not repeated here: ``lib/mws/data/marketplaces.json`` is the one table of them,
and ``mwsRegions`` folds its regions into SP-API's three (na, eu, fe).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.regions import ENDPOINT_HELP, Endpoint, marketplace, marketplaces, parse_endpoint

_DATA = Path(__file__).with_name("data") / "endpoints.json"
SP_ENDPOINT_HELP = ("use https://HOST[:PORT], e.g. https://sellingpartnerapi-eu.amazon.com (plain http only for a "
                    "loopback emulator such as http://127.0.0.1:PORT), or leave it empty to follow the region")
LWA_HELP = ("use the full token URL, e.g. https://api.amazon.com/auth/o2/token (plain http only for a loopback "
            "emulator such as http://127.0.0.1:PORT/auth/o2/token), or leave it empty for Amazon's")


@cache
def _table() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


def regions() -> dict[str, dict]:
    return dict(_table()["regions"])


def lwa_token_url() -> str:
    return _table()["lwaTokenUrl"]


def region_of(marketplace_id: str) -> str:
    """The SP-API region (na, eu, fe) serving a marketplace; unknown ids list the valid ones."""
    mws_region = marketplace(marketplace_id).region
    region = _table()["mwsRegions"].get(mws_region)
    if region is None:
        served = ", ".join(f"{m.id} ({m.country})" for m in marketplaces().values()
                           if m.region in _table()["mwsRegions"])
        raise ConfigurationError(f"credentials field 'marketplaceId' {marketplace_id!r} is not served by the "
                                 f"Selling Partner API; use one of: {served}", field="marketplaceId")
    return region


def check_region(region: str) -> str:
    """``na``/``eu``/``fe``; an MWS region name (the credential form offers those) folds into its SP-API region."""
    key = region.strip().lower()
    key = key if key in regions() else _table()["mwsRegions"].get(region.strip().upper(), key)
    if key not in regions():
        raise ConfigurationError(f"credentials field 'region' {region!r} is unknown; use one of "
                                 f"{', '.join(regions())}, or leave it empty to follow the marketplace",
                                 field="region")
    return key


def endpoint_for(marketplace_id: str, region: str | None = None, endpoint: str | None = None) -> Endpoint:
    """Explicit ``endpoint`` wins, then ``region``, then the marketplace's region (each one checked)."""
    key = check_region(region) if region else None
    if endpoint:
        try:
            return parse_endpoint(endpoint)
        except ConfigurationError as err:  # the generic check, with SP-API's example in the fix
            raise ConfigurationError(err.message.replace(ENDPOINT_HELP, SP_ENDPOINT_HELP), field="endpoint") from None
    return Endpoint("https", regions()[key or region_of(marketplace_id)]["host"])


def token_url(url: str | None) -> str:
    """The LWA token URL: Amazon's, or an explicit https URL with a path (http only on loopback)."""
    if not url:
        return lwa_token_url()
    parts = urlsplit(url.strip())
    path = parts.path if parts.path not in ("", "/") else ""
    if not path or parts.query or parts.fragment:
        raise ConfigurationError(f"credentials field 'lwaEndpoint' needs a path and no query; {LWA_HELP}",
                                 field="lwaEndpoint")
    try:
        origin = parse_endpoint(f"{parts.scheme}://{parts.netloc}" if parts.scheme else url)
    except ConfigurationError as err:
        raise ConfigurationError(err.message.replace("'endpoint'", "'lwaEndpoint'").replace(ENDPOINT_HELP, LWA_HELP),
                                 field="lwaEndpoint") from None
    return origin.base_url + path
