"""Feeds 2021-06-30: the feed-document flow, feed status, and the result document.

Sending is createFeedDocument -> PUT the bytes to the presigned URL it returns (exactly the declared
Content-Type, no SP-API headers, through the client's transport) -> createFeed. createFeed is the one
call that must reach Amazon exactly once: ``lib.submission`` wraps it (a lost answer is resolved with
``recent_feeds``). Reading is getFeed -> getFeedDocument -> download (GZIP possible), each answer
bounded: the transport caps the bytes received, ``MAX_REPORT_BYTES`` the bytes once decompressed.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mws_component.lib.mws.errors import ConfigurationError, ResponseIntegrityError, ResponseTooLargeError

from .listings_feed import CONTENT_TYPE, FeedDocument

MAX_REPORT_BYTES = 64 * 1024 * 1024  # a processing report once decompressed (25,000 messages fit well)
PAGE_SIZE = 100  # getFeeds' maximum
DONE = ("DONE", "FATAL", "CANCELLED")
NOT_READY = ("IN_QUEUE", "IN_PROGRESS")
STATUSES = {"IN_QUEUE": "_SUBMITTED_", "IN_PROGRESS": "_IN_PROGRESS_", "DONE": "_DONE_", "CANCELLED": "_CANCELLED_",
            "FATAL": "_FATAL_"}


def upload(client: Any, document: FeedDocument | Any) -> str:
    """The id of a new feed document holding ``document``'s bytes."""
    content_type = getattr(document, "content_type", CONTENT_TYPE)  # text/xml for order feeds (order_feeds)
    created = client.call("createFeedDocument", body={"contentType": content_type}).data
    doc_id, url = created.get("feedDocumentId"), created.get("url")
    if not doc_id or not url:
        raise ResponseIntegrityError("createFeedDocument answered without feedDocumentId and url",
                                     operation="createFeedDocument")
    client.transfer("PUT", url, body=document.body, headers={"content-type": content_type},
                    operation="uploadFeedDocument")
    return str(doc_id)


def create_feed(client: Any, feed_type: str, document_id: str) -> dict:
    """createFeed for an uploaded document: ``{"feedId"}``."""
    body = {"feedType": feed_type, "marketplaceIds": [client.credentials.marketplaceId],
            "inputFeedDocumentId": document_id}
    return client.call("createFeed", body=body).data


def recent_feeds(client: Any, feed_type: str, since: datetime) -> list[dict]:
    """Feeds of ``feed_type`` created at or after ``since`` (Amazon's clock), every page."""
    params: dict[str, Any] = {"feedTypes": [feed_type], "marketplaceIds": [client.credentials.marketplaceId],
                              "pageSize": PAGE_SIZE, "createdSince": since}
    feeds: list[dict] = []
    seen_tokens: set[str] = set()
    while True:
        data = client.call("getFeeds", params).data
        feeds += [f for f in data.get("feeds") or [] if isinstance(f, dict)]
        token = data.get("nextToken")
        if not token:
            return feeds
        if token in seen_tokens:
            raise ResponseIntegrityError("getFeeds repeated a nextToken", operation="getFeeds")
        seen_tokens.add(token)
        params = {"nextToken": token}  # with nextToken, getFeeds takes no other parameter


def get_feed(client: Any, feed_id: str) -> dict:
    return client.call("getFeed", {"feedId": feed_id}).data


def status_json(feed: Mapping[str, Any]) -> dict:
    """A getFeed answer in the MWS status output (``feedProcessingStatus`` as MWS spells it)."""
    out = {"feedSubmissionId": str(feed.get("feedId") or ""), "feedType": str(feed.get("feedType") or ""),
           "feedProcessingStatus": STATUSES.get(str(feed.get("processingStatus")), "_SUBMITTED_")}
    for source, target in (("createdTime", "submittedDate"), ("processingStartTime", "startedProcessingDate"),
                           ("processingEndTime", "completedProcessingDate")):
        if feed.get(source):
            out[target] = str(feed[source])
    return out


def download(client: Any, document_id: str) -> bytes:
    """A feed document's content (a processing report), decompressed when Amazon says GZIP."""
    doc = client.call("getFeedDocument", {"feedDocumentId": document_id}).data
    if not doc.get("url"):
        raise ResponseIntegrityError(f"getFeedDocument {document_id} answered without a url", operation="getFeedDocument")
    body = client.transfer("GET", str(doc["url"]), operation="downloadFeedDocument").body
    algorithm = doc.get("compressionAlgorithm")
    if algorithm in (None, ""):
        return _capped(body, len(body))
    if algorithm != "GZIP":
        raise ConfigurationError(f"feed document {document_id} is compressed with {algorithm!r}; only GZIP is known")
    return gunzip(body, MAX_REPORT_BYTES)


def gunzip(data: bytes, cap: int) -> bytes:
    """``data`` decompressed, never past ``cap`` bytes (a gzip bomb stops there)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as err:
        raise ResponseIntegrityError(f"the feed document is not valid GZIP ({err})",
                                     operation="downloadFeedDocument") from None
    if len(out) > cap or inflater.unconsumed_tail:
        raise _too_large(cap, len(out))
    if not inflater.eof:
        raise ResponseIntegrityError("the feed document's GZIP data is cut short", operation="downloadFeedDocument")
    return out


def _capped(body: bytes, size: int) -> bytes:
    if size > MAX_REPORT_BYTES:
        raise _too_large(MAX_REPORT_BYTES, size)
    return body


def _too_large(cap: int, size: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(f"the feed document passed {cap} bytes decompressed", limit=cap, received=size,
                                 operation="downloadFeedDocument")
