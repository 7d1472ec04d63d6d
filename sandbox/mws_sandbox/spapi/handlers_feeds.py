"""The Feeds API 2021-06-30 operations: documents, feeds, their listing and cancelling.

JSON_LISTINGS_FEED is processed by ``listingsfeed``; the order feeds (which Amazon kept when it
removed the XML listings feeds on 2025-07-31) go through the MWS side's XML processing. Any other
feed type is 400 InvalidInput, naming the removal where that is the reason. getFeeds pages with
nextToken alone, as the model demands; a lost createFeed answer is found again by feed type and
creation time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import NextTokenCorrupted
from . import presign
from .body import json_object, marketplaces
from .call import SpAnswer, SpCall
from .errors import InvalidInput, NotFound
from .feedstore import CANCELLED, IN_QUEUE, STATUSES, FeedFilter, FeedStore
from .render_listings import document_json, feed_json

LISTINGS_FEED = "JSON_LISTINGS_FEED"
ORDER_FEEDS = {"POST_ORDER_FULFILLMENT_DATA": "_POST_ORDER_FULFILLMENT_DATA_",
               "POST_ORDER_ACKNOWLEDGEMENT_DATA": "_POST_ORDER_ACKNOWLEDGEMENT_DATA_",
               "POST_PAYMENT_ADJUSTMENT_DATA": "_POST_PAYMENT_ADJUSTMENT_DATA_"}
FEED_TYPES = (LISTINGS_FEED, *ORDER_FEEDS)
REMOVED = ("POST_PRODUCT_DATA", "POST_INVENTORY_AVAILABILITY_DATA", "POST_PRODUCT_PRICING_DATA",
           "POST_PRODUCT_IMAGE_DATA", "POST_PRODUCT_RELATIONSHIP_DATA", "POST_PRODUCT_OVERRIDES_DATA",
           "POST_FLAT_FILE_LISTINGS_DATA", "POST_FLAT_FILE_INVLOADER_DATA")
FEED_ID = re.compile(r"^\d{1,20}$")
DOCUMENT_ID = re.compile(r"^amzn1\.tortuga\.[\w.-]+$")
RETENTION = 90 * 86400
KIND = "getFeeds"


@dataclass(frozen=True)
class FeedsCursor:
    ids: tuple[str, ...]
    offset: int
    size: int


def _store(call: SpCall) -> FeedStore:
    assert call.feeds is not None, "the dispatcher always passes the feed store"
    return call.feeds


def create_feed_document(call: SpCall) -> SpAnswer:
    content_type = json_object(call, "contentType").get("contentType")
    if not isinstance(content_type, str) or not content_type.strip():
        raise InvalidInput("Invalid input", details="contentType is required, e.g. application/json; charset=UTF-8.")
    document = _store(call).new_document(call.seller_id, content_type.strip(), call.now)
    url = presign.document_url(call.host, _store(call).secret, "PUT", document.document_id, call.now)
    return SpAnswer({"feedDocumentId": document.document_id, "url": url}, status=201)


def create_feed(call: SpCall) -> SpAnswer:
    spec = json_object(call, "feedType, marketplaceIds and inputFeedDocumentId")
    feed_type, document_id = spec.get("feedType"), spec.get("inputFeedDocumentId")
    if feed_type not in FEED_TYPES:
        why = " (removed from SP-API on 2025-07-31; send JSON_LISTINGS_FEED)" if feed_type in REMOVED else ""
        raise InvalidInput("Invalid input", details=f"feedType {feed_type}{why} is not served; use one of "
                           f"{', '.join(FEED_TYPES)}.")
    ids = marketplaces(call, spec.get("marketplaceIds"))
    if not isinstance(document_id, str) or _store(call).document(call.seller_id, document_id) is None:
        raise InvalidInput("Invalid input", details=f"inputFeedDocumentId {document_id} is not a feed document of "
                           "this seller; create one with createFeedDocument and upload to its URL first.")
    feed = _store(call).create(call.seller_id, feed_type, ids, document_id, call.now)
    return SpAnswer({"feedId": feed.feed_id}, status=202)


def _feed(call: SpCall):
    feed_id = call.args["feedId"]
    if not FEED_ID.match(feed_id):
        raise InvalidInput("Invalid input", details=f"feedId {feed_id} is not a feed id (digits only).")
    feed = _store(call).get(call.seller_id, feed_id)
    if feed is None:
        raise NotFound(f"Feed {feed_id} was not found for this seller.")
    return feed


def get_feed(call: SpCall) -> SpAnswer:
    return SpAnswer(feed_json(_feed(call), call.now))


def cancel_feed(call: SpCall) -> SpAnswer:
    feed = _feed(call)
    if feed.status(call.now) not in (IN_QUEUE, CANCELLED):
        raise InvalidInput("Invalid input", details=f"Feed {feed.feed_id} is {feed.status(call.now)}; only a feed "
                           "that is IN_QUEUE can be cancelled.")
    feed.cancelled = True
    return SpAnswer({})


def get_feeds(call: SpCall) -> SpAnswer:
    if call.query.one("nextToken") is not None:
        return _feeds_page(call, _redeem(call))
    query = _filter(call)
    size = call.query.integer("pageSize", 1, 100, 10)
    ids = tuple(f.feed_id for f in _store(call).find(call.seller_id, query, call.now))
    return _feeds_page(call, FeedsCursor(ids, 0, size))


def _filter(call: SpCall) -> FeedFilter:
    types = call.query.many("feedTypes", max_items=10)
    if not types:
        raise InvalidInput("Invalid input", details="Either feedTypes or nextToken is required.")
    statuses = call.query.many("processingStatuses", allowed=STATUSES)
    since = call.query.date("createdSince")
    since = call.now - RETENTION if since is None else since
    until = call.query.date("createdUntil")
    if until is not None and until < since:
        raise InvalidInput("Invalid input", details="createdUntil is before createdSince.")
    return FeedFilter(types, statuses, call.query.many("marketplaceIds", max_items=10), since, until)


def _redeem(call: SpCall) -> FeedsCursor:
    if set(call.query.values) != {"nextToken"}:
        raise InvalidInput("Invalid input", details="nextToken must be the only parameter.")
    try:
        return call.tokens.redeem(call.query.one("nextToken"), call.seller_id, KIND)
    except NextTokenCorrupted:
        raise InvalidInput("Invalid input", details="nextToken is unknown or another seller's; call getFeeds "
                           "again with feedTypes.") from None


def _feeds_page(call: SpCall, cursor: FeedsCursor) -> SpAnswer:
    chunk = cursor.ids[cursor.offset:cursor.offset + cursor.size]
    feeds = [f for f in (_store(call).get(call.seller_id, i) for i in chunk) if f is not None]
    following = replace(cursor, offset=cursor.offset + cursor.size)
    body: dict = {"feeds": [feed_json(f, call.now) for f in feeds]}
    if following.offset < len(cursor.ids):
        body["nextToken"] = call.tokens.issue(call.seller_id, KIND, following)
    return SpAnswer(body)


def get_feed_document(call: SpCall) -> SpAnswer:
    document_id = call.args["feedDocumentId"]
    if not DOCUMENT_ID.match(document_id):
        raise InvalidInput("Invalid input", details=f"feedDocumentId {document_id} is not a feed document id.")
    document = _store(call).document(call.seller_id, document_id)
    if document is None:
        raise NotFound(f"Feed document {document_id} was not found for this seller.")
    url = presign.document_url(call.host, _store(call).secret, "GET", document_id, call.now)
    return SpAnswer(document_json(document, url))
