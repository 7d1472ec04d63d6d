"""What every step does around its work: a deadline for the whole step, and quota it cannot get in
time turned into "try later" instead of a failure.

Amazon's quotas are per seller and operation, shared by every flow and replica of that seller, so a
message can meet a bucket that refills only in minutes, or an hourly quota spent until the hour
turns. Sleeping that out would hold the step (and the platform's queue) for as long; failing would
show an error for a message that only came too early, and so would a message still throttled after
the client's throttle retries (other replicas, other programs spending the same quota). An action
therefore **rebounds** it: the
platform delivers it again later, with its own growing delay, and nothing is lost. A poll of the
trigger simply ends early: its snapshot was saved page by page, so the next poll goes on from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mws_component.lib.connection import step_deadline
from mws_component.lib.mws.errors import QuotaExceededError, QuotaWaitError, ThrottledError

ACTION_SECONDS = 900.0  # one message of an action, every call, retry and wait included
POLL_SECONDS = 3600.0  # one poll of a trigger; a longer backfill goes on at the next poll
TRY_LATER = (QuotaWaitError, QuotaExceededError, ThrottledError)  # ThrottledError: throttle retries ran out


def try_later_reason(err: QuotaWaitError | QuotaExceededError | ThrottledError) -> str:
    """Why a message was put off, in words for the flow's log (no secret is ever in an MwsError)."""
    after = getattr(err, "retry_after", None)
    when = f" for about {after:.0f} s" if after else (f" until {err.resets_on}" if getattr(err, "resets_on", None)
                                                      else "")
    return (f"Amazon's {err.operation or 'request'} quota for this seller is used up{when}: "
            f"the message is rebounded and tried again later ({err.code or type(err).__name__})")


def action(process: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an action's ``process(msg, cfg, snapshot, context)``: a deadline, and rebound on no quota."""

    def run(msg, cfg, snapshot, context):
        with step_deadline(ACTION_SECONDS):
            try:
                return process(msg, cfg, snapshot, context)
            except TRY_LATER as err:
                context.logger.warn(try_later_reason(err))
                context.emit("rebound", try_later_reason(err))
                return None

    run.__name__, run.__qualname__, run.__doc__ = process.__name__, process.__qualname__, process.__doc__
    run.__module__ = process.__module__  # no __wrapped__: the executor must see the 4-argument signature
    return run
