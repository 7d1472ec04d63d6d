"""Header rules of sailor-nodejs 2.7.x: what is read from a delivery and set on every outgoing message."""

from __future__ import annotations

import uuid

from eiosdk.sailor.headers import (
    camel_case,
    container_headers,
    incoming_headers,
    outgoing_headers,
    protocol_version,
    split_routing_key,
)
from eiosdk.sailor.settings import load_settings

from .test_settings import BASE


def settings(**env):
    return load_settings({**BASE, **env})


def test_incoming_keeps_ids_meta_and_reply_to_only():
    got = incoming_headers({"stepId": "step_1", "threadId": "t", "messageId": "m", "parentMessageId": "p",
                            "X-EIO-META-Lang": "py", "reply_to": "reply-q", "execId": "old", "random": 1})
    assert got == {"stepId": "step_1", "x-eio-meta-lang": "py", "threadId": "t", "messageId": "m",
                   "parentMessageId": "p", "reply_to": "reply-q"}


def test_thread_id_falls_back_to_trace_id_then_a_new_uuid():
    assert incoming_headers({"x-eio-meta-trace-id": "trace"})["threadId"] == "trace"
    fresh = incoming_headers({})["threadId"]
    assert uuid.UUID(fresh)


def test_outgoing_sets_container_ids_and_chains_message_ids():
    s = settings(ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS="ELASTICIO_TENANT_ID", ELASTICIO_TENANT_ID="ten")
    incoming = incoming_headers({"messageId": "in-1", "threadId": "t-1", "stepId": "step_1",
                                 "x-eio-meta-trace": "z"})
    out = outgoing_headers(incoming, s, start_ms=123)
    assert out["parentMessageId"] == "in-1" and out["threadId"] == "t-1"
    assert out["messageId"] != "in-1" and uuid.UUID(out["messageId"])
    assert out["stepId"] == s.step_id  # own step, not the previous one
    assert {k: out[k] for k in ("execId", "taskId", "workspaceId", "containerId", "userId", "compId",
                                "function", "start")} == {
        "execId": s.exec_id, "taskId": s.flow_id, "workspaceId": s.workspace_id, "containerId": s.container_id,
        "userId": s.user_id, "compId": s.comp_id, "function": s.function, "start": 123}
    assert out["x-eio-meta-trace"] == "z"
    assert out["tenantId"] == "ten"
    assert "end" not in out and "protocolVersion" not in out


def test_container_headers_for_startup_errors():
    s = settings()
    assert set(container_headers(s)) == {"execId", "taskId", "workspaceId", "containerId", "userId", "stepId",
                                         "compId", "function"}


def test_camel_case_like_lodash():
    assert camel_case("TENANT_ID") == "tenantId"
    assert camel_case("EXEC_TYPE") == "execType"
    assert camel_case("my-var") == "myVar"
    assert camel_case("X") == "x"


def test_protocol_version_reading():
    assert protocol_version({}) == 1
    assert protocol_version({"protocolVersion": 2}) == 2
    assert protocol_version({"protocolVersion": "2"}) == 2
    assert protocol_version({"protocolVersion": "junk"}) == 1


def test_routing_key_header_is_taken_out_case_insensitively():
    key, rest = split_routing_key({"X-EIO-Routing-Key": "custom", "a": 1})
    assert (key, rest) == ("custom", {"a": 1})
    assert split_routing_key(None) == (None, {})
