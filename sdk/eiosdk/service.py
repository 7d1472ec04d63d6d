"""Service-mode calls: verifyCredentials, getMetaModel and select models (elasticio.md §2.6, §2.7, §3.11).

These run outside any message: the platform calls them when a user saves credentials, opens the
mapper (dynamic metadata) or a dropdown (select model). The local ``mws-component exec|verify`` and
the sailor's service mode both go through here.

Each function exists twice: ``verify_credentials(...)`` blocks (it runs an event loop of its own, so
call it from sync code) and ``averify_credentials(...)`` is the coroutine for callers already inside a
loop. User functions may be sync (run in a worker thread) or async; they get a context
(``eiosdk.current_context()`` or a ``context`` parameter) whose only allowed event is ``updateKeys``
(the platform honours it in service mode), forwarded to the optional ``emit`` callback.

verifyCredentials rules (§2.6): the root's ``verifyCredentials.py`` defines ``verify(credentials)``;
a result that is a dict with ``verified`` is used as is; ``False`` means not verified; any other result
(``None``, ``True``, a dict without ``verified``) means verified; an exception means not verified with
its message (redacted) as ``reason``. No ``verifyCredentials.py`` at all means verified, as on the
platform (the loss of that file is logged as a warning).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .component import Component
from .context import StepContext
from .errors import ServiceError, StepLoadError
from .executor import invoke, json_clean
from .loader import import_step_module
from .logging import Logger, get_logger, redact_text, register_secrets_in

VERIFY_FILE = "verifyCredentials.py"
VERIFY_FUNCTION = "verify"

Emit = Callable[[str, Any], Awaitable[None]]


def _context(logger: Logger, emit: Emit | None, step_id: str = "") -> StepContext:
    async def dispatch(event: str, payload: Any) -> None:
        if event != "updateKeys":
            raise RuntimeError(f"service calls can only emit 'updateKeys', not {event!r}")
        if emit is not None:
            await emit(event, json_clean(event, payload))
        else:
            logger.warn("updateKeys emitted in a service call with no receiver; keys not stored")

    return StepContext(dispatch, logger, asyncio.get_running_loop(), step_id=step_id)


def _run(coro: Awaitable[Any]) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    coro.close()  # type: ignore[attr-defined]
    raise RuntimeError("called from inside a running event loop; await the a*-prefixed variant instead")


# -- verifyCredentials --------------------------------------------------------------------------
async def averify_credentials(component: Component, cfg: Mapping[str, Any], *, logger: Logger | None = None,
                              emit: Emit | None = None) -> dict[str, Any]:
    """``{"verified": bool, "reason"?: str}`` for ``cfg`` (the credential fields)."""
    logger = logger or get_logger("component", function="verifyCredentials")
    register_secrets_in(cfg)
    path = component.root / VERIFY_FILE
    if not path.is_file():
        logger.warn("%s not found in %s; the platform treats that as verified", VERIFY_FILE, component.root)
        return {"verified": True}
    try:
        verify = _verify_function(path, component)
        result = await invoke(verify, (copy.deepcopy(dict(cfg)),), _context(logger, emit))
    except Exception as exc:
        logger.info("credentials not verified: %s", exc)
        return {"verified": False, "reason": redact_text(str(exc)) or type(exc).__name__}
    return verification_result(result)


def _verify_function(path: Any, component: Component) -> Callable[..., Any]:
    module = import_step_module(path, component.root)
    verify = getattr(module, VERIFY_FUNCTION, None)
    if not callable(verify):
        raise StepLoadError(f"{VERIFY_FILE} does not define {VERIFY_FUNCTION}(credentials)")
    return verify


def verification_result(result: Any) -> dict[str, Any]:
    """Map what ``verify`` returned to the platform's answer (rules in the module docstring)."""
    if isinstance(result, Mapping) and "verified" in result:
        answer = dict(result)
        if answer.get("reason") is not None:
            answer["reason"] = redact_text(reason_text(answer["reason"]))
        return answer
    if result is False:
        return {"verified": False}
    return {"verified": True}


