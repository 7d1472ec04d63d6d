"""getFeedSubmissionResult — Action: the parsed processing report of one feed submission (GetFeedSubmissionResult).

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("getFeedSubmissionResult is not implemented yet: issue 6 delivers it")
