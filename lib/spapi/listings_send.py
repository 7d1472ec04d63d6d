"""The feed actions on SP-API: validate everything, then send one item directly or many as one feed.

``submit`` maps the items (``listings.to_listings``: the MWS input rules, then the mapping), checks
every listing against its product type's schema (``product_types``) and builds the JSON_LISTINGS_FEED
document checked against the v2 rules (``listings_feed``): anything wrong raises one
``FeedValidationError`` listing all of it, and nothing is sent. Then:

- ``dry_run``: Amazon's own check too (``mode=VALIDATION_PREVIEW`` per listing; deletions have no
  preview); output ``{dryRun, feedType, messageCount, feedDocument, ...}``, or the problems raised;
- one listing: putListingsItem / patchListingsItem / deleteListingsItem; ACCEPTED answers with the
  submission id (and any warnings), INVALID raises with Amazon's issues;
- several: createFeedDocument -> upload -> createFeed, exactly once (``lib.mws.exactly_once``: a
  lost createFeed answer is resolved with getFeeds by type and creation time on Amazon's clock).

``status`` and ``result`` read a feed id back (getFeed, getFeedDocument, the processing report v2)
into the MWS outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mws_component.lib.feeds import FeedValidationError, Problem, parse_processing_report, resolve_category
from mws_component.lib.mws.errors import ConfigurationError, NotReadyError
from mws_component.lib.mws.exactly_once import Sender, send_once
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.server_time import parse_iso

from . import feeds
from .listings import Listing, table, to_listings
from .listings_feed import FEED_TYPE, FeedDocument, feed_document, parse_report
from .product_types import metadata, product_types, schema_problems
from .regions import region_of

LISTINGS_ITEM = "LISTINGS_ITEM"  # the feedType of an output that went through the Listings Items API


def submit(client: Any, kind: str, items: list[dict] | dict, *, dry_run: bool = False, operation: str = "Update",
           category: str | None = None, logger: Any = None) -> dict:
    """Validate every item locally, then preview (``dry_run``), call directly (one listing) or send a feed."""
    document = build(client, kind, items, operation=operation, category=category)
    if dry_run:
        return preview(client, document)
    if document.message_count == 1:
        return direct(client, document.listings[0])
    return send_feed(client, document, logger)


def build(client: Any, kind: str, items: list[dict] | dict, *, operation: str = "Update",
          category: str | None = None) -> FeedDocument:
    """The checked feed document for ``items`` (mapping, product type schemas, v2 rules)."""
    creds = client.credentials
    listings = to_listings(kind, items, seller_id=creds.sellerId, marketplace_id=creds.marketplaceId,
                           operation=operation, category=category, region=(creds.region or region_of(creds.marketplaceId)).lower())
    problems = schema_problems(client, listings)
    if problems:
        raise FeedValidationError(problems, what=f"{kind} items (product type schemas)", nothing_sent=True)
    return feed_document(listings, seller_id=creds.sellerId)


def product_item_schema(client: Any, category: str) -> dict:
    """submitProduct's in-metadata on SP-API: one product of ``category``, its attributes from the
    current schema of the category's product type (fetched now, cached by version)."""
    element = resolve_category(category)[1][0]
    types = table()["productTypes"].get(element) or []
    schema = product_types(client).schema(types[0]) if types else None
    attributes = metadata(schema.schema) if schema else {"type": "object"}
    title = f"{category} ({types[0]})" if types else category
    return {"type": "object", "title": title, "properties": {
        "sku": {"type": "string", "title": "SKU", "maxLength": 40, "minLength": 1, "required": True},
        "productType": {"type": "string", "title": "Amazon product type", **({"enum": types} if types else {}),
                        "description": "empty: " + (types[0] if types else "required for this category")},
        "attributes": {**attributes, "title": f"Attributes of {types[0] if types else 'the product type'} "
                                               "(Amazon's names)"}}}


# ------------------------------------------------------------------ one listing, directly


def call_listing(client: Any, listing: Listing, *, preview: bool = False) -> dict:
    """One Listings Items call for ``listing``: ``{sku, status, submissionId, issues}``."""
    name, body = listing.call()
    params: dict[str, Any] = {"sellerId": client.credentials.sellerId, "sku": listing.sku,
                              "marketplaceIds": [client.credentials.marketplaceId]}
    if preview:
        params["mode"] = "VALIDATION_PREVIEW"
    return client.call(name, params, body=body).data


def direct(client: Any, listing: Listing) -> dict:
    answer = call_listing(client, listing)
    _refuse_invalid([(listing, answer)], "listing (Amazon answered INVALID, nothing changed)")
    return {"feedSubmissionId": str(answer.get("submissionId") or ""), "feedType": LISTINGS_ITEM,
            "feedProcessingStatus": "_DONE_", "submittedDate": format_timestamp(client.server_now()),
            "messageCount": 1, "sku": listing.sku, "status": str(answer.get("status") or ""),
            "issues": [_issue(i) for i in answer.get("issues") or [] if isinstance(i, Mapping)]}


