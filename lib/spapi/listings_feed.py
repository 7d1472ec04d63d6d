"""The JSON_LISTINGS_FEED document (v2) and its processing report (v2).

``feed_document`` builds the document from ``Listing``s and checks it against the rules of Amazon's
``listings-feed-schema-v2.json`` (encoded in ``FEED_RULES`` below; the tests check the same
documents against Amazon's file itself). ``parse_report`` maps a processing report into the output
the MWS processing report has (``schemas/get_feed_submission_result.out.json``): a summary and one
result per issue, with the SKU, Amazon's code, severity and the attribute names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft7Validator

from mws_component.lib.feeds import FeedValidationError, Problem, ProcessingReportError

from .listings import Listing

FEED_TYPE = "JSON_LISTINGS_FEED"
CONTENT_TYPE = "application/json; charset=UTF-8"
MAX_MESSAGES = 25_000  # the schema's maxItems
MAX_MESSAGE_ID = 2_147_483_647
OPERATION_TYPES = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
PATCH_OPS = ("add", "replace", "merge", "delete")

_PATCH = {"type": "object", "required": ["op", "path"], "properties": {
    "op": {"type": "string", "enum": list(PATCH_OPS)}, "path": {"type": "string"},
    "value": {"type": "array", "items": {"type": "object"}}}}
_MESSAGE = {
    "type": "object", "required": ["messageId", "sku", "operationType"],
    "properties": {
        "messageId": {"type": "integer", "minimum": 1, "maximum": MAX_MESSAGE_ID},
        "sku": {"type": "string", "minLength": 1},
        "operationType": {"type": "string", "enum": list(OPERATION_TYPES)},
        "productType": {"type": "string", "minLength": 1},
        "requirements": {"type": "string", "enum": ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"]},
        "attributes": {"type": "object", "minProperties": 1},
        "patches": {"type": "array", "minItems": 1, "items": _PATCH}},
    "oneOf": [
        {"properties": {"operationType": {"const": "UPDATE"}, "patches": False},
         "required": ["productType", "attributes"]},
        {"properties": {"operationType": {"const": "DELETE"}, "requirements": False, "attributes": False,
                        "productType": False, "patches": False}},
        {"properties": {"operationType": {"const": "PARTIAL_UPDATE"}, "requirements": False, "patches": False},
         "required": ["productType", "attributes"]},
        {"properties": {"operationType": {"const": "PATCH"}, "requirements": False, "attributes": False},
         "required": ["productType", "patches"]}],
}
#: The rules of listings-feed-schema-v2.json (Amazon's, draft-07) that a document we build can break.
FEED_RULES = {
    "type": "object", "required": ["header", "messages"],
    "properties": {
        "header": {"type": "object", "required": ["sellerId", "version"], "properties": {
            "sellerId": {"type": "string"}, "version": {"type": "string", "const": "2.0"},
            "issueLocale": {"type": "string"}}},
        "messages": {"type": "array", "minItems": 1, "maxItems": MAX_MESSAGES, "items": _MESSAGE}},
}


@dataclass(frozen=True)
class FeedDocument:
    """A built JSON_LISTINGS_FEED: the exact bytes to upload and what they hold."""

    document: dict
    body: bytes = field(repr=False)
    listings: tuple[Listing, ...] = field(repr=False)
    feed_type: str = FEED_TYPE
    content_type: str = CONTENT_TYPE

    @property
    def message_count(self) -> int:
        return len(self.document["messages"])


def feed_document(listings: list[Listing], *, seller_id: str, issue_locale: str | None = None) -> FeedDocument:
    """The document for ``listings`` (message ids 1..n in order), checked against the v2 rules."""
    header: dict[str, Any] = {"sellerId": seller_id, "version": "2.0"}
    if issue_locale:
        header["issueLocale"] = issue_locale
    document = {"header": header, "messages": [x.message(n) for n, x in enumerate(listings, 1)]}
    problems = document_problems(document)
    if problems:
        raise FeedValidationError(problems, what="JSON_LISTINGS_FEED document", nothing_sent=True)
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return FeedDocument(document, body, tuple(listings))


def document_problems(document: Mapping[str, Any]) -> list[Problem]:
    """Where ``document`` breaks the listings feed v2 rules (an empty list when it keeps them)."""
    problems = []
    for err in sorted(Draft7Validator(FEED_RULES).iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path).lstrip(".")
        index = err.absolute_path[1] if len(err.absolute_path) > 1 and err.absolute_path[0] == "messages" else None
        problems.append(Problem(index, path or "document", str(err.validator), err.message))
    return problems


# ------------------------------------------------------------------ processing report v2


def parse_report(body: bytes, feed_id: str) -> dict:
    """A processing report (v2) as ``{feedSubmissionId, statusCode, summary, results}``."""
    try:
        report = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise ProcessingReportError(f"the processing report of feed {feed_id} is not JSON ({err})") from None
    if not isinstance(report, dict) or not isinstance(report.get("summary", {}), dict):
        raise ProcessingReportError(f"the processing report of feed {feed_id} is not a listings report (v2)")
    issues = [i for i in report.get("issues") or [] if isinstance(i, dict)]
    return {"feedSubmissionId": feed_id, "statusCode": "Complete", "summary": _summary(report["summary"], issues)
            if "summary" in report else _summary({}, issues), "results": [_result(i) for i in issues]}


def _summary(summary: Mapping[str, Any], issues: list[dict]) -> dict:
    warned = {i.get("messageId") for i in issues if i.get("severity") == "WARNING"}
    return {"messagesProcessed": int(summary.get("messagesProcessed") or 0),
            "messagesSuccessful": int(summary.get("messagesAccepted") or 0),
            "messagesWithError": int(summary.get("messagesInvalid") or 0),
            "messagesWithWarning": len(warned)}


def _result(issue: Mapping[str, Any]) -> dict:
    out: dict[str, Any] = {"messageId": int(issue.get("messageId") or 0),
                           "resultCode": "Warning" if issue.get("severity") in ("WARNING", "INFO") else "Error",
                           "resultMessageCode": str(issue.get("code") or ""),
                           "resultDescription": str(issue.get("message") or "")}
    if issue.get("sku"):
        out["sku"] = str(issue["sku"])
    names = issue.get("attributeNames") or ([issue["attributeName"]] if issue.get("attributeName") else [])
    if names:
        out["attributeNames"] = [str(n) for n in names]
    if issue.get("severity"):
        out["severity"] = str(issue["severity"])
    return out
