"""establishProductRelationships: one _POST_PRODUCT_RELATIONSHIP_DATA_ feed per message with the parent/child relations of one parent SKU or of ``items``.

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
    return submission.submit(connect(cfg), "relationship", msg.body, cfg, logger=context.logger)
