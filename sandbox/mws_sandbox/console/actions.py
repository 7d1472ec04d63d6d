"""What the console's forms do: each action calls the ``Sandbox`` method behind the matching JSON
scenario endpoint (named beside it) and returns a one-line notice; bad input raises ValueError."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..faults import RATES

if TYPE_CHECKING:
    from ..app import Sandbox

MAX_CREATE = 1000


def _number(form: dict[str, str], name: str, label: str) -> float:
    try:
        return float(form.get(name, ""))
    except ValueError:
        raise ValueError(f"{label} must be a number, got {form.get(name, '')!r}") from None


def _count(form: dict[str, str]) -> int:
    count = _number(form, "count", "count")
    if count != int(count) or not 1 <= count <= MAX_CREATE:
        raise ValueError(f"count must be a whole number from 1 to {MAX_CREATE}")
    return int(count)


def create_orders(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/orders
    created = sb.create_orders(_count(form))
    return f"created {len(created)} order(s): {', '.join(created)}"


def update_orders(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/orders/update
    updated = sb.update_orders(_count(form))
    return f"moved {len(updated)} order(s) on: {', '.join(updated)}" if updated else "no open orders to move on"


def move_order(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/orders/move
    order_id = form.get("amazonOrderId", "")
    return f"order {order_id} is now {sb.move_order(order_id)}"


def cancel_order(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/orders/cancel
    order_id = form.get("amazonOrderId", "")
    return f"order {order_id} is now {sb.cancel_order(order_id)}"


def advance_clock(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/clock
    seconds = _number(form, "advanceSeconds", "seconds to advance")
    if seconds < 0:
        raise ValueError("seconds to advance must be 0 or more")
    return f"sandbox time is now {sb.advance(seconds)}"


def set_faults(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/faults
    names = [n for n in (*RATES, "slowSeconds") if form.get(n, "").strip()]
    settings = sb.set_faults(**{n: _number(form, n, n) for n in names})
    return "faults set: " + ", ".join(f"{k} {v:g}" for k, v in settings.items())


def reset(sb: Sandbox, form: dict[str, str]) -> str:  # POST /_sandbox/reset
    sb.reset()
    return f"sandbox reset: {len(sb.orders_truth())} orders"


# console path -> (action, page to go back to when the form names none)
ACTIONS: dict[str, tuple[Callable[[Sandbox, dict[str, str]], str], str]] = {
    "/orders/create": (create_orders, "/orders"),
    "/orders/update": (update_orders, "/orders"),
    "/orders/move": (move_order, "/orders"),
    "/orders/cancel": (cancel_order, "/orders"),
    "/clock": (advance_clock, "/time"),
    "/faults": (set_faults, "/time"),
    "/reset": (reset, "/time"),
}
