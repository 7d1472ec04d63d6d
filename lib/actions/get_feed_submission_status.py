"""getFeedSubmissionStatus: where a submitted feed stands.

Input ``{"feedSubmissionId", "feedType"?}``; output the submission's ``feedSubmissionId, feedType,
submittedDate, feedProcessingStatus`` (``_SUBMITTED_``, ``_IN_PROGRESS_``, ``_DONE_``, ``_CANCELLED_``,
...) and, once known, ``startedProcessingDate`` and ``completedProcessingDate``.
"""

from __future__ import annotations

from mws_component.lib import fields, submission
from mws_component.lib.connection import MWS_ONLY, connect
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    feed_id = submission.submission_id(msg.body)
    feed_type = fields.feed_type(msg.body)
    return submission.status(connect(cfg, apis=MWS_ONLY), feed_id, feed_type)
