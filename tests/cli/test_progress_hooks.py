"""The progress hooks the command line renders (issue 12 §5): the pacer and the client tell a passed-in
``WaitObserver`` of every wait before sleeping it; the orders sync tells its ``PollObserver`` the window
and the count; ``PollReport`` says both in one line. Simulated time only (``ManualClock``)."""

from __future__ import annotations

import threading

import pytest

from mws_component.lib.connection import connect, override
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.operations import Quota
from mws_component.lib.mws.pacing import Pacer, Wait
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.mws.transport import FunctionTransport, HttpResponse
from mws_component.lib.orders import state as st
from mws_component.lib.orders.sync import OrderQuery, PollProgress, PollReport, poll, windows_left
from mws_component.lib.triggers.list_orders import start_from

T0 = 1_767_225_600.0
LIST_ORDERS = Quota("ListOrders", burst=6, restore_seconds=60)


class Waits:
    """A ``WaitObserver`` that records each wait and the clock when it was told (before the sleep)."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.seen: list[tuple[Wait, float]] = []

    def waiting(self, wait: Wait) -> None:
        self.seen.append((wait, self.clock.now()))


def test_the_pacer_tells_each_quota_wait_before_sleeping_it():
    clock = ManualClock(T0)
    pacer, waits = Pacer(clock), Waits(clock)
    for _ in range(6):
        assert pacer.acquire("S", LIST_ORDERS, observer=waits) == 0  # the burst goes at once
    assert waits.seen == []
    slept = pacer.acquire("S", LIST_ORDERS, observer=waits)
    ((wait, told_at),) = waits.seen
    assert told_at == T0  # told before the clock moved
    assert wait.seconds == pytest.approx(slept) == pytest.approx(clock.slept)
    assert (wait.group, wait.reason, wait.burst, wait.used) == ("ListOrders", "quota", 6, 6)
    assert wait.describe() == "waiting 61 s for ListOrders quota (6 burst used)"  # 60 s + transit after a full burst


def test_an_hourly_quota_wait_says_so():
    clock = ManualClock(T0)
    pacer, waits = Pacer(clock), Waits(clock)
    quota = Quota("SubmitFeed", burst=15, restore_seconds=120, hourly=30)
    pacer.hourly_exhausted("S", quota, T0 + 1800)
    pacer.acquire("S", quota, max_wait=3600, observer=waits)
    ((wait, _),) = waits.seen
    assert wait.reason == "hourly" and wait.seconds == pytest.approx(1800)
    assert wait.describe() == "waiting 30 min 0 s for SubmitFeed hourly quota (used up)"


def test_a_wait_too_long_to_sleep_is_not_announced():
    clock = ManualClock(T0)
    pacer, waits = Pacer(clock), Waits(clock)
    pacer.hourly_exhausted("S", LIST_ORDERS, T0 + 1800)
    with pytest.raises(Exception, match="longer than"):
        pacer.acquire("S", LIST_ORDERS, max_wait=60, observer=waits)
    assert waits.seen == [] and clock.slept == 0


CREDS = {"sellerId": "A2NEXAMPLETF53", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "marketplaceId": "ATVPDKIKX0DER",
         "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
OK = (b'<?xml version="1.0"?><GetOrderResponse><GetOrderResult/><ResponseMetadata><RequestId>r</RequestId>'
      b"</ResponseMetadata></GetOrderResponse>")
FAIL = (b'<?xml version="1.0"?><ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code>'
        b"<Message>try again</Message></Error><RequestID>r-1</RequestID></ErrorResponse>")


def _client(answers: list[tuple[int, bytes]], clock: ManualClock) -> MwsClient:
    def answer(request):
        status, body = answers.pop(0) if len(answers) > 1 else answers[0]
        return HttpResponse.of(status, {}, body)

    return MwsClient(CREDS, transport=FunctionTransport(answer), clock=clock, random=lambda: 0.5,
                     policy=RetryPolicy(base_delay=2.0))


def test_the_client_tells_its_backoffs_to_the_observer_of_the_block_only():
    clock = ManualClock(T0)
    client, waits = _client([(500, FAIL), (200, OK)], clock), Waits(clock)
    with client.observed(waits):
        client.call("GetOrder", {"AmazonOrderId": ["902-3159896-1390916"]})
    ((wait, _),) = waits.seen
    assert (wait.reason, wait.group, wait.error) == ("backoff", "GetOrder", "InternalError")
    assert wait.seconds == pytest.approx(1.5) == pytest.approx(clock.slept)  # 2 s ceiling, equal jitter at 0.5
    assert wait.describe() == "waiting 1.5 s for a retry of GetOrder (after InternalError)"
    client2 = _client([(500, FAIL), (200, OK)], clock)
    client2.call("GetOrder", {"AmazonOrderId": ["902-3159896-1390916"]})  # no block: nobody is told
    assert len(waits.seen) == 1


def test_an_observer_belongs_to_the_thread_that_set_it():
    clock = ManualClock(T0)
    client, waits = _client([(500, FAIL), (200, OK)], clock), Waits(clock)
    with client.observed(waits):
        other = threading.Thread(target=lambda: client.call("GetOrder", {"AmazonOrderId": ["902-3159896-1390916"]}))
        other.start()
        other.join()
    assert waits.seen == []


def test_the_window_estimate_follows_how_windows_resize():
    month = 30 * 86400.0
    assert windows_left(month, st.INITIAL_WINDOW, None) == 3  # 1 h, 256 h (empty ones grow fast), the rest
    busy = windows_left(month, st.INITIAL_WINDOW, per_second=1.0)  # 3600 orders an hour: ~2.8 h windows
    assert 30 * 24 / 3 < busy < 30 * 24 / 2.5
    assert windows_left(0, st.INITIAL_WINDOW, None) == 1
    assert windows_left(1e12, 300, per_second=1e6) == 10_000  # bounded, whatever the state says


class Polled:
    def __init__(self) -> None:
        self.seen = []

    def polled(self, progress) -> None:
        self.seen.append(progress)


def test_a_first_poll_reports_every_window_and_the_orders_so_far(world):
    client = _world_client(world)
    observer = Polled()
    start = start_from("", None, client.server_now())
    query = OrderQuery([world.sandbox.credentials(world.url)["marketplaceId"]])
    yielded = 0
    for page in poll(client, query, st.ensure({}, "", start), observer):
        yielded += len(page.orders)
        assert observer.seen[-1].orders == yielded  # told before the caller emits the page
    windows = [p.window for p in observer.seen]
    assert windows == sorted(windows) and windows[0] == 1
    closed = [p for p in observer.seen if p.closed]
    assert [p.window for p in closed] == list(range(1, windows[-1] + 1))
    assert all(p.window_end for p in closed)
    assert observer.seen[-1].orders == yielded > 0
    last = observer.seen[-1]
    assert last.windows == last.window  # by the end the estimate has met the count
    assert sum(p.window_count for p in closed) >= yielded


def _world_client(world) -> MwsClient:
    with override(clock=world.clock):
        return connect(world.sandbox.credentials(world.url))


def test_the_report_says_each_wait_with_where_the_poll_is():
    said = []
    report = PollReport(lambda msg, level, **state: said.append((level, msg, state)))
    report.polled(PollProgress(3, 7, 412))
    report.waiting(Wait(58.0, "ListOrders", "quota", burst=6, used=6))
    report.waiting(Wait(0.3, "ListOrders", "quota", burst=6, used=6))
    report.polled(PollProgress(3, 7, 450, "2026-01-01T00:00:00Z", closed=True, window_count=38))
    report.finished()
    levels, messages = [s[0] for s in said], [s[1] for s in said]
    assert messages[1] == "waiting 58 s for ListOrders quota (6 burst used); window 3 of about 7; 412 orders so far"
    assert levels == ["debug", "info", "debug", "info", "info"]  # short waits and pages are debug lines
    assert said[1][2] == {"wait": 58.0, "waitFor": "ListOrders quota", "window": 3, "windows": 7,
                               "orders": 412, "done": 2, "total": 7, "unit": "windows",
                               "note": "412 orders so far"}
    assert messages[3] == ("orders up to 2026-01-01T00:00:00Z: 38 changed; window 3 of about 7; "
                           "450 orders so far")
    assert said[3][2]["done"] == 3
    assert messages[4] == "poll done: 3 window(s), 450 orders" and said[4][2]["finished"] is True
