"""Every error code of mws.md §6.2, from an Amazon ErrorResponse to the class a caller acts on."""

from __future__ import annotations

import pytest

from mws_component.lib.mws import errors
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.mws.transport import FunctionTransport, HttpResponse

from .fakes import CREDS, error_body

TABLE = [
    ("InputStreamDisconnected", 400, errors.RetryableError),
    ("InvalidParameterValue", 400, errors.InvalidRequestError),
    ("MalformedInput", 400, errors.InvalidRequestError),
    ("RequestExpired", 400, errors.ClockSkewError),
    ("UserAgentHeaderMalformed", 400, errors.InvalidRequestError),
    ("InvalidQueryParameter", 400, errors.InvalidRequestError),
    ("AccessDenied", 401, errors.AuthenticationError),
    ("InvalidAccessKeyId", 403, errors.AuthenticationError),
    ("SignatureDoesNotMatch", 403, errors.AuthenticationError),
    ("InvalidAddress", 404, errors.EndpointError),
    ("FeedProcessingResultNotReady", 404, errors.NotReadyError),
    ("InternalError", 500, errors.ServiceError),
    ("QuotaExceeded", 503, errors.QuotaExceededError),
    ("RequestThrottled", 503, errors.ThrottledError),
    ("ServiceUnavailable", 503, errors.ServiceError),
    ("NextTokenCorrupted", 400, errors.NextTokenExpiredError),
    ("ContentMD5Missing", 400, errors.InvalidRequestError),
    ("ContentMD5DoesNotMatch", 400, errors.InvalidRequestError),
    ("SomethingNew", 400, errors.InvalidRequestError),
    ("SomethingNew", 502, errors.ServiceError),
]

NO_RETRIES = RetryPolicy(max_attempts=1, max_throttled=1, max_quota_wait=0)


@pytest.mark.parametrize(("code", "status", "cls"), TABLE)
def test_error_code_maps_to_its_class_with_evidence(code, status, cls):
    def answer(request):
        return HttpResponse.of(status, {"x-mws-request-id": "hdr"}, error_body(code, "the message", "rid-42"))

    client = MwsClient(CREDS, transport=FunctionTransport(answer), clock=ManualClock(), policy=NO_RETRIES)
    with pytest.raises(errors.MwsError) as info:
        client.call("GetOrder", {"AmazonOrderId": ["1"]})
    err = info.value
    assert type(err) is cls
    assert (err.code, err.http_status, err.request_id, err.operation) == (code, status, "rid-42", "GetOrder")
    assert "the message" in str(err) and "rid-42" in str(err)
    assert err.to_dict()["requestId"] == "rid-42"


def test_every_documented_code_has_an_entry():
    assert {code for code, _, _ in TABLE if code != "SomethingNew"} <= set(errors.CODES)


@pytest.mark.parametrize("code", ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"])
def test_credential_errors_say_what_to_fix(code):
    assert errors.hint_for(code)
    assert errors.error_for(code, 403) is errors.AuthenticationError
