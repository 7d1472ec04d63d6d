"""Product type schemas from the Product Type Definitions API, and listings checked against them.

``getDefinitionsProductType`` names the product type's current version and a link to its JSON
Schema (``schema.link.resource``); the schema is downloaded through the client's transport (capped
at ``MAX_SCHEMA_BYTES``) and cached by product type and version for the life of the process, and
the definition (which version is current) for ``DEFINITION_TTL`` seconds on the client's clock.

The schemas are JSON Schema 2019-09 plus Amazon's meta-schema keywords; ``AmazonValidator`` is
jsonschema's ``Draft201909Validator`` extended with ``selectors``, ``minUniqueItems``,
``maxUniqueItems``, ``minUtf8ByteLength`` and ``maxUtf8ByteLength`` (``editable``, ``hidden`` and
``enumNames`` say how a form shows a value and check nothing). A full listing (UPDATE) is checked
against the whole schema; a partial one (PARTIAL_UPDATE, PATCH) attribute by attribute, without the
schema's required and conditional rules.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft201909Validator, ValidationError, validators

from mws_component.lib.feeds import Problem
from mws_component.lib.mws.errors import InvalidRequestError, ResponseIntegrityError, ResponseTooLargeError

from .listings import Listing

MAX_SCHEMA_BYTES = 16 * 1024 * 1024  # Amazon's largest product type schemas are a few MB
DEFINITION_TTL = 3600.0  # seconds a product type's current version is believed (versions change monthly)
SCHEMAS_KEPT = 64  # (product type, version) schemas cached per process
CONDITIONAL = ("required", "allOf", "anyOf", "oneOf", "if", "then", "else", "dependentRequired",
               "dependentSchemas", "not")


# ------------------------------------------------------------------ Amazon's meta-schema keywords


def _unique(values: list, schema: Mapping[str, Any]) -> int:
    """Distinct items: by their selector properties when the array has ``selectors``, else whole."""
    selectors = schema.get("selectors")
    if isinstance(selectors, list) and selectors:
        values = [[v.get(s) for s in selectors] if isinstance(v, dict) else v for v in values]
    return len({json.dumps(v, sort_keys=True) for v in values})


def _selectors(validator, selectors, instance, schema) -> Iterator[ValidationError]:
    """Items of an array differ in their selector properties (one value per marketplace and language)."""
    if not validator.is_type(instance, "array"):
        return
    seen = set()
    for item in instance:
        if not isinstance(item, dict):
            continue
        key = json.dumps([item.get(s) for s in selectors], sort_keys=True)
        if key in seen:
            yield ValidationError(f"two values share the selectors {', '.join(selectors)} ({key}); keep one")
        seen.add(key)


def _min_unique(validator, minimum, instance, schema) -> Iterator[ValidationError]:
    if validator.is_type(instance, "array") and _unique(instance, schema) < minimum:
        yield ValidationError(f"has {_unique(instance, schema)} distinct values, fewer than the {minimum} required")


def _max_unique(validator, maximum, instance, schema) -> Iterator[ValidationError]:
    if validator.is_type(instance, "array") and _unique(instance, schema) > maximum:
        yield ValidationError(f"has {_unique(instance, schema)} distinct values, more than the {maximum} allowed")


def _min_bytes(validator, minimum, instance, schema) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and len(instance.encode("utf-8")) < minimum:
        yield ValidationError(f"{instance!r} is shorter than {minimum} bytes in UTF-8")


def _max_bytes(validator, maximum, instance, schema) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and len(instance.encode("utf-8")) > maximum:
        yield ValidationError(f"{instance[:40]!r}... is {len(instance.encode('utf-8'))} bytes in UTF-8, more "
                              f"than {maximum}")


AmazonValidator = validators.extend(Draft201909Validator, {
    "selectors": _selectors, "minUniqueItems": _min_unique, "maxUniqueItems": _max_unique,
    "minUtf8ByteLength": _min_bytes, "maxUtf8ByteLength": _max_bytes,
})

FIXES = {
    "required": "add the attribute (Amazon's name, a list of values with marketplace_id)",
    "maxUtf8ByteLength": "shorten the text", "maxLength": "shorten the text",
    "minUtf8ByteLength": "give a longer text", "enum": "use one of the allowed values",
    "additionalProperties": "remove the field, or check its spelling against the product type",
    "type": "give the value in the type the schema names", "selectors": "give one value per marketplace/language",
    "maxUniqueItems": "give fewer values", "maxItems": "give fewer values", "minItems": "give more values",
}


# ------------------------------------------------------------------ fetched schemas


@dataclass(frozen=True)
class ProductTypeSchema:
    product_type: str
    version: str
    schema: dict

    def problems(self, listing: Listing) -> list[Problem]:
        """What breaks this schema in ``listing``'s attributes (or patched values), each with the fix."""
        attributes, partial = _checked_attributes(listing)
        if attributes is None:
            return []
        schema = {k: v for k, v in self.schema.items() if k not in CONDITIONAL} if partial else self.schema
        errors = sorted(AmazonValidator(schema).iter_errors(attributes), key=lambda e: list(e.absolute_path))
        return [self._problem(listing, err) for err in errors]

    def _problem(self, listing: Listing, err: ValidationError) -> Problem:
        where = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required" and not where:
            where = err.message.split("'")[1] if "'" in err.message else ""
        path = f"items[{listing.index}].attributes" + (f".{where}" if where else "")
        fix = FIXES.get(str(err.validator), "change the value to match the product type's schema")
        return Problem(listing.index, path, str(err.validator),
                       f"SKU {listing.sku}, product type {self.product_type} (version {self.version}): "
                       f"{err.message}; fix: {fix}")


