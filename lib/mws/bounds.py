"""What bounds a client's calls in time, shared by the MWS and the SP-API clients.

A step's deadline (``with client.deadline(600): ...``) and its wait observer
(``with client.observed(report): ...``) belong to the thread that opened the block and end with it,
so a client cached between messages carries neither into the next message. Pacing waits, quota
waits and backoffs are measured against the deadline before anything sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .clock import Clock
from .errors import DeadlineExceededError, MwsError
from .pacing import Wait, WaitObserver
from .retry import RetryPolicy


class Bounded:
    """Mixin: needs ``clock`` and ``policy``; call ``_init_bounds()`` in ``__init__``."""

    clock: Clock
    policy: RetryPolicy

    def _init_bounds(self) -> None:
        self._steps = threading.local()  # .deadline, .observer: of the blocks this thread is in

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[float]:
        """Within the block, calls end within ``seconds`` from now on the client's clock, waits included.

        For a step's whole sequence of calls: ``with client.deadline(600): ...``. Each attempt gets
        at most the time left, and a pacing wait, quota wait or backoff that would cross the deadline
        raises (``QuotaWaitError``, ``DeadlineExceededError``) instead of sleeping. Nested blocks keep
        the earlier deadline; every ``call`` opens one of ``policy.call_deadline``. Yields the
        deadline, an instant on the client's clock.
        """
        outer = getattr(self._steps, "deadline", None)
        at = self.clock.now() + seconds
        self._steps.deadline = at if outer is None else min(outer, at)
        try:
            yield self._steps.deadline
        finally:
            self._steps.deadline = outer

    @contextmanager
    def observed(self, observer: WaitObserver | None) -> Iterator[None]:
        """Within the block, this thread's calls tell ``observer`` of each wait before sleeping it; an
        inner block replaces the outer one's observer."""
        outer = getattr(self._steps, "observer", None)
        self._steps.observer = observer
        try:
            yield
        finally:
            self._steps.observer = outer

    def _observer(self) -> WaitObserver | None:
        return getattr(self._steps, "observer", None)

    def _time_left(self) -> float:
        at = getattr(self._steps, "deadline", None)
        return float("inf") if at is None else at - self.clock.now()

    def _wait_budget(self) -> float:
        """How long the next attempt may wait for quota: ``max_quota_wait``, cut to the time left."""
        left = self._time_left()
        if left <= 0:
            raise DeadlineExceededError("the deadline passed before the request could be sent", retry_after=0.0)
        return min(self.policy.max_quota_wait, left)

    def _back_off(self, operation: str, err: MwsError, delay: float) -> None:
        """Sleep ``delay`` before retrying ``operation`` after ``err``, unless that crosses the deadline."""
        what = err.code or type(err).__name__
        if delay > self._time_left():
            raise DeadlineExceededError(
                f"{operation} failed ({what}) and the {delay:.1f} s backoff before the next try would run past "
                "the deadline", retry_after=delay, operation=operation) from err
        observer = self._observer()
        if observer is not None:
            observer.waiting(Wait(delay, operation, "backoff", error=what))
        self.clock.sleep(delay)
