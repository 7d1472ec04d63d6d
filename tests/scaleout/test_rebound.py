"""Rebound, not error: a message still throttled after the client's throttle retries is put off."""

from __future__ import annotations

from eiosdk.component import Component
from eiosdk.testing import collect
from mws_sandbox import Sandbox

from mws_component import COMPONENT_ROOT
from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.errors import ThrottledError
from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.mws.transport import HttpResponse
from mws_component.lib.steps import action

THROTTLED = (b'<?xml version="1.0"?><ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">'
             b"<Error><Type>Sender</Type><Code>RequestThrottled</Code><Message>Request is throttled</Message>"
             b"</Error><RequestID>rid-1</RequestID></ErrorResponse>")


class AlwaysThrottled:
    def __init__(self) -> None:
        self.sent = 0

    def send(self, request):
        self.sent += 1
        return HttpResponse.of(503, {"x-mws-request-id": "rid-1"}, THROTTLED)


class Context:
    def __init__(self) -> None:
        self.events, self.logger = [], self

    def emit(self, event, payload=None):
        self.events.append((event, payload))

    def warn(self, message):
        self.events.append(("log", message))


def test_an_action_rebounds_a_throttled_error_instead_of_failing():
    @action
    def process(msg, cfg, snapshot, context):
        raise ThrottledError("Request is throttled", code="RequestThrottled", operation="SubmitFeed")

    context = Context()
    assert process({}, {}, None, context) is None
    kinds = [event for event, _ in context.events]
    assert "rebound" in kinds and "error" not in kinds
    assert "SubmitFeed" in dict(context.events)["rebound"]


def test_list_order_items_still_throttled_after_its_retries_is_rebounded():
    clock, transport = ManualClock(), AlwaysThrottled()
    step = Component.load(COMPONENT_ROOT).load_step("listOrderItems")
    cfg = Sandbox(seed=3).credentials("http://127.0.0.1:9")
    with override(clock=clock, transport=transport, pacer=Pacer(clock), policy=RetryPolicy(max_throttled=3)):
        out = collect(step, {"amazonOrderId": "111-0000000-0000000"}, cfg)
    assert out.errors == [] and out.bodies == [] and len(out.rebounds) == 1
    assert transport.sent == 3  # the client's throttle retries, then the platform's retry-later


def test_a_poll_still_throttled_after_its_retries_ends_early_without_an_error():
    clock, transport = ManualClock(), AlwaysThrottled()
    step = Component.load(COMPONENT_ROOT).load_step("listOrders")
    cfg = {**Sandbox(seed=3).credentials("http://127.0.0.1:9"), "startTime": "2023-11-01T00:00:00Z"}
    with override(clock=clock, transport=transport, pacer=Pacer(clock), policy=RetryPolicy(max_throttled=3)):
        out = collect(step, {}, cfg)
    assert out.errors == [] and out.bodies == []  # the next poll starts where this one could not
    assert out.snapshots == [] or all(s.get("cursor") for s in out.snapshots)
    assert transport.sent >= 3