def _checked_attributes(listing: Listing) -> tuple[dict | None, bool]:
    if listing.operation == "UPDATE":
        return listing.attributes or {}, False
    if listing.operation == "PARTIAL_UPDATE":
        return listing.attributes or {}, True
    if listing.operation == "PATCH":
        return {p["path"].rsplit("/", 1)[-1]: p.get("value") for p in listing.patches if p["op"] != "delete"}, True
    return None, False


class ProductTypes:
    """The schemas one client has fetched: definitions for ``DEFINITION_TTL``, schemas by version."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._definitions: dict[tuple[str, str], tuple[float, str, str]] = {}
        self._lock = threading.Lock()

    def schema(self, product_type: str) -> ProductTypeSchema | None:
        """The current schema of ``product_type``; None when Amazon has no definition for it."""
        version, url = self._current(product_type)
        if not url:
            return None
        key = (self.client.endpoint.base_url, product_type, version)
        with _LOCK:
            cached = _SCHEMAS.get(key)
            if cached is not None:
                _SCHEMAS.move_to_end(key)
                return cached
        fetched = ProductTypeSchema(product_type, version, self._download(product_type, url))
        with _LOCK:
            _SCHEMAS[key] = fetched
            while len(_SCHEMAS) > SCHEMAS_KEPT:
                _SCHEMAS.popitem(last=False)
        return fetched

    def _current(self, product_type: str) -> tuple[str, str]:
        marketplace_id = self.client.credentials.marketplaceId
        key = (product_type, marketplace_id)
        now = self.client.clock.now()
        with self._lock:
            known = self._definitions.get(key)
        if known and now - known[0] < DEFINITION_TTL:
            return known[1], known[2]
        try:
            data = self.client.call("getDefinitionsProductType", {
                "productType": product_type, "sellerId": self.client.credentials.sellerId,
                "marketplaceIds": [marketplace_id], "requirements": "LISTING", "locale": "DEFAULT"}).data
        except InvalidRequestError as err:
            if err.http_status == 404:
                return "", ""
            raise
        version = str((data.get("productTypeVersion") or {}).get("version") or "")
        url = str(((data.get("schema") or {}).get("link") or {}).get("resource") or "")
        with self._lock:
            self._definitions[key] = (now, version, url)
        return version, url

    def _download(self, product_type: str, url: str) -> dict:
        op = "getProductTypeSchema"
        body = self.client.transfer("GET", url, operation=op).body
        if len(body) > MAX_SCHEMA_BYTES:
            raise ResponseTooLargeError(f"the schema of product type {product_type} is {len(body)} bytes; the cap "
                                        f"is {MAX_SCHEMA_BYTES}", limit=MAX_SCHEMA_BYTES, received=len(body),
                                        operation=op)
        try:
            schema = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            schema = None
        if not isinstance(schema, dict):
            raise ResponseIntegrityError(f"the schema of product type {product_type} is not a JSON object",
                                         operation=op)
        return schema


# ------------------------------------------------------------------ in-metadata for the mapper

KEPT = ("type", "title", "description", "enum", "minimum", "maximum", "minLength", "maxLength", "minItems",
        "maxItems", "format", "pattern")
METADATA_DEPTH = 6  # Amazon's attributes nest a few levels (offer -> price -> schedule -> value)


def metadata(schema: Mapping[str, Any], depth: int = 0) -> dict:
    """A product type schema (or part of it) as the platform's in-metadata: types, titles, enums,
    limits and ``required: true`` on each required property; references and Amazon's keywords dropped."""
    out = {k: schema[k] for k in KEPT if k in schema and (k == "enum" or not isinstance(schema[k], (dict, list)))}
    if isinstance(out.get("type"), list):
        out["type"] = next((t for t in out["type"] if t != "null"), "string")
    if depth >= METADATA_DEPTH:
        return out
    if isinstance(schema.get("items"), Mapping):
        out["items"] = metadata(schema["items"], depth + 1)
    if isinstance(schema.get("properties"), Mapping):
        required = set(schema.get("required") or [])
        out["properties"] = {name: {**metadata(sub, depth + 1), **({"required": True} if name in required else {})}
                             for name, sub in schema["properties"].items() if isinstance(sub, Mapping)}
    if "type" not in out:
        out["type"] = "object" if "properties" in out else "array" if "items" in out else "string"
    return out


