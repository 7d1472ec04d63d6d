"""sailor_throughput: messages per second through the sailor vs a fair raw-pika baseline, on the real broker.

The measuring is ``bench.passthrough.passthrough_throughput`` (read it for the method): each side,
the sailor and a fair raw-pika baseline, runs in a fresh process of its own (the harness's heap,
still holding big sandboxes, must not slow either side's allocations), the sides alternated,
``repeats`` runs each, medians reported with their spread. This module finds the broker and keeps
its password out of the result. Without a reachable broker the result is ``{"skipped": reason}``.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from urllib.parse import urlsplit

DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"
CONNECT_TIMEOUT = 3.0
CHILD_TIMEOUT = 900.0  # seconds one side may take to move its messages


def broker_uri() -> str:
    """The broker the CI and the README's test set-up start; ``ELASTICIO_AMQP_URI`` overrides it."""
    return os.environ.get("ELASTICIO_AMQP_URI") or DEFAULT_URI


def unreachable(uri: str) -> str | None:
    """Why the broker cannot be used, or None when its port answers."""
    parts = urlsplit(uri)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5672
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            return None
    except OSError as error:
        return (f"no RabbitMQ broker at {host}:{port} ({error.strerror or error}); "
                "start one (scripts/ensure_rabbitmq.sh) or set ELASTICIO_AMQP_URI")


def run(messages: int, repeats: int = 3) -> dict:
    """Pass-through throughput of ``messages`` messages, each side ``repeats`` times, or why it was skipped.

    Headline figures are medians (``msgs_per_s``, ``pika_baseline_msgs_per_s``, ``ratio``); ``spread``
    holds each one's min, max and runs. Each run is a fresh process (see ``bench.passthrough``).
    """
    from .passthrough import passthrough_throughput
    from .world import progress

    uri = broker_uri()
    reason = unreachable(uri)
    if reason:
        progress(f"sailor_throughput: skipped: {reason}")
        return {"skipped": reason}
    progress(f"sailor_throughput: {messages} messages through the sailor and through raw pika, "
             f"{repeats} runs each, alternated")
    result = passthrough_throughput(messages, uri, repeats=repeats, timeout=CHILD_TIMEOUT)
    parts = urlsplit(uri)
    result["broker"] = f"{parts.hostname}:{parts.port or 5672}"  # never the URI: it holds the password
    progress(f"sailor_throughput: {result['msgs_per_s']} vs {result['pika_baseline_msgs_per_s']} msg/s "
             f"(ratio {result['ratio']}, runs {result['spread']['ratio']['runs']}), "
             f"start-up {result['startup_seconds']}s")
    return result


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or not all(a.isdigit() for a in sys.argv[1:]):
        sys.exit("usage: python -m bench.sailor MESSAGES [REPEATS]")
    print(json.dumps(run(*(int(a) for a in sys.argv[1:])), indent=2))
