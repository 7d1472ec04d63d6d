"""Credential check the platform runs when a seller connects their Amazon account.

MWS credentials: Sellers ``ListMarketplaceParticipations`` (every page). SP-API credentials
(``api: sp-api``): the LWA exchange, then Sellers ``getMarketplaceParticipations``
(``lib.spapi.verify``). Either way the configured marketplace must be one the seller sells in. Every
failure becomes ``{"verified": False, "reason": ...}`` with a reason a person can act on; secrets
never appear in it.
"""

from __future__ import annotations

from collections.abc import Mapping

from mws_component.lib.connection import connect
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import MwsError
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.mws.retry import INTERACTIVE
from mws_component.lib.spapi import verify as spapi_verify


def participations(client: MwsClient) -> dict[str, str]:
    """The seller's marketplaces as ``{marketplace id: name}`` (every page of the listing)."""
    names: dict[str, str] = {}
    ids: list[str] = []
    for page in client.pages("ListMarketplaceParticipations"):
        for p in as_list((page.result.get("ListParticipations") or {}).get("Participation")):
            ids.append(text(p.get("MarketplaceId")))
        for m in as_list((page.result.get("ListMarketplaces") or {}).get("Marketplace")):
            names[text(m.get("MarketplaceId"))] = text(m.get("Name")) or ""
    return {i: names.get(i, "") for i in ids}


def verify(credentials: Mapping[str, object]) -> dict:
    """``{"verified": True}``, or ``{"verified": False, "reason": "..."}``."""
    try:
        client = connect(credentials, policy=INTERACTIVE)
        if not isinstance(client, MwsClient):
            return spapi_verify.check(client)
        found = participations(client)
    except MwsError as err:
        return {"verified": False, "reason": str(err)}
    creds = client.credentials
    if creds.marketplaceId in found:
        return {"verified": True}
    listing = ", ".join(f"{i} ({n})" if n else i for i, n in found.items()) or "none"
    return {
        "verified": False,
        "reason": (f"seller {creds.sellerId} does not sell in marketplace {creds.marketplaceId}; "
                   f"choose one of the seller's marketplaces: {listing}"),
    }
