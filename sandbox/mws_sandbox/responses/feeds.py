"""Feeds 2009-01-01 responses: FeedSubmissionInfo in schema order, HasNext first and NextToken
last in lists (the order seen in recorded traffic, mws.md §4.3)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only
from collections.abc import Sequence

from ..models.feeds import FeedSubmission
from ..timefmt import iso_offset
from .common import envelope, finish, opt, sub


def info(parent: ET.Element, feed: FeedSubmission, now: float) -> None:
    node = sub(parent, "FeedSubmissionInfo")
    sub(node, "FeedSubmissionId", feed.feed_id)
    sub(node, "FeedType", feed.feed_type)
    sub(node, "SubmittedDate", iso_offset(feed.submitted))
    sub(node, "FeedProcessingStatus", feed.status(now))
    started, completed = feed.started(now), feed.completed(now)
    opt(node, "StartedProcessingDate", None if started is None else iso_offset(started))
    opt(node, "CompletedProcessingDate", None if completed is None else iso_offset(completed))


def render_submit(namespace: str, request_id: str, feed: FeedSubmission, now: float) -> bytes:
    root, result = envelope("SubmitFeed", namespace)
    info(result, feed, now)
    return finish(root, request_id)


def render_list(action: str, namespace: str, request_id: str, feeds: Sequence[FeedSubmission],
                next_token: str | None, now: float) -> bytes:
    root, result = envelope(action, namespace)
    sub(result, "HasNext", next_token is not None)
    for feed in feeds:
        info(result, feed, now)
    opt(result, "NextToken", next_token)
    return finish(root, request_id)


def render_count(namespace: str, request_id: str, count: int) -> bytes:
    root, result = envelope("GetFeedSubmissionCount", namespace)
    sub(result, "Count", count)
    return finish(root, request_id)


def render_cancel(namespace: str, request_id: str, feeds: Sequence[FeedSubmission], now: float) -> bytes:
    root, result = envelope("CancelFeedSubmissions", namespace)
    sub(result, "Count", len(feeds))
    for feed in feeds:
        info(result, feed, now)
    return finish(root, request_id)
