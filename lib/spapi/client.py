"""The one SP-API client: token -> build -> pace -> send -> parse, with retries that rebuild.

Same layering as ``lib.mws.client`` and the same generic parts: the transport (size caps, per-request
deadlines), the injected clock, Amazon's clock learned from the answers' ``Date`` header
(``ServerTime``), the pacer's buckets (one per operation's usage plan), the retry policy and the
error tree. Every attempt is a new request built with the token valid at that moment. A 429 empties
the operation's bucket (the next attempt waits for a token), an ``x-amzn-RateLimit-Limit`` that
differs from the plan replaces it, and an expired-token 403 exchanges the refresh token once more.
"""

from __future__ import annotations

import json
import logging
import random as _random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from mws_component.lib.mws.bounds import Bounded
from mws_component.lib.mws.client import CLOCK_MAX_AGE
from mws_component.lib.mws.clock import Clock, SystemClock
from mws_component.lib.mws.errors import (
    InvalidRequestError,
    MwsError,
    ResponseIntegrityError,
    ResponseTooLargeError,
    ServiceError,
    ThrottledError,
)
from mws_component.lib.mws.operations import Quota
from mws_component.lib.mws.pacing import QuotaStore, pacer_for
from mws_component.lib.mws.retry import RetryPolicy, backoff, kind, should_retry
from mws_component.lib.mws.server_time import ServerTime
from mws_component.lib.mws.transport import (
    CaseInsensitiveDict,
    HttpRequest,
    HttpResponse,
    RequestsTransport,
    Transport,
)

from .auth import LwaAuth
from .errors import AccessTokenExpiredError, error_from
from .operations import Operation, operation
from .request import build, default_user_agent

if TYPE_CHECKING:  # lib.spapi.credentials (pydantic) is imported with the first client
    from .credentials import SpApiCredentials

log = logging.getLogger("mws_component.spapi")

_SYSTEM_CLOCK = SystemClock()
MAX_JSON_BYTES = 8 * 1024 * 1024  # a 100-order page with every dataset is well under 1 MB
MAX_RATE = 1000.0  # requests per second: an x-amzn-RateLimit-Limit above this is not believed
PROBE = "clockProbe"  # names the unauthenticated request that learns Amazon's clock


class TokenSource(Protocol):
    def token(self, time_left: float | None = None) -> str:
        """The access token (or restricted data token) to send now."""

    def expired(self, token: str) -> None:
        """Amazon said ``token`` expired: the next ``token()`` must be a new one."""


@dataclass(frozen=True)
class SpApiResponse:
    """A successful answer: the parsed JSON object and its evidence."""

    operation: str
    status: int
    headers: CaseInsensitiveDict
    data: dict
    request_id: str | None


