"""Reading SP-API JSON request bodies, and the checks several listings operations share."""

from __future__ import annotations

import json

from .call import SpCall
from .errors import InvalidInput


def json_object(call: SpCall, what: str) -> dict:
    """The body as a JSON object, or 400 InvalidInput saying what it should hold."""
    try:
        data = json.loads(call.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("Invalid input", details=f"The body must be a JSON object with {what}.")
    return data


def marketplaces(call: SpCall, ids: object, name: str = "marketplaceIds", most: int = 25) -> tuple[str, ...]:
    """Marketplace ids the seller takes part in; anything else is 400 naming the seller's own."""
    own = {p.marketplace_id for p in call.seller.participations}
    if not isinstance(ids, (list, tuple)) or not 1 <= len(ids) <= most or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("Invalid input", details=f"{name} must list 1 to {most} marketplace ids.")
    unknown = [i for i in ids if i not in own]
    if unknown:
        raise InvalidInput("Invalid input", details=f"The seller does not sell in {', '.join(unknown)}; "
                           f"{name} may name {', '.join(sorted(own))}.")
    return tuple(ids)
