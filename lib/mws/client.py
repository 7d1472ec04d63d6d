"""The one MWS client: build -> sign -> pace -> send -> parse, with retries that re-sign.

Layers, in the order a call goes through them: operation table and serializer
(``operations``), common parameters and Signature V2 (``signing``), pacing per throttle group
(``pacing``), the swappable transport (``transport``), then parsing (``parsing``) into either a
result dict or an error from ``errors``. Every attempt is a freshly built and signed request with
a new Timestamp taken from Amazon's clock (``server_time``).

Waits (for quota, between retries) are told to the ``WaitObserver`` of the ``observed`` block the
calling thread is in, before they are slept: ``with client.observed(progress): ...``.
"""

from __future__ import annotations

import logging
import random as _random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from .bounds import Bounded
from .clock import Clock, SystemClock
from .errors import (
    ClockSkewError,
    ConfigurationError,
    MwsError,
    QuotaExceededError,
    ResponseIntegrityError,
    ThrottledError,
    error_for,
    hint_for,
)
from .operations import Operation, format_timestamp, operation, serialize
from .pacing import QuotaStore, pacer_for
from .paging import Paginator
from .parsing import HostileXmlError, as_list, parse_xml, root, text
from .regions import marketplace, marketplaces
from .retry import RetryPolicy, backoff, kind, should_retry
from .server_time import ServerTime, parse_iso
from .signing import canonical_host, content_md5, percent_encode, sign
from .transport import (
    USER_AGENT,
    CaseInsensitiveDict,
    HttpRequest,
    HttpResponse,
    RequestsTransport,
    StreamedBody,
    Transport,
    wire_body,
)

if TYPE_CHECKING:  # lib.mws.credentials (pydantic) is imported with the first client
    from .credentials import Credentials

log = logging.getLogger("mws_component.mws")

_SYSTEM_CLOCK = SystemClock()
CLOCK_MAX_AGE = 600.0  # seconds an observed offset to Amazon's clock is trusted for decisions about time


@dataclass(frozen=True)
class MwsResponse:
    """A successful answer: the parsed ``<Action>Result`` (empty for raw downloads) and its evidence."""

    operation: str
    status: int
    headers: CaseInsensitiveDict
    body: bytes
    result: dict
    request_id: str | None


