"""changeProductPrice: one _POST_PRODUCT_PRICING_DATA_ feed per message with the prices (standard, sale, MAP...) of one SKU or of ``items``.

Every item is validated against Amazon's schema rules before anything is sent; ``dryRun`` builds
and validates only. With SP-API credentials the prices become a ``purchasable_offer`` patch (our,
discounted and seller-allowed prices): one SKU through patchListingsItem, several as one
JSON_LISTINGS_FEED (``lib.spapi.listings_send``). Output: ``{feedSubmissionId, feedType, feedProcessingStatus, submittedDate,
messageCount}``. See ``lib.submission`` for how a lost SubmitFeed answer is handled.
"""

from __future__ import annotations

from mws_component.lib import submission
from mws_component.lib.connection import connect
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    return submission.submit(connect(cfg), "price", msg.body, cfg, logger=context.logger)