def preview(client: Any, document: FeedDocument) -> dict:
    """Amazon's VALIDATION_PREVIEW of every listing but deletions; raises listing what it refused."""
    answers = [(x, call_listing(client, x, preview=True)) for x in document.listings if x.operation != "DELETE"]
    _refuse_invalid(answers, "listings (Amazon's VALIDATION_PREVIEW)")
    warnings = [{"sku": x.sku, **_issue(i)} for x, a in answers for i in a.get("issues") or [] if isinstance(i, Mapping)]
    return {"dryRun": True, "feedSubmissionId": None, "feedType": FEED_TYPE, "feedProcessingStatus": "_NOT_SUBMITTED_",
            "messageCount": document.message_count, "feedDocument": document.document, "issues": warnings}


def _refuse_invalid(answers: list[tuple[Listing, dict]], what: str) -> None:
    problems = []
    for listing, answer in answers:
        issues = [i for i in answer.get("issues") or [] if isinstance(i, Mapping)]
        if answer.get("status") in ("ACCEPTED", "VALID"):  # VALID: a VALIDATION_PREVIEW that passed
            continue
        for issue in [i for i in issues if i.get("severity") == "ERROR"] or issues or [{}]:
            names = ",".join(issue.get("attributeNames") or [])
            problems.append(Problem(listing.index, f"items[{listing.index}].attributes" + (f".{names}" if names else ""),
                                    str(issue.get("code") or answer.get("status") or "INVALID"),
                                    f"SKU {listing.sku}: {issue.get('message') or 'Amazon answered ' + str(answer.get('status'))}"))
    if problems:
        raise FeedValidationError(problems, what=what, nothing_sent=True)


def _issue(issue: Mapping[str, Any]) -> dict:
    return {"code": str(issue.get("code") or ""), "message": str(issue.get("message") or ""),
            "severity": str(issue.get("severity") or ""), "attributeNames": list(issue.get("attributeNames") or [])}


# ------------------------------------------------------------------ many listings, one feed


def send_feed(client: Any, document: FeedDocument | Any, logger: Any = None) -> dict:
    """Upload the document and createFeed exactly once: ``{feedSubmissionId: feedId, ...}``."""
    feed_type = document.feed_type  # JSON_LISTINGS_FEED, or an order feed (``order_feeds``)
    client.sync_clock()
    document_id = feeds.upload(client, document)
    feed = send_once(client, Sender(
        "createFeed", feed_type,
        submit=lambda: feeds.create_feed(client, feed_type, document_id),
        listed=lambda since: feeds.recent_feeds(client, feed_type, since),
        ident=lambda f: str(f.get("feedId") or ""),
        created=_created), logger)
    submitted = feed.get("createdTime") or format_timestamp(client.server_now())
    return {"feedSubmissionId": str(feed.get("feedId") or ""), "feedType": feed_type,
            "feedProcessingStatus": feeds.STATUSES.get(str(feed.get("processingStatus")), "_SUBMITTED_"),
            "submittedDate": str(submitted), "messageCount": document.message_count}


def _created(feed: Mapping[str, Any]) -> datetime | None:
    try:
        return parse_iso(str(feed.get("createdTime") or ""))
    except ValueError:
        return None


# ------------------------------------------------------------------ reading a feed back


def status(client: Any, feed_id: str, feed_type: str | None = None) -> dict:
    out = feeds.status_json(feeds.get_feed(client, feed_id))
    if feed_type and out["feedType"] != feed_type:
        raise ConfigurationError(f"Amazon's feed {feed_id} is a {out['feedType']} feed, not {feed_type}; check the "
                                 "id (and type)", field="feedType")
    return out


def result(client: Any, feed_id: str) -> dict:
    """The processing report of a finished feed; ``NotReadyError`` while Amazon is still at it."""
    feed = feeds.get_feed(client, feed_id)
    state = str(feed.get("processingStatus"))
    if state in feeds.NOT_READY:
        raise NotReadyError(f"feed {feed_id} is {state}; its processing report is not ready", code=state,
                            operation="getFeed")
    if state == "CANCELLED":
        raise ConfigurationError(f"feed {feed_id} was cancelled before processing: it has no processing report",
                                 field="feedSubmissionId")
    document_id = feed.get("resultFeedDocumentId")
    if not document_id:
        return {"feedSubmissionId": feed_id, "statusCode": "Rejected",
                "summary": {"messagesProcessed": 0, "messagesSuccessful": 0, "messagesWithError": 0,
                            "messagesWithWarning": 0},
                "results": [{"messageId": 0, "resultCode": "Error", "resultMessageCode": state,
                             "resultDescription": f"Amazon ended the feed {state} without a processing report"}]}
    body = feeds.download(client, str(document_id))
    if body.lstrip()[:1] == b"<":  # an order feed's XML ProcessingReport (``order_feeds``)
        out = {**parse_processing_report(body), "feedSubmissionId": feed_id}
    else:
        out = parse_report(body, feed_id)
    return {**out, "statusCode": "Rejected" if state == "FATAL" else out["statusCode"]}
