"""One listings submission (a Listings Items call or one feed message), checked and maybe applied.

Both write paths share this, so a feed message and a ``putListingsItem`` with the same content give
the same issues and the same catalogue change. Amazon's rules modelled: UPDATE replaces the whole
listing (the product type's required attributes are enforced) and creates it when new;
PARTIAL_UPDATE and PATCH change only what they name and need an existing listing; DELETE removes
it. ``preview`` (``mode=VALIDATION_PREVIEW``) checks everything and changes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..feedrules import _asin_for
from ..models.catalogue import Catalogue, Listing
from . import attributes
from .issues import INVALID_VALUE, NOT_FOUND, UNKNOWN_PRODUCT_TYPE, Issue
from .producttypes import attribute_issues, product_types

OPERATIONS = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
PATCH_OPS = ("add", "replace", "merge", "delete")


@dataclass(frozen=True)
class Submission:
    sku: str
    operation: str
    product_type: str | None = None
    requirements: str = "LISTING"
    attributes: dict = field(default_factory=dict)
    patches: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Outcome:
    status: str  # ACCEPTED, INVALID, or VALID (a clean preview)
    issues: tuple[Issue, ...]
    asin: str | None = None


def submit(catalogue: Catalogue, seller_id: str, sub: Submission, preview: bool = False) -> Outcome:
    existing = catalogue.get(sub.sku)
    issues, merged, touched = _check(catalogue, existing, sub)
    if any(i.error for i in issues):
        return Outcome("INVALID", tuple(issues))
    if preview:
        return Outcome("VALID", tuple(issues), existing.asin if existing else None)
    listing = _apply(catalogue, seller_id, existing, sub, merged, touched)
    return Outcome("ACCEPTED", tuple(issues), listing.asin if listing else None)


def _check(catalogue: Catalogue, existing: Listing | None, sub: Submission) -> tuple[list[Issue], dict, set[str]]:
    if sub.operation == "DELETE":
        return ([] if existing else [_missing(sub.sku, "delete")]), {}, set()
    if sub.product_type not in product_types():
        return [Issue(UNKNOWN_PRODUCT_TYPE, f"The product type '{sub.product_type}' has no definition in this "
                      f"marketplace; use one of {', '.join(sorted(product_types()))}.")], {}, set()
    if sub.operation != "UPDATE" and existing is None:
        return [_missing(sub.sku, sub.operation.lower().replace("_", " "))], {}, set()
    if sub.operation == "PATCH":
        return _patched(existing, sub)
    partial = sub.operation == "PARTIAL_UPDATE"
    issues = attribute_issues(sub.product_type, sub.attributes, sub.requirements, partial=partial)
    issues += _relationship_issues(catalogue, sub.sku, sub.attributes)
    merged = {**(existing.attributes if existing and partial else {}), **sub.attributes}
    touched = set(sub.attributes) | (set(existing.attributes) if existing and not partial else set())
    return issues, merged, touched


def _missing(sku: str, what: str) -> Issue:
    return Issue(NOT_FOUND, f"The SKU '{sku}' has no listing to {what}; create it first with a full UPDATE "
                 "(putListingsItem).")


def _patched(existing: Listing, sub: Submission) -> tuple[list[Issue], dict, set[str]]:
    merged, issues, touched = copy.deepcopy(existing.attributes), [], set()
    for patch in sub.patches:
        path = str(patch.get("path", ""))
        name = path.removeprefix("/attributes/")
        if not path.startswith("/attributes/") or not name or "/" in name or patch.get("op") not in PATCH_OPS:
            issues.append(Issue(INVALID_VALUE, f"The patch {patch.get('op')} {path} is not valid: use op add, "
                                "replace, merge or delete on /attributes/<attribute name>."))
            continue
        touched.add(name)
        _patch(merged, name, patch.get("op"), patch.get("value") or [])
    partial = {n: merged[n] for n in touched if n in merged}
    issues += attribute_issues(sub.product_type, partial, sub.requirements, partial=True)
    return issues, merged, touched


def _patch(attrs: dict, name: str, op: str, value: list) -> None:
    if op in ("add", "replace"):
        attrs[name] = value
    elif op == "merge":
        current = attrs.setdefault(name, [])
        for i, item in enumerate(value):
            if i < len(current) and isinstance(current[i], dict):
                current[i] = {**current[i], **item}
            else:
                current.append(item)
    elif not value:
        attrs.pop(name, None)
    else:
        attrs[name] = [v for v in attrs.get(name, []) if not any(_covers(d, v) for d in value)]
        if not attrs[name]:
            attrs.pop(name)


def _covers(pattern: dict, item: dict) -> bool:
    return isinstance(item, dict) and all(item.get(k) == v for k, v in pattern.items())


def _relationship_issues(catalogue: Catalogue, sku: str, attrs: dict) -> list[Issue]:
    parent = attributes.first(attrs.get("child_parent_sku_relationship")).get("parent_sku")
    if parent is None or parent in catalogue:
        return []
    return [Issue(INVALID_VALUE, f"The parent SKU '{parent}' of '{sku}' does not exist; create the parent "
                  "listing before its children.", attribute_names=("child_parent_sku_relationship",))]


def _apply(catalogue: Catalogue, seller_id: str, existing: Listing | None, sub: Submission, merged: dict,
           touched: set[str]) -> Listing | None:
    if sub.operation == "DELETE":
        catalogue.remove(sub.sku)
        return existing
    listing = existing or catalogue.add(Listing(sub.sku, _asin(seller_id, sub), sub.sku, None, "USD", quantity=0))
    listing.product_type, listing.attributes = sub.product_type, merged
    attributes.project(catalogue, listing, touched)
    return listing


def _asin(seller_id: str, sub: Submission) -> str:
    suggested = attributes.first(sub.attributes.get("merchant_suggested_asin")).get("value")
    return suggested or _asin_for(seller_id, sub.sku)
