"""submitInventory: one _POST_INVENTORY_AVAILABILITY_DATA_ feed per message with the quantities (and fulfillment latency) of one SKU or of ``items``.

Every item is validated against Amazon's schema rules before anything is sent; ``dryRun`` builds
and validates only. With SP-API credentials the items become ``fulfillment_availability`` patches
(quantity, lead time, channel): one SKU through patchListingsItem, several as one JSON_LISTINGS_FEED
(``lib.spapi.listings_send``). Output: ``{feedSubmissionId, feedType, feedProcessingStatus, submittedDate,
messageCount}``. See ``lib.submission`` for how a lost SubmitFeed answer is handled.
"""

from __future__ import annotations

from mws_component.lib import submission
from mws_component.lib.connection import connect
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    return submission.submit(connect(cfg), "inventory", msg.body, cfg, logger=context.logger)
