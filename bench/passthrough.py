"""Pass-through throughput of the sailor against a plain pika loop on the same broker.

``passthrough_throughput(n, uri)`` answers "what does the sailor cost per message?": it moves ``n``
encrypted messages through a one-line pass-through step (decrypt, run ``process``, encrypt, publish
with confirms, ack) and, on the same broker, through a bare pika consumer that republishes each body
with confirms and acks it. Both use the same prefetch. ``startup_seconds`` is what a container start
costs: from spawning ``mws-component sailor`` to its consumer being on the queue. Publish throttling is switched off for the
sailor (the platform's 100 msg/s cap would otherwise be what is measured). Everything it declares is
uniquely named and deleted afterwards; the step data comes from a loopback stand-in for the API.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pika
from eiosdk.sailor.crypto import MessageCipher
from eiosdk.sailor.runtime import Sailor
from eiosdk.sailor.settings import load_settings

PASSWORD, IV = "benchCryptoPassword", "bench-iv-16bytes"
MANIFEST = {
    "title": "Throughput bench", "description": "one pass-through action",
    "actions": {"passthrough": {"title": "Pass through", "description": "emits its input body",
                                "main": "./passthrough.py",
                                "metadata": {"in": {"type": "object", "properties": {}},
                                             "out": {"type": "object", "properties": {}}}}},
}
STEP = '"""Bench step."""\n\n\ndef process(msg, cfg, snapshot):\n    return dict(msg.body)\n'


def passthrough_throughput(n_messages: int, amqp_uri: str, *, prefetch: int = 10,
                           timeout: float = 300.0) -> dict[str, Any]:
    """Messages per second through the sailor and through a plain pika loop, plus sailor start-up seconds."""
    if n_messages < 1:
        raise ValueError("n_messages must be at least 1")
    cipher = MessageCipher(PASSWORD, IV)
    body = cipher.encode({"body": {"sku": "BENCH-1", "qty": 1}})
    baseline = _baseline(n_messages, amqp_uri, body, prefetch, timeout)
    startup, sailor_seconds = _through_sailor(n_messages, amqp_uri, body, prefetch, timeout)
    process_startup = _process_startup(amqp_uri, timeout)
    sailor_rate = n_messages / sailor_seconds
    baseline_rate = n_messages / baseline
    return {
        "messages": n_messages, "prefetch": prefetch,
        "sailor_msgs_per_s": round(sailor_rate, 1), "baseline_msgs_per_s": round(baseline_rate, 1),
        "sailor_vs_baseline": round(sailor_rate / baseline_rate, 3),
        "sailor_seconds": round(sailor_seconds, 3), "baseline_seconds": round(baseline, 3),
        "startup_seconds": round(process_startup, 3), "in_process_startup_seconds": round(startup, 3),
        "publish_throttle": "off",
    }


class _Topology:
    """A durable direct exchange with an input queue and an output queue, deleted on ``close``."""

    def __init__(self, uri: str) -> None:
        self.name = f"bench-{uuid.uuid4().hex[:10]}"
        self.exchange, self.inq, self.outq = f"{self.name}:x", f"{self.name}:in", f"{self.name}:out"
        self.in_key, self.out_key = f"{self.name}.in", f"{self.name}.out"
        self.connection = pika.BlockingConnection(pika.URLParameters(uri))
        self.channel = self.connection.channel()
        self.channel.exchange_declare(self.exchange, exchange_type="direct", durable=True)
        for queue, key in ((self.inq, self.in_key), (self.outq, self.out_key)):
            self.channel.queue_declare(queue, durable=True)
            self.channel.queue_bind(queue, self.exchange, routing_key=key)

    def fill(self, n: int, body: bytes) -> None:
        props = pika.BasicProperties(content_type="application/json", headers={"threadId": "bench"})
        for _ in range(n):
            props.headers = {"threadId": "bench", "messageId": str(uuid.uuid4())}
            self.channel.basic_publish(self.exchange, self.in_key, body, props)

    def consumers(self) -> int:
        return self.channel.queue_declare(self.inq, passive=True).method.consumer_count

    def out_count(self) -> int:
        return self.channel.queue_declare(self.outq, passive=True).method.message_count

    def wait_out(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.out_count() < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {self.out_count()} of {n} messages came through in {timeout}s")
            self.connection.sleep(0.01)

    def close(self) -> None:
        for queue in (self.inq, self.outq):
            self.channel.queue_delete(queue)
        self.channel.exchange_delete(self.exchange)
        self.connection.close()


def _baseline(n: int, uri: str, body: bytes, prefetch: int, timeout: float) -> float:
    """Seconds for a bare pika consumer (confirms on, manual ack) to move ``n`` messages."""
    topo = _Topology(uri)
    try:
        topo.fill(n, body)
        connection = pika.BlockingConnection(pika.URLParameters(uri))
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_qos(prefetch_count=prefetch)
        start = time.perf_counter()
        stream = channel.consume(topo.inq, inactivity_timeout=timeout)
        for moved, (method, props, payload) in enumerate(stream, start=1):
            if method is None:
                raise TimeoutError("the baseline consumer got no message in time")
            channel.basic_publish(topo.exchange, topo.out_key, payload, props, mandatory=True)
            channel.basic_ack(method.delivery_tag)
            if moved == n:
                break
        elapsed = time.perf_counter() - start
        channel.cancel()
        connection.close()
        return elapsed
    finally:
        topo.close()


@contextlib.contextmanager
def _component() -> Iterator[str]:
    """A throwaway component root holding the pass-through step."""
    with tempfile.TemporaryDirectory(prefix="sailor-bench-") as root:
        Path(root, "component.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
        Path(root, "passthrough.py").write_text(STEP, encoding="utf-8")
        yield root


def _through_sailor(n: int, uri: str, body: bytes, prefetch: int, timeout: float) -> tuple[float, float]:
    """(start-up seconds, seconds to move ``n`` messages) for an in-process sailor."""
    topo = _Topology(uri)
    api = _StepDataServer()
    try:
        with _component() as root:
            topo.fill(n, body)
            env = _env(topo, api.url, uri, prefetch)
            began = time.perf_counter()
            sailor = Sailor(load_settings(env), root)
            exit_code: dict[str, int] = {}
            thread = threading.Thread(target=lambda: exit_code.update(code=sailor.run()), daemon=True)
            thread.start()
            _wait(lambda: sailor.ready.is_set() or not thread.is_alive(), timeout)
            if not sailor.ready.is_set():
                raise RuntimeError(f"the sailor did not start (exit code {exit_code.get('code')})")
            ready = time.perf_counter()
            topo.wait_out(n, timeout)
            done = time.perf_counter()
            sailor.request_stop()
            thread.join(30)
            return ready - began, done - ready
    finally:
        api.close()
        topo.close()


def _process_startup(uri: str, timeout: float) -> float:
    """Seconds from spawning ``mws-component sailor`` to its consumer on the queue (imports included)."""
    topo = _Topology(uri)
    api = _StepDataServer()
    try:
        with _component() as root:
            env = {**os.environ, **_env(topo, api.url, uri, 1)}
            began = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "mws_component.cli", "sailor", "--component-root", root],
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                _wait(lambda: proc.poll() is not None or topo.consumers() > 0, timeout)
                if topo.consumers() == 0:
                    raise RuntimeError(f"mws-component sailor did not start (exit code {proc.poll()})")
                return time.perf_counter() - began
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)
    finally:
        api.close()
        topo.close()


def _env(topo: _Topology, api_url: str, uri: str, prefetch: int) -> dict[str, str]:
    ids = {name: f"bench-{name.lower()}" for name in ("FLOW_ID", "EXEC_ID", "CONTAINER_ID", "WORKSPACE_ID",
                                                      "USER_ID", "COMP_ID")}
    return {
        **{f"ELASTICIO_{k}": v for k, v in ids.items()},
        "ELASTICIO_STEP_ID": "step_1", "ELASTICIO_FUNCTION": "passthrough",
        "ELASTICIO_API_URI": api_url, "ELASTICIO_API_USERNAME": "bench", "ELASTICIO_API_KEY": "bench-api-key",
        "ELASTICIO_AMQP_URI": uri, "ELASTICIO_LISTEN_MESSAGES_ON": topo.inq,
        "ELASTICIO_PUBLISH_MESSAGES_TO": topo.exchange, "ELASTICIO_DATA_ROUTING_KEY": topo.out_key,
        "ELASTICIO_ERROR_ROUTING_KEY": f"{topo.name}.error", "ELASTICIO_REBOUND_ROUTING_KEY": f"{topo.name}.rebound",
        "ELASTICIO_SNAPSHOT_ROUTING_KEY": f"{topo.name}.snapshot",
        "ELASTICIO_MESSAGE_CRYPTO_PASSWORD": PASSWORD, "ELASTICIO_MESSAGE_CRYPTO_IV": IV,
        "ELASTICIO_RABBITMQ_PREFETCH_SAILOR": str(prefetch),
        "ELASTICIO_DATA_RATE_LIMIT": "1000000000", "ELASTICIO_RATE_INTERVAL": "1",
    }


def _wait(predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)


class _StepDataServer:
    """Answers every GET with empty step data (config, snapshot), like the platform API would."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                data = json.dumps({"config": {}, "snapshot": {}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
