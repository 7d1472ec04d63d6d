"""A scripted stand-in for Amazon used by the client's unit tests (the sandbox covers integration).

It checks each request's signature the way Amazon does (form-decode query and body, re-canonicalise)
and answers from a queue of scripted responses, recording what it saw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from mws_component.lib.mws import signing
from mws_component.lib.mws.transport import HttpRequest, HttpResponse

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
CREDS = {
    "sellerId": "A2NEXAMPLETF53",
    "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
    "secretKey": SECRET,
    "marketplaceId": "ATVPDKIKX0DER",
    "mwsAuthToken": "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE",
}


def error_body(code: str, message: str = "msg", request_id: str = "rid-123", kind: str = "Sender") -> bytes:
    return (f'<?xml version="1.0"?><ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">'
            f"<Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestID>{request_id}</RequestID></ErrorResponse>").encode()


def ok_body(action: str, inner: str = "", request_id: str = "ok-rid") -> bytes:
    return (f'<?xml version="1.0"?><{action}Response xmlns="https://mws.amazonservices.com/Orders/2013-09-01">'
            f"<{action}Result>{inner}</{action}Result>"
            f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{action}Response>").encode()


def request_params(request: HttpRequest) -> dict[str, str]:
    parts = urlsplit(request.url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if request.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(request.body.decode(), keep_blank_values=True))
    return params


def signature_valid(request: HttpRequest, secret: str = SECRET) -> bool:
    parts = urlsplit(request.url)
    params = request_params(request)
    host = signing.canonical_host(parts.hostname, parts.scheme, parts.port)
    expected = signing.sign(request.method, host, parts.path, params, secret).signature
    return expected == params.get("Signature")


@dataclass
class FakeAmazon:
    """Answers scripted responses in order; ``Callable`` entries are called with the request."""

    script: list = field(default_factory=list)
    seen: list[HttpRequest] = field(default_factory=list)
    clock_headers: Callable[[], dict] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        assert signature_valid(request), "client sent a request with a wrong signature"
        self.seen.append(request)
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if callable(item):
            return item(request)
        status, body, *headers = item
        extra = {"x-mws-request-id": "hdr-rid", **(self.clock_headers() if self.clock_headers else {})}
        return HttpResponse.of(status, {**extra, **(headers[0] if headers else {})}, body)

    def params(self, i: int) -> dict[str, str]:
        return request_params(self.seen[i])