_SCHEMAS: OrderedDict[tuple[str, str, str], ProductTypeSchema] = OrderedDict()
_LOCK = threading.Lock()
_BY_CLIENT: weakref.WeakKeyDictionary[Any, ProductTypes] = weakref.WeakKeyDictionary()


def forget_schemas() -> None:
    """Drop every cached schema (tests, or a process that must re-read them)."""
    with _LOCK:
        _SCHEMAS.clear()


def product_types(client: Any) -> ProductTypes:
    """The client's ``ProductTypes`` (one per client, so definitions are not fetched per message)."""
    with _LOCK:
        found = _BY_CLIENT.get(client)
        if found is None:
            found = _BY_CLIENT[client] = ProductTypes(client)
        return found


def schema_problems(client: Any, listings: list[Listing]) -> list[Problem]:
    """Every listing checked against its product type's current schema (fetched once per type)."""
    types = product_types(client)
    schemas: Mapping[str, ProductTypeSchema | None] = {
        t: types.schema(t) for t in dict.fromkeys(x.product_type for x in listings if x.operation != "DELETE") if t}
    problems: list[Problem] = []
    for listing in listings:
        schema = schemas.get(listing.product_type or "")
        if schema is not None:
            problems += schema.problems(listing)
        elif listing.operation in ("UPDATE", "PARTIAL_UPDATE"):
            problems.append(Problem(listing.index, f"items[{listing.index}].productType", "unknownProductType",
                                    f"Amazon has no product type {listing.product_type!r} in this marketplace; "
                                    "name one it lists (searchDefinitionsProductTypes)"))
    return problems
