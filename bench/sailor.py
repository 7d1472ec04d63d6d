"""sailor_throughput: messages per second through the sailor vs a bare pika loop, on the real broker.

The measuring is ``bench.passthrough.passthrough_throughput`` (the sailor's own; read it for the
method). This module finds the broker, runs the measurement in a fresh process (``python -m
bench.sailor N``: the harness's heap, still holding big sandboxes, must not slow the sailor's
allocations), keeps the broker's password out of the result and renames the figures to the
issue's names. Without a reachable broker the result is ``{"skipped": reason}``.

The sailor logs every message at info level, as on the platform; those lines go to /dev/null here,
so they cost their formatting but do not drown the progress on stderr.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"
CONNECT_TIMEOUT = 3.0
CHILD_TIMEOUT = 900.0


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


def run(messages: int) -> dict:
    """Pass-through throughput of ``messages`` messages, or why it was skipped."""
    from .world import progress

    uri = broker_uri()
    reason = unreachable(uri)
    if reason:
        progress(f"sailor_throughput: skipped: {reason}")
        return {"skipped": reason}
    progress(f"sailor_throughput: {messages} messages through the sailor and through bare pika")
    done = subprocess.run([sys.executable, "-m", "bench.sailor", str(messages)], stdout=subprocess.PIPE, text=True,
                          cwd=ROOT, timeout=CHILD_TIMEOUT, check=False)  # the URI travels in the environment
    if done.returncode != 0:
        raise RuntimeError(f"the sailor benchmark process exited with {done.returncode}; its stderr is above")
    raw = json.loads(done.stdout)
    parts = urlsplit(uri)
    result = {
        "messages": raw["messages"], "msgs_per_s": raw["sailor_msgs_per_s"],
        "pika_baseline_msgs_per_s": raw["baseline_msgs_per_s"], "ratio": raw["sailor_vs_baseline"],
        "startup_seconds": raw["startup_seconds"], "in_process_startup_seconds": raw["in_process_startup_seconds"],
        "prefetch": raw["prefetch"], "publish_throttle": raw["publish_throttle"],
        "broker": f"{parts.hostname}:{parts.port or 5672}",
    }
    progress(f"sailor_throughput: {result['msgs_per_s']} vs {result['pika_baseline_msgs_per_s']} msg/s "
             f"(ratio {result['ratio']}), start-up {result['startup_seconds']}s")
    return result


def measure(messages: int) -> dict:
    """In this process: the sailor's own measurement, its per-message logs sent to /dev/null."""
    from eiosdk import logging as step_logging

    from bench.passthrough import passthrough_throughput

    with open(os.devnull, "w", encoding="utf-8") as sink:
        step_logging.configure(stream=sink, level="info")
        return passthrough_throughput(messages, broker_uri())


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: python -m bench.sailor MESSAGES")
    print(json.dumps(measure(int(sys.argv[1]))))
