"""Feeds 2009-01-01: SubmitFeed, GetFeedSubmissionList(+ByNextToken), GetFeedSubmissionCount,
CancelFeedSubmissions, GetFeedSubmissionResult (mws.md §4)."""

from __future__ import annotations

from ..call import Answer, Call
from ..errors import (
    ContentMD5DoesNotMatch,
    ContentMD5Missing,
    FeedCanceled,
    FeedProcessingResultNotReady,
    InvalidFeedSubmissionId,
    InvalidFeedType,
    InvalidParameterValue,
)
from ..feedtypes import FEED_TYPES
from ..models.feeds import CANCELLED, DONE, STATUSES, FeedQuery
from ..params import Params
from ..responses.feeds import render_cancel, render_count, render_list, render_submit
from ..responses.report import render_flat_report, render_report
from ..sigv2 import content_md5

DAY = 86_400.0
KIND = "GetFeedSubmissionList"


def check_md5(call: Call) -> None:
    """The feed's MD5 must arrive (signed ContentMD5Value, or the legacy header) and match the body."""
    sent = [v for v in (call.params.get("ContentMD5Value"), call.wire.header("content-md5")) if v]
    if not sent:
        raise ContentMD5Missing()
    actual = content_md5(call.wire.body)
    if any(v.strip() != actual for v in sent):
        raise ContentMD5DoesNotMatch()


def submit_feed(call: Call) -> Answer:
    if call.wire.method != "POST":
        raise InvalidParameterValue("This API does not support the HTTP GET operation; POST the feed as the body.")
    feed_type = call.params.required("FeedType", "e.g. _POST_INVENTORY_AVAILABILITY_DATA_")
    if feed_type not in FEED_TYPES:
        raise InvalidFeedType(f"Invalid FeedType: {feed_type}")
    check_md5(call)
    marketplaces = call.params.members("MarketplaceIdList.Id")
    for marketplace_id in marketplaces:
        call.seller.retail_marketplace(marketplace_id, "MarketplaceIdList")
    feed = call.backend.feeds.submit(
        call.seller_id, feed_type, call.wire.body, call.wire.header("content-type") or "text/xml", call.now,
        tuple(marketplaces), call.params.boolean("PurgeAndReplace", False))
    return Answer(render_submit(call.namespace, call.request_id, feed, call.now))


def _query(p: Params, now: float, ids: bool, history_days: float) -> FeedQuery:
    return FeedQuery(
        tuple(p.members("FeedSubmissionIdList.Id", 100)) if ids else (),
        tuple(p.choices("FeedTypeList.Type", FEED_TYPES)),
        tuple(p.choices("FeedProcessingStatusList.Status", STATUSES)),
        p.date("SubmittedFromDate") or now - history_days * DAY,
        p.date("SubmittedToDate") or now,
    )


def get_list(call: Call) -> Answer:
    size = call.params.integer("MaxCount", 1, 100, 10)
    found = call.backend.feeds.find(call.seller_id, _query(call.params, call.now, True, 90), call.now)
    return _list_page(call, tuple(f.feed_id for f in found), 0, size)


def get_list_by_next_token(call: Call) -> Answer:
    ids, offset, size = call.tokens.redeem(call.params.required("NextToken"), call.seller_id, KIND)
    return _list_page(call, ids, offset, size)


def _list_page(call: Call, ids: tuple[str, ...], offset: int, size: int) -> Answer:
    page = [call.backend.feeds.get(call.seller_id, i) for i in ids[offset:offset + size]]
    end = offset + size
    token = call.tokens.issue(call.seller_id, KIND, (ids, end, size)) if end < len(ids) else None
    return Answer(render_list(call.action, call.namespace, call.request_id, page, token, call.now))


def get_count(call: Call) -> Answer:
    found = call.backend.feeds.find(call.seller_id, _query(call.params, call.now, False, 90), call.now)
    return Answer(render_count(call.namespace, call.request_id, len(found)))


def cancel(call: Call) -> Answer:
    found = call.backend.feeds.cancel(call.seller_id, _query(call.params, call.now, True, 180), call.now)
    return Answer(render_cancel(call.namespace, call.request_id, found, call.now))


def get_result(call: Call) -> Answer:
    feed_id = call.params.required("FeedSubmissionId")
    feed = call.backend.feeds.get(call.seller_id, feed_id)
    if feed is None:
        raise InvalidFeedSubmissionId(f"Invalid FeedSubmissionId: {feed_id}")
    status = feed.status(call.now)
    if status == CANCELLED:
        raise FeedCanceled(f"Feed Submission {feed_id} was cancelled, so it has no processing result.")
    if status != DONE or feed.report is None:
        raise FeedProcessingResultNotReady(f"Feed Submission Result is not ready for Feed {feed_id}")
    if feed.report.kind == "flat":
        body, content_type = render_flat_report(feed.report), "text/plain;charset=UTF-8"
    else:
        body, content_type = render_report(feed.report, feed_id, call.seller_id), "text/xml;charset=UTF-8"
    return Answer(body, content_type, {"Content-MD5": content_md5(body), "x-amz-request-id": call.request_id})
