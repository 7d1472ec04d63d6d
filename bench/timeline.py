"""What the sandbox answered and when, in simulated time: the raw material of efficiency and the plot.

``Recorder`` wraps one ``Sandbox``'s ``respond`` (the entry point its loopback server and
``handle`` both call), so every signed MWS request is noted with the sandbox clock's time, its
Action and its outcome, whichever client or process sent it. Scenario calls (``/_sandbox/...``)
and pings are not MWS requests and are left out. The sandbox's answers are parsed with defusedxml
like any response from outside.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from defusedxml import DefusedXmlException, ElementTree
from mws_sandbox import Reply, Sandbox
from mws_sandbox.scenario import is_scenario
from mws_sandbox.wire import decode

from mws_component.lib.mws.transport import HttpRequest, HttpResponse

THROTTLE_CODES = ("RequestThrottled", "QuotaExceeded")


@dataclass(frozen=True)
class Event:
    t: float  # sandbox time (epoch seconds) when the request arrived
    action: str | None
    outcome: str  # "ok", "throttled" or "error"
    listed: int = 0  # orders (``<Order>`` elements) in a successful ListOrders/ByNextToken answer


def outcome(response: HttpResponse) -> str:
    """``ok`` for 2xx/3xx, ``throttled`` for RequestThrottled/QuotaExceeded, else ``error``."""
    if response.status < 400:
        return "ok"
    return "throttled" if error_code(response.body) in THROTTLE_CODES else "error"


def listed_orders(action: str, response: HttpResponse) -> int:
    """How many orders a successful ListOrders or ListOrdersByNextToken answer carried (0 for others)."""
    if not action.startswith("ListOrders") or response.status >= 400:
        return 0
    try:
        tree = ElementTree.fromstring(response.body)
    except (ElementTree.ParseError, DefusedXmlException):
        return 0
    return sum(1 for element in tree.iter() if element.tag.rsplit("}", 1)[-1] == "Order")


def error_code(body: bytes) -> str | None:
    """The ``<Code>`` of an MWS ErrorResponse, or None when the body is not one (or is hostile)."""
    try:
        tree = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException):
        return None
    for element in tree.iter():
        if element.tag.rsplit("}", 1)[-1] == "Code":
            return (element.text or "").strip() or None
    return None


class Recorder:
    """Notes every MWS request a sandbox answers; install once, right after creating the sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.events: list[Event] = []
        self._clock = sandbox.clock
        self._respond = sandbox.respond
        self._lock = threading.Lock()
        sandbox.respond = self._record  # the instance attribute shadows the method for every caller

    def _record(self, request: HttpRequest) -> Reply:
        arrived = self._clock.now()
        reply = self._respond(request)
        if not is_scenario(request):
            action = decode(request).params.get("Action")
            if action:
                with self._lock:
                    event = Event(arrived, action, outcome(reply.response), listed_orders(action, reply.response))
                    self.events.append(event)
        return reply
