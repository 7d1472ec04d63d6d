"""peer_orders_sync: the same backfill driven by python-amazon-mws (PyPI ``mws`` 0.8.15).

The peer is the most used Python MWS client. It has no throttling of its own, so its users write the
loop themselves; this module follows the one in dbt-labs' Singer tap (mws.md §7.2): a fixed 2 s
sleep before every call, and on ``MWSError`` up to 5 tries sleeping 60·(i+1) s between them, then
give up (the tap re-raises and the sync dies there: counted as a failure). The page size is the
library's default, 100, like ours, so both need the same pages.

The library is used unchanged except for three adaptations to run it in simulated time against the
plain-http loopback sandbox:

1. Signing host: it strips only ``https://`` from its domain when it builds the string to sign, so
   ``LoopbackSigning`` shows it the ``https://`` form while it signs (as tests/sandbox does); the
   request itself still goes to the plain-http URL.
2. Timestamp: it stamps requests with ``mws.mws.mws_utc_now()`` (real UTC now); that name is
   patched to read the simulated clock, or the sandbox would reject every request as expired.
3. Timeout: it calls ``requests.request`` without one; ``mws.mws.request`` is patched to add one
   (house rule: every network call has a timeout). Nothing else about the request changes.

The retry loop's ``time.sleep`` is the simulated clock's ``sleep``, so the peer waits out its
throttles in the same simulated time as ours.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from unittest import mock

import mws
import requests
from mws_sandbox.compat import LoopbackSigning

from mws_component.lib.mws.clock import Clock, utc

from . import quota
from .timeline import Event
from .world import BACKFILL_FROM, RETAIL, progress, world

MAX_TRIES = 5
RETRY_SLEEP = 60.0  # the tap's base for orders: sleeps 60, 120, 180, 240 s
CALL_SLEEP = 2.0  # the tap's fixed sleep before every call
TIMEOUT = 30.0


class LoopbackOrders(LoopbackSigning, mws.Orders):
    """Adaptation 1: sign the host as Amazon would see it (``https://`` stripped), send to plain http."""


@contextmanager
def simulated(clock: Clock) -> Iterator[None]:
    """Adaptations 2 and 3: Timestamps from ``clock``; every request with a timeout."""
    def now() -> datetime:  # the library's own shape: naive UTC, whole seconds
        return utc(clock.now()).replace(tzinfo=None, microsecond=0)

    with mock.patch.object(mws.mws, "mws_utc_now", now), \
            mock.patch.object(mws.mws, "request", functools.partial(requests.request, timeout=TIMEOUT)):
        yield


class GaveUp(Exception):
    """The tap's loop used up its tries; the tap would re-raise and the sync would stop here."""


def tap_call(call: Callable[[], Any], sleep: Callable[[float], None]) -> Any:
    """One call the way the tap makes it: sleep 2 s, then try up to 5 times, sleeping 60·(i+1) s."""
    sleep(CALL_SLEEP)
    for i in range(MAX_TRIES):
        try:
            return call()
        except mws.MWSError as error:
            last = error
            sleep(RETRY_SLEEP * (i + 1))
    raise GaveUp(f"ListOrders failed {MAX_TRIES} times; last error: {_short(last)}")


def _short(error: mws.MWSError) -> str:
    response = getattr(error, "response", None)
    return f"HTTP {response.status_code}" if response is not None else str(error)[:200]


def _as_list(node: Any) -> list:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _value(node: Any) -> str | None:
    """A text node as the library's DotDict parses it (``{"value": ...}``) or a plain string."""
    return node.get("value") if isinstance(node, dict) else node


def sync(api: mws.Orders, after: datetime, sleep: Callable[[float], None]) -> tuple[int, int]:
    """Page ListOrders then ListOrdersByNextToken to the end; ``(orders, pages)``."""
    page = tap_call(lambda: api.list_orders(marketplaceids=list(RETAIL), lastupdatedafter=after,
                                            max_results="100"), sleep)
    orders, pages = 0, 0
    while True:
        pages += 1
        orders += len(_as_list((page.parsed.get("Orders") or {}).get("Order")))
        token = _value(page.parsed.get("NextToken"))
        if not token:
            return orders, pages
        page = tap_call(functools.partial(api.list_orders, next_token=token), sleep)


def run(orders: int) -> tuple[dict, list[Event]]:
    """The peer's backfill of ``orders`` seeded orders; the result and the sandbox's timeline."""
    with world(orders) as w:
        creds = w.credentials()
        api = LoopbackOrders(creds["accessKeyId"], creds["secretKey"], creds["sellerId"], domain=w.url,
                             auth_token=creds["mwsAuthToken"])
        expected = len(w.sandbox.orders_truth())
        progress(f"peer_orders_sync: python-amazon-mws {mws.__version__} with the tap's retry loop, "
                 f"{expected} orders")
        began, failures, fetched = time.perf_counter(), [], 0
        with simulated(w.clock):
            try:
                fetched, _ = sync(api, BACKFILL_FROM.replace(tzinfo=None), w.clock.sleep)
            except GaveUp as error:
                failures.append(str(error))
        real = time.perf_counter() - began
        stats = w.sandbox.stats()
    usage = quota.usage(w.recorder.events, stats, "ListOrders")
    usage |= quota.delivery(w.recorder.events, "ListOrders", fetched, quota.ORDERS_PER_PAGE)
    progress(f"peer_orders_sync: {usage['pages']} pages, orders efficiency {usage['orders_efficiency']}, "
             f"throttled {usage['throttled_ratio']}, failures {len(failures)}")
    return {"client": f"python-amazon-mws {mws.__version__}", "retry_loop": "dbt-labs/tap-amazon-mws (mws.md §7.2)",
            "orders": fetched, "orders_in_sandbox": expected, "complete": fetched == expected, **usage,
            "virtual_hours": round(w.elapsed_since_start() / 3600, 2),
            "orders_per_virtual_hour": quota.per_hour(fetched, w.elapsed_since_start()), "real_seconds": round(real, 1),
            "failures": len(failures), "failure_messages": failures}, w.recorder.events
