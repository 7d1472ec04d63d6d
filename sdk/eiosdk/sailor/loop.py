"""The asyncio loop that runs the AMQP connections and the steps, on a thread of its own.

One event loop on a worker thread holds both pika connections (``amqp``) and one task per message
(``prefetch`` > 1 means concurrent messages), so a message never waits for a thread hand-off. Sync
steps go out to the loop's thread pool (``asyncio.to_thread`` in the executor); the pool is sized for
the prefetch so every in-flight message gets a thread. The thread that calls ``Sailor.run`` only
waits (and takes signals).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any


class LoopThread:
    """An event loop running forever on a daemon thread; submit coroutines from any thread."""

    def __init__(self, workers: int = 8, name: str = "sailor-steps") -> None:
        self.loop = asyncio.new_event_loop()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers),
                                                           thread_name_prefix=f"{name}-worker")
        self.loop.set_default_executor(self._pool)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self) -> LoopThread:
        self._thread.start()
        return self

    def submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        """Run ``coro`` on the loop and wait for its result here (for start-up hooks)."""
        return self.submit(coro).result(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        if not self._thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)
