"""Finances 2015-05-01: ListFinancialEvents(+ByNextToken) over the seller's ledger.

Before answering, the ledger is brought up to date with the orders (``Backend.post_finances``).
Parameters, as Amazon documents them: ``PostedAfter`` (inclusive), ``PostedBefore`` (exclusive,
later than PostedAfter, no later than two minutes before the request; default now minus two
minutes), or ``AmazonOrderId``, or ``FinancialEventGroupId`` (no groups in the sandbox: nothing
matches); PostedAfter excludes the other two. ``MaxResultsPerPage`` 1-100 (events per page, default
100). The first call captures which events match; NextToken pages walk that capture.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..call import Answer, Call
from ..errors import InvalidParameterValue
from ..models.finances import FinancialEvent
from ..orderquery import LAG_SECONDS
from ..responses.finances import render_financial_events
from ..timefmt import iso_ms

KIND = "ListFinancialEvents"


@dataclass(frozen=True)
class EventsCursor:
    seqs: tuple[int, ...]
    offset: int
    size: int


def _matching(call: Call) -> list[FinancialEvent]:
    p, ledger = call.params, call.backend.post_finances(call.seller, call.now)
    after, order_id, group = p.date("PostedAfter"), p.get("AmazonOrderId"), p.get("FinancialEventGroupId")
    if after is None and order_id is None and group is None:
        raise InvalidParameterValue("One of PostedAfter, AmazonOrderId or FinancialEventGroupId is required.")
    if after is not None and (order_id or group):
        raise InvalidParameterValue("PostedAfter cannot be combined with AmazonOrderId or FinancialEventGroupId.")
    if after is None:
        return ledger.of_order(call.seller_id, order_id) if order_id and not group else []
    return ledger.between(call.seller_id, after, _posted_before(call, after))


def _posted_before(call: Call, after: float) -> float:
    latest, before = call.now - LAG_SECONDS, call.params.date("PostedBefore")
    if before is not None and before > latest:
        raise InvalidParameterValue("PostedBefore must be no later than two minutes before the time the request "
                                    f"was submitted ({iso_ms(latest)} or earlier); or leave it out.")
    before = latest if before is None else before
    if after >= before:
        raise InvalidParameterValue("PostedAfter must be earlier than PostedBefore.")
    return before


def list_financial_events(call: Call) -> Answer:
    if call.params.has("PostedBefore") and not call.params.has("PostedAfter"):
        raise InvalidParameterValue("PostedBefore can only be used with PostedAfter.")
    size = call.params.integer("MaxResultsPerPage", 1, 100, 100)
    events = _matching(call)
    return _page(call, EventsCursor(tuple(e.seq for e in events), 0, size))


def list_financial_events_by_next_token(call: Call) -> Answer:
    return _page(call, call.tokens.redeem(call.params.required("NextToken"), call.seller_id, KIND))


def _page(call: Call, cursor: EventsCursor) -> Answer:
    chunk = cursor.seqs[cursor.offset:cursor.offset + cursor.size]
    events = [call.backend.ledger.events[seq - 1] for seq in chunk]
    following = replace(cursor, offset=cursor.offset + cursor.size)
    token = call.tokens.issue(call.seller_id, KIND, following) if following.offset < len(cursor.seqs) else None
    return Answer(render_financial_events(call.action, call.namespace, call.request_id, events, token))
