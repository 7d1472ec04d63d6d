"""The Listings Items API 2021-08-01: put, patch, delete and get one listings item by SKU.

Each write is one ``submissions.Submission`` (the same rules as a feed message), answered at once
with ACCEPTED or INVALID and its issues; ``mode=VALIDATION_PREVIEW`` answers VALID or INVALID and
changes nothing. The path's sellerId must be the token's seller; one marketplace per call.
"""

from __future__ import annotations

from .body import json_object, marketplaces
from .call import SpAnswer, SpCall
from .errors import InvalidInput, NotFound, Unauthorized
from .render_listings import INCLUDED_DATA, item_json, submission_json
from .submissions import Outcome, Submission, submit

PREVIEW = "VALIDATION_PREVIEW"
WRITE_DATA = ("identifiers", "issues")
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")


def _marketplace(call: SpCall) -> str:
    if call.args["sellerId"] != call.seller_id:
        raise Unauthorized(details=f"sellerId {call.args['sellerId']} is not the seller of this access token.")
    return marketplaces(call, call.query.many("marketplaceIds"), most=1)[0]


def _preview(call: SpCall) -> bool:
    mode = call.query.one("mode")
    if mode not in (None, PREVIEW):
        raise InvalidInput("Invalid input", details=f"mode {mode} is not valid; use {PREVIEW} or leave it out.")
    return mode == PREVIEW


def _answer(call: SpCall, marketplace_id: str, outcome: Outcome) -> SpAnswer:
    included = call.query.many("includedData", allowed=WRITE_DATA)
    body = submission_json(call.args["sku"], outcome, call.feeds.new_id(), marketplace_id, "identifiers" in included)
    return SpAnswer(body)


def _product_type(data: dict) -> str:
    product_type = data.get("productType")
    if not isinstance(product_type, str) or not product_type:
        raise InvalidInput("Invalid input", details="productType is required, e.g. \"LUGGAGE\".")
    return product_type


def put_listings_item(call: SpCall) -> SpAnswer:
    marketplace_id, preview = _marketplace(call), _preview(call)
    data = json_object(call, "productType and attributes")
    attributes, requirements = data.get("attributes"), data.get("requirements", "LISTING")
    if not isinstance(attributes, dict) or requirements not in REQUIREMENTS:
        raise InvalidInput("Invalid input", details="attributes must be an object of attribute lists; requirements "
                           f"one of {', '.join(REQUIREMENTS)}.")
    sub = Submission(call.args["sku"], "UPDATE", _product_type(data), requirements, attributes)
    return _answer(call, marketplace_id, submit(_catalogue(call), call.seller_id, sub, preview))


def patch_listings_item(call: SpCall) -> SpAnswer:
    marketplace_id, preview = _marketplace(call), _preview(call)
    data = json_object(call, "productType and patches")
    patches = data.get("patches")
    if not isinstance(patches, list) or not patches or not all(isinstance(p, dict) for p in patches):
        raise InvalidInput("Invalid input", details="patches must list at least one {op, path, value}.")
    sub = Submission(call.args["sku"], "PATCH", _product_type(data), patches=tuple(patches))
    return _answer(call, marketplace_id, submit(_catalogue(call), call.seller_id, sub, preview))


def delete_listings_item(call: SpCall) -> SpAnswer:
    marketplace_id = _marketplace(call)
    sub = Submission(call.args["sku"], "DELETE")
    return _answer(call, marketplace_id, submit(_catalogue(call), call.seller_id, sub))


def get_listings_item(call: SpCall) -> SpAnswer:
    marketplace_id = _marketplace(call)
    included = call.query.many("includedData", allowed=INCLUDED_DATA) or ("summaries",)
    listing = _catalogue(call).get(call.args["sku"])
    if listing is None:
        raise NotFound(f"SKU {call.args['sku']} has no listing for this seller.")
    return SpAnswer(item_json(listing, _catalogue(call), marketplace_id, included, call.now))


def _catalogue(call: SpCall):
    return call.backend.catalogues[call.seller_id]
