"""acknowledgeOrder: acknowledge an order with the seller's own ids, or cancel lines or the whole order.

Input ``{amazonOrderId, merchantOrderId?, statusCode? (Success|Failure), cancelReason?, items?:
[{amazonOrderItemCode, merchantOrderItemId?, cancelReason?}]}`` (``lib.orders.acknowledgements``):
Success acknowledges (and cancels the listed lines that carry a cancelReason), Failure cancels the
whole order. Checked before anything is sent against Amazon's XSD rules (CancelReason enumeration,
item codes, lengths); ``dryRun`` builds and checks only.

One ``_POST_ORDER_ACKNOWLEDGEMENT_DATA_`` feed, sent exactly once. MWS: SubmitFeed. SP-API: the same
XML as ``POST_ORDER_ACKNOWLEDGEMENT_DATA`` through createFeedDocument -> upload (text/xml) ->
createFeed: Amazon kept the order feeds on SP-API when it removed the XML listings feeds
(2025-07-31), and the Orders API has no acknowledgement or cancellation operation of its own.
Output: the submission ``{feedSubmissionId, feedType, feedProcessingStatus, submittedDate,
messageCount}``; getFeedSubmissionResult tells whether Amazon applied it (a line already shipped
cannot be cancelled: an Error result).
"""

from __future__ import annotations

from mws_component.lib import submission
from mws_component.lib.connection import connect
from mws_component.lib.orders import acknowledgements
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    message = acknowledgements.parse(msg.body)
    client = connect(cfg)
    feed = acknowledgements.feed(message, client.credentials.sellerId)
    return submission.submit_feed(client, feed, cfg, context.logger)
