"""Submitting feeds, reading their status and results: what the feed actions share.

A feed is validated and built completely before anything is sent (``lib.feeds.build_feed`` raises
listing every problem). SubmitFeed is never blindly repeated: when its answer is lost after the
body may have reached Amazon (a dropped connection, a 500), the recent submissions of that feed type
are listed first; exactly one new one is adopted as ours, none means it never arrived and it is
sent once more, and several is an error naming them, because guessing could double a price change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from lib.feeds import Feed, build_feed, parse_processing_report
from lib.feeds.naming import json_name
from lib.mws.client import MwsClient
from lib.mws.errors import ConfigurationError, MwsError, ServiceError, TransportError
from lib.mws.operations import format_timestamp
from lib.mws.parsing import as_list, text

LOOKBACK = timedelta(minutes=5)  # how far before our attempt a lost submission may be dated (clock slack)
SUBMISSION_ID_HELP = "the FeedSubmissionId a submit action returned, e.g. 50001018063"


def items_from(body: Mapping[str, Any]) -> list[dict] | dict:
    """One item (the body itself) or several (``body["items"]``)."""
    if not isinstance(body, Mapping) or not body:
        raise ConfigurationError("the message body is empty: map one item's fields, or an array to 'items'",
                                 field="items")
    if "items" in body:
        items = body["items"]
        if not isinstance(items, list):
            raise ConfigurationError("input field 'items' must be an array of items", field="items")
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
    """A CheckBoxView: the platform sends ``"on"`` (or true) when ticked, nothing otherwise."""
    return cfg.get(field) in (True, "on", "true", "True", 1, "1")


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
    """SubmitFeed once; on a lost answer, find the submission before ever sending it again."""
    params = {"FeedType": feed.feed_type, "MarketplaceIdList": [client.credentials.marketplaceId]}
    since = client.server_now() - LOOKBACK
    try:
        return _info(client.call("SubmitFeed", params, body=feed.xml).result)
    except (TransportError, ServiceError) as lost:
        found = recent_submissions(client, feed.feed_type, since)
        if len(found) == 1:
            if logger:
                logger.warn(f"SubmitFeed answer was lost ({lost.code or type(lost).__name__}); "
                            f"adopted submission {text(found[0]['FeedSubmissionId'])} found on Amazon")
            return found[0]
        if found:
            ids = ", ".join(text(f["FeedSubmissionId"]) for f in found)
            raise MwsError(
                f"the answer to SubmitFeed was lost and {len(found)} {feed.feed_type} submissions arrived "
                f"since; not resubmitting, check which is yours: {ids}", code="SubmissionUncertain",
                operation="SubmitFeed") from lost
        if logger:
            logger.warn("SubmitFeed answer was lost and Amazon has no such submission; sending it once more")
        return _info(client.call("SubmitFeed", params, body=feed.xml).result)


def _info(result: Mapping[str, Any]) -> dict:
    return result.get("FeedSubmissionInfo", [{}])[0] if result else {}


def recent_submissions(client: MwsClient, feed_type: str, since) -> list[dict]:
    """Submissions of ``feed_type`` dated at or after ``since`` (every page)."""
    params = {"FeedTypeList": [feed_type], "SubmittedFromDate": format_timestamp(since), "MaxCount": 100}
    return [info for page in client.pages("GetFeedSubmissionList", params)
            for info in as_list(page.result.get("FeedSubmissionInfo"))]


def submission_id(body: Mapping[str, Any]) -> str:
    raw = str((body or {}).get("feedSubmissionId") or "").strip()
    if not raw:
        raise ConfigurationError(f"input field 'feedSubmissionId' is required: map {SUBMISSION_ID_HELP}",
                                 field="feedSubmissionId")
    if not raw.isdigit():
        raise ConfigurationError(f"input field 'feedSubmissionId' must be digits only ({SUBMISSION_ID_HELP}), "
                                 f"got {raw!r}", field="feedSubmissionId")
    return raw


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
