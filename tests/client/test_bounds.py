"""Every answer from outside is bounded in size and time (issue 11 §3), over real loopback HTTP.

A small threaded server plays the hostile endpoint: answers that never end, gzip bombs, servers that
drip one byte at a time or say nothing, quota headers that reset in a century. Caps and deadlines are
configured tiny so each test takes well under a second of real time; one subprocess test runs the
default caps against a 50 MB answer and a 512 MiB gzip bomb and measures its peak memory.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from mws_component.lib.mws import errors
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import ManualClock, SystemClock, utc
from mws_component.lib.mws.errors import (
    DeadlineExceededError,
    QuotaWaitError,
    ResponseIntegrityError,
    ResponseTooLargeError,
    RetryableError,
    ThrottledError,
    TransportError,
    TransportTimeoutError,
)
from mws_component.lib.mws.operations import operation, quotas
from mws_component.lib.mws.pacing import HOUR, Pacer
from mws_component.lib.mws.retry import RetryPolicy, should_retry
from mws_component.lib.mws.transport import (
    RESPONSE_LIMITS,
    FunctionTransport,
    HttpRequest,
    HttpResponse,
    RequestsTransport,
    ResponseLimits,
    limits_for,
)

from .fakes import CREDS, FakeAmazon, error_body, ok_body

ROOT = Path(__file__).resolve().parents[2]
T0 = 1_700_000_000.0
TINY = ResponseLimits(wire_bytes=4_000, body_bytes=8_000)
ORDERS = ok_body("ListOrders", "<Orders>" + "<Order><AmazonOrderId>1</AmazonOrderId></Order>" * 20 + "</Orders>")


# ------------------------------------------------------------------ the hostile endpoint

Answer = Callable[[BaseHTTPRequestHandler], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.requests += 1
            self.server.connections.add(self.client_address)
        try:
            self.server.answer(self)
        except OSError:  # the client hung up, as it should
            self.close_connection = True


class Hostile(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer: Answer = ok(ORDERS)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.connections: set = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


@pytest.fixture
def server():
    srv = Hostile()
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield srv
    srv.stop.set()
    srv.shutdown()
    srv.server_close()


def ok(body: bytes, headers: dict | None = None) -> Answer:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return answer


def endless(block: bytes = b"<a>" * 1000, *, chunked: bool = False, headers: dict | None = None) -> Answer:
    """An answer without an end: no Content-Length (or chunked), writing until the client hangs up."""
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        h.send_response(200)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Transfer-Encoding" if chunked else "Connection", "chunked" if chunked else "close")
        h.end_headers()
        while not h.server.stop.is_set():
            h.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
    return answer


def drip(interval: float, length: int = 10_000) -> Answer:
    """Headers at once, then the body one byte every ``interval`` seconds."""
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(length))
        h.end_headers()
        while not h.server.stop.wait(interval):
            h.wfile.write(b"x")
    return answer


def drip_headers(interval: float) -> Answer:
    """The status line, then a header line that grows by one byte every ``interval`` seconds."""
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while not h.server.stop.wait(interval):
            h.wfile.write(b"x")
    return answer


def silent(h: BaseHTTPRequestHandler) -> None:
    h.server.stop.wait(30)


def gzipped(data: bytes, wbits: int = 31) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return c.compress(data) + c.flush()


def client_for(server: Hostile, transport=None, clock=None, **kw) -> MwsClient:
    creds = {**CREDS, "endpoint": server.url}
    return MwsClient(creds, transport=transport or RequestsTransport(), clock=clock or ManualClock(T0),
                     random=lambda: 0.5, **kw)


# ------------------------------------------------------------------ size

def test_declared_length_over_the_cap_is_refused_before_reading_and_not_retried(server):
    server.answer = ok(b"x" * 5_000)
    client = client_for(server, RequestsTransport(limits=TINY))
    with pytest.raises(ResponseTooLargeError) as info:
        client.call("GetOrder", {"AmazonOrderId": ["1"]})
    err = info.value
    assert server.requests == 1  # refused, never retried
    assert err.operation == "GetOrder" and err.limit == 4_000 and err.received == 5_000
    assert "declares 5000 bytes (Content-Length)" in str(err) and "cap for GetOrder is 4000 bytes" in str(err)
    assert not isinstance(err, RetryableError)


@pytest.mark.parametrize("chunked", [False, True], ids=["close-delimited", "chunked"])
def test_endless_answer_is_cut_right_after_the_cap(server, chunked):
    server.answer = endless(chunked=chunked)
    started = time.monotonic()
    with pytest.raises(ResponseTooLargeError) as info:
        client_for(server, RequestsTransport(limits=TINY)).call("ListOrderItems", {"AmazonOrderId": "1"})
    assert time.monotonic() - started < 2
    err = info.value
    assert 4_000 < err.received <= 4_000 + 65_536 + 16  # stopped within one chunk of the cap
    assert "passed 4000 bytes as sent" in str(err) and "ListOrderItems" in str(err)


def test_small_gzip_bomb_stops_at_the_decompressed_cap(server):
    bomb = gzipped(bytes(3_000_000))  # 1000:1
    assert len(bomb) < TINY.wire_bytes
    server.answer = ok(bomb, {"Content-Encoding": "gzip"})
    with pytest.raises(ResponseTooLargeError) as info:
        client_for(server, RequestsTransport(limits=TINY)).call("GetOrder", {"AmazonOrderId": ["1"]})
    assert info.value.received == TINY.body_bytes + 1  # the decompressor was never let past the cap
    assert "passed 8000 bytes decompressed" in str(info.value) and server.requests == 1


@pytest.mark.parametrize("encoding, encode", [
    ("gzip", gzipped),
    ("deflate", lambda b: gzipped(b, 15)),  # zlib-wrapped, as the RFC says
    ("deflate", lambda b: gzipped(b, -15)),  # raw deflate, as some servers send it
    ("gzip", lambda b: gzipped(b[:100]) + gzipped(b[100:])),  # two gzip members
], ids=["gzip", "deflate", "raw deflate", "gzip members"])
def test_compressed_answers_within_the_caps_decode(server, encoding, encode):
    server.answer = ok(encode(ORDERS), {"Content-Encoding": encoding})
    response = client_for(server, RequestsTransport(limits=TINY)).call("ListOrders", {"CreatedAfter": "2020-01-01"})
    assert response.body == ORDERS and len(response.result["Orders"]["Order"]) == 20


@pytest.mark.parametrize("body, headers, says", [
    (gzipped(ORDERS)[:-30], {"Content-Encoding": "gzip"}, "ended before the end of its gzip data"),
    (b"not gzip at all", {"Content-Encoding": "gzip"}, "is not valid gzip data"),
    (ORDERS, {"Content-Encoding": "br"}, "Content-Encoding 'br', which was not asked for"),
], ids=["truncated", "not gzip", "unasked encoding"])
def test_undecodable_answers_are_integrity_errors(server, body, headers, says):
    server.answer = ok(body, headers)
    transport = RequestsTransport(limits=TINY)
    with pytest.raises(ResponseIntegrityError, match=says):
        transport.send(HttpRequest("POST", server.url + "/Orders/2013-09-01", operation="ListOrders"))


def test_xml_with_too_many_elements_is_refused(server):
    server.answer = ok(ok_body("ListOrders", "<x/>" * 250_000))
    with pytest.raises(ResponseTooLargeError, match="more than 200000 XML elements"):
        client_for(server).call("ListOrders", {"CreatedAfter": "2020-01-01"})
    assert server.requests == 1


def test_limits_are_a_table_by_operation():
    assert limits_for("ListOrders") == RESPONSE_LIMITS["*"] == ResponseLimits(16 * 2**20, 16 * 2**20)
    assert limits_for("GetFeedSubmissionResult").body_bytes == 128 * 2**20
    assert limits_for("GetReport").wire_bytes == 128 * 2**20


def test_raw_reports_get_the_larger_cap(server):
    report = b"<AmazonEnvelope>" + b"<Message/>" * 2_000 + b"</AmazonEnvelope>"
    server.answer = ok(report)
    table = {"*": TINY, "GetFeedSubmissionResult": ResponseLimits(100_000, 100_000)}
    client = client_for(server, RequestsTransport(limits=table))
    assert client.call("GetFeedSubmissionResult", {"FeedSubmissionId": "1"}).body == report
    with pytest.raises(ResponseTooLargeError):
        client.call("GetOrder", {"AmazonOrderId": ["1"]})


def test_answers_read_whole_keep_the_connection_for_the_next_request(server):
    client = client_for(server)
    for _ in range(3):
        client.call("ListOrders", {"CreatedAfter": "2020-01-01"})
    assert server.requests == 3 and len(server.connections) == 1


# ------------------------------------------------------------------ time

@pytest.mark.parametrize("answer, got", [
    (drip(0.05), "bytes received"),
    (drip_headers(0.05), "0 bytes received"),
    (silent, "0 bytes received"),
], ids=["dripping body", "dripping headers", "silent"])
def test_each_request_ends_at_its_deadline_whatever_the_server_does(server, answer, got):
    server.answer = answer
    transport = RequestsTransport(timeout=(5.0, 5.0), deadline=0.4)
    started = time.monotonic()
    with pytest.raises(TransportTimeoutError) as info:
        transport.send(HttpRequest("POST", server.url + "/Orders/2013-09-01", operation="ListOrders"))
    assert 0.35 < time.monotonic() - started < 1.0
    assert f"no complete answer from {server.url}/Orders/2013-09-01 within 0.4 s" in str(info.value)
    assert got in str(info.value)


def test_a_dripping_server_costs_two_deadlines_at_most(server):
    server.answer = drip(0.05)
    client = client_for(server, RequestsTransport(deadline=0.4))
    started = time.monotonic()
    with pytest.raises(TransportTimeoutError):
        client.call("ListOrders", {"CreatedAfter": "2020-01-01"})
    assert server.requests == 2  # retried once, not five times
    assert time.monotonic() - started < 2 * 0.4 + 0.5


def test_the_request_gets_only_the_time_left_before_the_callers_deadline(server):
    server.answer = silent
    transport = RequestsTransport(deadline=30.0)
    started = time.monotonic()
    with pytest.raises(TransportTimeoutError, match="within 0.3 s"):
        transport.send(HttpRequest("POST", server.url + "/Orders/2013-09-01", time_left=0.3))
    assert time.monotonic() - started < 1.0


def test_call_deadline_on_a_real_clock_bounds_request_retries_and_backoff_together(server):
    server.answer = silent
    client = client_for(server, RequestsTransport(deadline=30.0), clock=SystemClock(),
                        policy=RetryPolicy(call_deadline=0.5))
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as info:
        client.call("ListOrders", {"CreatedAfter": "2020-01-01"})
    assert time.monotonic() - started < 1.2
    assert isinstance(info.value.__cause__, TransportTimeoutError) and "backoff" in str(info.value)


def test_timeouts_are_retried_once_other_transport_errors_as_before():
    policy, timeout, dropped = RetryPolicy(), TransportTimeoutError("slow"), TransportError("reset")
    assert should_retry(policy, timeout, {"timeout": 1}, True)
    assert not should_retry(policy, timeout, {"timeout": 2}, True)
    assert should_retry(policy, dropped, {"other": 4}, True)
    assert not should_retry(policy, QuotaWaitError("later", retry_after=60), {"other": 1}, True)


# ------------------------------------------------------------------ quota waits and the step deadline

def far_future_quota(resets: str) -> dict:
    return {"x-mws-quota-max": "80.0", "x-mws-quota-remaining": "0.0", "x-mws-quota-resetsOn": resets}


def test_far_future_quota_reset_raises_quota_wait_instead_of_sleeping(server):
    server.answer = ok(ok_body("GetFeedSubmissionCount"), far_future_quota("2100-01-01T00:00:00Z"))
    clock = ManualClock(T0)
    client = client_for(server, clock=clock)
    client.call("GetFeedSubmissionCount")
    with pytest.raises(QuotaWaitError) as info:
        client.call("GetFeedSubmissionCount")
    err = info.value
    assert clock.slept == 0 and server.requests == 1
    assert err.retry_after == pytest.approx(HOUR)  # an hourly quota is not believed blocked past the hour
    assert err.operation == "GetFeedSubmissionCount" and err.to_dict()["retryAfter"] == pytest.approx(HOUR)
    assert "hourly quota is used up" in str(err) and "600 s this call may still wait" in str(err)


def make(script, clock=None, **kw):
    fake = FakeAmazon(script=list(script))
    clock = clock or ManualClock(T0)
    return MwsClient(CREDS, transport=FunctionTransport(fake), clock=clock, random=lambda: 0.5, **kw), fake, clock


def test_quota_reset_beyond_max_quota_wait_raises_without_sleeping():
    resets = utc(T0 + 1000).isoformat().replace("+00:00", "Z")
    client, fake, clock = make([(200, ok_body("GetFeedSubmissionCount"), far_future_quota(resets))])
    client.call("GetFeedSubmissionCount")
    with pytest.raises(QuotaWaitError) as info:
        client.call("GetFeedSubmissionCount")
    assert info.value.retry_after == pytest.approx(1000, abs=1) and clock.slept == 0


def test_a_quota_wait_within_max_quota_wait_but_past_the_step_deadline_raises():
    resets = utc(T0 + 400).isoformat().replace("+00:00", "Z")
    client, fake, clock = make([(503, error_body("QuotaExceeded"), {"x-mws-quota-resetsOn": resets}),
                                (200, ok_body("GetFeedSubmissionCount"))])
    with client.deadline(300), pytest.raises(QuotaWaitError) as info:
        client.call("GetFeedSubmissionCount")
    assert info.value.retry_after == pytest.approx(400, abs=1) and clock.slept == 0 and len(fake.seen) == 1


def test_backoff_that_would_cross_the_deadline_raises_and_keeps_the_cause():
    client, fake, clock = make([(503, error_body("ServiceUnavailable"))],
                               policy=RetryPolicy(base_delay=10, max_delay=60, call_deadline=40))
    with pytest.raises(DeadlineExceededError) as info:
        client.call("GetOrder", {"AmazonOrderId": ["1"]})
    assert clock.slept <= 40 and len(fake.seen) == 3  # backoffs of 7.5 and 15 s fit, 30 s does not
    assert info.value.__cause__.code == "ServiceUnavailable" and isinstance(info.value, QuotaWaitError)


def test_deadline_block_bounds_a_sequence_and_ends_with_the_block():
    client, fake, clock = make([(200, ok_body("ListOrderItems"))])
    with client.deadline(50), pytest.raises(QuotaWaitError):  # burst 30, then one per 2 s
        for _ in range(100):
            client.call("ListOrderItems", {"AmazonOrderId": "1"})
    assert clock.slept <= 50 and 30 + 23 <= len(fake.seen) <= 30 + 25
    clock.advance(600)  # the same (cached) client, next message: no expired deadline carried over
    client.call("ListOrderItems", {"AmazonOrderId": "1"})
    with client.deadline(100) as outer, client.deadline(500) as inner:
        assert inner == outer == clock.now() + 100  # nested blocks keep the earlier deadline


def test_deadline_belongs_to_the_thread_that_opened_it():
    client, fake, clock = make([(503, error_body("RequestThrottled")), (200, ok_body("ListOrders"))])
    outcome = {}

    def other_step():
        outcome["status"] = client.call("ListOrders", {"CreatedAfter": "2020-01-01"}).status

    with client.deadline(5):
        worker = threading.Thread(target=other_step)
        worker.start()
        worker.join()
    assert outcome == {"status": 200} and clock.slept >= 60  # waited a minute for a token, unbounded by 5 s


def test_pacer_refuses_a_wait_longer_than_allowed_and_sleeps_none_of_it():
    clock = ManualClock(T0)
    pacer, quota = Pacer(clock), quotas()["ListOrders"]
    for _ in range(quota.burst):
        pacer.acquire("S", quota, max_wait=0)
    with pytest.raises(QuotaWaitError) as info:
        pacer.acquire("S", quota, max_wait=30)
    assert info.value.retry_after == pytest.approx(60, abs=1) and clock.slept == 0
    assert "request quota is used up for ListOrders" in str(info.value)
    assert pacer.acquire("S", quota, max_wait=61) == pytest.approx(60, abs=1)
    pacer.hourly_exhausted("S", quota, T0 + 10 * HOUR)
    with pytest.raises(QuotaWaitError) as info:
        pacer.acquire("S", quota)
    assert info.value.retry_after == pytest.approx(HOUR, abs=1)


def test_throttling_still_paces_within_the_budget():
    client, fake, clock = make([(503, error_body("RequestThrottled")), (200, ok_body("ListOrders"))])
    client.call("ListOrders", {"CreatedAfter": "2020-01-01"})
    assert 60 <= clock.slept < 61 and len(fake.seen) == 2
    assert operation("ListOrders").quota.restore_seconds == 60


# ------------------------------------------------------------------ no secret rides along

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _leaks(exc: BaseException, *secrets: str) -> list[str]:
    """Secrets found in the exception as logged: its traceback with every chained exception."""
    text = "".join(traceback.format_exception(exc)) + repr(exc) + str(exc.to_dict())
    return [s for s in secrets if s in text]


def test_no_chained_exception_carries_the_signed_url():
    creds = {**CREDS, "endpoint": f"http://127.0.0.1:{_closed_port()}"}
    client = MwsClient(creds, clock=ManualClock(T0))
    op = operation("SubmitFeed")
    request = client.prepare(op, {"FeedType": "_POST_PRODUCT_DATA_"}, b"<a/>")
    query = dict(parse_qsl(urlsplit(request.url).query))
    signature, token = query["Signature"], query["MWSAuthToken"]
    with pytest.raises(TransportError) as info:
        RequestsTransport().send(request)
    err = info.value
    assert err.__cause__ is None and err.__context__ is None
    assert "ConnectionError talking to http://127.0.0.1:" in str(err)
    assert _leaks(err, signature, token, "Signature=", "MWSAuthToken") == []
    with pytest.raises(TransportError) as info:  # the same through the client (SubmitFeed: not retried)
        client.call("SubmitFeed", {"FeedType": "_POST_PRODUCT_DATA_"}, body=b"<a/>")
    assert _leaks(info.value, token, "Signature=", "MWSAuthToken") == []


@pytest.mark.parametrize("answer", [silent, ok(b"x" * 5_000)], ids=["timeout", "too large"])
def test_refusals_name_the_origin_not_the_query(server, answer):
    server.answer = answer
    transport = RequestsTransport(deadline=0.3, limits=TINY)
    url = server.url + "/Feeds/2009-01-01?MWSAuthToken=amzn.mws.secret&Signature=c2VjcmV0"
    with pytest.raises(errors.MwsError) as info:
        transport.send(HttpRequest("POST", url, operation="SubmitFeed"))
    assert info.value.__context__ is None
    assert _leaks(info.value, "amzn.mws.secret", "c2VjcmV0") == []


def test_transports_without_limits_still_work_with_the_new_request_fields():
    seen = []
    transport = FunctionTransport(lambda r: seen.append(r) or HttpResponse.of(200, {}, ok_body("GetOrder")))
    client = MwsClient(CREDS, transport=transport, clock=ManualClock(T0))
    client.call("GetOrder", {"AmazonOrderId": ["1"]})
    assert seen[0].operation == "GetOrder" and 0 < seen[0].time_left <= 600


# ------------------------------------------------------------------ default caps, real sizes, memory

_MEMORY_SCRIPT = r"""
import json, resource, sys, threading, time, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, ROOT)
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.errors import ResponseTooLargeError
from tests.client.fakes import CREDS

