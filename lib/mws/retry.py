"""When to try again, and how long to wait first: a policy kept as data plus one pure function.

Throttling is not backed off exponentially: the pacer already knows when the next token comes, so
a throttled attempt simply goes back through it. Server errors and dropped connections back off
exponentially with jitter (random source injected). Operations that are not safe to repeat
(SubmitFeed) are retried only when Amazon clearly did not take the request (throttled, quota,
expired timestamp), never after a 500 or a dropped connection, where the body may have arrived.

Time is bounded twice: a request that got no complete answer in time is tried once more at most
(``max_timeouts``), and every ``call`` ends within ``call_deadline`` seconds of the client's clock,
waits included; a wait that would cross it raises ``QuotaWaitError``/``DeadlineExceededError``,
which are never retried here (they mean "try this message later").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import (
    ClockSkewError,
    MwsError,
    QuotaExceededError,
    QuotaWaitError,
    ResponseIntegrityError,
    RetryableError,
    ThrottledError,
    TransportTimeoutError,
)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5  # for server errors and dropped connections
    max_throttled: int = 12  # throttled attempts are cheap: the pacer waits for a token
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_quota_wait: float = 900.0  # longest wait for quota (token, hourly reset); longer ones raise QuotaWaitError
    max_timeouts: int = 2  # a request with no complete answer in time is tried once more, not five times
    call_deadline: float = 600.0  # one call, every attempt and wait included, on the client's clock


# A person is waiting (the connect dialog, a dropdown): fail fast rather than back off for minutes.
INTERACTIVE = RetryPolicy(max_attempts=2, max_throttled=3, max_delay=5.0, max_quota_wait=0)

NOT_TAKEN = (ThrottledError, QuotaExceededError, ClockSkewError)


def backoff(policy: RetryPolicy, attempt: int, random: Callable[[], float]) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, capped."""
    ceiling = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    return ceiling / 2 + random() * ceiling / 2


def kind(error: MwsError) -> str:
    """The retry budget an error draws on."""
    if isinstance(error, ThrottledError):
        return "throttled"
    if isinstance(error, ClockSkewError):
        return "clock"
    if isinstance(error, ResponseIntegrityError):
        return "integrity"
    if isinstance(error, TransportTimeoutError):
        return "timeout"
    return "other"


def should_retry(policy: RetryPolicy, error: MwsError, tries: Mapping[str, int], retry_safe: bool) -> bool:
    """Whether ``error`` earns another try, given how many tries of each kind were already spent.

    ``tries`` counts failed attempts by ``kind`` including this one.
    """
    if not isinstance(error, RetryableError) or isinstance(error, QuotaWaitError):
        return False
    if not retry_safe and not isinstance(error, NOT_TAKEN):
        return False
    limits = {"throttled": policy.max_throttled, "clock": 2, "integrity": 3, "timeout": policy.max_timeouts,
              "other": policy.max_attempts}
    return tries[kind(error)] < limits[kind(error)]
