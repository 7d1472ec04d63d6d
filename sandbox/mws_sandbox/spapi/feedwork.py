"""Processing SP-API feeds whose time has come, on the sandbox clock (called from ``Sandbox._tick``).

A JSON_LISTINGS_FEED becomes Amazon's JSON processing report (checked against Amazon's report
schema when the sandbox has it: a report that fails is a sandbox bug, so it raises); an order feed
goes through the MWS side's XML processing and gives its XML ProcessingReport. The result document
is always stored GZIP-compressed (``compressionAlgorithm: GZIP`` in getFeedDocument).
"""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING

from .. import feedcheck
from ..feedrules import FeedContext
from ..models.backend import rng_for
from ..models.feeds import FeedSubmission
from ..responses.report import render_report
from . import listingsfeed
from .feedstore import FeedStore, SpFeed
from .handlers_feeds import LISTINGS_FEED, ORDER_FEEDS
from .render_listings import item_json

if TYPE_CHECKING:
    from ..app import Sandbox

JSON_REPORT_TYPE = "application/json; charset=UTF-8"
XML_REPORT_TYPE = "text/xml; charset=UTF-8"


def fresh_store(seed: int) -> FeedStore:
    rng = rng_for(seed, "sp-api-feeds")
    return FeedStore(rng, next_id=60_000_000_000 + rng.randrange(10**9), secret=rng.randbytes(32))


def tick(sandbox: Sandbox, now: float) -> None:
    store = sandbox.sp_feeds
    for feed in store.due(now):
        content = store.documents[feed.document_id].content
        if feed.feed_type == LISTINGS_FEED:
            body, content_type = _listings(sandbox, feed, content, now), JSON_REPORT_TYPE
        else:
            body, content_type = _orders(sandbox, feed, content or b"", now), XML_REPORT_TYPE
        result = store.new_document(feed.seller_id, content_type, now)
        result.content, result.compressed = gzip.compress(body, mtime=0), True
        feed.result_document_id = result.document_id


def _listings(sandbox: Sandbox, feed: SpFeed, content: bytes | None, now: float) -> bytes:
    catalogue = sandbox.backend.catalogues[feed.seller_id]
    marketplace_id = feed.marketplace_ids[0]

    def view(sku: str, included: tuple[str, ...]) -> dict | None:
        listing = catalogue.get(sku)
        return None if listing is None else item_json(listing, catalogue, marketplace_id, included, now)

    report, feed.fatal = listingsfeed.process(content, catalogue, feed.seller_id, feed.feed_id,
                                              sandbox.feed_schemas, view)
    problems = sandbox.feed_schemas.report_problems(report)
    if problems:
        raise RuntimeError(f"sandbox bug: the processing report for feed {feed.feed_id} does not validate "
                           f"against Amazon's report schema: {problems}")
    return json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8")


def _orders(sandbox: Sandbox, feed: SpFeed, content: bytes, now: float) -> bytes:
    submission = FeedSubmission(feed.feed_id, feed.seller_id, ORDER_FEEDS[feed.feed_type], feed.created, content,
                                "text/xml", feed.marketplace_ids)
    ctx = FeedContext(feed.feed_id, feed.seller_id, feed.seller_id, sandbox.backend.catalogues[feed.seller_id],
                      sandbox.backend.orders, sandbox.backend.feeds, now)
    report = feedcheck.process(submission, ctx, sandbox.feed_validator)
    return render_report(report, feed.feed_id, feed.seller_id)