def reason_text(reason: Any) -> str:
    """A ``reason`` as the sentence a person reads: several reasons joined, never a Python list repr."""
    if isinstance(reason, str):
        return reason
    if isinstance(reason, (list, tuple)):
        return "; ".join(reason_text(r) for r in reason if r not in (None, ""))
    if isinstance(reason, Mapping):
        message = reason.get("message") or reason.get("reason")
        return reason_text(message) if message else "; ".join(f"{k}: {reason_text(v)}" for k, v in reason.items())
    return str(reason)


def verify_credentials(component: Component, cfg: Mapping[str, Any], *, logger: Logger | None = None,
                       emit: Emit | None = None) -> dict[str, Any]:
    """Blocking form of ``averify_credentials``."""
    return _run(averify_credentials(component, cfg, logger=logger, emit=emit))


# -- getMetaModel -------------------------------------------------------------------------------
async def aget_meta_model(component: Component, step_id: str, cfg: Mapping[str, Any], *,
                          logger: Logger | None = None, emit: Emit | None = None) -> dict[str, Any]:
    """What the step's ``getMetaModel(cfg)`` returns: ``{"in": schema, "out": schema}``."""
    step = component.load_step(step_id)
    function = step.function("getMetaModel")
    if function is None:
        raise ServiceError(f"step {step_id!r} has no getMetaModel function in {step.definition.main.name}; "
                           "only steps with dynamicMetadata define one")
    logger = logger or get_logger("component", stepId=step_id, function="getMetaModel")
    register_secrets_in(cfg)
    result = await invoke(function, (copy.deepcopy(dict(cfg)),), _context(logger, emit, step_id))
    if not isinstance(result, Mapping) or not ({"in", "out"} & set(result)):
        raise ServiceError(f"getMetaModel of step {step_id!r} returned {type(result).__name__}; it must "
                           "return {'in': schema, 'out': schema}")
    return json_clean("getMetaModel", dict(result))


def get_meta_model(component: Component, step_id: str, cfg: Mapping[str, Any], *,
                   logger: Logger | None = None, emit: Emit | None = None) -> dict[str, Any]:
    """Blocking form of ``aget_meta_model``."""
    return _run(aget_meta_model(component, step_id, cfg, logger=logger, emit=emit))


# -- select models ------------------------------------------------------------------------------
async def aselect_model(component: Component, step_id: str, method_name: str, cfg: Mapping[str, Any], *,
                        logger: Logger | None = None, emit: Emit | None = None) -> dict[str, Any]:
    """What the step's select-model function ``method_name(cfg)`` returns: ``{value: label}``."""
    step = component.load_step(step_id)
    function = step.function(method_name)
    if function is None or method_name.startswith("_"):
        models = sorted(_string_models(step.definition.fields))
        raise ServiceError(f"step {step_id!r} has no select-model function {method_name!r}; "
                           f"its fields name: {', '.join(models) or 'none'}")
    logger = logger or get_logger("component", stepId=step_id, function=method_name)
    register_secrets_in(cfg)
    result = await invoke(function, (copy.deepcopy(dict(cfg)),), _context(logger, emit, step_id))
    if not isinstance(result, Mapping):
        raise ServiceError(f"select model {method_name!r} of step {step_id!r} returned "
                           f"{type(result).__name__}; it must return an object {{value: label}}")
    return {str(k): str(v) for k, v in result.items()}


def select_model(component: Component, step_id: str, method_name: str, cfg: Mapping[str, Any], *,
                 logger: Logger | None = None, emit: Emit | None = None) -> dict[str, Any]:
    """Blocking form of ``aselect_model``."""
    return _run(aselect_model(component, step_id, method_name, cfg, logger=logger, emit=emit))


def _string_models(fields: Mapping[str, Any]) -> set[str]:
    return {f["model"] for f in fields.values() if isinstance(f, Mapping) and isinstance(f.get("model"), str)}