class SpApiClient(Bounded):

    def __init__(
        self,
        credentials: SpApiCredentials | Mapping[str, object],
        *,
        transport: Transport | None = None,
        clock: Clock | None = None,
        pacer: QuotaStore | None = None,  # the process's store (Connections chooses it); default: pacer_for(clock)
        policy: RetryPolicy | None = None,
        random: Callable[[], float] = _random.random,
        user_agent: str | None = None,  # default: request.default_user_agent()
        auth: LwaAuth | None = None,
    ) -> None:
        from .credentials import SpApiCredentials, load_sp_api_credentials  # pydantic: with the first client

        creds = credentials if isinstance(credentials, SpApiCredentials) else load_sp_api_credentials(credentials)
        self.credentials = creds
        self.endpoint = creds.resolved_endpoint
        self.transport = transport or RequestsTransport()
        self.clock = clock or _SYSTEM_CLOCK
        self.pacer = pacer or pacer_for(self.clock)
        self.policy = policy or RetryPolicy()
        self.random = random
        self.user_agent = user_agent or default_user_agent()
        self.server_time = ServerTime(self.clock)
        self.auth = auth or LwaAuth(creds.lwaClientId, creds.lwaClientSecret, creds.refreshToken, creds.token_url,
                                    self.transport, self.clock, user_agent)
        self._rates: dict[str, float] = {}  # operation -> rate Amazon announced, where it differs from the plan
        self._init_bounds()

    def __repr__(self) -> str:
        return f"SpApiClient(seller={self.credentials.sellerId!r}, endpoint={self.endpoint.base_url!r})"

    def server_now(self) -> datetime:
        """Now by Amazon's clock (as learned from answers), for date windows."""
        return self.server_time.now_utc()

    def sync_clock(self, max_age: float = CLOCK_MAX_AGE) -> bool:
        """Make sure ``server_now`` rests on an answer at most ``max_age`` seconds old.

        When it does not, one unauthenticated ``GET /`` goes to the endpoint: it costs no usage plan,
        and any answer (a 403 or 404 included) carries Amazon's ``Date``. Returns whether the clock is fresh.
        """
        if self.server_time.fresh(max_age):
            return True
        probe = HttpRequest("GET", self.endpoint.base_url + "/", {"user-agent": self.user_agent},
                            operation=PROBE, time_left=self._time_left())
        try:
            self.server_time.observe(self.transport.send(probe).headers)
        except MwsError as err:
            log.warning("could not learn Amazon's clock (%s); going on with the last known offset",
                        err.code or type(err).__name__)
        return self.server_time.fresh(max_age)

    # ------------------------------------------------------------------ calls

    def call(self, name: str, params: Mapping[str, object] | None = None, *, body: object = None,
             tokens: TokenSource | None = None) -> SpApiResponse:
        """Call one operation, pacing and retrying as its usage plan and the retry policy allow.

        ``tokens`` supplies the token to send (a restricted data token source); default: LWA's.
        """
        op, source = operation(name), tokens or self.auth
        tries: Counter[str] = Counter()
        renewed = False
        with self.deadline(self.policy.call_deadline):
            while True:
                try:
                    self.pacer.acquire(self.credentials.sellerId, self._quota(op), self._wait_budget(),
                                       self._observer())
                    return self._attempt(op, params or {}, body, source)
                except AccessTokenExpiredError:
                    if renewed:
                        raise
                    renewed = True  # the token was dropped in _attempt; the next attempt exchanges again
                except MwsError as err:
                    err.operation = err.operation or name
                    tries[kind(err)] += 1
                    if not should_retry(self.policy, err, tries, op.retry_safe):
                        raise
                    self._before_retry(op, err, tries)

    def _attempt(self, op: Operation, params: Mapping[str, object], body: object,
                 source: TokenSource) -> SpApiResponse:
        token = source.token(self._time_left())
        request = build(op, params, base_url=self.endpoint.base_url, access_token=token,
                        user_agent=self.user_agent, body=body)
        response = self.transport.send(replace(request, time_left=self._time_left()))
        self.server_time.observe(response.headers)
        self._note_rate(op, response.headers)
        if not 200 <= response.status < 300:
            err = error_from(op.name, response, self._secrets(token))
            if isinstance(err, AccessTokenExpiredError):
                source.expired(token)
            raise err
        return SpApiResponse(op.name, response.status, response.headers, _json(op, response),
                             response.headers.get("x-amzn-requestid"))

    def transfer(self, method: str, url: str, *, operation: str, body: bytes = b"",
                 headers: Mapping[str, str] | None = None) -> HttpResponse:
        """One exchange with a URL Amazon handed out (a feed document's presigned upload or download URL,
        a product type schema): no SP-API headers, the same transport (its size caps and deadlines),
        retried as an idempotent call. ``operation`` names it in errors and picks its size caps."""
        tries: Counter[str] = Counter()
        with self.deadline(self.policy.call_deadline):
            while True:
                try:
                    request = HttpRequest(method, url, dict(headers or {}), body, operation=operation,
                                          time_left=self._time_left())
                    return _accepted(operation, self.transport.send(request))
                except MwsError as err:
                    err.operation = err.operation or operation
                    tries[kind(err)] += 1
                    if not should_retry(self.policy, err, tries, True):
                        raise
                    self._back_off(operation, err, backoff(self.policy, tries[kind(err)], self.random))

    def _secrets(self, token: str) -> tuple[str, ...]:
        return (*self.auth.secrets, token)

    # ------------------------------------------------------------- pacing

    def _quota(self, op: Operation) -> Quota:
        return op.quota(self._rates.get(op.name))

    def _note_rate(self, op: Operation, headers: CaseInsensitiveDict) -> None:
        """Follow the rate Amazon applies (x-amzn-RateLimit-Limit) when it differs from the plan.

        The new rate gets its own bucket, started empty: the requests just sent count against it,
        so switching never lets a burst through that Amazon would throttle.
        """
        raw = headers.get("x-amzn-ratelimit-limit")
        if raw is None:
            return
        try:
            rate = float(raw)
        except ValueError:
            log.warning("ignoring unreadable x-amzn-RateLimit-Limit %r on %s", raw[:40], op.name)
            return
        if not 0 < rate <= MAX_RATE or abs(rate - self._rates.get(op.name, op.rate)) <= 1e-9:
            return
        self._rates[op.name] = rate
        self.pacer.throttled(self.credentials.sellerId, op.quota(rate))
        log.info("%s: Amazon applies %g requests per second (plan: %g)", op.name, rate, op.rate)

    def _before_retry(self, op: Operation, err: MwsError, tries: Counter[str]) -> None:
        log.warning("%s failed (%s); retrying, attempt %d", op.name, err.code or type(err).__name__,
                    sum(tries.values()) + 1)
        if isinstance(err, ThrottledError):
            self.pacer.throttled(self.credentials.sellerId, self._quota(op))  # the next acquire waits for a token
            return
        self._back_off(op.name, err, backoff(self.policy, tries[kind(err)], self.random))


def _accepted(operation: str, response: HttpResponse) -> HttpResponse:
    if 200 <= response.status < 300:
        return response
    cls = ServiceError if response.status >= 500 else InvalidRequestError
    raise cls(f"{operation}: HTTP {response.status} from the URL Amazon gave", http_status=response.status,
              operation=operation)


def _json(op: Operation, response: HttpResponse) -> dict:
    """The answer's JSON object; refused past ``MAX_JSON_BYTES`` or when it is not a JSON object."""
    if len(response.body) > MAX_JSON_BYTES:
        raise ResponseTooLargeError(f"the answer to {op.name} is {len(response.body)} bytes; the cap for JSON "
                                    f"answers is {MAX_JSON_BYTES}", limit=MAX_JSON_BYTES,
                                    received=len(response.body), operation=op.name)
    try:
        data = json.loads(response.body) if response.body.strip() else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ResponseIntegrityError(f"the answer to {op.name} (HTTP {response.status}) is not JSON",
                                     operation=op.name, request_id=response.headers.get("x-amzn-requestid")) from None
    if not isinstance(data, dict):
        raise ResponseIntegrityError(f"the answer to {op.name} is not a JSON object", operation=op.name)
    return data

