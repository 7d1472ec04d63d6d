"""JSON wire format of the listings write side: feeds, feed documents, listings items, product types."""

from __future__ import annotations

from ..models.catalogue import Catalogue, Listing
from ..timefmt import iso_ms, iso_z
from .attributes import derived
from .feedstore import FeedDocument, SpFeed
from .issues import Issue
from .producttypes import ProductType
from .submissions import Outcome

INCLUDED_DATA = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
                 "relationships", "productTypes")
IMAGE_SIZE = 500


def feed_json(feed: SpFeed, now: float) -> dict:
    body = {"feedId": feed.feed_id, "feedType": feed.feed_type, "marketplaceIds": list(feed.marketplace_ids),
            "createdTime": iso_ms(feed.created), "processingStatus": feed.status(now)}
    started, ended = feed.started(now), feed.ended(now)
    if started is not None:
        body["processingStartTime"] = iso_ms(started)
    if ended is not None:
        body["processingEndTime"] = iso_ms(ended)
        body["resultFeedDocumentId"] = feed.result_document_id
    return body


def document_json(document: FeedDocument, url: str) -> dict:
    body = {"feedDocumentId": document.document_id, "url": url}
    if document.compressed:
        body["compressionAlgorithm"] = "GZIP"
    return body


def issue_json(issue: Issue) -> dict:
    return {"code": issue.code, "message": issue.message, "severity": issue.severity,
            "attributeNames": list(issue.attribute_names), "categories": list(issue.categories)}


def submission_json(sku: str, outcome: Outcome, submission_id: str, marketplace_id: str,
                    identifiers: bool) -> dict:
    body = {"sku": sku, "status": outcome.status, "submissionId": submission_id,
            "issues": [issue_json(i) for i in outcome.issues]}
    if identifiers:
        body["identifiers"] = [{"marketplaceId": marketplace_id, "asin": outcome.asin}] if outcome.asin else []
    return body


def item_json(listing: Listing, catalogue: Catalogue, marketplace_id: str, included: tuple[str, ...],
              now: float) -> dict:
    """A listings item (getListingsItem, report items) with the requested data sets."""
    attrs = derived(listing, catalogue, marketplace_id)
    product_type = listing.product_type or "PRODUCT"
    parts = {
        "summaries": lambda: [_summary(listing, attrs, marketplace_id, product_type, now)],
        "attributes": lambda: attrs,
        "issues": lambda: [],
        "offers": lambda: _offers(listing, marketplace_id),
        "fulfillmentAvailability": lambda: [{"fulfillmentChannelCode": a["fulfillment_channel_code"],
                                             "quantity": a.get("quantity", 0)}
                                            for a in attrs["fulfillment_availability"]],
        "procurement": lambda: [],
        "relationships": lambda: [{"marketplaceId": marketplace_id, "relationships": _relationships(listing, catalogue)}],
        "productTypes": lambda: [{"marketplaceId": marketplace_id, "productType": product_type}],
    }
    return {"sku": listing.sku, **{name: parts[name]() for name in included if name in parts}}


def _summary(listing: Listing, attrs: dict, marketplace_id: str, product_type: str, now: float) -> dict:
    summary = {"marketplaceId": marketplace_id, "asin": listing.asin, "productType": product_type,
               "status": ["BUYABLE", "DISCOVERABLE"] if listing.price is not None else ["DISCOVERABLE"],
               "itemName": listing.title, "createdDate": iso_z(now), "lastUpdatedDate": iso_z(now)}
    condition = (attrs.get("condition_type") or [{}])[0].get("value")
    if condition:
        summary["conditionType"] = condition
    if "Main" in listing.images:
        summary["mainImage"] = {"link": listing.images["Main"], "height": IMAGE_SIZE, "width": IMAGE_SIZE}
    return summary


def _offers(listing: Listing, marketplace_id: str) -> list[dict]:
    if listing.price is None:
        return []
    price = listing.sale_price if listing.sale_price is not None else listing.price
    return [{"marketplaceId": marketplace_id, "offerType": "B2C",
             "price": {"currencyCode": listing.currency, "amount": str(price)},
             "audience": {"value": "ALL", "displayName": "Sell on Amazon"}}]


def _relationships(listing: Listing, catalogue: Catalogue) -> list[dict]:
    found = []
    if listing.children:
        relation: dict = {"type": "VARIATION", "childSkus": sorted(listing.children)}
        if listing.variation_theme:
            relation["variationTheme"] = {"attributes": listing.variation_theme.lower().split("/"),
                                          "theme": listing.variation_theme}
        found.append(relation)
    parents = sorted(p.sku for p in catalogue.listings.values() if listing.sku in p.children)
    if parents:
        found.append({"type": "VARIATION", "parentSkus": parents})
    return found


def definition_json(pt: ProductType, marketplace_ids: list[str], requirements: str, locale: str,
                    schema_url: str, meta_url: str, meta_checksum: str) -> dict:
    return {
        "metaSchema": {"link": {"resource": meta_url, "verb": "GET"}, "checksum": meta_checksum},
        "schema": {"link": {"resource": schema_url, "verb": "GET"}, "checksum": pt.checksum(requirements)},
        "requirements": requirements, "requirementsEnforced": "ENFORCED",
        "propertyGroups": {name: {"title": name.replace("_", " ").title(), "description": f"{name} attributes",
                                  "propertyNames": names} for name, names in pt.property_groups.items()},
        "locale": locale, "marketplaceIds": marketplace_ids, "productType": pt.name, "displayName": pt.display_name,
        "productTypeVersion": {"version": pt.version, "latest": True, "releaseCandidate": False},
    }


def product_types_json(found: list[ProductType], marketplace_ids: list[str], version: str) -> dict:
    return {"productTypes": [{"name": pt.name, "displayName": pt.display_name, "marketplaceIds": marketplace_ids}
                             for pt in found], "productTypeVersion": version}
