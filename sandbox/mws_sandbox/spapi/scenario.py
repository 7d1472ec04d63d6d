"""SP-API's part of the scenario API (``/_sandbox/sp-api/...``): what a seller does in Seller Central.

Revoking the app's authorisation kills its refresh token (LWA then answers invalid_grant);
authorising again issues a new one; the restricted role decides whether restricted data tokens
(and so buyer and address data) can be had. ``seller`` is the index of the world's seller (0: the
one with orders). ``/sp-api/feeds`` lists every SP-API feed and ``/sp-api/product-types`` the product
types defined (with the categories they cover). ``mws_sandbox.scenario`` merges these endpoints into its table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .plans import USAGE_PLANS
from .producttypes import product_types
from .render_listings import feed_json

if TYPE_CHECKING:
    from ..app import Sandbox


def _seller(data: dict) -> int:
    seller = data.get("seller", 0)
    if isinstance(seller, bool) or seller not in (0, 1):
        raise ValueError("'seller' must be 0 (the seller with orders) or 1 (the pan-European one), e.g. {\"seller\": 0}")
    return seller


def _granted(data: dict) -> bool:
    granted = data.get("granted")
    if not isinstance(granted, bool):
        raise ValueError("'granted' must be true or false, e.g. {\"seller\": 0, \"granted\": false}")
    return granted


def _feeds(sb: Sandbox, data: dict) -> list[dict]:
    """Every SP-API feed as it stands now, for users and tests (the Feeds API shows one seller's)."""
    sb.catalogue()  # moves feeds on to the current sandbox time
    now = sb.clock.now()
    return [{**feed_json(f, now), "sellerId": f.seller_id} for f in sb.sp_feeds.feeds.values()]


def _product_types(sb: Sandbox, data: dict) -> dict:
    return {pt.name: {"displayName": pt.display_name, "categories": list(pt.categories), "version": pt.version}
            for pt in product_types().values()}


def _plans(sb: Sandbox, data: dict) -> dict:
    return {name: {"rate": plan.rate, "burst": plan.burst} for name, plan in USAGE_PLANS.items()}


ENDPOINTS: dict[tuple[str, str], Callable[[Sandbox, dict], Any]] = {
    ("POST", "/sp-api/revoke"): lambda sb, d: {"revoked": sb.revoke_refresh_token(_seller(d))},
    ("POST", "/sp-api/authorize"): lambda sb, d: {"refreshToken": sb.authorize_app(_seller(d))},
    ("POST", "/sp-api/restricted-role"):
        lambda sb, d: {"restrictedRole": sb.set_restricted_role(_seller(d), _granted(d))},
    ("GET", "/sp-api/usage-plans"): _plans,
    ("GET", "/sp-api/feeds"): _feeds,
    ("GET", "/sp-api/product-types"): _product_types,
}
