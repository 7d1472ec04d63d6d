"""Runs one step's ``process`` for one message, with the platform's completion rules.

Rules (elasticio.md §2.1/§2.3), whatever style the step uses:

* ``process(msg, cfg, snapshot)`` may be sync or async. A sync one runs in a worker thread
  (``asyncio.to_thread``) so its blocking I/O never stalls the event loop that serves other messages.
* A returned value other than ``None`` is emitted as ``data``, then ``end``.
* A raised exception is emitted as ``error``, then ``end``.
* A step that emits (``context.emit`` / ``aemit``) needs no return; ``end`` follows when ``process``
  finishes, unless the step emitted ``end`` itself.
* Exactly one ``end`` reaches the caller's ``emit`` and it is the last event: a second ``end``, or any
  event after ``end``, is logged and dropped.

Payloads are normalised before the caller sees them: ``data`` becomes an ``eiosdk.message.Message``
(from a body dict, a full message dict or a Message); ``error`` and ``rebound`` become exceptions
(a string becomes ``StepError``); ``snapshot``/``updateSnapshot``/``httpReply``/``updateKeys`` become
JSON-clean values. A registered secret found in a ``data``, ``snapshot``, ``updateSnapshot``, ``httpReply``
payload or an error message is replaced by ``***`` (and a warning logged); ``updateKeys`` is left
intact because carrying refreshed keys is its purpose.

How the step gets its context (emitter, logger, flow variables): see ``eiosdk.context``.
Process arguments: a ``process`` declaring fewer than three positional parameters gets only the
first ones (``process(msg, cfg)`` works, as in Node); a fourth positional parameter, ``*args`` or a
parameter named ``context`` receives the ``StepContext``.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .context import StepContext, bind, unbind
from .errors import StepError
from .logging import REDACTOR, Logger, get_logger, redact_text, register_secrets_in

if TYPE_CHECKING:  # pydantic (behind Message) is imported on first use, not when a sailor starts
    from pydantic import TypeAdapter

    from .message import Message

EVENTS = frozenset({"data", "error", "snapshot", "updateSnapshot", "rebound", "httpReply", "updateKeys", "end"})
HOOKS = ("init", "startup", "shutdown")

Emit = Callable[[str, Any], Awaitable[None]]

_DROP = object()


@functools.cache
def _message_class() -> type[Message]:
    """``eiosdk.message.Message``, imported on first use (not when a sailor starts), then looked up once."""
    from .message import Message

    return Message


@functools.cache
def _any_adapter() -> TypeAdapter:
    from pydantic import TypeAdapter

    return TypeAdapter(Any)


@dataclass
class ExecutionResult:
    """What happened in one execution: how many ``data``, ``error`` and ``rebound`` events went out."""

    data: int = 0
    errors: int = 0
    rebounds: int = 0


class _Run:
    """One execution's bookkeeping: validates, normalises and forwards events; owns the single ``end``."""

    def __init__(self, emit: Emit, logger: Logger, step_id: str) -> None:
        self._emit = emit
        self._logger = logger
        self._step_id = step_id
        self._lock = asyncio.Lock()
        self.ended = False
        self.result = ExecutionResult()

    async def dispatch(self, event: str, payload: Any = None) -> None:
        """Forward one event to the caller, in order (emits from concurrent tasks are serialised)."""
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}; a step may emit one of: {', '.join(sorted(EVENTS))}")
        async with self._lock:
            if self.ended:
                self._logger.warn("step %s emitted %r after end; ignored", self._step_id, event)
                return
            if event == "end":
                self.ended = True
                await self._emit("end", None)
                return
            normalised = self._normalise(event, payload)
            if normalised is _DROP:
                return
            self._count(event)
            await self._emit(event, normalised)

    def _count(self, event: str) -> None:
        if event == "data":
            self.result.data += 1
        elif event == "error":
            self.result.errors += 1
        elif event == "rebound":
            self.result.rebounds += 1

    def _normalise(self, event: str, payload: Any) -> Any:
        if event == "data":
            return self._scrubbed(event, _message_class().of(payload))
        if event in ("error", "rebound"):
            return as_exception(payload)
        if event == "updateSnapshot" and not _is_plain_update(payload):
            self._logger.warn("step %s emitted updateSnapshot with %s; it must be a plain object without "
                              "'$set' (ignored)", self._step_id, type(payload).__name__)
            return _DROP
        clean = json_clean(event, payload)
        return clean if event == "updateKeys" else self._scrubbed(event, clean)

    def _scrubbed(self, event: str, value: Any) -> Any:
        Message = _message_class()
        if isinstance(value, Message):
            if not REDACTOR.may_change_strings_in(value.model_dump_json()):  # one check of its JSON text
                return value
            data = value.to_dict()
            scrubbed = scrub(data)
            if scrubbed is not data and scrubbed != data:
                self._warn_scrubbed(event)
                return Message.model_validate(scrubbed)
            return value
        scrubbed = scrub(value)
        if scrubbed is not value and scrubbed != value:
            self._warn_scrubbed(event)
        return scrubbed

    def _warn_scrubbed(self, event: str) -> None:
        self._logger.warn("step %s put a secret into its %s payload; it was replaced by ***", self._step_id, event)


