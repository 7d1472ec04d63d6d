"""SP-API's JSON errors (``{"errors": [{"code", "message", "details"}]}``) mapped into the one error tree.

The tree is ``lib.mws.errors``: callers catch the same classes whichever API answered. SP-API adds
one leaf, ``AccessTokenExpiredError`` (a 403 whose details say the access token expired), which
the client answers by exchanging the refresh token once more and trying again. Every error carries
``x-amzn-RequestId``. Messages pass through ``scrub`` so a server echoing a secret never puts it
in an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from mws_component.lib.mws.errors import (
    AuthenticationError,
    EndpointError,
    InvalidRequestError,
    MwsError,
    ServiceError,
    ThrottledError,
    error_for,
)
from mws_component.lib.mws.transport import HttpResponse

from .request import MASK

MAX_ERROR_BYTES = 64 * 1024  # an error body longer than this is not read for its code


class AccessTokenExpiredError(AuthenticationError):
    default_hint = "the LWA access token expired; the client exchanged the refresh token again"


CODES: dict[str, type[MwsError]] = {
    "QuotaExceeded": ThrottledError,  # SP-API's 429: the per-second bucket, not MWS's hourly quota
    "TooManyRequests": ThrottledError,
    "Unauthorized": AuthenticationError,
    "Unauthenticated": AuthenticationError,
    "InvalidInput": InvalidRequestError,
    "InvalidParameterValue": InvalidRequestError,
    "NotFound": InvalidRequestError,
    "RequestEntityTooLarge": InvalidRequestError,
    "UnsupportedMediaType": InvalidRequestError,
    "InternalFailure": ServiceError,
    "InternalError": ServiceError,
    "ServiceUnavailable": ServiceError,
}

ROLE_HINT = ("Amazon denied access to {op}: the app lacks the role this operation needs ({role}), or this seller has "
             "not authorised the app in this region. In Developer Central add the role to the app, then authorise "
             "the app again in Seller Central (Develop Apps > Authorize) and use the new refresh token")
ROLES = {"searchOrders": "Inventory and Order Tracking", "getOrder": "Inventory and Order Tracking",
         "getMarketplaceParticipations": "Selling Partner Insights",
         "createRestrictedDataToken": "a restricted role such as Direct-to-Consumer Shipping",
         **dict.fromkeys(("createFeedDocument", "createFeed", "getFeed", "getFeeds", "getFeedDocument",
                          "putListingsItem", "patchListingsItem", "deleteListingsItem", "getDefinitionsProductType"),
                         "Product Listing")}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``**********`` (a hostile server may echo them)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text


def first_error(body: bytes) -> dict:
    """The first entry of ``errors`` (code, message, details), or ``{}`` when the body is not that."""
    if len(body) > MAX_ERROR_BYTES:
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    errors = data.get("errors") if isinstance(data, dict) else None
    first = errors[0] if isinstance(errors, list) and errors else {}
    return {k: str(v)[:1000] for k, v in first.items() if k in ("code", "message", "details") and v is not None} \
        if isinstance(first, dict) else {}


def expired_token(status: int, entry: dict) -> bool:
    words = f"{entry.get('message', '')} {entry.get('details', '')}".lower()
    return status == 403 and "expired" in words and "token" in words


def error_class(status: int, code: str | None) -> type[MwsError]:
    if code in CODES:
        return CODES[code]
    if status == 429:
        return ThrottledError
    if status == 404 and code is None:
        return EndpointError
    return error_for(None, status)


def error_from(operation: str, response: HttpResponse, secrets: Iterable[str] = ()) -> MwsError:
    """The error for a non-2xx answer to ``operation``, with Amazon's code, message and request id."""
    entry = first_error(response.body)
    status, code = response.status, entry.get("code")
    said = dict.fromkeys(p for p in (entry.get("message"), entry.get("details")) if p)  # details may repeat it
    text = ": ".join(said) or f"HTTP {status} from {operation}"
    cls = AccessTokenExpiredError if expired_token(status, entry) else error_class(status, code)
    hint = None
    if cls is AuthenticationError and status == 403:
        hint = ROLE_HINT.format(op=operation, role=ROLES.get(operation, "the one this operation's API needs"))
    return cls(scrub(text, secrets), code=code, http_status=status, operation=operation, hint=hint,
               request_id=response.headers.get("x-amzn-requestid"))
