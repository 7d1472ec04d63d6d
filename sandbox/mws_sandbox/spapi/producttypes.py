"""The product types the sandbox defines, and validation of listing attributes against them.

The schemas are the project's own, written in Amazon's meta-schema form (JSON Schema 2019-09 plus
Amazon's keywords) and kept as data in ``product_types/``; ``index.json`` names each type and the
platform categories it covers. A version is the (URL-safe) Base64 MD5 of the schema file, as Amazon's
``productTypeVersion`` and ``checksum`` change whenever the schema does.

Amazon's keywords applied here: ``maxUtf8ByteLength``/``minUtf8ByteLength`` (strings, in UTF-8
bytes), ``selectors`` (no two items of an array may agree on every selector property) and
``minUniqueItems``/``maxUniqueItems`` (how many distinct selector combinations an array may hold).
``editable``, ``hidden`` and ``enumNames`` are annotations and validate nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator, ValidationError, validators

from .issues import INVALID_VALUE, MISSING, TOO_FEW, UNKNOWN_ATTRIBUTE, Issue

OFFER_ATTRIBUTES = frozenset({"condition_type", "purchasable_offer", "fulfillment_availability", "list_price"})
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")


def _utf8(value: Any) -> int | None:
    return len(value.encode("utf-8")) if isinstance(value, str) else None


def _max_bytes(validator, limit, instance, schema) -> Iterator[ValidationError]:
    size = _utf8(instance)
    if size is not None and size > limit:
        yield ValidationError(f"the value is {size} bytes long in UTF-8; at most {limit} are allowed")


def _min_bytes(validator, limit, instance, schema) -> Iterator[ValidationError]:
    size = _utf8(instance)
    if size is not None and size < limit:
        yield ValidationError(f"the value is {size} bytes long in UTF-8; at least {limit} are required")


def _key(item: Any, selectors: list[str]) -> str:
    if not isinstance(item, dict) or not selectors:
        return json.dumps(item, sort_keys=True)
    return json.dumps([item.get(s) for s in selectors])


def _selectors(validator, selectors, instance, schema) -> Iterator[ValidationError]:
    if not isinstance(instance, list):
        return
    keys = [_key(item, selectors) for item in instance]
    if len(set(keys)) < len(keys):
        yield ValidationError(f"two values share the same {', '.join(selectors)}; give one value each")


def _unique_count(instance: list, schema: dict) -> int:
    return len({_key(item, schema.get("selectors", [])) for item in instance})


def _max_unique(validator, limit, instance, schema) -> Iterator[ValidationError]:
    if isinstance(instance, list) and _unique_count(instance, schema) > limit:
        yield ValidationError(f"has {_unique_count(instance, schema)} distinct values; at most {limit} are allowed")


def _min_unique(validator, limit, instance, schema) -> Iterator[ValidationError]:
    if isinstance(instance, list) and _unique_count(instance, schema) < limit:
        yield ValidationError(f"does not have enough values; the required minimum is {limit} value(s)",
                              validator_value=limit)


AmazonValidator = validators.extend(Draft201909Validator, {
    "maxUtf8ByteLength": _max_bytes, "minUtf8ByteLength": _min_bytes, "selectors": _selectors,
    "maxUniqueItems": _max_unique, "minUniqueItems": _min_unique,
})


@dataclass(frozen=True)
class ProductType:
    name: str
    display_name: str
    categories: tuple[str, ...]
    property_groups: dict[str, list[str]]
    raw: bytes

    @property
    def version(self) -> str:
        """URL-safe Base64 MD5 of the schema file (it goes into the schema link's path)."""
        return base64.urlsafe_b64encode(hashlib.md5(self.raw).digest()).decode("ascii")

    def schema(self, requirements: str = "LISTING") -> dict:
        """The schema for a requirements set: offer attributes are required only with offers."""
        schema = json.loads(self.raw)
        required = schema["required"]
        if requirements == "LISTING_PRODUCT_ONLY":
            required = [r for r in required if r not in OFFER_ATTRIBUTES]
        elif requirements == "LISTING_OFFER_ONLY":
            required = [r for r in required if r in OFFER_ATTRIBUTES]
        return {**schema, "required": required}

    def schema_bytes(self, requirements: str = "LISTING") -> bytes:
        return json.dumps(self.schema(requirements), ensure_ascii=False, indent=1).encode("utf-8")

    def checksum(self, requirements: str = "LISTING") -> str:
        return base64.b64encode(hashlib.md5(self.schema_bytes(requirements)).digest()).decode("ascii")


def _read(name: str) -> bytes:
    return (resources.files(__package__) / "product_types" / name).read_bytes()


@cache
def product_types() -> dict[str, ProductType]:
    index = json.loads(_read("index.json"))["productTypes"]
    return {row["name"]: ProductType(row["name"], row["displayName"], tuple(row["categories"]),
                                     row["propertyGroups"], _read(row["name"] + ".json")) for row in index}


@cache
def meta_schema() -> bytes:
    return _read("meta-schema.json")


@cache
def _validator(name: str, requirements: str, partial: bool) -> AmazonValidator:
    schema = product_types()[name].schema(requirements)
    if partial:
        schema = {**schema, "required": []}
    return AmazonValidator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def attribute_issues(product_type: str, attributes: dict, requirements: str = "LISTING",
                     partial: bool = False) -> list[Issue]:
    """Issues for ``attributes`` under ``product_type``; ``partial`` (PATCH, PARTIAL_UPDATE) skips required."""
    validator = _validator(product_type, requirements, partial)
    return [_issue(error) for error in sorted(validator.iter_errors(attributes), key=lambda e: list(e.path))]


def _issue(error: ValidationError) -> Issue:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required" and not path:
        name = str(error.message).split("'")[1]
        return Issue(MISSING, f"'{name}' is required but not supplied.", attribute_names=(name,))
    if error.validator == "additionalProperties" and not path:
        names = tuple(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        return Issue(UNKNOWN_ATTRIBUTE, "The attributes are invalid: " + ", ".join(names)
                     + " are not attributes of this product type.", attribute_names=names)
    name = path[0] if path else ""
    where = ".".join(p for p in path if not p.isdigit())
    code = TOO_FEW if error.validator in ("minUniqueItems", "minItems") else INVALID_VALUE
    return Issue(code, f"The value for '{where}' is invalid: {error.message}.", attribute_names=(name,))
