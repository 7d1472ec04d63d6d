"""Order feeds on SP-API: the MWS XML feed, unchanged, through the feed-document flow.

Amazon removed the XML *listings* feeds from SP-API on 2025-07-31 but kept the order feeds
(POST_ORDER_FULFILLMENT_DATA, POST_ORDER_ACKNOWLEDGEMENT_DATA), and their documents are the same
AmazonEnvelope XML as MWS's, uploaded as ``text/xml``. So acknowledgeOrder builds the feed exactly as
on MWS (``lib.orders.acknowledgements``, checked against the XSD rules) and sends it with
createFeedDocument -> upload -> createFeed exactly once (``listings_send.send_feed``). The processing
report comes back as XML and ``listings_send.result`` reads it like MWS's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mws_component.lib.feeds import Feed

from . import listings_send

CONTENT_TYPE = "text/xml; charset=UTF-8"
FEED_TYPES = {"_POST_ORDER_FULFILLMENT_DATA_": "POST_ORDER_FULFILLMENT_DATA",
              "_POST_ORDER_ACKNOWLEDGEMENT_DATA_": "POST_ORDER_ACKNOWLEDGEMENT_DATA"}


@dataclass(frozen=True)
class XmlFeedDocument:
    """What the feed-document flow needs of a built MWS order feed."""

    body: bytes = field(repr=False)
    feed_type: str
    message_count: int
    content_type: str = CONTENT_TYPE


def document(feed: Feed) -> XmlFeedDocument:
    return XmlFeedDocument(feed.xml, FEED_TYPES[feed.feed_type], feed.message_count)


def send(client: Any, feed: Feed, logger: Any = None) -> dict:
    """Upload and createFeed exactly once: ``{feedSubmissionId: feedId, feedType, ...}``."""
    return listings_send.send_feed(client, document(feed), logger)
