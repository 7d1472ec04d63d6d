"""Feed submissions, their life cycle over sandbox time, and the processing report as plain data.

A feed is _SUBMITTED_ for ``QUEUE_SECONDS``, then _IN_PROGRESS_ until ``PROCESS_SECONDS`` after
submission, then _DONE_ (Amazon took from ~30 s to ~12 min, mws.md §4.3). Status is computed
from the clock, so a ManualClock jump moves every feed on; the report is produced once, when
the sandbox first notices a feed is done (``due``). Only a _SUBMITTED_ feed can be cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SUBMITTED, IN_PROGRESS, DONE, CANCELLED = "_SUBMITTED_", "_IN_PROGRESS_", "_DONE_", "_CANCELLED_"
STATUSES = ("_AWAITING_ASYNCHRONOUS_REPLY_", CANCELLED, DONE, IN_PROGRESS, "_IN_SAFETY_NET_", SUBMITTED,
            "_UNCONFIRMED_")
QUEUE_SECONDS = 20
PROCESS_SECONDS = 60


@dataclass(frozen=True)
class Result:
    """One line of a processing report: a problem with one message (MessageID 0: the whole feed)."""

    message_id: int
    code: str
    message_code: int
    description: str
    sku: str | None = None
    order_id: str | None = None


@dataclass
class FeedReport:
    """What processing found; ``kind`` "xml" renders as a ProcessingReport, "flat" as Amazon's
    tab-delimited summary (flat-file feeds get a text report)."""

    status_code: str
    processed: int
    kind: str = "xml"
    results: list[Result] = field(default_factory=list)
    ids_with_error: set[int] = field(default_factory=set)
    ids_with_warning: set[int] = field(default_factory=set)

    def add(self, result: Result) -> None:
        self.results.append(result)
        target = self.ids_with_error if result.code == "Error" else self.ids_with_warning
        target.add(result.message_id)

    @property
    def with_error(self) -> int:
        return len(self.ids_with_error)

    @property
    def with_warning(self) -> int:
        return len(self.ids_with_warning - self.ids_with_error)

    @property
    def successful(self) -> int:
        return max(self.processed - self.with_error, 0)


@dataclass
class FeedSubmission:
    feed_id: str
    seller_id: str
    feed_type: str
    submitted: float
    content: bytes
    content_type: str
    marketplace_ids: tuple[str, ...] = ()
    purge_and_replace: bool = False
    cancelled: bool = False
    report: FeedReport | None = None

    def status(self, now: float) -> str:
        if self.cancelled:
            return CANCELLED
        if now < self.submitted + QUEUE_SECONDS:
            return SUBMITTED
        if now < self.submitted + PROCESS_SECONDS:
            return IN_PROGRESS
        return DONE

    def started(self, now: float) -> float | None:
        return None if self.status(now) in (SUBMITTED, CANCELLED) else self.submitted + QUEUE_SECONDS

    def completed(self, now: float) -> float | None:
        return self.submitted + PROCESS_SECONDS if self.status(now) == DONE else None


@dataclass(frozen=True)
class FeedQuery:
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    submitted_from: float | None = None
    submitted_to: float | None = None

    def matches(self, feed: FeedSubmission, now: float) -> bool:
        if self.ids:
            return feed.feed_id in self.ids
        return ((not self.types or feed.feed_type in self.types)
                and (not self.statuses or feed.status(now) in self.statuses)
                and (self.submitted_from is None or feed.submitted >= self.submitted_from)
                and (self.submitted_to is None or feed.submitted <= self.submitted_to))


@dataclass
class FeedDesk:
    """Every submission, newest last; ids are decimal strings like Amazon's (``355372017648``).

    ``applied`` remembers the last accepted payload per (seller, message type, SKU) and the feed
    that carried it, so an identical resubmission is skipped with Amazon's 5000 warning."""

    next_id: int
    feeds: dict[str, FeedSubmission] = field(default_factory=dict)
    applied: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)

    def submit(self, seller_id: str, feed_type: str, content: bytes, content_type: str, now: float,
               marketplace_ids: tuple[str, ...] = (), purge: bool = False) -> FeedSubmission:
        feed = FeedSubmission(str(self.next_id), seller_id, feed_type, now, content, content_type,
                              marketplace_ids, purge)
        self.next_id += 1 + (self.next_id % 7)
        self.feeds[feed.feed_id] = feed
        return feed

    def get(self, seller_id: str, feed_id: str) -> FeedSubmission | None:
        feed = self.feeds.get(feed_id)
        return feed if feed is not None and feed.seller_id == seller_id else None

    def find(self, seller_id: str, query: FeedQuery, now: float) -> list[FeedSubmission]:
        """Matching submissions of one seller, newest first (as GetFeedSubmissionList lists them)."""
        found = [f for f in self.feeds.values() if f.seller_id == seller_id and query.matches(f, now)]
        return sorted(found, key=lambda f: (f.submitted, int(f.feed_id)), reverse=True)

    def cancel(self, seller_id: str, query: FeedQuery, now: float) -> list[FeedSubmission]:
        """Cancel what is still _SUBMITTED_; every match is returned, done ones unchanged (as observed)."""
        found = self.find(seller_id, query, now)
        for feed in found:
            if feed.status(now) == SUBMITTED:
                feed.cancelled = True
        return found

    def due(self, now: float) -> list[FeedSubmission]:
        """Done feeds still without a report, oldest first, so changes apply in submission order."""
        waiting = [f for f in self.feeds.values() if f.report is None and f.status(now) == DONE]
        return sorted(waiting, key=lambda f: (f.submitted, int(f.feed_id)))
