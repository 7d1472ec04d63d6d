"""SP-API feeds and feed documents: state only, over the sandbox clock.

A feed document is created empty with a declared content type, filled by one upload to its
presigned URL, and read back (a result document) from the same kind of URL. A feed is IN_QUEUE
for ``QUEUE_SECONDS`` after createFeed, IN_PROGRESS until ``PROCESS_SECONDS``, then DONE or FATAL
(decided when the sandbox processes it: an input document that is not a valid listings feed is
FATAL); one cancelled while IN_QUEUE is CANCELLED. The same timings as the MWS side (``models.feeds``).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

from ..models.feeds import PROCESS_SECONDS, QUEUE_SECONDS

IN_QUEUE, IN_PROGRESS, DONE, FATAL, CANCELLED = "IN_QUEUE", "IN_PROGRESS", "DONE", "FATAL", "CANCELLED"
STATUSES = (CANCELLED, DONE, FATAL, IN_PROGRESS, IN_QUEUE)
URL_SECONDS = 300  # presigned URLs expire after 5 minutes (the model's words)


@dataclass
class FeedDocument:
    document_id: str
    seller_id: str
    content_type: str
    created: float
    content: bytes | None = None
    compressed: bool = False  # result documents are stored GZIP-compressed


@dataclass
class SpFeed:
    feed_id: str
    seller_id: str
    feed_type: str
    marketplace_ids: tuple[str, ...]
    document_id: str
    created: float
    cancelled: bool = False
    fatal: bool = False
    result_document_id: str | None = None

    def status(self, now: float) -> str:
        if self.cancelled:
            return CANCELLED
        if now < self.created + QUEUE_SECONDS:
            return IN_QUEUE
        if now < self.created + PROCESS_SECONDS or self.result_document_id is None:
            return IN_PROGRESS
        return FATAL if self.fatal else DONE

    def started(self, now: float) -> float | None:
        return None if self.status(now) in (IN_QUEUE, CANCELLED) else self.created + QUEUE_SECONDS

    def ended(self, now: float) -> float | None:
        return self.created + PROCESS_SECONDS if self.status(now) in (DONE, FATAL) else None


@dataclass(frozen=True)
class FeedFilter:
    types: tuple[str, ...]
    statuses: tuple[str, ...] = ()
    marketplaces: tuple[str, ...] = ()
    since: float | None = None
    until: float | None = None

    def matches(self, feed: SpFeed, now: float) -> bool:
        return (feed.feed_type in self.types
                and (not self.statuses or feed.status(now) in self.statuses)
                and (not self.marketplaces or bool(set(self.marketplaces) & set(feed.marketplace_ids)))
                and (self.since is None or feed.created >= self.since)
                and (self.until is None or feed.created <= self.until))


@dataclass
class FeedStore:
    rng: random.Random
    next_id: int
    secret: bytes = b""  # signs the presigned document URLs (``presign``)
    documents: dict[str, FeedDocument] = field(default_factory=dict)
    feeds: dict[str, SpFeed] = field(default_factory=dict)

    def new_document(self, seller_id: str, content_type: str, now: float) -> FeedDocument:
        doc_id = "amzn1.tortuga.4.na." + str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        document = FeedDocument(doc_id, seller_id, content_type, now)
        self.documents[doc_id] = document
        return document

    def document(self, seller_id: str, document_id: str) -> FeedDocument | None:
        found = self.documents.get(document_id)
        return found if found is not None and found.seller_id == seller_id else None

    def new_id(self) -> str:
        """A submission id for the Listings Items API, drawn from the seeded source."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def create(self, seller_id: str, feed_type: str, marketplaces: tuple[str, ...], document_id: str,
               now: float) -> SpFeed:
        feed = SpFeed(str(self.next_id), seller_id, feed_type, marketplaces, document_id, now)
        self.next_id += 1 + (self.next_id % 5)
        self.feeds[feed.feed_id] = feed
        return feed

    def get(self, seller_id: str, feed_id: str) -> SpFeed | None:
        found = self.feeds.get(feed_id)
        return found if found is not None and found.seller_id == seller_id else None

    def find(self, seller_id: str, query: FeedFilter, now: float) -> list[SpFeed]:
        """Matching feeds of one seller, newest first."""
        found = [f for f in self.feeds.values() if f.seller_id == seller_id and query.matches(f, now)]
        return sorted(found, key=lambda f: (f.created, int(f.feed_id)), reverse=True)

    def due(self, now: float) -> list[SpFeed]:
        """Feeds whose processing time has come and that have no result yet, oldest first."""
        waiting = [f for f in self.feeds.values() if not f.cancelled and f.result_document_id is None
                   and now >= f.created + PROCESS_SECONDS]
        return sorted(waiting, key=lambda f: (f.created, int(f.feed_id)))
