"""A JSON_LISTINGS_FEED reaches Amazon exactly once and the step answers with its own feed id, as on MWS
(tests/actions/test_exactly_once.py, which this mirrors): a proxy on the way to the emulator loses
createFeed exchanges before forwarding them or after Amazon answered; the emulator's own faults add
throttles, 500s and dropped connections. The oracle is the emulator's record of every feed it received.
"""

from __future__ import annotations

import json
import random

import pytest

from mws_component.lib.connection import override
from mws_component.lib.mws.errors import SubmissionUncertainError
from mws_component.lib.mws.transport import RequestsTransport
from tests.actions.test_exactly_once import Lossy
from tests.conftest import World

SP = pytest.mark.parametrize("world", ["sp-api"], indirect=True)
FEED = "JSON_LISTINGS_FEED"


class LossyCreateFeed(Lossy):
    """``Lossy`` for SP-API: the exchanges it may lose are createFeed's (POST /feeds/2021-06-30/feeds)."""

    def send(self, request):
        if request.method != "POST" or not request.url.split("?")[0].endswith("/feeds/2021-06-30/feeds"):
            return self.inner.send(request)
        return super().send(_as_submit_feed(request))


def _as_submit_feed(request):
    """The request as ``Lossy`` recognises a submission (it looks for Action=SubmitFeed in the URL)."""
    from dataclasses import replace

    return replace(request, url=request.url + ("&" if "?" in request.url else "?") + "Action=SubmitFeed")


def _feeds(world) -> list[dict]:
    """Every JSON_LISTINGS_FEED the emulator received, with the document it was created from.

    Read from the emulator's feed store (``Sandbox.sp_feeds``; ``Sandbox.feeds()`` lists MWS feeds only).
    """
    store = world.sandbox.sp_feeds
    return [{"feedSubmissionId": f.feed_id, "content": store.documents[f.document_id].content}
            for f in list(store.feeds.values()) if f.feed_type == FEED]


def _owners(feed: dict) -> list[str]:
    return [m["sku"] for m in json.loads(feed["content"])["messages"]]


def _submit(world, skus, quantity):
    return world.run("submitInventory", world.cfg, body={"items": [{"sku": s, "quantity": quantity} for s in skus]})


@SP
@pytest.mark.parametrize("fate", ["before", "after"])
def test_feed_b_lost_after_feed_a_is_answered_with_its_own_feed(world, fate):
    skus = list(world.sandbox.catalogue())[:4]
    first = _submit(world, skus[:2], 1)
    world.clock.advance(90)
    with override(transport=LossyCreateFeed([fate])):  # a new client: it has never seen feed A's answer
        second = _submit(world, skus[2:], 2)
    assert first.errors == [] and second.errors == [], second.errors
    feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
    assert len(feeds) == 2
    assert _owners(feeds[second.bodies[0]["feedSubmissionId"]]) == skus[2:]
    assert second.bodies[0]["feedSubmissionId"] != first.bodies[0]["feedSubmissionId"]


@SP
def test_the_same_process_never_takes_its_own_earlier_feed_for_a_lost_one(world):
    skus = list(world.sandbox.catalogue())[:4]
    lossy = LossyCreateFeed([None, "before"])
    with override(transport=lossy):
        first = _submit(world, skus[:2], 1)
        second = _submit(world, skus[2:], 2)
    assert lossy.lost["before"] == 1 and second.errors == []
    feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
    assert len(feeds) == 2 and _owners(feeds[second.bodies[0]["feedSubmissionId"]]) == skus[2:]
    assert first.bodies[0]["feedSubmissionId"] != second.bodies[0]["feedSubmissionId"]


@SP
def test_eight_messages_with_losses_reach_amazon_exactly_once_each(world):
    skus = list(world.sandbox.catalogue())[:16]
    lossy = LossyCreateFeed(rng=random.Random(20261202), before=0.25, after=0.25)
    answers = {}
    with override(transport=lossy):
        for n in range(8):
            pair = skus[2 * n:2 * n + 2]
            run = _submit(world, pair, n + 1)
            assert run.errors == [], run.errors
            answers[run.bodies[0]["feedSubmissionId"]] = pair
            world.clock.advance(7)
    feeds = {f["feedSubmissionId"]: f for f in _feeds(world)}
    assert len(feeds) == 8  # 0 duplicates, 0 lost
    assert {fid: _owners(feeds[fid]) for fid in answers} == answers  # 0 wrong answers
    assert lossy.lost["before"] and lossy.lost["after"]


@SP
def test_another_sender_of_the_same_type_meanwhile_is_an_error_naming_both(world):
    skus = list(world.sandbox.catalogue())[:4]
    other = World(world.clock, world.sandbox, world.url, "sp-api")

    def replica_submits():
        with override(transport=RequestsTransport()):  # another process's client
            other.run("submitInventory", world.cfg, body={"items": [{"sku": s, "quantity": 9} for s in skus[:2]]})

    with override(transport=LossyCreateFeed(["after"], meanwhile=replica_submits)):
        run = _submit(world, skus[2:], 2)
    (error,) = run.errors
    assert isinstance(error, SubmissionUncertainError) and run.bodies == []
    feeds = _feeds(world)
    assert len(feeds) == 2 and set(error.candidates) == {f["feedSubmissionId"] for f in feeds}
