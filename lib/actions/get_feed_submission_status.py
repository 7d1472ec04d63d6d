"""getFeedSubmissionStatus: where a submitted feed stands.

Input ``{"feedSubmissionId", "feedType"?}``; output the submission's ``feedSubmissionId, feedType,
submittedDate, feedProcessingStatus`` (``_SUBMITTED_``, ``_IN_PROGRESS_``, ``_DONE_``, ``_CANCELLED_``,
...) and, once known, ``startedProcessingDate`` and ``completedProcessingDate``.
With SP-API credentials the id is a feedId (getFeed); FATAL shows as ``_FATAL_``.
"""

from __future__ import annotations

from mws_component.lib import submission
from mws_component.lib.connection import connect
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    feed_id = submission.submission_id(msg.body)
    client = connect(cfg)
    return submission.status(client, feed_id, submission.feed_type_of(client, msg.body))
