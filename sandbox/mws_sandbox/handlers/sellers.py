"""Sellers 2011-07-01 and GetServiceStatus (shared by Sellers and Orders)."""

from __future__ import annotations

from ..call import Answer, Call
from ..responses.common import render_service_status
from ..responses.sellers import render_participations

PAGE = 10
KIND = "ListMarketplaceParticipations"


def list_participations(call: Call) -> Answer:
    return _page(call, 0)


def list_participations_by_next_token(call: Call) -> Answer:
    offset = call.tokens.redeem(call.params.required("NextToken"), call.seller_id, KIND)
    return _page(call, offset)


def _page(call: Call, offset: int) -> Answer:
    participations = call.seller.participations
    end = offset + PAGE
    token = call.tokens.issue(call.seller_id, KIND, end) if end < len(participations) else None
    return Answer(render_participations(call.action, call.namespace, call.request_id, call.seller_id,
                                        participations[offset:end], token))


def service_status(call: Call) -> Answer:
    return Answer(render_service_status(call.action, call.namespace, call.request_id, call.now))
