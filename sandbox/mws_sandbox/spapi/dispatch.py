"""An SP-API call, in order: route, access token (``x-amz-access-token``), usage plan, injected
faults, then the handler; any ``SpApiError`` on the way becomes Amazon's JSON error list.

Every answer carries ``x-amzn-RequestId``; an answer for a routed, authenticated operation also
carries ``x-amzn-RateLimit-Limit`` (not on 429 and 5xx, where the models say it is no longer sent).
A restricted data token works only for the resources it names (403 elsewhere). Presigned feed
document and schema URLs (``/sp-api-files/``) are answered by ``files``, without any of that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faults import Draw
from ..http import Response
from ..wire import WireRequest
from . import files, lwa, presign
from .call import SpCall
from .errors import InternalFailure, QuotaExceeded, SpApiError, Unauthorized
from .identity import Grant
from .plans import USAGE_PLANS
from .query import Query
from .render import JSON_TYPE, error_body, to_bytes
from .routes import LWA_PATH, Route, resolve

if TYPE_CHECKING:
    from ..app import Sandbox

RATE_HEADER = "x-amzn-RateLimit-Limit"


def respond(sandbox: Sandbox, wire: WireRequest, now: float, request_id: str) -> tuple[Response, Draw]:
    headers = {"x-amzn-RequestId": request_id}
    if wire.path == LWA_PATH:
        return lwa.respond(sandbox, wire, now, headers)
    if wire.path.startswith(presign.PREFIX):
        return files.respond(sandbox, wire, now, headers), Draw()
    route, draw = None, Draw()
    try:
        route, args = resolve(wire.method, wire.path)
        grant = _authenticate(sandbox, wire, now)
        headers[RATE_HEADER] = USAGE_PLANS[route.operation].header
        sandbox.usage_quota.take(grant.seller_id, route.operation, now)
        draw = sandbox.fault_state.draw()
        _inject(draw)
        answer = route.handler(_call(sandbox, wire, route, args, grant, now))
        status, body, headers = answer.status, answer.body, headers | answer.headers
    except SpApiError as err:
        status, body = err.status, error_body(err)
        if status == 429 or status >= 500:
            headers.pop(RATE_HEADER, None)
    sandbox.stats_state.record(route.operation if route else "(unrouted)", status,
                               body["errors"][0]["code"] if status >= 400 else None)
    content = b"" if status == 204 else to_bytes(body)  # 204 No Content (confirmShipment)
    return Response.of(status, headers | {"Content-Type": JSON_TYPE}, content), draw


def _authenticate(sandbox: Sandbox, wire: WireRequest, now: float) -> Grant:
    grant = sandbox.identity.grant(wire.header("x-amz-access-token"), now)
    if grant.restricted and not any(r.matches(wire.method, wire.path) for r in grant.resources):
        raise Unauthorized(details="This restricted data token does not cover this resource.")
    return grant


def _inject(draw: Draw) -> None:
    if draw.throttle:
        raise QuotaExceeded()
    if draw.error:
        raise InternalFailure()


def _call(sandbox: Sandbox, wire: WireRequest, route: Route, args: dict[str, str], grant: Grant,
          now: float) -> SpCall:
    seller = sandbox.backend.accounts.seller(grant.seller_id)
    return SpCall(route.operation, wire.method, wire.path, args, Query.parse(wire.raw_query), wire.body, grant,
                  seller, sandbox.backend, sandbox.identity, sandbox.tokens, now, sandbox.sp_feeds, wire.host)
