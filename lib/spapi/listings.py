"""The feed actions' JSON items -> SP-API listings messages (one ``Listing`` per SKU touched).

The inputs are the MWS actions' own (``schemas/*.in.json``) and are first checked by the MWS feed
rules (``lib.feeds.build_feed``: the same validation-before-sending promise), then mapped:

- inventory -> PATCH ``fulfillment_availability`` (quantity, lead time, fulfillment channel code);
- price -> PATCH ``purchasable_offer`` (our_price, discounted_price with its dates, minimum/maximum
  seller allowed price, map_price; currency and marketplace_id);
- image -> PATCH ``main_product_image_locator``, ``swatch_product_image_locator`` and
  ``other_product_image_locator_1..8`` (Delete: a ``delete`` patch);
- relationship -> PATCH each child's ``child_parent_sku_relationship`` and ``parentage_level`` (and the
  parent's ``parentage_level`` and ``variation_theme`` when the item names one);
- product -> a full listing of the category's product type: Upsert/Update -> UPDATE, PartialUpdate ->
  PARTIAL_UPDATE, Delete -> DELETE; attributes from the item's description fields plus its own
  ``attributes`` (Amazon's names, which win).

Three fields exist on SP-API only: ``productType`` (every kind), ``attributes`` (product) and
``variationTheme`` (relationship). A field SP-API cannot carry is refused with the reason
(``data/listings.json`` ``noCounterpart``); nothing is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mws_component.lib.feeds import FeedValidationError, Problem, build_feed, resolve_category
from mws_component.lib.feeds.naming import json_name
from mws_component.lib.mws.regions import marketplace

_DATA = Path(__file__).with_name("data") / "listings.json"
SP_ONLY = ("productType", "attributes", "variationTheme")
MAX_SKU = 40
OPERATIONS = {"update": "UPDATE", "upsert": "UPDATE", "partialupdate": "PARTIAL_UPDATE", "delete": "DELETE"}


@cache
def table() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@dataclass
class Listing:
    """One listings message: what a feed message or one Listings Items call carries for one SKU.

    ``index`` is the input item it came from (for errors); ``operation`` UPDATE, PARTIAL_UPDATE,
    PATCH or DELETE.
    """

    sku: str
    operation: str
    product_type: str | None
    index: int
    attributes: dict | None = None
    patches: list[dict] = field(default_factory=list)

    def message(self, message_id: int) -> dict:
        """The JSON_LISTINGS_FEED message (v2)."""
        out: dict[str, Any] = {"messageId": message_id, "sku": self.sku, "operationType": self.operation}
        if self.operation != "DELETE":
            out["productType"] = self.product_type
        if self.operation == "UPDATE":
            out["requirements"] = "LISTING"
        if self.operation in ("UPDATE", "PARTIAL_UPDATE"):
            out["attributes"] = self.attributes
        if self.operation == "PATCH":
            out["patches"] = self.patches
        return out

    def call(self) -> tuple[str, dict | None]:
        """The Listings Items operation and body that do the same for this one SKU."""
        if self.operation == "DELETE":
            return "deleteListingsItem", None
        if self.operation == "UPDATE":
            return "putListingsItem", {"productType": self.product_type, "requirements": "LISTING",
                                       "attributes": self.attributes}
        patches = self.patches if self.operation == "PATCH" else [
            {"op": "replace", "path": f"/attributes/{name}", "value": value}
            for name, value in (self.attributes or {}).items()]
        return "patchListingsItem", {"productType": self.product_type, "patches": patches}


@dataclass
class Context:
    marketplace_id: str
    operation: str  # the step's: Update, Delete or PartialUpdate
    region: str = "na"
    category: str | None = None
    problems: list[Problem] = field(default_factory=list)
    index: int = 0

    def refuse(self, path: str, rule: str, message: str) -> None:
        self.problems.append(Problem(self.index, path, rule, message))

    @property
    def language(self) -> str:
        return marketplace(self.marketplace_id).language

    def text(self, value: Any) -> dict:
        return {"value": value, "language_tag": self.language, "marketplace_id": self.marketplace_id}

    def plain(self, value: Any) -> dict:
        return {"value": value, "marketplace_id": self.marketplace_id}


def to_listings(kind: str, items: list[dict] | dict, *, seller_id: str, marketplace_id: str,
                operation: str = "Update", category: str | None = None, region: str = "na") -> list[Listing]:
    """Validate ``items`` (MWS feed rules, then SP-API mapping) and map them; raise listing every problem."""
    batch = items if isinstance(items, list) else [items]
    if kind == "product":  # its attributes are checked against the product type's schema instead
        _check_products(batch, category)
    else:
        plain = [_without_sp_fields(item) for item in batch]
        build_feed(kind, plain if isinstance(items, list) else plain[0], merchant_id=seller_id,
                   operation=operation, category=category)  # raises FeedValidationError (nothing sent)
    ctx = Context(marketplace_id, operation, region, category=category)
    listings: list[Listing] = []
    for index, item in enumerate(batch):
        ctx.index = index
        listings += MAPPERS[kind](item, ctx)
    if ctx.problems:
        raise FeedValidationError(ctx.problems, what=f"{kind} items for SP-API", nothing_sent=True)
    return merged(listings)


def _check_products(batch: list, category: str | None) -> None:
    """What the product type's schema cannot check: each item an object with a SKU, 1 to 40 characters."""
    problems = []
    for index, item in enumerate(batch):
        sku = item.get("sku") if isinstance(item, Mapping) else None
        if not isinstance(item, Mapping):
            problems.append(Problem(index, f"items[{index}]", "type", "each item must be an object"))
        elif not isinstance(sku, str) or not 1 <= len(sku.strip()) <= MAX_SKU:
            problems.append(Problem(index, f"items[{index}].sku", "required",
                                    f"give the SKU as text of 1 to {MAX_SKU} characters"))
    if not batch:
        problems.append(Problem(None, "items", "minItems", "give at least one item"))
    if problems:
        raise FeedValidationError(problems, what="product items for SP-API", nothing_sent=True)


