"""The scenario API: JSON over HTTP under ``/_sandbox/``, never signed, for users, tests and benchmarks.

It reads the raw body (whatever the Content-Type, so ``curl -d`` works) and answers JSON; bad
input is a 400 whose message names the field and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .http import RequestLike, Response
from .spapi.scenario import ENDPOINTS as SP_API_ENDPOINTS

if TYPE_CHECKING:
    from .app import Sandbox

PREFIX = "/_sandbox"
MAX_COUNT = 10_000
MAX_LISTINGS = 1_000_000  # listings added at once (large-report tests and benchmarks)


def _count(data: dict) -> int:
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        raise ValueError(f"'count' must be a whole number from 0 to {MAX_COUNT}, e.g. {{\"count\": 5}}")
    return count


def _seconds(data: dict) -> float:
    seconds = data.get("advanceSeconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise ValueError("'advanceSeconds' must be a number of seconds, 0 or more, e.g. {\"advanceSeconds\": 60}")
    return float(seconds)


def _order_id(data: dict) -> str:
    order_id = data.get("amazonOrderId")
    if not isinstance(order_id, str) or not order_id:
        raise ValueError("'amazonOrderId' must be an order id, e.g. {\"amazonOrderId\": \"114-3941689-8772232\"}")
    return order_id


def _listing_count(data: dict) -> int:
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_LISTINGS:
        raise ValueError(f"'count' must be a whole number from 0 to {MAX_LISTINGS}, e.g. {{\"count\": 100000}}")
    return count


def _sku(data: dict) -> str:
    sku = data.get("sku")
    if not isinstance(sku, str) or not sku:
        raise ValueError("'sku' must be a listing's SKU, e.g. {\"sku\": \"BULK-0000001\", \"changes\": {\"price\": 9.99}}")
    return sku


def _reset(sb: Sandbox, data: dict) -> Any:
    sb.reset()
    return {"ok": True, "orders": len(sb.orders_truth())}


ENDPOINTS: dict[tuple[str, str], Callable[[Sandbox, dict], Any]] = {
    ("POST", "/reset"): _reset,
    ("POST", "/orders"): lambda sb, d: {"created": sb.create_orders(_count(d))},
    ("POST", "/orders/update"): lambda sb, d: {"updated": sb.update_orders(_count(d))},
    ("GET", "/orders"): lambda sb, d: sb.orders_truth(),
    ("GET", "/finances"): lambda sb, d: sb.finances_truth(),
    ("POST", "/orders/move"): lambda sb, d: {"amazonOrderId": _order_id(d), "orderStatus": sb.move_order(_order_id(d))},
    ("POST", "/orders/cancel"):
        lambda sb, d: {"amazonOrderId": _order_id(d), "orderStatus": sb.cancel_order(_order_id(d))},
    ("POST", "/clock"): lambda sb, d: {"now": sb.advance(_seconds(d))},
    ("GET", "/clock"): lambda sb, d: {"now": sb.now_iso()},
    ("POST", "/faults"): lambda sb, d: sb.set_faults(**d),
    ("GET", "/faults"): lambda sb, d: sb.faults_settings(),
    ("GET", "/stats"): lambda sb, d: sb.stats(),
    ("GET", "/feeds"): lambda sb, d: sb.feeds(),
    ("GET", "/catalogue"): lambda sb, d: sb.catalogue(),
    ("POST", "/catalogue/seed"): lambda sb, d: {"listings": sb.seed_listings(_listing_count(d))},
    ("POST", "/catalogue/update"): lambda sb, d: sb.update_listing(_sku(d), **(d.get("changes") or {})),
    **SP_API_ENDPOINTS,
}


def is_scenario(request: RequestLike) -> bool:
    path = urlsplit(request.url).path
    return path == PREFIX or path.startswith(PREFIX + "/")


def _json(status: int, payload: Any) -> Response:
    body = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    return Response.of(status, {"Content-Type": "application/json; charset=utf-8"}, body)


def _body(request: RequestLike) -> dict:
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the body must be a JSON object ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object, e.g. {\"count\": 5}")
    return data


def handle(sandbox: Sandbox, request: RequestLike) -> Response:
    path = urlsplit(request.url).path[len(PREFIX):].rstrip("/") or "/"
    endpoint = ENDPOINTS.get((request.method.upper(), path))
    if endpoint is None:
        known = ", ".join(f"{m} {PREFIX}{p}" for m, p in ENDPOINTS)
        return _json(404, {"error": f"no scenario endpoint {request.method} {PREFIX}{path}; use one of: {known}"})
    try:
        return _json(200, endpoint(sandbox, _body(request)))
    except (TypeError, ValueError) as exc:
        return _json(400, {"error": str(exc)})