MIB = 1 << 20
c = zlib.compressobj(9, zlib.DEFLATED, 31)
BOMB = b"".join([c.compress(bytes(MIB)) for _ in range(512)] + [c.flush()])
XML = (b'<ListOrdersResponse><ListOrdersResult><Orders>' + b'<a/>' * 2_000_000
       + b'</Orders></ListOrdersResult></ListOrdersResponse>')
BLOCK = b"<Order>" * (MIB // 7)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        case = self.server.case
        self.send_response(200)
        try:
            if case == "50 MB, no length":
                self.send_header("Connection", "close"); self.end_headers()
                for _ in range(50):
                    self.wfile.write(BLOCK)
            elif case == "50 MB, declared":
                self.send_header("Content-Length", str(50 * MIB)); self.end_headers()
                for _ in range(50):
                    self.wfile.write(BLOCK)
            elif case == "gzip bomb 512 MiB":
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(BOMB))); self.end_headers()
                self.wfile.write(BOMB)
            else:
                self.send_header("Content-Length", str(len(XML))); self.end_headers()
                self.wfile.write(XML)
        except OSError:
            self.close_connection = True

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
client = MwsClient({**CREDS, "endpoint": f"http://127.0.0.1:{server.server_port}"}, clock=ManualClock())
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = {"baseline_mb": peak()}
for case in ["50 MB, no length", "50 MB, declared", "gzip bomb 512 MiB", "2M XML elements"]:
    server.case = case
    started = time.monotonic()
    try:
        client.call("ListOrderItems", {"AmazonOrderId": "1"})
        result = "accepted"
    except ResponseTooLargeError as err:
        result = str(err)
    out[case] = {"seconds": round(time.monotonic() - started, 2), "peak_mb": round(peak(), 1), "result": result}
