"""An adaptive client-side rate for replicas that cannot coordinate (no shared quota store).

Each replica's own bucket believes it has the seller's whole quota, so N replicas send N times
what Amazon restores and most of their requests come back throttled. ``AdaptiveRate`` is botocore's
adaptive retry mode (``retries/adaptive.py``: CUBIC, as TCP uses it) measured in the quota's own
units, so one set of constants fits ListOrderItems (one per 2 s) and SubmitFeed (one per 2 min):

* it limits nothing until the first throttle (a replica alone never meets one);
* on a throttle it remembers the rate it allowed as ``w_max`` and cuts to ``BETA`` of it
  (multiplicative decrease);
* then it probes back up along a cubic: fast while far below ``w_max``, flat near it (where the
  last throttle came), faster again beyond it, never above the quota's nominal rate.

Rates are in requests per restore period (1.0 = the quota's own rate); time is the injected clock's.
The constants are deeper and slower than botocore's (one client against its own quota): simulated
with 4 replicas against ListOrderItems' bucket they keep throttles near 5% at 99% of the ceiling
(without it: 74%; ``tests/scaleout/test_adaptive.py``). The rate is advice: ``Pacer`` drops it when
following it would put a message off (cost more than the call may still wait).
"""

from __future__ import annotations

from dataclasses import dataclass

BETA = 0.3  # the share of the rate kept after a throttle (botocore: 0.7, for one client alone)
CUBIC_C = 1e-7  # the cubic's scale: back at w_max = 0.25 after cbrt(0.175 / C) ~ 120 restore periods
MIN_RATE = 0.05  # never slower than one request per 20 restore periods


@dataclass
class AdaptiveRate:
    """One throttle group's adaptive send rate, as one replica learns it from throttles."""

    restore_seconds: float
    active: bool = False  # limiting only once a throttle was seen
    w_max: float = 1.0
    last_throttle: float = 0.0
    last_send: float | None = None

    def current(self, now: float) -> float:
        """The rate allowed at ``now``: the cubic probe since the last throttle, capped at 1.0."""
        if not self.active:
            return 0.0
        k = ((self.w_max * (1 - BETA)) / CUBIC_C) ** (1 / 3)
        periods = (now - self.last_throttle) / self.restore_seconds
        return max(MIN_RATE, min(1.0, self.w_max + CUBIC_C * (periods - k) ** 3))

    def wait(self, now: float) -> float:
        """Seconds until this replica may send its next request of the group (0.0 when not limiting)."""
        if not self.active or self.last_send is None:
            return 0.0
        gap = self.restore_seconds / self.current(now)
        return max(0.0, self.last_send + gap - now)

    def sent(self, now: float) -> None:
        self.last_send = now

    def throttled(self, now: float) -> None:
        """Amazon said 503/429: remember the rate that ran into it; the cubic restarts at ``BETA`` of it.

        The rate that ran into it is the allowed one (1.0 before any throttle), not a measured one: a
        replica that sends now and then must not be cut below what it never tried to use.
        """
        self.w_max = max(MIN_RATE, self.current(now) if self.active else 1.0)
        self.active = True
        self.last_throttle = now  # current(now) = w_max - C k^3 = BETA * w_max, by the choice of k
