"""What a running step can do besides returning: emit events, log, read flow variables.

How a step gets its context (pick whichever reads best):

* declare a fourth parameter: ``def process(msg, cfg, snapshot, context)`` (or a keyword-only
  ``context``); the executor passes it;
* or call ``eiosdk.current_context()`` anywhere below ``process`` (it is a ``contextvars`` value, so it
  follows the step into the worker thread of a sync step and into tasks an async step creates).

Emitting: ``context.emit(event, payload)`` from sync code (it blocks until the caller has handled the
event, so order is kept), ``await context.aemit(event, payload)`` from async code. Calling the sync
``emit`` on the event loop itself would deadlock, so it raises instead and names ``aemit``.
Events: ``data``, ``error``, ``snapshot``, ``updateSnapshot``, ``rebound``, ``httpReply``,
``updateKeys``, ``end`` (elasticio.md §2.3); any other name is a ``ValueError`` in the step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any

from .logging import Logger

Dispatch = Callable[[str, Any], Awaitable[None]]

_current: ContextVar[StepContext | None] = ContextVar("eiosdk_step_context", default=None)


class StepContext:
    """The emitter, logger and flow variables of one step execution (or one hook/service call)."""

    def __init__(self, dispatch: Dispatch, logger: Logger, loop: asyncio.AbstractEventLoop, *,
                 step_id: str = "", flow_variables: Mapping[str, Any] | None = None) -> None:
        self._dispatch = dispatch
        self._loop = loop
        self.logger = logger
        self.step_id = step_id
        self.flow_variables: dict[str, Any] = dict(flow_variables or {})

    async def aemit(self, event: str, payload: Any = None) -> None:
        """Emit from async code: ``await context.aemit("data", {...})``."""
        await self._dispatch(event, payload)

    def emit(self, event: str, payload: Any = None) -> None:
        """Emit from sync code (a sync ``process`` runs in a worker thread, so this may block)."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            raise RuntimeError(
                f"context.emit({event!r}) was called on the event loop, where it would deadlock; "
                f"in async code use `await context.aemit({event!r}, payload)`"
            )
        asyncio.run_coroutine_threadsafe(self._dispatch(event, payload), self._loop).result()


def current_context() -> StepContext:
    """The context of the step being executed; a ``RuntimeError`` outside a step."""
    context = _current.get()
    if context is None:
        raise RuntimeError("eiosdk.current_context() was called outside a running step, hook or service call")
    return context


def bind(context: StepContext | None) -> object:
    """Make ``context`` current (returns the token for ``unbind``)."""
    return _current.set(context)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
