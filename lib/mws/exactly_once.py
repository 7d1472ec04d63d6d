"""Sending a feed exactly once when the API has no idempotency key: what MWS SubmitFeed and SP-API
createFeed share (``lib.submission`` for MWS, ``lib.spapi.listings_send`` for SP-API).

``send_once`` submits; when the answer is lost (a dropped connection, a 500) it asks Amazon which
submissions of the feed type arrived since the first attempt began, on Amazon's clock, and decides:
exactly one new one is ours, none means send again, several is an error naming them.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from .clock import utc
from .errors import MwsError, ServiceError, SubmissionUncertainError, TransportError
from .operations import format_timestamp

MAX_SENDS = 5  # submit exchanges lost before reaching Amazon, at most, before giving up
LISTING_SLACK = timedelta(minutes=15)  # the lookup asks this far back; our attempt's start then filters
ANSWERED_MEMORY = 1000  # submission ids remembered per client as answered to this process
_ANSWERED: weakref.WeakKeyDictionary[Any, deque] = weakref.WeakKeyDictionary()
_NEVER = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Sender:
    """What ``send_once`` needs of one API: the submit call, a listing of recent submissions by creation
    time (Amazon's clock), and how to read a submission's id and creation time."""

    operation: str  # SubmitFeed (MWS) or createFeed (SP-API), for messages
    feed_type: str
    submit: Callable[[], dict]
    listed: Callable[[datetime], list[dict]]
    ident: Callable[[dict], str]
    created: Callable[[dict], datetime | None]


def send_once(client: Any, sender: Sender, logger: Any = None) -> dict:
    """Submit exactly once, and answer with *this* feed's submission.

    Neither API has an idempotency key, so a lost answer (a dropped connection, a 500) is resolved by
    asking Amazon which submissions of this feed type arrived since our first attempt began, by Amazon's
    clock (the caller learns it before sending), leaving out those this process was already answered
    for: exactly one is ours; none means the feed never arrived and it is sent again (``MAX_SENDS`` in
    all); several means another sender of this seller (a replica, another flow) submitted the same
    type meanwhile, and guessing could double a price change or drop ours, so it is an error naming
    them. An earlier submission, however recent, is never taken for ours.
    """
    began_local = client.clock.now()  # mapped to Amazon's clock once its latest offset is known
    for attempt in range(1, MAX_SENDS + 1):
        try:
            info = sender.submit()
        except (TransportError, ServiceError) as lost:
            ours = _arrived(client, sender, began_local, lost)
            if ours is not None:
                _log(logger, f"{sender.operation} answer was lost ({lost.code or type(lost).__name__}); its "
                             f"submission {sender.ident(ours)} arrived at Amazon and is this feed's")
                return _answered(client, sender, ours)
            if attempt == MAX_SENDS:
                raise
            _log(logger, f"{sender.operation} answer was lost ({lost.code or type(lost).__name__}) and Amazon has "
                         f"no new {sender.feed_type} submission: the feed never arrived; sending it again")
            continue
        return _answered(client, sender, info)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _arrived(client: Any, sender: Sender, began_local: float, lost: MwsError) -> dict | None:
    """This feed's submission if the lost exchange reached Amazon, None if it did not; raises when unsure."""
    feed_type = sender.feed_type
    try:
        listed = sender.listed(client.server_now() - LISTING_SLACK)
    except MwsError as err:
        raise SubmissionUncertainError(
            f"the answer to {sender.operation} was lost and Amazon could not be asked whether the {feed_type} feed "
            f"arrived ({err.code or type(err).__name__}); check its submissions since "
            f"{format_timestamp(_began(client, began_local))} before sending it again") from lost
    began = _began(client, began_local)  # after the listing: on the freshest offset to Amazon's clock
    known = _ANSWERED.setdefault(client, deque(maxlen=ANSWERED_MEMORY))
    candidates = [info for info in listed
                  if (sender.created(info) or _NEVER) >= began and sender.ident(info) not in known]
    if len(candidates) > 1:
        ids = tuple(sender.ident(f) for f in candidates)
        raise SubmissionUncertainError(
            f"the answer to {sender.operation} was lost and {len(ids)} {feed_type} submissions arrived since "
            f"{format_timestamp(began)} (another sender of this seller submitted the same type meanwhile); "
            f"not resubmitting, check which is yours: {', '.join(ids)}", candidates=ids) from lost
    return candidates[0] if candidates else None


def _began(client: Any, began_local: float) -> datetime:
    """Our first attempt's start by Amazon's clock, to the second (SubmittedDate has whole seconds)."""
    return utc(began_local + client.server_time.offset).replace(microsecond=0)


def _answered(client: Any, sender: Sender, info: dict) -> dict:
    """Remember a submission this process was answered for: it can never be another feed's."""
    _ANSWERED.setdefault(client, deque(maxlen=ANSWERED_MEMORY)).append(sender.ident(info))
    return info


def _log(logger: Any, message: str) -> None:
    if logger:
        logger.warn(message)
