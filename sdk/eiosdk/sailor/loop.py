"""The asyncio loop that runs the AMQP connections and the steps, on a thread of its own.

One event loop on a worker thread holds both pika connections (``amqp``) and one task per message
(``prefetch`` > 1 means concurrent messages), so a message never waits for a thread hand-off. Sync
steps go out to the loop's thread pool (``asyncio.to_thread`` in the executor); the pool is sized for
the prefetch so every in-flight message gets a thread. The thread that calls ``Sailor.run`` only
waits (and takes signals).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import queue
import threading
from collections.abc import Callable, Coroutine
from typing import Any


class StepThreads(concurrent.futures.ThreadPoolExecutor):
    """The loop's default executor, where sync steps run (``asyncio.to_thread``), made light for the loop.

    It is a ``ThreadPoolExecutor`` (asyncio takes no other kind as its default executor), but a call
    submitted from the loop's own thread skips the ``concurrent.futures`` machinery: no Future with
    its condition and lock, no work item, no idle semaphore, no chaining of that Future back to an
    asyncio one. It gets an asyncio future at once, which the worker resolves with one
    ``call_soon_threadsafe``; asyncio's ``wrap_future`` passes such a future through unchanged. The
    ``max_workers`` threads start with the first call; calls from other threads use the ordinary pool.

    Results come back through one deque: a worker appends its result and wakes the loop (one
    ``call_soon_threadsafe``, a write to the loop's self-pipe) only when no wake-up is pending
    already, so results finished together cost one wake-up, not one each. No result can be missed:
    the loop clears the pending flag *before* it drains the deque, and a worker appends *before* it
    reads the flag, so a result either is drained by the pending wake-up or sees the flag clear and
    asks for a new one (two workers may both ask: the second drain finds nothing, which is harmless).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, max_workers: int, thread_name_prefix: str) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._loop = loop
        self.loop_thread: int | None = None  # the ident of the thread running ``loop``
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._closed = False
        self._done: collections.deque = collections.deque()  # (future, result, error) for the loop
        self._wake_pending = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        if self._closed or threading.get_ident() != self.loop_thread:
            return super().submit(fn, *args, **kwargs)
        if not self._workers:
            for n in range(self._max_workers):
                worker = threading.Thread(target=self._work, name=f"{self._thread_name_prefix}_{n}", daemon=True)
                worker.start()
                self._workers.append(worker)
        future = self._loop.create_future()
        self._jobs.put((future, fn, args, kwargs))
        return future

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn, args, kwargs = job
            job = None
            try:
                result, error = fn(*args, **kwargs), None
            except BaseException as exc:  # handed to the awaiting task, as a ThreadPoolExecutor does
                result, error = None, exc
            self._done.append((future, result, error))
            future = fn = args = kwargs = result = error = None
            if not self._wake_pending:
                self._wake_pending = True
                with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
                    self._loop.call_soon_threadsafe(self._deliver)

    def _deliver(self) -> None:
        """On the loop: resolve every finished call (see the class docstring for the ordering)."""
        self._wake_pending = False
        done = self._done
        while done:
            _resolve(*done.popleft())

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    with contextlib.suppress(RuntimeError):
                        self._loop.call_soon_threadsafe(job[0].cancel)
        for _ in self._workers:
            self._jobs.put(None)
        super().shutdown(wait, cancel_futures=cancel_futures)
        if wait:
            for worker in self._workers:
                if worker is not threading.current_thread():
                    worker.join()


def _resolve(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is None:
        future.set_result(result)
        return
    try:
        future.set_exception(error)
    except TypeError:  # StopIteration cannot travel through a future
        future.set_exception(RuntimeError(f"the step raised {type(error).__name__}"))


class LoopThread:
    """An event loop running forever on a daemon thread; submit coroutines from any thread."""

    def __init__(self, workers: int = 8, name: str = "sailor-steps") -> None:
        self.loop = asyncio.new_event_loop()
        self._pool = StepThreads(self.loop, max(1, workers), f"{name}-worker")
        self.loop.set_default_executor(self._pool)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        self._pool.loop_thread = threading.get_ident()
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
