"""A listings issue, as both the Listings Items API and the feed processing report carry it.

State only: ``render_listings`` turns an ``Issue`` into ``{code, message, severity, attributeNames}``
(Listings Items) or ``{messageId, sku, code, severity, message, attributeName}`` (the report). Codes
are Amazon's where its examples show them (90220 missing, 90000900 invalid attributes, 99022 too
few values); the others are marked "sandbox" where defined.
"""

from __future__ import annotations

from dataclasses import dataclass

MISSING = "90220"
UNKNOWN_ATTRIBUTE = "90000900"
INVALID_VALUE = "4000001"  # sandbox: a value the product type's schema refuses
TOO_FEW = "99022"
NOT_FOUND = "4000002"  # sandbox: the SKU has no listing to patch or delete
FEED_FORMAT = "4000003"  # sandbox: the message does not match the listings feed schema
UNKNOWN_PRODUCT_TYPE = "4000004"  # sandbox: no definition for the product type


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    severity: str = "ERROR"
    attribute_names: tuple[str, ...] = ()

    @property
    def error(self) -> bool:
        return self.severity == "ERROR"

    @property
    def categories(self) -> tuple[str, ...]:
        """The model's issue categories: what kind of fix the issue asks for."""
        if self.code == MISSING:
            return ("MISSING_ATTRIBUTE",)
        if any(name.endswith("image_locator") or "image_locator_" in name for name in self.attribute_names):
            return ("INVALID_IMAGE",)
        if any(name == "purchasable_offer" for name in self.attribute_names):
            return ("INVALID_PRICE",)
        return ("INVALID_ATTRIBUTE",) if self.attribute_names else ()
