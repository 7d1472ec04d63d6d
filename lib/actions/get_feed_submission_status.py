"""getFeedSubmissionStatus — Action: the processing status of one feed submission (GetFeedSubmissionList).

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("getFeedSubmissionStatus is not implemented yet: issue 6 delivers it")
