"""Submitting feeds, reading their status and results: what the feed actions share.

A feed is validated and built completely before anything is sent (``lib.feeds.build_feed`` raises
listing every problem). SubmitFeed reaches Amazon exactly once and the step answers with its own
submission: when the answer is lost (a dropped connection, a 500), the submissions that can be ours
are looked up on Amazon's clock before anything is sent again (see ``send``).
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from mws_component.lib import fields
from mws_component.lib.feeds import Feed, build_feed, parse_processing_report
from mws_component.lib.feeds.naming import json_name
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import utc
from mws_component.lib.mws.errors import (
    ConfigurationError,
    MwsError,
    ServiceError,
    SubmissionUncertainError,
    TransportError,
)
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.mws.server_time import parse_iso

MAX_SENDS = 5  # SubmitFeed exchanges lost before reaching Amazon, at most, before giving up
LISTING_SLACK = timedelta(minutes=15)  # the lookup asks this far back; our attempt's start then filters
ANSWERED_MEMORY = 1000  # submission ids remembered per client as answered to this process
CLOCK_PROBE = "GetFeedSubmissionCount"  # the Feeds section's cheap call, to learn Amazon's clock first
_ANSWERED: weakref.WeakKeyDictionary[MwsClient, deque] = weakref.WeakKeyDictionary()
SUBMISSION_ID_HELP = "the FeedSubmissionId a submit action returned, e.g. 50001018063"


def items_from(body: Mapping[str, Any]) -> list[dict] | dict:
    """One item (the body itself) or several (``body["items"]``)."""
    if not isinstance(body, Mapping) or not body:
        raise ConfigurationError("the message body is empty: map one item's fields, or an array to 'items'",
                                 field="items")
    if "items" in body:
        items = body["items"]
        if not isinstance(items, list):
            raise ConfigurationError(f"input field 'items' must be an array of items, got {fields.kind_of(items)}",
                                     field="items")
        return items
    return dict(body)


def input_schema(item: Mapping[str, Any]) -> dict:
    """In-metadata for a feed action: one item's fields at the top level, or several under ``items``.

    Top-level fields lose ``required`` (a message may use ``items`` instead); each array item keeps it.
    """
    title = item.get("title", "Item")
    top = {name: {k: v for k, v in spec.items() if k != "required"} for name, spec in item["properties"].items()}
    many = {"type": "array", "title": f"{title} items (several in one feed)", "items": dict(item)}
    return {"type": "object", "title": title,
            "description": "Fill the fields for one item, or map an array to 'items' to send several in one feed.",
            "properties": {**top, "items": many}}


def checked(cfg: Mapping[str, Any], field: str = "dryRun") -> bool:
    """A CheckBoxView, read by ``fields.flag``: a form it does not know is an error, never a real send."""
    return fields.flag(cfg, field)


def info_json(info: Mapping[str, Any]) -> dict:
    """A FeedSubmissionInfo element in lowerCamelCase."""
    return {json_name(k): text(v) for k, v in info.items() if not k.startswith("@")}


def dry_run_result(feed: Feed) -> dict:
    return {"dryRun": True, "feedSubmissionId": None, "feedType": feed.feed_type,
            "feedProcessingStatus": "_NOT_SUBMITTED_", "messageCount": feed.message_count,
            "contentMd5": feed.content_md5, "feedXml": feed.xml.decode("utf-8")}


def submit(client: MwsClient, kind: str, body: Mapping[str, Any], cfg: Mapping[str, Any], *,
           operation: str = "Update", category: str | None = None, logger: Any = None) -> dict:
    """Build (validating every item), then submit unless ``dryRun`` is ticked."""
    feed = build_feed(kind, items_from(body), merchant_id=client.credentials.sellerId,
                      operation=operation, category=category)
    if checked(cfg):
        return dry_run_result(feed)
    info = send(client, feed, logger)
    return {**info_json(info), "messageCount": feed.message_count}


def send(client: MwsClient, feed: Feed, logger: Any = None) -> dict:
    """SubmitFeed exactly once, and answer with *this* feed's submission.

    MWS has no idempotency key, so a lost answer (a dropped connection, a 500) is resolved by asking
    Amazon which submissions of this feed type arrived since our first attempt began, by Amazon's
    clock (learnt before sending), leaving out those this process was already answered for:
    exactly one is ours; none means the feed never arrived and it is sent again (``MAX_SENDS`` in
    all); several means another sender of this seller (a replica, another flow) submitted the same
    type meanwhile, and guessing could double a price change or drop ours, so it is an error naming
    them. An earlier submission, however recent, is never taken for ours.
    """
    params = {"FeedType": feed.feed_type, "MarketplaceIdList": [client.credentials.marketplaceId]}
    client.sync_clock(CLOCK_PROBE)
    began_local = client.clock.now()  # mapped to Amazon's clock once its latest offset is known
    for attempt in range(1, MAX_SENDS + 1):
        try:
            info = _info(client.call("SubmitFeed", params, body=feed.xml).result)
        except (TransportError, ServiceError) as lost:
            ours = _arrived(client, feed.feed_type, began_local, lost)
            if ours is not None:
                _log(logger, f"SubmitFeed answer was lost ({lost.code or type(lost).__name__}); its submission "
                             f"{text(ours['FeedSubmissionId'])} arrived at Amazon and is this feed's")
                return _answered(client, ours)
            if attempt == MAX_SENDS:
                raise
            _log(logger, f"SubmitFeed answer was lost ({lost.code or type(lost).__name__}) and Amazon has no "
                         f"new {feed.feed_type} submission: the feed never arrived; sending it again")
            continue
        return _answered(client, info)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _arrived(client: MwsClient, feed_type: str, began_local: float, lost: MwsError) -> dict | None:
    """This feed's submission if the lost exchange reached Amazon, None if it did not; raises when unsure."""
    try:
        listed = recent_submissions(client, feed_type, client.server_now() - LISTING_SLACK)
    except MwsError as err:
        raise SubmissionUncertainError(
            f"the answer to SubmitFeed was lost and Amazon could not be asked whether the {feed_type} feed "
            f"arrived ({err.code or type(err).__name__}); check its submissions since "
            f"{format_timestamp(_began(client, began_local))} before sending it again") from lost
    began = _began(client, began_local)  # after the listing: on the freshest offset to Amazon's clock
    known = _ANSWERED.setdefault(client, deque(maxlen=ANSWERED_MEMORY))
    candidates = [info for info in listed
                  if _submitted(info) is not None and _submitted(info) >= began
                  and text(info.get("FeedSubmissionId")) not in known]
    if len(candidates) > 1:
        ids = tuple(text(f["FeedSubmissionId"]) for f in candidates)
        raise SubmissionUncertainError(
            f"the answer to SubmitFeed was lost and {len(ids)} {feed_type} submissions arrived since "
            f"{format_timestamp(began)} (another sender of this seller submitted the same type meanwhile); "
            f"not resubmitting, check which is yours: {', '.join(ids)}", candidates=ids) from lost
    return candidates[0] if candidates else None


