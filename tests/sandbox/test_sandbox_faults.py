"""Injected faults: off by default, switchable at run time, seeded, and acted out for real on the
socket (connection reset mid-response, real delays) and as TransportError in-process."""

from __future__ import annotations

import time

import pytest
import requests
from mws_sandbox import Sandbox

from mws_component.lib.mws.errors import TransportError
from mws_component.lib.mws.transport import HttpRequest, InProcessTransport, RequestsTransport

from .conftest import FEEDS, SELLERS, Raw, feed_xml


def participations(raw):
    raw.clock.advance(60)  # one restore interval: real throttling never interferes
    return raw.call(SELLERS, "ListMarketplaceParticipations")


def test_faults_are_off_by_default(raw, sandbox):
    assert sandbox.faults_settings() == {"throttleRate": 0.0, "errorRate": 0.0, "disconnectRate": 0.0,
                                         "slowRate": 0.0, "slowSeconds": 2.0}
    assert all(participations(raw).status == 200 for _ in range(50))


def test_throttle_fault_answers_request_throttled(raw, sandbox):
    sandbox.set_faults(throttleRate=1)
    resp = participations(raw)
    assert (resp.status, resp.code) == (503, "RequestThrottled")
    assert sandbox.stats()["operations"]["ListMarketplaceParticipations"]["throttled"] == 1


def test_error_fault_answers_internal_error_before_any_effect(raw, sandbox):
    sandbox.set_faults(errorRate=1)
    feed = feed_xml("Inventory", "<Message><MessageID>1</MessageID><Inventory><SKU>X</SKU><Quantity>1</Quantity>"
                                 "</Inventory></Message>")
    resp = raw.submit_feed(feed)
    assert (resp.status, resp.code) == (500, "InternalError")
    assert resp.xml.findtext("Error/Type") == "Receiver"
    assert sandbox.feeds() == []


def test_disconnect_in_process_raises_transport_error_after_the_call_took_effect(sandbox, creds, clock):
    transport = InProcessTransport(sandbox)
    raw = Raw(transport.send, creds, clock, "127.0.0.1:8000")
    sandbox.set_faults(disconnectRate=1)
    feed = feed_xml("Inventory", "<Message><MessageID>1</MessageID><Inventory><SKU>X</SKU><Quantity>1</Quantity>"
                                 "</Inventory></Message>")
    with pytest.raises(TransportError):
        raw.submit_feed(feed)
    assert len(sandbox.feeds()) == 1  # the dangerous case: accepted, but the client never heard
    assert len(transport.requests) == 1


def test_slow_fault_in_process_waits_on_the_sandbox_clock(raw, sandbox, clock):
    sandbox.set_faults(slowRate=1, slowSeconds=30)
    before = clock.now()
    assert raw.call(SELLERS, "ListMarketplaceParticipations").status == 200
    assert clock.now() - before == 30


def test_fault_settings_are_validated_with_the_field_named(sandbox):
    with pytest.raises(ValueError, match="'throttleRate' must be a number from 0 to 1"):
        sandbox.set_faults(throttleRate=1.5)
    with pytest.raises(ValueError, match="unknown fault setting 'dropRate'"):
        sandbox.set_faults(dropRate=0.1)
    with pytest.raises(ValueError, match="slowSeconds"):
        sandbox.set_faults(slowSeconds=-1)
    assert sandbox.set_faults(errorRate=0.25)["errorRate"] == 0.25


def _pattern(seed: int, clock_start: float = 1_700_000_000.0) -> list[int]:
    from mws_component.lib.mws.clock import ManualClock

    clock = ManualClock(clock_start)
    sandbox = Sandbox(clock, seed=seed)
    sandbox.set_faults(throttleRate=0.3, errorRate=0.2)
    raw = Raw(sandbox.handle, sandbox.credentials("http://h"), clock, "h")
    return [participations(raw).status for _ in range(60)]


def test_faults_are_deterministic_per_seed_and_roughly_at_their_rates():
    first, again, other = _pattern(5), _pattern(5), _pattern(6)
    assert first == again
    assert first != other
    assert 8 <= first.count(503) <= 30 and 4 <= first.count(500) <= 22 and first.count(200) >= 15


def test_disconnect_over_http_resets_the_connection_mid_response(http_raw, sandbox, server):
    sandbox.set_faults(disconnectRate=1)
    with pytest.raises(TransportError):
        http_raw.call(SELLERS, "ListMarketplaceParticipations")
    request = http_raw.request(SELLERS, "GetServiceStatus", method="GET")
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.get(server.url + request.url, headers=dict(request.headers), timeout=5)
    assert sandbox.stats()["operations"]["SellersGetServiceStatus"]["requests"] == 1  # it was answered, then cut
    sandbox.set_faults(disconnectRate=0)
    http_raw.clock.advance(60)
    assert http_raw.call(SELLERS, "ListMarketplaceParticipations").status == 200  # the server survived


def test_slow_fault_over_http_really_delays(http_raw, sandbox, server):
    sandbox.set_faults(slowRate=1, slowSeconds=0.3)
    started = time.monotonic()
    assert http_raw.call(SELLERS, "GetServiceStatus").status == 200
    assert time.monotonic() - started >= 0.3
    http_raw.clock.advance(300)
    request = http_raw.request(SELLERS, "GetServiceStatus")
    impatient = RequestsTransport(timeout=0.1)
    with pytest.raises(TransportError):
        impatient.send(HttpRequest(request.method, server.url + request.url, request.headers, request.body))
    impatient.close()


def test_unauthenticated_calls_draw_no_faults(raw, sandbox):
    sandbox.set_faults(errorRate=1)
    assert raw.call(SELLERS, "ListMarketplaceParticipations", secret="wrong").code == "SignatureDoesNotMatch"


def test_scenario_api_and_ping_never_get_faults(sandbox, server):
    sandbox.set_faults(errorRate=1, disconnectRate=1)
    assert requests.get(server.url + "/", timeout=5).status_code == 200
    assert requests.get(server.url + "/_sandbox/stats", timeout=5).status_code == 200


def test_feeds_route_gets_faults_too(raw, sandbox):
    sandbox.set_faults(throttleRate=1)
    assert raw.call(FEEDS, "GetFeedSubmissionCount").code == "RequestThrottled"
