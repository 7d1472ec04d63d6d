"""getFeedSubmissionResult: a feed's processing report, one result per problem message.

Input ``{"feedSubmissionId"}``; output ``{feedSubmissionId, statusCode, summary {messagesProcessed,
messagesSuccessful, messagesWithError, messagesWithWarning}, results [{messageId, resultCode,
resultMessageCode, resultDescription, sku}]}``. The body's Content-MD5 is checked (a mismatch is
fetched again, then an error; never accepted). Not processed yet: the message is rebounded, so the
platform asks again later instead of failing the flow.
With SP-API credentials: getFeed, then the result document (GZIP possible), the
processing report v2 in this same output (each result also names ``severity`` and ``attributeNames``).
"""

from __future__ import annotations

from mws_component.lib import submission
from mws_component.lib.connection import connect
from mws_component.lib.mws.errors import NotReadyError
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    feed_id = submission.submission_id(msg.body)
    try:
        return submission.result(connect(cfg), feed_id)
    except NotReadyError as err:
        context.emit("rebound", f"feed {feed_id} is not processed yet; asking again later ({err.code})")
        return None
