"""Login with Amazon's token endpoint, ``POST /auth/o2/token``: the refresh-token grant.

Form-encoded (as Amazon documents; a JSON body is read too). Errors are OAuth 2's: a missing
field is 400 invalid_request, a wrong client id or secret 401 invalid_client, a wrong or revoked
refresh token 400 invalid_grant. Error, disconnect and slow faults apply; the endpoint has no
usage plan, so a throttle fault is not acted out here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..faults import Draw
from ..http import Response
from ..wire import WireRequest
from .errors import InvalidRequest, LwaError, UnsupportedGrantType
from .render import JSON_TYPE, lwa_error_body, lwa_token_body, to_bytes

if TYPE_CHECKING:
    from ..app import Sandbox

FIELDS = ("grant_type", "refresh_token", "client_id", "client_secret")
OPERATION = "lwaToken"


def _fields(wire: WireRequest) -> dict[str, str]:
    if (wire.header("content-type") or "").startswith(JSON_TYPE) and wire.body:
        try:
            data = json.loads(wire.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidRequest("The body is not valid JSON; send the form grant_type=refresh_token&...") from None
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return dict(wire.params)


def _exchange(sandbox: Sandbox, wire: WireRequest, now: float, draw: Draw) -> dict:
    if wire.method != "POST":
        raise InvalidRequest("Use POST with a form-encoded body.")
    fields = _fields(wire)
    missing = [name for name in FIELDS if not fields.get(name)]
    if missing:
        raise InvalidRequest(f"The request is missing a required parameter: {', '.join(missing)}.")
    if fields["grant_type"] != "refresh_token":
        raise UnsupportedGrantType()
    if draw.error:
        raise LwaError()
    grant = sandbox.identity.exchange(fields["client_id"], fields["client_secret"], fields["refresh_token"], now)
    return lwa_token_body(grant, fields["refresh_token"], now)


def respond(sandbox: Sandbox, wire: WireRequest, now: float, headers: dict[str, str]) -> tuple[Response, Draw]:
    """The token answer or OAuth error, plus the fault draw (disconnect, delay) to act out."""
    draw = sandbox.fault_state.draw()
    try:
        status, body = 200, _exchange(sandbox, wire, now, draw)
    except LwaError as err:
        status, body = err.status, lwa_error_body(err)
    sandbox.stats_state.record(OPERATION, status, body.get("error"))
    response_headers = headers | {"Content-Type": JSON_TYPE + ";charset=UTF-8", "Cache-Control": "no-store"}
    return Response.of(status, response_headers, to_bytes(body)), draw
