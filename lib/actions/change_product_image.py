"""changeProductImage: one _POST_PRODUCT_IMAGE_DATA_ feed per message with the image locations of one SKU or of ``items``.

Every item is validated against Amazon's schema rules before anything is sent; ``dryRun`` builds
and validates only. Output: ``{feedSubmissionId, feedType, feedProcessingStatus, submittedDate,
messageCount}``. See ``lib.submission`` for how a lost SubmitFeed answer is handled.
"""

from __future__ import annotations

from lib import submission
from lib.connection import connect
from lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    return submission.submit(connect(cfg), "image", msg.body, cfg, logger=context.logger)