print(json.dumps(out))
"""


def test_default_caps_refuse_huge_answers_quickly_and_in_little_memory(tmp_path):
    script = tmp_path / "memory.py"
    script.write_text(textwrap.dedent(_MEMORY_SCRIPT).replace("sys.path.insert(0, ROOT)",
                                                              f"sys.path.insert(0, {str(ROOT)!r})"))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    print(json.dumps(out, indent=1))
    baseline = out.pop("baseline_mb")
    for case, figures in out.items():
        assert figures["seconds"] < 5, (case, figures)
        assert figures["peak_mb"] - baseline < 120, (case, figures)  # caps are 16 MiB; unbounded was GBs
    assert "declares 52428800 bytes" in out["50 MB, declared"]["result"]
    assert "passed 16777216 bytes as sent" in out["50 MB, no length"]["result"]
    assert "passed 16777216 bytes decompressed" in out["gzip bomb 512 MiB"]["result"]
    assert "more than 200000 XML elements" in out["2M XML elements"]["result"]


def test_error_tree_places_the_new_classes():
    assert issubclass(errors.TransportTimeoutError, errors.TransportError)
    assert issubclass(errors.DeadlineExceededError, errors.QuotaWaitError)
    assert issubclass(errors.QuotaWaitError, errors.RetryableError)
    assert not issubclass(errors.ResponseTooLargeError, errors.RetryableError)
    assert not issubclass(ThrottledError, errors.QuotaWaitError)
    for name in ("ResponseTooLargeError", "HostileXmlError", "QuotaWaitError", "DeadlineExceededError",
                 "TransportTimeoutError"):
        assert name in errors.__doc__