def _is_plain_update(payload: Any) -> bool:
    return isinstance(payload, Mapping) and "$set" not in payload


def json_clean(event: str, payload: Any) -> Any:
    """``payload`` as plain JSON values (datetimes -> ISO text), or a ``TypeError`` naming the event."""
    try:
        return _any_adapter().dump_python(payload, mode="json")
    except (TypeError, ValueError) as exc:  # PydanticSerializationError is a ValueError
        raise TypeError(f"{event} payload cannot be turned into JSON: {exc}") from None


def scrub(value: Any) -> Any:
    """``value`` with every registered secret cut out of its strings (keys and structure unchanged).

    ``value`` itself when no string in it can change: one check of its JSON text
    (``Redactor.may_change_strings_in``) instead of redacting string by string.
    """
    if isinstance(value, (dict, list)):
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError):
            text = None
        if text is not None and not REDACTOR.may_change_strings_in(text):
            return value
    return _scrub(value)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def as_exception(payload: Any) -> BaseException:
    """An ``error``/``rebound`` payload as an exception whose message holds no registered secret."""
    if isinstance(payload, BaseException):
        exc: BaseException = payload
    elif isinstance(payload, Mapping) and "message" in payload:
        exc = StepError(str(payload["message"]), name=str(payload.get("name") or "Error"))
    elif payload is None:
        exc = StepError("the step emitted an error without a message")
    else:
        exc = StepError(str(payload))
    text = str(exc)
    safe = redact_text(text)
    if safe == text:
        return exc
    return StepError(safe, name=getattr(exc, "name", None) or type(exc).__name__)


