"""Verification for SP-API credentials: the LWA exchange, then Sellers getMarketplaceParticipations.

Every failure becomes ``{"verified": False, "reason": ...}`` with a reason a person can act on:
``invalid_grant`` (authorise the app again), ``invalid_client`` (client id or secret wrong), a 403
(the app lacks the role, or this seller has not authorised it), the marketplace not among the
seller's (they are listed). Secrets never appear in a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mws_component.lib.mws.errors import MwsError
from mws_component.lib.mws.retry import INTERACTIVE

from .client import SpApiClient


def participations(client: SpApiClient) -> dict[str, tuple[str, bool]]:
    """The seller's marketplaces: ``{id: (name, participating)}``."""
    payload = client.call("getMarketplaceParticipations").data.get("payload")
    found: dict[str, tuple[str, bool]] = {}
    for entry in payload if isinstance(payload, list) else []:
        market = entry.get("marketplace") if isinstance(entry, dict) else None
        if isinstance(market, dict) and isinstance(market.get("id"), str):
            active = (entry.get("participation") or {}).get("isParticipating") is not False
            found[market["id"]] = (str(market.get("name") or ""), active)
    return found


def _listing(found: dict[str, tuple[str, bool]]) -> str:
    return ", ".join(f"{i} ({name})" if name else i for i, (name, _) in found.items()) or "none"


def check(client: SpApiClient) -> dict:
    client.auth.renew()  # a fresh LWA exchange alone first: its errors name the LWA fields
    found = participations(client)
    creds = client.credentials
    if creds.marketplaceId not in found:
        return {"verified": False, "reason": (
            f"seller {creds.sellerId} does not sell in marketplace {creds.marketplaceId}; choose one of the "
            f"seller's marketplaces: {_listing(found)}")}
    if not found[creds.marketplaceId][1]:
        return {"verified": False, "reason": (
            f"seller {creds.sellerId} no longer participates in marketplace {creds.marketplaceId}; choose one "
            f"where it does: {_listing({i: v for i, v in found.items() if v[1]})}")}
    return {"verified": True}


def verify(credentials: Mapping[str, object], **client_options: Any) -> dict:
    """``{"verified": True}``, or ``{"verified": False, "reason": "..."}``; ``client_options`` go to the client."""
    try:
        client = SpApiClient(credentials, **{"policy": INTERACTIVE, **client_options})
        return check(client)
    except MwsError as err:
        return {"verified": False, "reason": str(err)}
