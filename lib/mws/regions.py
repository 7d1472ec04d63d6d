"""Marketplace id -> region -> endpoint, looked up in ``data/marketplaces.json`` and nowhere else."""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigurationError

_DATA = Path(__file__).with_name("data") / "marketplaces.json"


@dataclass(frozen=True)
class Marketplace:
    id: str
    country: str
    name: str
    domain: str
    region: str
    currency: str
    language: str


@dataclass(frozen=True)
class Endpoint:
    """Where requests go: ``scheme://host[:port]`` (the signed host includes a non-default port)."""

    scheme: str
    host: str
    port: int | None = None

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}" + (f":{self.port}" if self.port else "")


@cache
def _table() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@cache
def marketplaces() -> dict[str, Marketplace]:
    """Every known marketplace by id, in table order."""
    return {m["id"]: Marketplace(**m) for m in _table()["marketplaces"]}


def regions() -> dict[str, dict]:
    return dict(_table()["regions"])


def marketplace(marketplace_id: str) -> Marketplace:
    """The marketplace for ``marketplace_id``, or an error that lists the valid ones."""
    try:
        return marketplaces()[marketplace_id]
    except KeyError:
        valid = ", ".join(f"{m.id} ({m.country})" for m in marketplaces().values())
        raise ConfigurationError(
            f"marketplaceId {marketplace_id!r} is not an Amazon marketplace id; use one of: {valid}",
            field="marketplaceId",
        ) from None


def region_host(region: str) -> str:
    """Endpoint host for a region key (``EU``) or a marketplace country code (``DE``)."""
    key = region.upper()
    table = regions()
    if key in table:
        return table[key]["host"]
    by_country = {m.country: m.region for m in marketplaces().values()} | {"UK": "EU"}
    if key in by_country:
        return table[by_country[key]]["host"]
    raise ConfigurationError(
        f"region {region!r} is unknown; use one of {', '.join(table)} or a marketplace country code",
        field="region",
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_endpoint(url: str) -> Endpoint:
    """A custom endpoint must be https, except loopback addresses (the sandbox)."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").lower()
    if not host:
        raise ConfigurationError(f"endpoint {url!r} has no host; use e.g. https://mws.amazonservices.com",
                                 field="endpoint")
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not _is_loopback(host)):
        raise ConfigurationError(
            f"endpoint {url!r} must use https (plain http is allowed only for loopback sandboxes)",
            field="endpoint",
        )
    return Endpoint(parts.scheme, host, parts.port)


def resolve_endpoint(marketplace_id: str, region: str | None = None, endpoint: str | None = None) -> Endpoint:
    """Explicit ``endpoint`` wins, then ``region``, then the marketplace's own region."""
    if endpoint:
        return parse_endpoint(endpoint)
    if region:
        return Endpoint("https", region_host(region))
    return Endpoint("https", region_host(marketplace(marketplace_id).region))
