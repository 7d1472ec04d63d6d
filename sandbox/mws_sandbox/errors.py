"""Every error the sandbox answers with: one class per Amazon error code, like moto's exceptions.

A class carries Amazon's ``code``, the HTTP ``status``, the ``error_type`` (Sender or Receiver)
and a default ``message``; raising one anywhere in a request ends it, and
``responses.common.render_error`` turns it into Amazon's ``ErrorResponse``. Messages use
Amazon's wording where public traffic shows it (mws.md §6), otherwise say what to fix.
"""

from __future__ import annotations


class SandboxError(Exception):
    code = "InternalError"
    status = 500
    error_type = "Receiver"
    message = "We encountered an internal error. Please try again."

    def __init__(self, message: str | None = None, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.headers = dict(headers or {})


class SenderError(SandboxError):
    status = 400
    error_type = "Sender"


class InvalidParameterValue(SenderError):
    code = "InvalidParameterValue"
    message = "Either Action or Operation query parameter must be present."


class MalformedInput(SenderError):
    code = "MalformedInput"
    message = "timestamp must follow ISO8601"


class UserAgentHeaderMalformed(SenderError):
    code = "UserAgentHeaderMalformed"
    message = ("The User-Agent header is missing or malformed; send AppName/AppVersion (Language=Python; "
               "Platform=...), as MWS requires.")


class RequestExpired(SenderError):
    code = "RequestExpired"
    message = "Request has expired."


class NextTokenCorrupted(SenderError):
    code = "NextTokenCorrupted"
    message = "The NextToken is invalid or has expired; restart the original List call without a NextToken."


class ContentMD5Missing(SenderError):
    code = "ContentMD5Missing"
    message = ("the Content-MD5 of your feed is missing; send it as the signed ContentMD5Value parameter "
               "(or the Content-MD5 header)")


class ContentMD5DoesNotMatch(SenderError):
    code = "ContentMD5DoesNotMatch"
    message = ("the Content-MD5 HTTP header you passed for your feed did not match the Content-MD5 we "
               "calculated for your feed")


class InvalidFeedType(SenderError):
    code = "InvalidFeedType"


class InvalidFeedSubmissionId(SenderError):
    code = "InvalidFeedSubmissionId"


class FeedCanceled(SenderError):
    code = "FeedCanceled"


class AccessDenied(SandboxError):
    code = "AccessDenied"
    status = 401
    error_type = "Sender"
    message = "Access denied"


class InvalidAccessKeyId(SandboxError):
    code = "InvalidAccessKeyId"
    status = 403
    error_type = "Sender"
    message = "The AWS Access Key Id you provided does not exist in our records."


class SignatureDoesNotMatch(SandboxError):
    code = "SignatureDoesNotMatch"
    status = 403
    error_type = "Sender"
    message = ("The request signature we calculated does not match the signature you provided. Check your "
               "AWS Secret Access Key and signing method. Consult the service documentation for details.")


class InvalidAddress(SandboxError):
    code = "InvalidAddress"
    status = 404
    error_type = "Sender"
    message = "An invalid API section or operation value was used, or an invalid path was used."


class FeedProcessingResultNotReady(SandboxError):
    code = "FeedProcessingResultNotReady"
    status = 404
    error_type = "Sender"


class InternalError(SandboxError):
    pass


class RequestThrottled(SandboxError):
    code = "RequestThrottled"
    status = 503
    error_type = "Sender"
    message = "Request is throttled"


class QuotaExceeded(SandboxError):
    code = "QuotaExceeded"
    status = 503
    error_type = "Sender"
    message = "The total number of requests in an hour was exceeded."
