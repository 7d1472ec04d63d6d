"""A built feed goes to SubmitFeed as a stream from its spool file, over a real loopback socket: the
sandbox gets the very bytes ``feed.xml`` holds, and an attempt that was throttled is sent again
whole, re-read from the first byte, under a newly signed request with the feed's own Content-MD5."""

from __future__ import annotations

from mws_component.lib.feeds import build_feed
from mws_component.lib.mws import transport as transport_module
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.transport import HttpRequest, HttpResponse, RequestsTransport


class ThrottledOnce:
    """The loopback transport, with the sandbox throttling the first SubmitFeed and nothing after."""

    def __init__(self, sandbox) -> None:
        self.sandbox, self.inner, self.bodies = sandbox, RequestsTransport(timeout=5.0), []

    def send(self, request: HttpRequest) -> HttpResponse:
        submit = "Action=SubmitFeed" in request.url
        if submit:
            self.bodies.append(request.body)
            self.sandbox.set_faults(throttleRate=1 if len(self.bodies) == 1 else 0)
        return self.inner.send(request)


def test_streamed_feed_is_read_again_for_the_retry_and_arrives_byte_for_byte(sandbox, server, clock, monkeypatch):
    monkeypatch.setattr(transport_module, "STREAM_BODIES_ABOVE", 0)  # stream even this small feed
    skus = list(sandbox.catalogue())[:3]
    wire = ThrottledOnce(sandbox)
    client = MwsClient(sandbox.credentials(server.url), transport=wire, clock=clock)
    with build_feed("inventory", ({"sku": s, "quantity": n} for n, s in enumerate(skus)), merchant_id="M") as feed:
        answer = client.call("SubmitFeed", {"FeedType": feed.feed_type}, body=feed)
        sent = feed.xml
    assert answer.result["FeedSubmissionInfo"][0]["FeedProcessingStatus"] == "_SUBMITTED_"
    assert len(wire.bodies) == 2 and all(body is feed for body in wire.bodies)  # streamed both times
    assert sandbox.stats()["throttled"] >= 1
    [received] = [f.content for f in sandbox.backend.feeds.feeds.values()]
    assert received == sent and len(sent) == feed.size
    wire.inner.close()


def test_small_feeds_still_travel_as_bytes(sandbox, server, clock):
    """Under the streaming threshold a feed is sent as bytes: fakes and in-process apps see bytes."""
    wire = ThrottledOnce(sandbox)
    client = MwsClient(sandbox.credentials(server.url), transport=wire, clock=clock)
    with build_feed("inventory", {"sku": next(iter(sandbox.catalogue())), "quantity": 1}, merchant_id="M") as feed:
        client.call("SubmitFeed", {"FeedType": feed.feed_type}, body=feed)
        assert wire.bodies[-1] == feed.xml
    wire.inner.close()
