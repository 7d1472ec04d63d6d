"""Marketplace id -> region -> endpoint, looked up in ``data/marketplaces.json`` and nowhere else."""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
            f"credentials field 'marketplaceId' {marketplace_id!r} is not an Amazon marketplace id; "
            f"use one of: {valid}",
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
        f"credentials field 'region' {region!r} is unknown; use one of {', '.join(table)} or a marketplace country code",
        field="region",
    )


ENDPOINT_HELP = ("use https://HOST[:PORT], e.g. https://mws.amazonservices.com (plain http only for a loopback "
                 "sandbox such as http://127.0.0.1:PORT)")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.ASCII)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint_error(url: str, problem: str) -> ConfigurationError:
    shown = repr(url) if "@" not in url and len(url) <= 100 else "(not shown)"
    return ConfigurationError(f"credentials field 'endpoint' {shown} {problem}; {ENDPOINT_HELP}", field="endpoint")


def _split_scheme(url: str) -> tuple[str, str]:
    if "://" in url:
        scheme, rest = url.split("://", 1)
        if scheme.lower() not in ("https", "http"):
            raise _endpoint_error(url, f"has scheme {scheme!r}; only https (or http for loopback) is accepted")
        return scheme.lower(), rest
    if re.match(r"https?:", url, re.IGNORECASE | re.ASCII):
        raise _endpoint_error(url, "lacks '//' after the scheme")
    return "https", url


def _host_port(url: str, rest: str) -> tuple[str, int | None]:
    if any(c in rest for c in "@?#") or "/" in rest.rstrip("/") or rest.endswith("//"):
        raise _endpoint_error(url, "must be only a scheme, a host and a port, with no path, query or user name")
    rest = rest.rstrip("/")
    if rest.startswith("[") or rest.count(":") > 1:
        raise _endpoint_error(url, "is an IPv6 address, which is not supported (give a host name or an IPv4 "
                                   "address: localhost or 127.0.0.1 for a sandbox)")
    host, colon, port = rest.partition(":")
    host = host.lower()
    if not host:
        raise _endpoint_error(url, "has no host")
    labels = host.split(".")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise _endpoint_error(url, f"has an invalid host {host!r}")
    if all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise _endpoint_error(url, f"has an invalid IPv4 address {host!r}") from None
    if not colon:
        return host, None
    if not re.fullmatch(r"[0-9]{1,5}", port, re.ASCII) or not 1 <= int(port) <= 65535:
        raise _endpoint_error(url, f"has port {port!r}; a port is a number from 1 to 65535")
    return host, int(port)


def parse_endpoint(url: str) -> Endpoint:
    """``[https://]HOST[:PORT][/]``: https, except plain http for loopback addresses (the sandbox).

    Refused, naming the ``endpoint`` field: other schemes, a path, query or user name, IPv6 literals
    (the signed Host would need brackets), invalid host names and ports outside 1-65535.
    """
    if not isinstance(url, str):
        raise ConfigurationError(f"credentials field 'endpoint' must be text; {ENDPOINT_HELP}", field="endpoint")
    url = url.strip()
    if not url.isascii() or not url.isprintable() or " " in url:
        raise _endpoint_error(url, "contains spaces, control or non-ASCII characters")
    scheme, rest = _split_scheme(url)
    host, port = _host_port(url, rest)
    if scheme == "http" and not _is_loopback(host):
        raise _endpoint_error(url, "must use https (plain http is allowed only for loopback sandboxes)")
    return Endpoint(scheme, host, port)


def resolve_endpoint(marketplace_id: str, region: str | None = None, endpoint: str | None = None) -> Endpoint:
    """Explicit ``endpoint`` wins, then ``region``, then the marketplace's own region (each is checked)."""
    host = region_host(region) if region else None
    if endpoint:
        return parse_endpoint(endpoint)
    if host:
        return Endpoint("https", host)
    return Endpoint("https", region_host(marketplace(marketplace_id).region))
