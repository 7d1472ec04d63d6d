"""Sellers 2011-07-01: ListMarketplaceParticipations(+ByNextToken) as recorded (mws.md §5)."""

from __future__ import annotations

from collections.abc import Sequence

from ..models.accounts import Participation
from .common import envelope, finish, opt, sub


def render_participations(action: str, namespace: str, request_id: str, seller_id: str,
                          page: Sequence[Participation], next_token: str | None) -> bytes:
    root, result = envelope(action, namespace)
    opt(result, "NextToken", next_token)
    participations = sub(result, "ListParticipations")
    for p in page:
        node = sub(participations, "Participation")
        sub(node, "MarketplaceId", p.marketplace_id)
        sub(node, "SellerId", seller_id)
        sub(node, "HasSellerSuspendedListings", "Yes" if p.suspended else "No")
    marketplaces = sub(result, "ListMarketplaces")
    for p in page:
        node = sub(marketplaces, "Marketplace")
        sub(node, "MarketplaceId", p.marketplace_id)
        sub(node, "DefaultCountryCode", p.country)
        sub(node, "DomainName", p.domain)
        sub(node, "Name", p.name)
        sub(node, "DefaultCurrencyCode", p.currency)
        sub(node, "DefaultLanguageCode", p.language)
    return finish(root, request_id)