def _began(client: MwsClient, began_local: float) -> datetime:
    """Our first attempt's start by Amazon's clock, to the second (SubmittedDate has whole seconds)."""
    return utc(began_local + client.server_time.offset).replace(microsecond=0)


def _submitted(info: Mapping[str, Any]) -> datetime | None:
    try:
        return parse_iso(text(info.get("SubmittedDate")) or "")
    except ValueError:
        return None


def _answered(client: MwsClient, info: dict) -> dict:
    """Remember a submission this process was answered for: it can never be another feed's."""
    _ANSWERED.setdefault(client, deque(maxlen=ANSWERED_MEMORY)).append(text(info.get("FeedSubmissionId")))
    return info


def _log(logger: Any, message: str) -> None:
    if logger:
        logger.warn(message)


def _info(result: Mapping[str, Any]) -> dict:
    return result.get("FeedSubmissionInfo", [{}])[0] if result else {}


def recent_submissions(client: MwsClient, feed_type: str, since: datetime) -> list[dict]:
    """Submissions of ``feed_type`` dated at or after ``since`` (every page)."""
    params = {"FeedTypeList": [feed_type], "SubmittedFromDate": format_timestamp(since), "MaxCount": 100}
    return [info for page in client.pages("GetFeedSubmissionList", params)
            for info in as_list(page.result.get("FeedSubmissionInfo"))]


def submission_id(body: Mapping[str, Any]) -> str:
    """1 to 20 ASCII digits, as text or a whole JSON number."""
    return fields.digit_id(body, "feedSubmissionId", SUBMISSION_ID_HELP)


def status(client: MwsClient, feed_id: str, feed_type: str | None = None) -> dict:
    params = {"FeedSubmissionIdList": [feed_id], "FeedTypeList": [feed_type] if feed_type else None}
    for page in client.pages("GetFeedSubmissionList", params):
        for info in as_list(page.result.get("FeedSubmissionInfo")):
            if text(info.get("FeedSubmissionId")) == feed_id:
                return info_json(info)
    raise ConfigurationError(f"Amazon has no feed submission {feed_id}"
                             + (f" of type {feed_type}" if feed_type else "")
                             + " in the last 90 days; check the id (and type)", field="feedSubmissionId")


def result(client: MwsClient, feed_id: str) -> dict:
    """The processing report, parsed; the client has already checked the body's Content-MD5."""
    body = client.call("GetFeedSubmissionResult", {"FeedSubmissionId": feed_id}).body
    return {"feedSubmissionId": feed_id, **parse_processing_report(body)}
