"""Errors named by what the caller should do, each carrying Amazon's evidence.

::

    MwsError                      code, message, request_id, http_status, operation
    ├── ConfigurationError        fix the configuration or input; raised before any request is sent
    ├── InvalidRequestError       Amazon refused the input (fix the input)
    ├── AuthenticationError       fix the credentials (key, secret, seller id, token, region)
    ├── EndpointError             fix the endpoint/region (InvalidAddress)
    ├── NextTokenExpiredError     restart the listing from its last saved bound
    ├── NotReadyError             ask again later (feed result not ready)
    ├── SubmissionUncertainError  a feed's fate is unknown: check the named submissions, do not resend
    ├── ResponseTooLargeError     an answer passed a size cap (bytes or XML elements); refused, not retried
    ├── HostileXmlError           an answer declared a DTD or entities, or is not XML; refused
    └── RetryableError            transient; the client already retried
        ├── ThrottledError        RequestThrottled
        ├── QuotaExceededError    hourly quota used up; wait until ``resets_on``
        ├── QuotaWaitError        the next try may go only in ``retry_after`` s, longer than this call may wait
        │   └── DeadlineExceededError  a wait or backoff would run past the call's or step's deadline
        ├── ServiceError          500 InternalError, 503 ServiceUnavailable
        ├── ClockSkewError        RequestExpired; resync the clock
        ├── TransportError        connection dropped
        │   └── TransportTimeoutError  no complete answer in time (deadline per request, read timeout)
        └── ResponseIntegrityError  downloaded body does not match its Content-MD5, or cannot be decoded

``error_for`` maps an Amazon error code to its class in one table (``CODES``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal


def kind_of(value: object) -> str:
    """The JSON-ish name of a value's type, for 'expected X, got Y' messages (fields and feeds use it)."""
    if value is True or value is False:
        return "a boolean"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, int | float | Decimal):
        return "a number"
    return "text" if isinstance(value, str) else type(value).__name__


class MwsError(Exception):
    """Base of every error this client raises."""

    default_hint = ""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
        operation: str | None = None,
        error_type: str | None = None,
        hint: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        self.operation = operation
        self.error_type = error_type
        self.hint = hint if hint is not None else self.default_hint
        self.field = field

    def __str__(self) -> str:
        head = f"{self.code}: {self.message}" if self.code else self.message
        if self.hint:
            head = f"{head} ({self.hint})"
        evidence = [
            f"operation {self.operation}" if self.operation else "",
            f"HTTP {self.http_status}" if self.http_status else "",
            f"request id {self.request_id}" if self.request_id else "",
        ]
        evidence = [e for e in evidence if e]
        return f"{head} [{', '.join(evidence)}]" if evidence else head

    def to_dict(self) -> dict:
        """What a step emits or logs: never holds a secret, only Amazon's answer."""
        return {
            "name": type(self).__name__,
            "code": self.code,
            "message": str(self),
            "requestId": self.request_id,
            "httpStatus": self.http_status,
            "operation": self.operation,
            **({"field": self.field} if self.field else {}),
        }


class ConfigurationError(MwsError, ValueError):
    """Bad configuration or input, caught locally before any request is sent."""


class InvalidRequestError(MwsError):
    default_hint = "Amazon rejected the request parameters; correct the input named in the message"


class AuthenticationError(MwsError):
    default_hint = "check the credentials"


class EndpointError(MwsError):
    default_hint = "the endpoint or path is wrong for this operation; check region/endpoint"


class NextTokenExpiredError(MwsError):
    default_hint = "the NextToken is no longer valid; restart the listing from its last saved bound"


class NotReadyError(MwsError):
    default_hint = "not ready yet; ask again later"


class SubmissionUncertainError(MwsError):
    """SubmitFeed's answer was lost and Amazon cannot tell which submission, if any, is this feed's."""

    default_hint = ("do not send the feed again before checking the submissions named here "
                    "with getFeedSubmissionStatus/getFeedSubmissionResult")

    def __init__(self, message: str, *, candidates: tuple[str, ...] = (), **kw) -> None:
        super().__init__(message, code="SubmissionUncertain", operation="SubmitFeed", **kw)
        self.candidates = candidates


class RetryableError(MwsError):
    default_hint = "a temporary problem on Amazon's side; retrying later should succeed"


class ThrottledError(RetryableError):
    default_hint = "request quota used up; the client paces itself, retry after the restore interval"