def _without_sp_fields(item: Any) -> Any:
    return {k: v for k, v in item.items() if k not in SP_ONLY} if isinstance(item, Mapping) else item


def merged(listings: list[Listing]) -> list[Listing]:
    """PATCH listings of the same SKU and product type as one message (patches in input order)."""
    out: list[Listing] = []
    by_key: dict[tuple, Listing] = {}
    for listing in listings:
        key = (listing.sku, listing.product_type)
        if listing.operation == "PATCH" and key in by_key:
            by_key[key].patches += listing.patches
            continue
        if listing.operation == "PATCH":
            by_key[key] = listing
        out.append(listing)
    return out


def _refuse_unmapped(kind: str, item: Mapping[str, Any], ctx: Context) -> None:
    for name, why in table()["noCounterpart"].get(kind, {}).items():
        if item.get(name) not in (None, False):
            ctx.refuse(_path(ctx, name), "noCounterpart", f"has no counterpart on SP-API ({why}); remove it")


def _path(ctx: Context, name: str) -> str:
    return f"items[{ctx.index}].{name}"


def _offer_type(item: Mapping[str, Any]) -> str:
    return item.get("productType") or table()["offerProductType"]


def _patch(item: Mapping[str, Any], sku: str, ctx: Context, patches: list[dict]) -> Listing:
    return Listing(sku, "PATCH", _offer_type(item), ctx.index, patches=patches)


# ----------------------------------------------------------------- inventory


def _inventory(item: Mapping[str, Any], ctx: Context) -> list[Listing]:
    _refuse_unmapped("inventory", item, ctx)
    afn = item.get("lookup") == "FulfillmentNetwork" or item.get("switchFulfillmentTo") == "AFN"
    channel = item.get("fulfillmentCenterId") or (table()["afnChannels"][ctx.region] if afn else "DEFAULT")
    value: dict[str, Any] = {"fulfillment_channel_code": channel}
    if item.get("quantity") is not None:
        value["quantity"] = int(item["quantity"])
    elif item.get("available") is False:
        value["quantity"] = 0
    if item.get("fulfillmentLatency") is not None:
        value["lead_time_to_ship_max_days"] = int(item["fulfillmentLatency"])
    if item.get("restockDate"):
        value["restock_date"] = item["restockDate"]
    return [_patch(item, item["sku"], ctx, [_replace("fulfillment_availability", [value])])]


def _replace(name: str, value: list[dict]) -> dict:
    return {"op": "replace", "path": f"/attributes/{name}", "value": value}


# --------------------------------------------------------------------- price


