"""listOrders decides on Amazon's clock, never the machine's, and reads Amazon's timestamps as Amazon
writes them (issue 11 §2 and §5)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from eiosdk.testing import collect
from mws_sandbox import Sandbox, serve
from mws_sandbox.clock import OffsetClock

from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.transport import FunctionTransport, HttpRequest, HttpResponse
from mws_component.lib.orders import state as st
from tests.conftest import COMPONENT, World
from tests.orders.test_list_orders import assert_exact

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "mws-samples"


@pytest.fixture
def amazon_ahead():
    """Amazon's clock runs on the machine's plus an offset the test grows (``sandbox.advance``)."""
    clock = ManualClock(1_767_225_600.0)  # the machine: 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=OffsetClock(clock), seed=11, orders=120)
    with serve(sandbox) as server:
        yield World(clock, sandbox, server.url)


def test_polls_with_amazons_clock_an_hour_ahead_emit_every_change_without_delay(amazon_ahead):
    world = amazon_ahead
    start = "2025-12-20T00:00:00Z"
    cfg = {**world.cfg, "startTime": start}
    runs, snapshot = [], {}
    for _ in range(12):  # Amazon's clock gains five minutes a round: an hour ahead at the end
        world.sandbox.advance(300)
        world.sandbox.create_orders(4)
        world.sandbox.update_orders(3)
        world.clock.advance(150)  # both clocks: the changes are now past Amazon's two-minute horizon
        run = world.run("listOrders", cfg, snapshot)
        assert run.errors == []
        runs.append(run)
        snapshot = run.snapshots[-1] if run.snapshots else snapshot
        assert_exact(world, runs, start)  # every change made so far, at once: nothing waits for the skew
    assert st.as_datetime(snapshot["cursor"]).timestamp() > world.clock.now() + 3000  # Amazon's time, not ours


def test_a_machine_ahead_of_amazon_neither_refuses_nor_skips(amazon_ahead):
    world = amazon_ahead
    world.sandbox.clock.advance(-1800)  # Amazon's clock half an hour behind the machine's
    start = "2025-12-20T00:00:00Z"
    cfg = {**world.cfg, "startTime": start}
    first = world.run("listOrders", cfg)
    assert first.errors == []
    assert_exact(world, [first], start)


def _page(name: str, drop_token: bool = False) -> bytes:
    body = (SAMPLES / "scaleleap" / name).read_bytes()
    if drop_token:  # both published pages carry the same example token; the listing must end somewhere
        head, _, rest = body.partition(b"<NextToken>")
        body = head + rest.partition(b"</NextToken>")[2] if rest else body
    return body


def _amazon(pages: dict[str, bytes], now: str = "2017-02-25T18:12:21.687Z") -> FunctionTransport:
    def answer(request: HttpRequest) -> HttpResponse:
        action = next(p.split("=", 1)[1] for p in request.body.decode().split("&") if p.startswith("Action="))
        body = pages.get(action, b"<GetServiceStatusResponse><GetServiceStatusResult><Status>GREEN</Status>"
                                 b"</GetServiceStatusResult></GetServiceStatusResponse>")
        return HttpResponse.of(200, {"x-mws-timestamp": now, "x-mws-request-id": "rid"}, body)
    return FunctionTransport(answer)


CFG = {"sellerId": "A2NEXAMPLETF53", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "marketplaceId": "ATVPDKIKX0DER",
       "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "startTime": "2017-02-25T18:00:00Z"}  # one live window


def _poll(transport: FunctionTransport, snapshot: dict | None = None):
    clock = ManualClock(1_488_046_341.0)  # 2017-02-25T18:12:21Z, as the samples' answers
    with override(transport=transport, clock=clock):
        return collect(COMPONENT.load_step("listOrders"), None, CFG, snapshot)


def test_amazons_published_list_orders_answers_with_percent_encoded_timestamps_are_read():
    transport = _amazon({"ListOrders": _page("orders_list_orders.xml"),
                         "ListOrdersByNextToken": _page("orders_list_orders_nt.xml", drop_token=True)})
    run = _poll(transport)
    assert run.errors == []
    ids = [b["amazonOrderId"] for b in run.bodies]
    assert "902-3159896-1390916" in ids and len(ids) == len(set(ids))
    assert all("%" not in b["lastUpdateDate"] for b in run.bodies)
    assert run.snapshots[-1]["cursor"] == "2017-02-25T18:10:21.687Z"  # the echo, percent-decoded


def test_an_unreadable_echo_falls_back_to_the_requests_own_bound_and_says_so(caplog):
    page = _page("orders_list_orders.xml", drop_token=True).replace(
        b"2017-02-25T18%3A10%3A21.687Z", b"sometime soon")
    # one order was updated after the fallback bound: it belongs to the next window, not this one
    page = page.replace(b"<LastUpdateDate>2017-02-20T19:49:35Z", b"<LastUpdateDate>2017-02-25T18:11:30Z", 1)
    with caplog.at_level(logging.WARNING, logger="mws_component.orders"):
        run = _poll(_amazon({"ListOrders": page}))
    assert run.errors == []
    assert "unreadable" in caplog.text and "sometime soon" in caplog.text
    cursor = run.snapshots[-1]["cursor"]
    assert st.as_datetime(cursor) <= st.as_datetime("2017-02-25T18:09:21.687Z")  # before Amazon's own bound
    late = [b for b in run.bodies if b["lastUpdateDate"] == "2017-02-25T18:11:30Z"]
    assert late == []  # not emitted early: the next window (which starts at the cursor) lists it
    assert run.bodies  # the others were emitted


def test_one_client_per_credentials_learns_amazons_clock_once_for_every_message(amazon_ahead):
    world = amazon_ahead
    world.sandbox.advance(20 * 60)  # past the 15 minutes Amazon allows: a fresh client is refused once
    order_ids = [o["amazonOrderId"] for o in world.sandbox.orders_truth()[:6]]
    runs = [world.run("listOrderItems", world.cfg, body={"amazonOrderId": i}) for i in order_ids]
    assert all(r.errors == [] and r.bodies[0]["orderItems"] for r in runs)
    stats = world.sandbox.stats()["operations"]["ListOrderItems"]
    assert stats["errors"] == 1  # RequestExpired on the first message only; the client then knows the offset
    assert stats["requests"] == len(order_ids) + 1


def test_the_same_credentials_give_the_same_client_and_other_credentials_another():
    from mws_component.lib.connection import connect

    with override(clock=ManualClock()):
        first, again = connect(CFG), connect(dict(CFG))
        other = connect({**CFG, "secretKey": CFG["secretKey"] + "x"})
    assert first is again and other is not first