@functools.lru_cache(maxsize=256)
def _shape(fn: Callable[..., Any]) -> tuple[int, bool, bool] | None:
    """``(positional count, takes *args, has a 'context' parameter)``; read once per function, as
    ``inspect.signature`` was a visible slice of the sailor's per-message time."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    named_context = any(p.name == "context" for p in params)
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and not (named_context and p.name == "context")]
    return len(positional), any(p.kind == p.VAR_POSITIONAL for p in params), named_context


def _arguments(fn: Callable[..., Any], values: tuple, context: StepContext) -> tuple[tuple, dict]:
    """Positional args ``fn`` can take from ``values`` (+ the context where it asks for one)."""
    try:
        shape = _shape(fn)
    except TypeError:  # an unhashable callable: no caching, same answer
        shape = _shape.__wrapped__(fn)
    if shape is None:
        return values, {}
    positional, var_positional, named_context = shape
    if named_context:
        return values[:positional] if not var_positional else values, {"context": context}
    if var_positional or positional > len(values):
        return (*values, context), {}
    return values[:positional], {}


def _is_async(fn: Callable[..., Any]) -> bool:
    try:
        return _is_async_cached(fn)
    except TypeError:  # an unhashable callable: no caching, same answer
        return _is_async_cached.__wrapped__(fn)


@functools.lru_cache(maxsize=256)
def _is_async_cached(fn: Callable[..., Any]) -> bool:
    """Read once per function, like ``_shape`` (two ``inspect`` calls were a share of each message's time)."""
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(type(fn).__call__)


async def invoke(fn: Callable[..., Any], values: tuple, context: StepContext) -> Any:
    """Call a step function sync-or-async with ``context`` current; sync ones run in a worker thread."""
    args, kwargs = _arguments(fn, values, context)
    token = bind(context)
    try:
        if _is_async(fn):
            return await fn(*args, **kwargs)
        result = await asyncio.to_thread(fn, *args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result
    finally:
        unbind(token)


async def execute(step: Any, msg: Mapping[str, Any] | Message | None, cfg: Mapping[str, Any],
                  snapshot: Any, emit: Emit, *, logger: Logger | None = None,
                  flow_variables: Mapping[str, Any] | None = None) -> ExecutionResult:
    """Run ``step.module.process`` once and forward its events to ``emit``; ``end`` always comes last.

    ``step`` is an ``eiosdk.component.LoadedStep``. ``cfg`` and ``snapshot`` are deep-copied so a step
    cannot change the caller's state except through events.
    """
    step_id = getattr(getattr(step, "definition", None), "id", "") or ""
    logger = logger or get_logger("component", stepId=step_id)
    register_secrets_in(cfg)
    run = _Run(emit, logger, step_id)
    context = StepContext(run.dispatch, logger, asyncio.get_running_loop(), step_id=step_id,
                          flow_variables=flow_variables)
    try:
        returned = await _run_process(step, msg, cfg, snapshot, context)
    except Exception as exc:  # any step failure becomes an error event, as on the platform
        await _report_failure(run, logger, step_id, exc)
    else:
        if returned is not None:
            await _emit_returned(run, logger, step_id, returned)
    if not run.ended:
        await run.dispatch("end")
    return run.result


async def _run_process(step: Any, msg: Any, cfg: Mapping[str, Any], snapshot: Any,
                       context: StepContext) -> Any:
    process = getattr(step.module, "process", None)
    if not callable(process):
        main = getattr(getattr(step, "definition", None), "main", "its main module")
        raise StepError(f"step {context.step_id!r} has no process function in {main}; define "
                        f"`def process(msg, cfg, snapshot)` there", name="StepLoadError")
    # Copies the step may change; an empty cfg or snapshot needs only a new dict, not a deepcopy.
    values = (_message_class().incoming(msg), copy.deepcopy(dict(cfg)) if cfg else {},
              {} if snapshot is None or (snapshot.__class__ is dict and not snapshot) else copy.deepcopy(snapshot))
    return await invoke(process, values, context)


async def _report_failure(run: _Run, logger: Logger, step_id: str, exc: Exception) -> None:
    if run.ended:
        logger.error("step %s raised after it emitted end; the error was not emitted", step_id, err=exc)
        return
    await run.dispatch("error", exc)


async def _emit_returned(run: _Run, logger: Logger, step_id: str, returned: Any) -> None:
    if run.ended:
        logger.warn("step %s returned a value after it emitted end; the value was not emitted", step_id)
        return
    try:
        await run.dispatch("data", returned)
    except Exception as exc:  # unusable value or failed publish: the step's error, reported like a raise
        await run.dispatch("error", exc)


async def call_hook(step: Any, name: str, cfg: Mapping[str, Any], *extra: Any,
                    logger: Logger | None = None) -> Any:
    """Run hook ``name`` (``init(cfg)``, ``startup(cfg)``, ``shutdown(cfg, startup_data)``) if defined.

    Returns what the hook returned (``None`` when the step has no such hook). Exceptions propagate:
    on the platform a failing ``init``/``startup`` stops the container. Hooks cannot emit.
    """
    if name not in HOOKS:
        raise ValueError(f"unknown hook {name!r}; hooks are {', '.join(HOOKS)}")
    hook = getattr(step.module, name, None)
    if hook is None:
        return None
    step_id = getattr(getattr(step, "definition", None), "id", "") or ""
    logger = logger or get_logger("component", stepId=step_id, hook=name)
    register_secrets_in(cfg)

    async def no_emit(event: str, payload: Any) -> None:
        raise RuntimeError(f"hook {name} cannot emit {event!r}: hooks run without an emitter")

    context = StepContext(no_emit, logger, asyncio.get_running_loop(), step_id=step_id)
    return await invoke(hook, (copy.deepcopy(dict(cfg)), *extra), context)