class MwsClient(Bounded):
    def __init__(
        self,
        credentials: Credentials | Mapping[str, object],
        *,
        transport: Transport | None = None,
        clock: Clock | None = None,
        pacer: QuotaStore | None = None,  # the process's store (Connections chooses it); default: pacer_for(clock)
        policy: RetryPolicy | None = None,
        random: Callable[[], float] = _random.random,
        user_agent: str = USER_AGENT,
    ) -> None:
        from .credentials import Credentials, load_credentials

        self.credentials = credentials if isinstance(credentials, Credentials) else load_credentials(credentials)
        self.endpoint = self.credentials.resolved_endpoint
        self.transport = transport or RequestsTransport()
        self.clock = clock or _SYSTEM_CLOCK
        self.pacer = pacer or pacer_for(self.clock)
        self.policy = policy or RetryPolicy()
        self.random = random
        self.user_agent = user_agent
        self.server_time = ServerTime(self.clock)
        self._init_bounds()

    def __repr__(self) -> str:
        return f"MwsClient(seller={self.credentials.sellerId!r}, endpoint={self.endpoint.base_url!r})"

    def server_now(self) -> datetime:
        """Now by Amazon's clock (as learned from responses), for date windows."""
        return self.server_time.now_utc()

    def sync_clock(self, probe: str = "GetServiceStatus", max_age: float = CLOCK_MAX_AGE) -> bool:
        """Make sure ``server_now`` rests on an answer from Amazon at most ``max_age`` seconds old.

        Decisions about time (is an orders window due yet, which feed submissions can be ours) must
        be taken on Amazon's clock, and a fresh client knows only the machine's. When the last answer
        is too old, one signed ``probe`` request (a cheap operation of the section, sent once, not
        retried; Orders ``GetServiceStatus`` unless the caller names one of its own section) is made:
        any answer, an error or a throttle included, carries Amazon's time.
        Returns whether the clock is now fresh; when the probe got no answer, callers just ask Amazon.
        """
        if self.server_time.fresh(max_age):
            return True
        op = operation(probe)
        try:
            response = self.transport.send(self.prepare(op, serialize(op, {})))
        except MwsError as err:
            log.warning("could not learn Amazon's clock from %s (%s); going on with the last known offset",
                        probe, err.code or type(err).__name__)
            return False
        self.server_time.observe(response.headers)
        return self.server_time.fresh(max_age)

    # ------------------------------------------------------------------ calls

    def call(self, name: str, params: Mapping[str, object] | None = None, *,
             body: bytes | StreamedBody | None = None) -> MwsResponse:
        """Call one operation, pacing and retrying as its quota and the retry policy allow.

        ``body`` (SubmitFeed): bytes, or a ``StreamedBody`` such as a built feed, which is streamed
        from its file and re-read from the start for each attempt, its Content-MD5 taken as given.
        """
        op = operation(name)
        if op.feed_body and body is None:
            raise ConfigurationError(f"{name} needs a body (the feed)", operation=name)
        flat = serialize(op, params or {})
        tries: Counter[str] = Counter()
        seller = self.credentials.sellerId
        with self.deadline(self.policy.call_deadline):
            while True:
                try:
                    self.pacer.acquire(seller, op.quota, self._wait_budget(), self._observer())
                    return self._attempt(op, flat, body)
                except MwsError as err:
                    err.operation = err.operation or name
                    tries[kind(err)] += 1
                    if not should_retry(self.policy, err, tries, op.retry_safe):
                        raise
                    self._before_retry(op, err, tries)

    def pages(self, name: str, params: Mapping[str, object] | None = None) -> Iterator[MwsResponse]:
        """Every page of a listing: the first call, then its ``…ByNextToken`` follow-ups."""
        paginator = Paginator(operation(name))
        response = self.call(name, params)
        while True:
            yield response
            paginator.advance(response.result)
            if paginator.finished:
                return
            response = self.call(*paginator.next_call())

    # --------------------------------------------------------------- attempts

    def _attempt(self, op: Operation, flat: dict[str, str], body: bytes | StreamedBody | None) -> MwsResponse:
        request = replace(self.prepare(op, flat, body), operation=op.name, time_left=self._time_left())
        response = self.transport.send(request)
        self.server_time.observe(response.headers)
        self._note_quota(op, response.headers)
        if response.status >= 400:
            raise self._error(op, response)
        return self._success(op, response)

    def prepare(self, op: Operation, flat: Mapping[str, str], body: bytes | StreamedBody | None = None) -> HttpRequest:
        """A signed request for ``op``, stamped now by Amazon's clock. Never reuse one across attempts."""
        creds = self.credentials
        params = {
            **flat,
            "AWSAccessKeyId": creds.accessKeyId,
            "Action": op.action,
            op.section.seller_param: creds.sellerId,
            "SignatureMethod": "HmacSHA256",
            "SignatureVersion": "2",
            "Timestamp": format_timestamp(self.server_time.now_utc()),
            "Version": op.section.version,
        }
        if creds.mwsAuthToken is not None:
            params["MWSAuthToken"] = creds.mwsAuthToken.get_secret_value()
        if op.feed_body:
            params["ContentMD5Value"] = body.content_md5 if _streamed(body) else content_md5(body or b"")  # type: ignore[union-attr,arg-type]
        ep = self.endpoint
        signed = sign("POST", canonical_host(ep.host, ep.scheme, ep.port), op.section.path, params,
                      creds.secretKey.get_secret_value())
        query = f"{signed.canonical_query}&Signature={percent_encode(signed.signature)}"
        url = ep.base_url + op.section.path
        headers = {"User-Agent": self.user_agent}
        if op.feed_body:
            headers["Content-Type"] = "text/xml; charset=utf-8"
            return HttpRequest("POST", f"{url}?{query}", headers, wire_body(body) if body is not None else b"")
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        return HttpRequest("POST", url, headers, query.encode("ascii"))

    def _success(self, op: Operation, response: HttpResponse) -> MwsResponse:
        request_id = response.headers.get("x-mws-request-id")
        if op.raw_body:
            _check_md5(op, response, request_id)
            return MwsResponse(op.name, response.status, response.headers, response.body, {}, request_id)
        _, content = root(parse_xml(response.body))
        result = content.get(op.result_key) or {}
        meta = content.get("ResponseMetadata") or {}
        request_id = text(meta.get("RequestId")) or request_id
        return MwsResponse(op.name, response.status, response.headers, response.body, result, request_id)

    # ------------------------------------------------------------------ errors

    def _error(self, op: Operation, response: HttpResponse) -> MwsError:
        code = message = error_type = request_id = None
        try:
            name, content = root(parse_xml(response.body))
            if name == "ErrorResponse":
                first = (as_list(content.get("Error")) or [{}])[0]

                def words(value: object) -> str | None:  # Message repeats (parsing.REPEATED): join its texts
                    parts = [str(text(v)).strip() for v in as_list(value) if text(v) not in (None, "")]
                    return " ".join(parts) or None

                code, message = words(first.get("Code")), words(first.get("Message"))
                error_type = words(first.get("Type"))
                request_id = words(content.get("RequestID") or content.get("RequestId"))
        except (HostileXmlError, ValueError):
            pass
        request_id = request_id or response.headers.get("x-mws-request-id")
        cls = error_for(code, response.status)
        kwargs = dict(code=code, request_id=request_id, http_status=response.status, operation=op.name,
                      error_type=error_type, hint=self._hint(code))
        if cls is QuotaExceededError:
            kwargs["resets_on"] = response.headers.get("x-mws-quota-resetsOn")
        return cls(message or f"HTTP {response.status} from {op.section.path}", **kwargs)

    def _hint(self, code: str | None) -> str | None:
        """The likely fix, made specific with what we know about these credentials."""
        creds, host = self.credentials, self.endpoint.host
        if code == "AccessDenied" and creds.marketplaceId in marketplaces():
            m = marketplace(creds.marketplaceId)
            return (f"{hint_for(code)}; {m.name} ({m.id}) is in region {m.region}, requests went to {host}"
                    + ("" if creds.mwsAuthToken else "; no MWS Auth Token is configured"))
        if code in ("SignatureDoesNotMatch", "InvalidAccessKeyId") and _looks_swapped(creds):
            return "the Access Key ID and the Secret Key look swapped: the Access Key ID is the shorter one"
        if code == "InvalidAddress":
            return f"{host} does not serve this operation: check the region/endpoint"
        return hint_for(code)

    def _note_quota(self, op: Operation, headers: CaseInsensitiveDict) -> None:
        remaining, resets = headers.get("x-mws-quota-remaining"), headers.get("x-mws-quota-resetsOn")
        if remaining is None or resets is None:
            return
        try:
            if float(remaining) < 1:
                self.pacer.hourly_exhausted(self.credentials.sellerId, op.quota, self._local(resets))
        except ValueError:
            log.warning("ignoring unreadable quota headers on %s", op.name)

    def _local(self, server_iso: str) -> float:
        """A server timestamp converted to this process's clock."""
        return parse_iso(server_iso).timestamp() - self.server_time.offset

    def _before_retry(self, op: Operation, err: MwsError, tries: Counter[str]) -> None:
        log.warning("%s failed (%s); retrying, attempt %d", op.name, err.code or type(err).__name__,
                    sum(tries.values()) + 1)
        seller = self.credentials.sellerId
        if isinstance(err, ThrottledError):
            self.pacer.throttled(seller, op.quota)
        elif isinstance(err, QuotaExceededError):
            until = self._reset_time(err.resets_on)
            if until - self.clock.now() > self.policy.max_quota_wait:
                raise err
            self.pacer.hourly_exhausted(seller, op.quota, until)  # the next acquire waits, within the deadline
        elif not isinstance(err, ClockSkewError):  # a skew was corrected by observing the error's headers
            self._back_off(op.name, err, backoff(self.policy, tries[kind(err)], self.random))

    def _reset_time(self, resets_on: str | None) -> float:
        """When an exhausted hourly quota resets, on this process's clock (in an hour if unsaid or unreadable)."""
        try:
            return self._local(resets_on) if resets_on else self.clock.now() + 3600
        except ValueError:
            return self.clock.now() + 3600


def _streamed(body: bytes | StreamedBody | None) -> bool:
    return body is not None and not isinstance(body, bytes | bytearray)


def _check_md5(op: Operation, response: HttpResponse, request_id: str | None) -> None:
    expected = response.headers.get("content-md5")
    if expected is not None and expected.strip() != content_md5(response.body):
        raise ResponseIntegrityError(
            f"body of {len(response.body)} bytes does not match its Content-MD5 {expected.strip()}",
            code="ContentMD5DoesNotMatch", operation=op.name, http_status=response.status,
            request_id=request_id,
        )


def _looks_swapped(creds: Credentials) -> bool:
    secret = creds.secretKey.get_secret_value()
    return creds.accessKeyId != secret and len(creds.accessKeyId) > len(secret) and secret.startswith("AKIA")
