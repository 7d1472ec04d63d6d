"""AMQP headers in and out, exactly as sailor-nodejs 2.7.x reads and sets them.

The platform traces executions through these headers (thread, parent/child message ids, step and
container ids), so the key names, which incoming ones are propagated and when ``end`` or
``protocolVersion`` appear must match the Node sailor (``readIncomingMessageHeaders`` and
``processMessage`` in ``sailor.js``, ``_createPropsFromHeaders`` in ``amqp.js``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any

from ..ids import new_id
from .settings import Settings

META_PREFIX = "x-eio-meta-"
ROUTING_KEY_HEADER = "x-eio-routing-key"
ERROR_RESPONSE_HEADER = "x-eio-error-response"
OBJECT_ID_HEADER = "x-ipaas-object-storage-id"


def now_ms() -> int:
    """Milliseconds since the epoch, the unit of the ``start`` and ``end`` headers."""
    return int(time.time() * 1000)


def protocol_version(headers: Mapping[str, Any]) -> int:
    """``Number(headers.protocolVersion || 1)``; anything unreadable counts as 1 (base64)."""
    raw = headers.get("protocolVersion") or 1
    try:
        return int(float(raw.decode() if isinstance(raw, bytes) else raw))
    except (TypeError, ValueError):
        return 1


def incoming_headers(amqp_headers: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the sailor keeps from a delivery's headers; starts a new thread id when none is given."""
    headers = dict(amqp_headers or {})
    meta = {k.lower(): v for k, v in headers.items() if k.lower().startswith(META_PREFIX)}
    result: dict[str, Any] = {
        "stepId": headers.get("stepId"),
        **meta,
        "threadId": headers.get("threadId") or meta.get(META_PREFIX + "trace-id") or new_id(),
        "messageId": headers.get("messageId"),
        "parentMessageId": headers.get("parentMessageId"),
    }
    if headers.get("reply_to"):
        result["reply_to"] = headers["reply_to"]
    return result


def outgoing_headers(incoming: Mapping[str, Any], settings: Settings, start_ms: int | None = None, *,
                     container: Mapping[str, Any] | None = None) -> dict:
    """The header set every message published while processing one delivery starts from.

    ``container`` is ``container_headers(settings)`` when the caller has it already (it is the same for
    every message of a container, so the sailor builds it once).
    """
    return {
        **incoming,
        **(container_headers(settings) if container is None else container),
        "parentMessageId": incoming.get("messageId"),
        "threadId": incoming.get("threadId"),
        "messageId": new_id(),
        "start": now_ms() if start_ms is None else start_ms,
    }


def container_headers(settings: Settings) -> dict[str, Any]:
    """Headers of an error reported before any message (start-up failure), as ``reportError`` sends."""
    return {
        **camel_case_keys(settings.additional_vars),
        "execId": settings.exec_id,
        "taskId": settings.flow_id,
        "workspaceId": settings.workspace_id,
        "containerId": settings.container_id,
        "userId": settings.user_id,
        "stepId": settings.step_id,
        "compId": settings.comp_id,
        "function": settings.function,
    }


def amqp_safe(headers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop ``None`` values: amqplib leaves ``undefined`` headers out of the frame, and so must we."""
    return {k: v for k, v in headers.items() if v is not None}


def camel_case(name: str) -> str:
    """lodash ``_.camelCase`` for environment-style names: ``TENANT_ID`` -> ``tenantId``."""
    words = [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name)]
    return words[0] + "".join(w.capitalize() for w in words[1:]) if words else ""


def camel_case_keys(values: Mapping[str, Any]) -> dict[str, Any]:
    return {camel_case(k): v for k, v in values.items()}


def split_routing_key(message_headers: Mapping[str, Any] | None) -> tuple[str | None, dict[str, Any]]:
    """A step may route one emitted message itself with ``x-eio-routing-key``; the header is then removed."""
    routing_key = None
    kept: dict[str, Any] = {}
    for key, value in (message_headers or {}).items():
        if key.lower() == ROUTING_KEY_HEADER:
            routing_key = value
        else:
            kept[key] = value
    return routing_key, kept
