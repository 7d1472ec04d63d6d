"""SP-API and LWA wire format apart from orders: errors, tokens and marketplace participations."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..models.accounts import Participation
from .errors import LwaError, SpApiError
from .identity import Grant

JSON_TYPE = "application/json"


def to_bytes(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_body(error: SpApiError) -> dict:
    """Amazon's error list; ``details`` is always present, empty when there is nothing to add."""
    return {"errors": [{"code": error.code, "message": error.message, "details": error.details}]}


def lwa_error_body(error: LwaError) -> dict:
    return {"error": error.error, "error_description": error.description}


def lwa_token_body(grant: Grant, refresh_token: str, now: float) -> dict:
    return {"access_token": grant.token, "refresh_token": refresh_token, "token_type": "bearer",
            "expires_in": round(grant.expires - now)}


def restricted_token_body(grant: Grant, now: float) -> dict:
    return {"restrictedDataToken": grant.token, "expiresIn": round(grant.expires - now)}


def participations_body(participations: Iterable[Participation], store_name: str) -> dict:
    return {"payload": [
        {"marketplace": {"id": p.marketplace_id, "countryCode": p.country, "name": p.name,
                         "defaultCurrencyCode": p.currency, "defaultLanguageCode": p.language,
                         "domainName": p.domain},
         "storeName": store_name,
         "participation": {"isParticipating": True, "hasSuspendedListings": p.suspended}}
        for p in participations]}