class QuotaExceededError(RetryableError):
    default_hint = "hourly quota used up; wait until the quota resets"

    def __init__(self, message: str, *, resets_on: str | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.resets_on = resets_on


class ServiceError(RetryableError):
    pass


class ClockSkewError(RetryableError):
    default_hint = "the request timestamp is too far from Amazon's clock; the client resynchronises and retries"


class TransportError(RetryableError):
    default_hint = "could not reach the endpoint; check the network and the endpoint URL"


class ResponseIntegrityError(RetryableError):
    default_hint = "the downloaded body does not match its Content-MD5; it was damaged in transit, fetch it again"


class TransportTimeoutError(TransportError):
    default_hint = ("the endpoint answered too slowly or not at all; retried once at most, "
                    "check the endpoint and the network")


class QuotaWaitError(RetryableError):
    """Waiting for quota (or for a later try) would take ``retry_after`` seconds, longer than allowed.

    Nothing was sent for this try: the message can be tried again once ``retry_after`` has passed.
    """

    default_hint = "quota is used up for longer than this call may wait; try this message again later"

    def __init__(self, message: str, *, retry_after: float, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after

    def to_dict(self) -> dict:
        return {**super().to_dict(), "retryAfter": round(self.retry_after, 3)}


class DeadlineExceededError(QuotaWaitError):
    default_hint = "the call or step ran out of time; try this message again later"


class ResponseTooLargeError(MwsError):
    """An answer passed a size cap; reading stopped there. Not retried: the same answer would come back."""

    default_hint = ("if the endpoint really is Amazon's, ask for less per call (fewer results per page, a "
                    "shorter date range); otherwise check the endpoint. Caps: lib/mws/transport.py "
                    "RESPONSE_LIMITS, lib/mws/parsing.py MAX_ELEMENTS")

    def __init__(self, message: str, *, limit: int, received: int | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.limit = limit
        self.received = received


class PaginationLoopError(MwsError):
    default_hint = "Amazon returned a NextToken it had already given; stopping instead of looping forever"


class HostileXmlError(MwsError):
    """The body declared a DTD or entities, or is not well-formed XML; it was not processed."""


_CREDENTIAL_HINTS = {
    "InvalidAccessKeyId": "the Access Key ID is unknown to Amazon: use the developer account's AWS Access Key ID "
    "(it starts with AKIA), and check it was not swapped with the Secret Key",
    "SignatureDoesNotMatch": "the Secret Key does not match the Access Key ID: re-enter the Secret Key "
    "exactly, and check the two keys were not swapped",
    "AccessDenied": "this seller has not authorised this developer in this region: check that the Marketplace ID "
    "belongs to the endpoint's region, that the Seller ID is right, and that the MWS Auth Token is set and was "
    "issued for this seller",
    "InvalidClientTokenId": "the MWS Auth Token is not valid for this seller and developer",
}

CODES: dict[str, type[MwsError]] = {
    "InputStreamDisconnected": RetryableError,
    "InvalidParameterValue": InvalidRequestError,
    "MalformedInput": InvalidRequestError,
    "InvalidQueryParameter": InvalidRequestError,
    "UserAgentHeaderMalformed": InvalidRequestError,
    "ContentMD5Missing": InvalidRequestError,
    "ContentMD5DoesNotMatch": InvalidRequestError,
    "InvalidFeedType": InvalidRequestError,
    "InvalidFeedSubmissionId": InvalidRequestError,
    "InvalidRequest": InvalidRequestError,
    "InputDataError": InvalidRequestError,
    "FeedCanceled": InvalidRequestError,
    "FeedProcessingResultNoLongerAvailable": InvalidRequestError,
    "AccessToFeedProcessingResultDenied": AuthenticationError,
    "RequestExpired": ClockSkewError,
    "AccessDenied": AuthenticationError,
    "InvalidAccessKeyId": AuthenticationError,
    "SignatureDoesNotMatch": AuthenticationError,
    "InvalidClientTokenId": AuthenticationError,
    "InvalidAddress": EndpointError,
    "FeedProcessingResultNotReady": NotReadyError,
    "InternalError": ServiceError,
    "QuotaExceeded": QuotaExceededError,
    "RequestThrottled": ThrottledError,
    "ServiceUnavailable": ServiceError,
    "NextTokenCorrupted": NextTokenExpiredError,
}


def error_for(code: str | None, http_status: int | None) -> type[MwsError]:
    """The class for an Amazon error code; unknown codes fall back on the HTTP status."""
    if code in CODES:
        return CODES[code]
    if http_status is not None and http_status >= 500:
        return ServiceError
    if http_status in (401, 403):
        return AuthenticationError
    return InvalidRequestError


def hint_for(code: str | None) -> str | None:
    """A sentence a person can act on, for codes whose default hint is too vague."""
    return _CREDENTIAL_HINTS.get(code or "")
