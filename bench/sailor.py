"""sailor_throughput: messages per second through the sailor vs a bare pika loop, on the real broker.

The measuring is ``eiosdk.sailor.bench.passthrough_throughput`` (the sailor's own, read it for the
method); this module finds the broker, keeps its password out of the result, and renames the
figures to the issue's names. Without a reachable broker the result is ``{"skipped": reason}``.
The sailor logs every message at info level, as on the platform; here those lines go to
/dev/null so they cost their formatting but do not drown the progress on stderr.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

from eiosdk import logging as step_logging

from .world import progress, quiet_step_logs

DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"
CONNECT_TIMEOUT = 3.0


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


def run(messages: int, uri: str | None = None) -> dict:
    """Pass-through throughput of ``messages`` messages, or why it was skipped."""
    uri = uri or broker_uri()
    reason = unreachable(uri)
    if reason:
        progress(f"sailor_throughput: skipped: {reason}")
        return {"skipped": reason}
    from eiosdk.sailor.bench import passthrough_throughput

    progress(f"sailor_throughput: {messages} messages through the sailor and through bare pika")
    with open(os.devnull, "w", encoding="utf-8") as sink:
        step_logging.configure(stream=sink, level="info")
        try:
            raw = passthrough_throughput(messages, uri)
        finally:
            quiet_step_logs()
    result = {
        "messages": raw["messages"], "msgs_per_s": raw["sailor_msgs_per_s"],
        "pika_baseline_msgs_per_s": raw["baseline_msgs_per_s"], "ratio": raw["sailor_vs_baseline"],
        "startup_seconds": raw["startup_seconds"], "in_process_startup_seconds": raw["in_process_startup_seconds"],
        "prefetch": raw["prefetch"], "publish_throttle": raw["publish_throttle"],
        "broker": f"{urlsplit(uri).hostname}:{urlsplit(uri).port or 5672}",
    }
    progress(f"sailor_throughput: {result['msgs_per_s']} vs {result['pika_baseline_msgs_per_s']} msg/s "
             f"(ratio {result['ratio']}), start-up {result['startup_seconds']}s")
    return result
