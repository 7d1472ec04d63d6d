"""Who may call: one developer key pair and the sellers that authorised it (with their MWS Auth Tokens).

MWS checks the key first (InvalidAccessKeyId), then the signature, then whether this seller
authorised this developer with this token (AccessDenied). Each seller participates in several
marketplaces; only those are valid in its requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import AccessDenied, InvalidAccessKeyId, InvalidParameterValue


@dataclass(frozen=True)
class Participation:
    marketplace_id: str
    country: str
    domain: str
    name: str
    currency: str
    language: str
    retail: bool = True
    suspended: bool = False


@dataclass
class Seller:
    seller_id: str
    auth_token: str
    participations: list[Participation]
    home_marketplace: str

    @property
    def marketplace_ids(self) -> list[str]:
        return [p.marketplace_id for p in self.participations]

    def participation(self, marketplace_id: str) -> Participation | None:
        return next((p for p in self.participations if p.marketplace_id == marketplace_id), None)

    def retail_marketplace(self, marketplace_id: str, field_name: str) -> Participation:
        """The participation for ``marketplace_id``, or the error Amazon gives for a foreign one."""
        found = self.participation(marketplace_id)
        if found is None or not found.retail:
            raise InvalidParameterValue(f"Invalid {field_name}: {marketplace_id}. This seller is registered in "
                                        f"{', '.join(m for m in self.marketplace_ids)}.")
        return found


@dataclass
class Developer:
    access_key_id: str
    secret_key: str
    sellers: dict[str, Seller] = field(default_factory=dict)


class Accounts:
    """Developers by access key; ``authorize`` is the seller/token check."""

    def __init__(self, developers: list[Developer]) -> None:
        self._developers = {d.access_key_id: d for d in developers}

    def developer(self, access_key_id: str) -> Developer:
        try:
            return self._developers[access_key_id]
        except KeyError:
            raise InvalidAccessKeyId() from None

    def authorize(self, developer: Developer, seller_id: str | None, token: str | None) -> Seller:
        """The seller, if it authorised this developer and the MWS Auth Token is the one it issued."""
        if not seller_id:
            raise InvalidParameterValue("Parameter SellerId (or Merchant) is required: send the seller's "
                                        "Merchant Token.")
        seller = developer.sellers.get(seller_id)
        if seller is None:
            raise AccessDenied("Access denied: this seller has not authorised this developer "
                               "(check SellerId and the region's endpoint).")
        if token != seller.auth_token:
            raise AccessDenied("Access denied: the MWSAuthToken is missing or was not issued by this seller "
                               "for this developer.")
        return seller

    def sellers(self) -> list[Seller]:
        return [s for d in self._developers.values() for s in d.sellers.values()]

    def seller(self, seller_id: str) -> Seller:
        return next(s for s in self.sellers() if s.seller_id == seller_id)