PRICES = (("standardPrice", "our_price", None), ("minimumSellerAllowedPrice", "minimum_seller_allowed_price", None),
          ("maximumSellerAllowedPrice", "maximum_seller_allowed_price", None), ("map", "map_price", None))


def _price(item: Mapping[str, Any], ctx: Context) -> list[Listing]:
    _refuse_unmapped("price", item, ctx)
    offer: dict[str, Any] = {"marketplace_id": ctx.marketplace_id, "audience": "ALL"}
    currencies = set()
    for source, target, _ in PRICES:
        if isinstance(item.get(source), Mapping):
            currencies.add(item[source]["currency"])
            offer[target] = [{"schedule": [{"value_with_tax": _amount(item[source]["value"])}]}]
    sale = item.get("sale")
    if isinstance(sale, Mapping):
        currencies.add(sale["salePrice"]["currency"])
        offer["discounted_price"] = [{"schedule": [{"value_with_tax": _amount(sale["salePrice"]["value"]),
                                                    "start_at": sale["startDate"], "end_at": sale["endDate"]}]}]
    currencies.discard("DEFAULT")
    if len(currencies) > 1:
        ctx.refuse(_path(ctx, "standardPrice.currency"), "oneCurrency",
                   f"one offer has one currency on SP-API, got {', '.join(sorted(currencies))}; use one")
    if currencies:
        offer["currency"] = currencies.pop()
    if len(offer) == 2:
        ctx.refuse(_path(ctx, "standardPrice"), "nothingToSend", "give standardPrice, sale or a seller allowed price")
    return [_patch(item, item["sku"], ctx, [_replace("purchasable_offer", [offer])])]


def _amount(value: Any) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


# --------------------------------------------------------------------- image


def _image(item: Mapping[str, Any], ctx: Context) -> list[Listing]:
    name = table()["images"].get(item["imageType"])
    if name is None:
        ctx.refuse(_path(ctx, "imageType"), "noCounterpart",
                   f"image type {item['imageType']!r} has no counterpart on SP-API; use one of "
                   f"{', '.join(table()['images'])}")
        return []
    if ctx.operation == "Delete":
        patch = {"op": "delete", "path": f"/attributes/{name}", "value": [{"marketplace_id": ctx.marketplace_id}]}
    elif not item.get("imageLocation"):
        ctx.refuse(_path(ctx, "imageLocation"), "required", "give the image's URL to set it")
        return []
    else:
        patch = _replace(name, [{"media_location": item["imageLocation"], "marketplace_id": ctx.marketplace_id}])
    return [_patch(item, item["sku"], ctx, [patch])]


# -------------------------------------------------------------- relationship


def _relationship(item: Mapping[str, Any], ctx: Context) -> list[Listing]:
    parent, m = item["parentSku"], ctx.marketplace_id
    out = []
    for n, relation in enumerate(item.get("relation") or []):
        if relation["type"] != "Variation":
            ctx.refuse(_path(ctx, f"relation[{n}].type"), "noCounterpart",
                       f"relation type {relation['type']!r} has no counterpart on SP-API listings (only Variation: "
                       "child_parent_sku_relationship); remove it")
            continue
        link = [{"child_relationship_type": "variation", "parent_sku": parent, "marketplace_id": m}]
        if ctx.operation == "Delete":
            patches = [{"op": "delete", "path": "/attributes/child_parent_sku_relationship", "value": link}]
        else:
            patches = [_replace("child_parent_sku_relationship", link),
                       _replace("parentage_level", [{"value": "child", "marketplace_id": m}])]
        out.append(_patch(item, relation["sku"], ctx, patches))
    if ctx.operation != "Delete" and out:
        patches = [_replace("parentage_level", [{"value": "parent", "marketplace_id": m}])]
        if item.get("variationTheme"):
            theme = str(item["variationTheme"])
            patches.append(_replace("variation_theme", [{"name": table()["variationThemes"].get(theme, theme.upper())}]))
        out.insert(0, _patch(item, parent, ctx, patches))
    return out


# ------------------------------------------------------------------- product


TEXTS = {"title": "item_name", "brand": "brand", "description": "product_description", "manufacturer": "manufacturer",
         "mfrPartNumber": "part_number", "designer": "designer", "legalDisclaimer": "legal_disclaimer_description"}
