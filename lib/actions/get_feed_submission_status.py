"""getFeedSubmissionStatus: where a submitted feed stands.

Input ``{"feedSubmissionId", "feedType"?}``; output the submission's ``feedSubmissionId, feedType,
submittedDate, feedProcessingStatus`` (``_SUBMITTED_``, ``_IN_PROGRESS_``, ``_DONE_``, ``_CANCELLED_``,
...) and, once known, ``startedProcessingDate`` and ``completedProcessingDate``.
"""

from __future__ import annotations

from lib import submission
from lib.connection import connect


def process(msg, cfg, snapshot):
    feed_id = submission.submission_id(msg.body)
    feed_type = str(msg.body.get("feedType") or "").strip() or None
    return submission.status(connect(cfg), feed_id, feed_type)
