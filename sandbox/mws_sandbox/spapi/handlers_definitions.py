"""The Product Type Definitions API 2020-09-01: the sandbox's product types and their schema links.

The schema itself is not in the answer but behind ``schema.link.resource``, a URL on the sandbox
(``presign.schema_url``) that needs no SP-API headers, as Amazon's links do; its version is the
``productTypeVersion`` the client caches by. Unknown product types are 400 InvalidInput (what Amazon's
sandbox answers for ``INVALID``), listing the ones defined.
"""

from __future__ import annotations

import base64
import hashlib
import re

from . import presign
from .body import marketplaces
from .call import SpAnswer, SpCall
from .errors import InvalidInput
from .producttypes import REQUIREMENTS, ProductType, meta_schema, product_types
from .render_listings import definition_json, product_types_json

ENFORCED = ("ENFORCED", "NOT_ENFORCED")
KEYWORD = re.compile(r"^[\w&-]+$")


def get_definitions_product_type(call: SpCall) -> SpAnswer:
    pt = _product_type(call)
    ids = marketplaces(call, call.query.many("marketplaceIds"))
    requirements = _requirements(call, pt.version)
    locale = call.query.one("locale") or "en_US"
    meta_checksum = base64.b64encode(hashlib.md5(meta_schema()).digest()).decode("ascii")
    body = definition_json(pt, list(ids), requirements, "en_US" if locale == "DEFAULT" else locale,
                           presign.schema_url(call.host, pt.name, pt.version, requirements),
                           presign.meta_schema_url(call.host), meta_checksum)
    return SpAnswer(body)


def _product_type(call: SpCall) -> ProductType:
    pt = product_types().get(call.args["productType"])
    if pt is None:
        raise InvalidInput("Invalid input", details=f"productType {call.args['productType']} is not defined; use "
                           f"one of {', '.join(sorted(product_types()))}.")
    return pt


def _requirements(call: SpCall, current: str) -> str:
    requirements = call.query.one("requirements") or "LISTING"
    if requirements not in REQUIREMENTS or (call.query.one("requirementsEnforced") or "ENFORCED") not in ENFORCED:
        raise InvalidInput("Invalid input", details=f"requirements must be one of {', '.join(REQUIREMENTS)}; "
                           f"requirementsEnforced one of {', '.join(ENFORCED)}.")
    version = call.query.one("productTypeVersion")
    if version not in (None, "LATEST", current):
        raise InvalidInput("Invalid input", details=f"productTypeVersion {version} is unknown; the current one is "
                           f"{current}.")
    return requirements


def search_definitions_product_types(call: SpCall) -> SpAnswer:
    ids = marketplaces(call, call.query.many("marketplaceIds"))
    keywords = [k.lower() for k in call.query.many("keywords")]
    if any(not KEYWORD.match(k) for k in keywords):
        raise InvalidInput("Invalid input", details="keywords are single words separated by commas.")
    item_name = (call.query.one("itemName") or "").lower()
    words = keywords + item_name.split()
    found = [pt for pt in product_types().values() if not words or any(_matches(pt, w) for w in words)]
    version = base64.b64encode(hashlib.md5("".join(pt.version for pt in found).encode()).digest()).decode()
    return SpAnswer(product_types_json(found, list(ids), version))


def _matches(pt: ProductType, word: str) -> bool:
    text = " ".join([pt.name, pt.display_name, *pt.categories]).lower().replace("_", " ")
    return word in text
