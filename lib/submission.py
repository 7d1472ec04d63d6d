"""Submitting feeds, reading their status and results: what the feed actions share, on either API.

A feed is validated and built completely before anything is sent (``lib.feeds.build_feed`` raises
listing every problem). SubmitFeed reaches Amazon exactly once and the step answers with its own
submission: when the answer is lost (a dropped connection, a 500), the submissions that can be ours
are looked up on Amazon's clock before anything is sent again (``send``, on ``lib.mws.exactly_once``).

With SP-API credentials (an ``SpApiClient``) ``submit``, ``status`` and ``result`` hand over to
``lib.spapi.listings_send``: the same items as listings messages, one through the Listings Items
API, several as one JSON_LISTINGS_FEED, sent exactly once the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mws_component.lib import fields
from mws_component.lib.feeds import Feed, build_feed, parse_processing_report
from mws_component.lib.feeds.naming import json_name
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.exactly_once import Sender, send_once
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.mws.server_time import parse_iso
from mws_component.lib.spapi import listings_send, order_feeds
from mws_component.lib.spapi.client import SpApiClient

CLOCK_PROBE = "GetFeedSubmissionCount"  # the Feeds section's cheap call, to learn Amazon's clock first
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


def with_fields(schema: dict, extra: Mapping[str, dict]) -> dict:
    """An ``input_schema`` with ``extra`` optional fields on the one item and on each of ``items``."""
    out = {**schema, "properties": {**schema["properties"], **extra}}
    many = out["properties"].get("items")
    if many:
        item = many["items"]
        out["properties"]["items"] = {**many, "items": {**item, "properties": {**item["properties"], **extra}}}
    return out


SP_API_FIELDS = {  # fields only SP-API listings carry (``lib.spapi.listings``)
    "productType": {"type": "string", "title": "Amazon product type (SP-API; empty: PRODUCT)"},
    "variationTheme": {"type": "string", "title": "Variation theme (SP-API: COLOR, SIZE, SIZE/COLOR)"},
}


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


def submit(client: MwsClient | SpApiClient, kind: str, body: Mapping[str, Any], cfg: Mapping[str, Any], *,
           operation: str = "Update", category: str | None = None, logger: Any = None) -> dict:
    """Build (validating every item), then submit unless ``dryRun`` is ticked."""
    if isinstance(client, SpApiClient):
        return listings_send.submit(client, kind, items_from(body), dry_run=checked(cfg), operation=operation,
                                    category=category, logger=logger)
    with build_feed(kind, items_from(body), merchant_id=client.credentials.sellerId,
                    operation=operation, category=category) as feed:  # its temporary file goes at the end
        if checked(cfg):
            return dry_run_result(feed)
        info = send(client, feed, logger)
        return {**info_json(info), "messageCount": feed.message_count}


def submit_feed(client: MwsClient | SpApiClient, feed: Feed, cfg: Mapping[str, Any], logger: Any = None) -> dict:
    """An order feed already built and checked (confirmShipment, acknowledgeOrder), unless ``dryRun``:
    MWS SubmitFeed, or on SP-API the same XML through the feed-document flow (``order_feeds``)."""
    if checked(cfg):
        return dry_run_result(feed)
    if isinstance(client, SpApiClient):
        return order_feeds.send(client, feed, logger)
    return {**info_json(send(client, feed, logger)), "messageCount": feed.message_count}


def send(client: MwsClient, feed: Feed, logger: Any = None) -> dict:
    """SubmitFeed exactly once, and answer with *this* feed's submission (see ``send_once``)."""
    params = {"FeedType": feed.feed_type, "MarketplaceIdList": [client.credentials.marketplaceId]}
    client.sync_clock(CLOCK_PROBE)
    return send_once(client, Sender(
        "SubmitFeed", feed.feed_type,
        submit=lambda: _info(client.call("SubmitFeed", params, body=feed).result),  # streamed, re-read per attempt
        listed=lambda since: recent_submissions(client, feed.feed_type, since),
        ident=lambda info: text(info.get("FeedSubmissionId")) or "",
        created=_submitted), logger)


def _submitted(info: Mapping[str, Any]) -> datetime | None:
    try:
        return parse_iso(text(info.get("SubmittedDate")) or "")
    except ValueError:
        return None


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


def feed_type_of(client: MwsClient | SpApiClient, body: Mapping[str, Any]) -> str | None:
    """The optional ``feedType`` of a status request: an MWS FeedType, or on SP-API its own feed types
    (``JSON_LISTINGS_FEED``, ``POST_ORDER_FULFILLMENT_DATA``...), which ``status`` checks against the feed."""
    if isinstance(client, SpApiClient):
        return fields.text(body, "feedType", label="input field") or None
    return fields.feed_type(body)


def status(client: MwsClient | SpApiClient, feed_id: str, feed_type: str | None = None) -> dict:
    if isinstance(client, SpApiClient):
        return listings_send.status(client, feed_id, feed_type)
    params = {"FeedSubmissionIdList": [feed_id], "FeedTypeList": [feed_type] if feed_type else None}
    for page in client.pages("GetFeedSubmissionList", params):
        for info in as_list(page.result.get("FeedSubmissionInfo")):
            if text(info.get("FeedSubmissionId")) == feed_id:
                return info_json(info)
    raise ConfigurationError(f"Amazon has no feed submission {feed_id}"
                             + (f" of type {feed_type}" if feed_type else "")
                             + " in the last 90 days; check the id (and type)", field="feedSubmissionId")


def result(client: MwsClient | SpApiClient, feed_id: str) -> dict:
    """The processing report, parsed; the client has already checked the body's Content-MD5."""
    if isinstance(client, SpApiClient):
        return listings_send.result(client, feed_id)
    body = client.call("GetFeedSubmissionResult", {"FeedSubmissionId": feed_id}).body
    return {"feedSubmissionId": feed_id, **parse_processing_report(body)}