LISTS = {"bulletPoint": "bullet_point", "searchTerms": "generic_keyword"}
MAPPED_TOP = {"sku", "standardProductId", "condition", "descriptionData", "productData", *SP_ONLY}


def _product(item: Mapping[str, Any], ctx: Context) -> list[Listing]:
    operation = OPERATIONS[ctx.operation.lower()]
    product_type = _product_type(item, ctx)
    if operation == "DELETE":
        return [Listing(item["sku"], "DELETE", product_type, ctx.index)]
    attributes = _described(item, ctx)
    own = item.get("attributes")
    if own is not None and not isinstance(own, Mapping):
        ctx.refuse(_path(ctx, "attributes"), "type", "must be an object of Amazon attribute names to value arrays")
    attributes.update(own or {})
    if not attributes:
        ctx.refuse(_path(ctx, "attributes"), "required", "give descriptionData or attributes: nothing to list")
    return [Listing(item["sku"], operation, product_type, ctx.index, attributes=attributes)]


def _product_type(item: Mapping[str, Any], ctx: Context) -> str | None:
    if item.get("productType"):
        return str(item["productType"])
    data = item.get("productData") if isinstance(item.get("productData"), Mapping) else {}
    element = _element(next(iter(data)), ctx) if data else None
    if element is None and ctx.category:
        element = resolve_category(ctx.category)[1][0]
    types = table()["productTypes"].get(element or "", [])
    if not types:
        what = f"category {element}" if element else "an item without productData"
        ctx.refuse(_path(ctx, "productType"), "required",
                   f"{what}: {table()['noProductType'] if element else 'name its Amazon product type'}")
        return None
    return types[0]


def _element(key: str, ctx: Context) -> str | None:
    try:
        element = resolve_category(key)[1][0]
    except FeedValidationError:
        ctx.refuse(_path(ctx, f"productData.{key}"), "unknownCategory", f"unknown category {key!r}")
        return None
    if ctx.category and element not in resolve_category(ctx.category)[1]:
        ctx.refuse(_path(ctx, f"productData.{key}"), "category",
                   f"this step lists category {ctx.category}; send {key} items with their own step or category")
    return element


def _described(item: Mapping[str, Any], ctx: Context) -> dict:
    out: dict[str, list] = {}
    description = item.get("descriptionData") or {}
    for key, value in description.items():
        if key in TEXTS:
            out[TEXTS[key]] = [ctx.text(value)]
        elif key in LISTS:
            out[LISTS[key]] = [ctx.text(v) for v in (value if isinstance(value, list) else [value])]
        elif key == "msrp":
            out["list_price"] = [{"value": _amount(value["value"]), "currency": value["currency"],
                                  "marketplace_id": ctx.marketplace_id}]
        else:
            _unmapped(ctx, f"descriptionData.{key}")
    _identity(item, ctx, out)
    for key in item:
        if key not in MAPPED_TOP:
            _unmapped(ctx, key)
    data = item.get("productData")
    for category, values in (data.items() if isinstance(data, Mapping) else ()):
        for key in values if isinstance(values, Mapping) else ():
            _unmapped(ctx, f"productData.{category}.{key}")
    return out


def _identity(item: Mapping[str, Any], ctx: Context, out: dict) -> None:
    ident = item.get("standardProductId")
    if isinstance(ident, Mapping):
        if ident["type"] == "ASIN":
            out["merchant_suggested_asin"] = [ctx.plain(ident["value"])]
        else:
            out["externally_assigned_product_identifier"] = [
                {"type": ident["type"].lower(), "value": ident["value"], "marketplace_id": ctx.marketplace_id}]
    condition = item.get("condition")
    if isinstance(condition, Mapping):
        out["condition_type"] = [ctx.plain(table()["conditions"].get(condition["conditionType"],
                                                                     json_name(condition["conditionType"])))]
        if condition.get("conditionNote"):
            out["condition_note"] = [ctx.text(condition["conditionNote"])]


def _unmapped(ctx: Context, name: str) -> None:
    ctx.refuse(_path(ctx, name), "noCounterpart",
               "has no generic counterpart on SP-API; give it under 'attributes' by the product type's own "
               "attribute name (see its schema), or remove it")


MAPPERS = {"inventory": _inventory, "price": _price, "image": _image, "relationship": _relationship,
           "product": _product}
