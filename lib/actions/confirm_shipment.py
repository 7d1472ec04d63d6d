"""confirmShipment: tell Amazon one order (or some of its lines) has shipped, with carrier and tracking.

Input ``{amazonOrderId, carrierCode | carrierName, shippingMethod, trackingNumber, shipDate, items:
[{orderItemId, quantity}]}`` (no items: every unit still open). Everything is checked before a
request: the carrier code against Amazon's CarrierCode enumeration, lengths and ids against the XSD
rules, quantities positive whole numbers, ``shipDate`` ISO 8601 and not in the future (then again
on Amazon's own clock before sending). ``dryRun`` builds and checks only.

MWS: one ``_POST_ORDER_FULFILLMENT_DATA_`` feed, SubmitFeed exactly once (``lib.submission``);
output the submission ``{feedSubmissionId, feedType, feedProcessingStatus, submittedDate,
messageCount}``, followed with getFeedSubmissionResult (an order Amazon cannot ship comes back there
as an Error result). SP-API: Orders v0 confirmShipment; output Amazon's answer as ``{amazonOrderId,
packageReferenceId, carrierCode, trackingNumber, shipDate, orderItems, status: "Confirmed",
requestId}`` (Amazon answers 204 No Content; a refusal is the step's error).
"""

from __future__ import annotations

from mws_component.lib import submission
from mws_component.lib.connection import connect
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.orders import shipments
from mws_component.lib.spapi import shipments as sp_shipments
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    shipment = shipments.parse(msg.body)
    client = connect(cfg)
    feed = shipments.feed(shipment, client.credentials.sellerId)  # the XSD rules, on either API
    shipments.check_not_future(shipment, client.server_now())  # the machine's clock, before any request
    dry_run = submission.checked(cfg)
    if not dry_run:
        if isinstance(client, MwsClient):
            client.sync_clock(submission.CLOCK_PROBE)
        else:
            client.sync_clock()
        shipments.check_not_future(shipment, client.server_now())  # and Amazon's
    if isinstance(client, MwsClient):
        return submission.submit_feed(client, feed, cfg, context.logger)
    return sp_shipments.confirm(client, shipment, dry_run=dry_run)
