"""A feed reaches Amazon exactly once and the step answers with its own submission (issue 11 §1).

Everything goes over real HTTP to the sandbox on loopback. ``Lossy`` plays a proxy between the step
and Amazon that loses SubmitFeed exchanges either before forwarding them (the feed never arrives) or
after Amazon answered (the feed arrived, the answer is lost); the sandbox's own faults add throttles,
500s and connections dropped after the call took effect. The oracle is the sandbox's record of every
feed it received, with its content.
"""

from __future__ import annotations

import html
import random

import pytest
from mws_sandbox.clock import OffsetClock

from mws_component.lib.connection import override
from mws_component.lib.mws.errors import SubmissionUncertainError, TransportError
from mws_component.lib.mws.transport import RequestsTransport
from tests.conftest import World

INVENTORY = "_POST_INVENTORY_AVAILABILITY_DATA_"


class Lossy:
    """Loses chosen SubmitFeed exchanges: ``plan`` says, per SubmitFeed, "before", "after" or None."""

    def __init__(self, plan=None, rng: random.Random | None = None, before: float = 0.0, after: float = 0.0,
                 meanwhile=None) -> None:
        self.inner, self.plan, self.rng = RequestsTransport(), list(plan or []), rng
        self.before, self.after, self.meanwhile = before, after, meanwhile
        self.lost = {"before": 0, "after": 0}

    def _fate(self) -> str | None:
        if self.plan:
            return self.plan.pop(0)
        if self.rng is None:
            return None
        draw = self.rng.random()
        return "before" if draw < self.before else "after" if draw < self.before + self.after else None

    def send(self, request):
        if b"Action=SubmitFeed" not in request.body and "Action=SubmitFeed" not in request.url:
            return self.inner.send(request)
        fate = self._fate()
        if fate == "before":
            self.lost["before"] += 1
            if self.meanwhile:
                self.meanwhile()
            raise TransportError("the proxy closed the connection before forwarding the request")
        response = self.inner.send(request)
        if fate == "after":
            self.lost["after"] += 1
            if self.meanwhile:
                self.meanwhile()
            raise TransportError("the proxy closed the connection before the answer came back")
        return response


def _feeds(world) -> list[dict]:
    return [f for f in world.sandbox.feeds() if f["feedType"] == INVENTORY]


def _submit(world, sku: str, quantity: int):
    return world.run("submitInventory", world.cfg, body={"sku": sku, "quantity": quantity})


def _owner(feed: dict) -> str:
    return html.unescape(feed["content"].split("<SKU>", 1)[1].split("</SKU>", 1)[0])


@pytest.mark.parametrize("fate", ["before", "after"])
def test_feed_b_lost_minutes_after_feed_a_is_answered_with_its_own_submission(world, fate):
    a, b = list(world.sandbox.catalogue())[:2]
    first = _submit(world, a, 1)
    world.clock.advance(90)  # well within the five minutes in which feed A used to be adopted for B
    with override(transport=Lossy([fate])):  # a new client: it has never seen feed A's answer
        second = _submit(world, b, 2)
    assert first.errors == [] and second.errors == [], second.errors
    feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
    assert len(feeds) == 2  # B arrived exactly once
    assert _owner(feeds[second.bodies[0]["feedSubmissionId"]]) == b  # and B's answer is B's own feed
    assert second.bodies[0]["feedSubmissionId"] != first.bodies[0]["feedSubmissionId"]


def test_the_same_process_never_takes_its_own_earlier_feed_for_a_lost_one(world):
    a, b = list(world.sandbox.catalogue())[:2]
    lossy = Lossy([None, "before"])
    with override(transport=lossy):  # one client for both messages, as in one sailor process
        first = _submit(world, a, 1)
        second = _submit(world, b, 2)  # the same second as A by the test's clock: only memory tells them apart
    assert lossy.lost["before"] == 1 and second.errors == []
    feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
    assert len(feeds) == 2 and _owner(feeds[second.bodies[0]["feedSubmissionId"]]) == b
    assert first.bodies[0]["feedSubmissionId"] != second.bodies[0]["feedSubmissionId"]


@pytest.mark.parametrize(("skew", "fate"), [(+600, "after"), (+600, "before"), (-600, "after"), (-600, "before")])
def test_a_skewed_machine_clock_neither_duplicates_nor_adopts_another_feed(skew, fate):
    """The machine's clock ``skew`` seconds off Amazon's (within the 15 minutes Amazon accepts)."""
    from mws_sandbox import Sandbox, serve

    from mws_component.lib.mws.clock import ManualClock

    machine = ManualClock(1_767_225_600.0)
    amazon = OffsetClock(machine)
    amazon.advance(-skew)
    sandbox = Sandbox(clock=amazon, seed=3, orders=10)
    with serve(sandbox) as server:
        world = World(machine, sandbox, server.url)
        a, b = list(sandbox.catalogue())[:2]
        _submit(world, a, 1)
        machine.advance(60)
        with override(transport=Lossy([fate])):
            run = _submit(world, b, 2)
        assert run.errors == [], run.errors
        feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
        assert len(feeds) == 2 and _owner(feeds[run.bodies[0]["feedSubmissionId"]]) == b


def test_twelve_messages_with_faults_on_reach_amazon_exactly_once_each(world):
    world.sandbox.set_faults(throttleRate=0.3, errorRate=0.2, disconnectRate=0.1)
    skus = list(world.sandbox.catalogue())[:12]
    lossy = Lossy(rng=random.Random(20261202), before=0.15, after=0.15)
    answers = {}
    with override(transport=lossy):
        for n, sku in enumerate(skus):
            run = _submit(world, sku, n + 1)
            assert run.errors == [], run.errors
            answers[sku] = run.bodies[0]["feedSubmissionId"]
            world.clock.advance(7)
    world.sandbox.set_faults(throttleRate=0, errorRate=0, disconnectRate=0)
    feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
    assert len(feeds) == 12  # 0 duplicates, 0 lost
    assert {sku: _owner(feeds[fid]) for sku, fid in answers.items()} == {s: s for s in skus}  # 0 wrong answers
    stats = world.sandbox.stats()
    assert lossy.lost["before"] and lossy.lost["after"] and stats["errors"] and stats["throttled"]


def test_another_sender_submitting_the_same_type_meanwhile_is_an_error_naming_both(world):
    a, b = list(world.sandbox.catalogue())[:2]
    other = World(world.clock, world.sandbox, world.url)

    def replica_submits():
        with override(transport=RequestsTransport()):  # another process's client
            other.run("submitInventory", world.cfg, body={"sku": a, "quantity": 9})

    with override(transport=Lossy(["after"], meanwhile=replica_submits)):
        run = _submit(world, b, 2)
    (error,) = run.errors
    assert isinstance(error, SubmissionUncertainError) and run.bodies == []
    feeds = _feeds(world)
    assert len(feeds) == 2 and set(error.candidates) == {f["feedSubmissionId"] for f in feeds}
    assert all(f["feedSubmissionId"] in str(error) for f in feeds)  # named, so a person can check
