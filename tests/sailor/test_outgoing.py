"""What each event publishes: routing keys, bodies and properties as sailor-nodejs amqp.js builds them."""

from __future__ import annotations

import base64
import json

import pytest
from eiosdk.errors import StepError
from eiosdk.logging import register_secret
from eiosdk.sailor.delivery import Delivery
from eiosdk.sailor.outgoing import (
    NoReplyTo,
    OutgoingTooLarge,
    data_message,
    error_messages,
    format_error,
    http_reply,
    rebound_expiration_ms,
    rebound_iteration,
    rebound_messages,
    snapshot_message,
    with_passthrough,
)
from eiosdk.sailor.settings import load_settings

from .test_settings import BASE

HEADERS = {"messageId": "out-1", "threadId": "t", "parentMessageId": "in-1", "stepId": "step_2", "start": 1}


def settings(**env):
    return load_settings({**BASE, **env})


def original(cipher, message=None, protocol=1, **headers) -> Delivery:
    head = {"messageId": "in-1", **headers}
    if protocol != 1:
        head["protocolVersion"] = protocol
    body = cipher.encode(message or {"body": {"a": 1}}, protocol)
    return Delivery(tag=7, body=body, properties={"content_type": "application/json", "headers": head,
                                                  "delivery_mode": 1})


def test_data_goes_to_data_key_encrypted_per_protocol_with_end(cipher):
    s = settings(ELASTICIO_PROTOCOL_VERSION="2")
    out = data_message({"id": "msg-9", "body": {"x": 1}}, HEADERS, s, cipher)
    assert out.routing_key == s.data_routing_key
    assert cipher.decode(out.body, 2) == {"id": "msg-9", "body": {"x": 1}, "headers": {}}
    h = out.headers
    assert h["messageId"] == "msg-9" and h["protocolVersion"] == 2 and isinstance(h["end"], int)
    assert out.properties["content_type"] == "application/json"
    assert out.properties["content_encoding"] == "utf8"
    assert out.properties["delivery_mode"] == 1


def test_persistent_messages_when_configured(cipher):
    out = data_message({"body": {}}, HEADERS, settings(ELASTICIO_AMQP_PERSISTENT_MESSAGES="true"), cipher)
    assert out.properties["delivery_mode"] == 2


def test_data_routing_key_override_is_removed_from_the_message(cipher):
    s = settings()
    out = data_message({"body": {}, "headers": {"x-eio-routing-key": "elsewhere", "k": "v"}}, HEADERS, s, cipher)
    assert out.routing_key == "elsewhere"
    assert cipher.decode(out.body)["headers"] == {"k": "v"}


def test_oversized_data_is_an_error_not_a_crash(cipher):
    with pytest.raises(OutgoingTooLarge, match="exceeds limit of 100"):
        data_message({"body": {"blob": "x" * 200}}, HEADERS, settings(ELASTICIO_OUTGOING_MESSAGE_SIZE_LIMIT="100"),
                     cipher)


def test_error_payload_carries_encrypted_error_and_original_input(cipher):
    s = settings()
    source = original(cipher)
    outs = error_messages(ValueError("bad sku"), {**HEADERS, "end": 5}, s, cipher, source)
    assert len(outs) == 1 and outs[0].routing_key == s.error_routing_key
    payload = json.loads(outs[0].body)
    error = cipher.decode(payload["error"], 1)
    assert error["name"] == "ValueError" and error["message"] == "bad sku" and "ValueError" in error["stack"]
    assert payload["errorInput"] == source.body.decode()  # protocol 1: the original text copied


def test_error_input_of_a_protocol_2_message_is_re_encoded_as_base64(cipher):
    source = original(cipher, {"body": {"b": 2}}, protocol=2)
    payload = json.loads(error_messages("oops", HEADERS, settings(), cipher, source)[0].body)
    assert cipher.decode(payload["errorInput"], 1) == {"body": {"b": 2}}
    assert cipher.decode(payload["error"], 1) == {"name": "Error", "message": "oops", "stack": "Not Available"}


def test_error_is_also_sent_to_reply_to_unless_disabled(cipher):
    headers = {**HEADERS, "reply_to": "reply-queue"}
    outs = error_messages(StepError("nope", name="TypeError"), headers, settings(), cipher, None)
    assert [o.routing_key for o in outs][1] == "reply-queue"
    assert outs[1].headers["x-eio-error-response"] is True
    assert cipher.decode(outs[1].body, 1)["name"] == "TypeError"
    assert "x-eio-error-response" not in outs[0].headers
    assert len(error_messages("x", headers, settings(ELASTICIO_NO_ERROR_REPLIES="true"), cipher)) == 1


def test_error_text_never_carries_a_registered_secret():
    register_secret("sk-very-secret-value")
    shape = format_error(RuntimeError("login with sk-very-secret-value failed"))
    assert "sk-very-secret-value" not in json.dumps(shape)


def test_snapshot_is_plain_json_with_event_header():
    s = settings()
    out = snapshot_message({"n": 3}, HEADERS, s, "updateSnapshot")
    assert out.routing_key == s.snapshot_routing_key
    assert json.loads(out.body) == {"n": 3}
    assert out.headers["snapshotEvent"] == "updateSnapshot"


def test_http_reply_goes_to_reply_to_always_as_protocol_1(cipher):
    s = settings(ELASTICIO_PROTOCOL_VERSION="2")
    out = http_reply({"statusCode": 200, "body": "ok"}, {**HEADERS, "reply_to": "gateway-1"}, s, cipher)
    assert out.routing_key == "gateway-1" and out.headers["protocolVersion"] == 1
    assert cipher.decode(base64.b64decode(out.body), 2)["statusCode"] == 200
    with pytest.raises(NoReplyTo):
        http_reply({"statusCode": 200}, HEADERS, s, cipher)


@pytest.mark.parametrize("previous, expected", [(None, 1), (1, 2), (5, 6), ("3", 1), (True, 1)])
def test_rebound_iteration(previous, expected):
    assert rebound_iteration({} if previous is None else {"reboundIteration": previous}) == expected


def test_rebound_ttl_doubles_from_the_initial_expiration():
    assert [rebound_expiration_ms(n, 15000) for n in (1, 2, 3, 4)] == [15000, 30000, 60000, 120000]


def test_rebound_republishes_original_bytes_and_properties(cipher):
    s = settings()
    source = original(cipher, reboundIteration=2, custom="kept")
    [out] = rebound_messages(RuntimeError("locked"), source, HEADERS, s, cipher)
    assert out.routing_key == s.rebound_routing_key
    assert out.body == source.body
    assert out.properties["expiration"] == "60000"
    assert out.properties["content_type"] == "application/json"
    h = out.headers
    assert h["reboundIteration"] == 3 and h["reboundReason"] == "locked" and h["custom"] == "kept"
    assert h["messageId"] == "in-1" and isinstance(h["end"], int)


def test_rebound_past_the_limit_is_an_error(cipher):
    s = settings(ELASTICIO_REBOUND_LIMIT="2")
    source = original(cipher, reboundIteration=2)
    outs = rebound_messages("again", source, HEADERS, s, cipher)
    assert outs[0].routing_key == s.error_routing_key
    payload = json.loads(outs[0].body)
    assert cipher.decode(payload["error"])["message"] == "Rebound limit exceeded"
    assert payload["errorInput"] == source.body.decode()


def test_passthrough_stores_this_step_output_under_its_id():
    s = settings()
    incoming = {"body": {"in": 1}, "passthrough": {"step_0": {"body": {"first": True}}}}
    got = with_passthrough({"body": {"out": 2}}, incoming, "step_1", s, True)
    assert got["passthrough"] == {"step_0": {"body": {"first": True}},
                                  s.step_id: {"body": {"out": 2}, "headers": {}}}
    assert "passthrough" not in with_passthrough({"body": {}}, incoming, "step_1", s, False)


def test_no_self_passthrough_stores_the_incoming_message_under_the_previous_step():
    s = settings(ELASTICIO_NO_SELF_PASSTRHOUGH="true")
    incoming = {"body": {"in": 1}, "passthrough": {"step_0": {"body": {}}}}
    got = with_passthrough({"body": {"out": 2}}, incoming, "step_1", s, True)
    assert got["passthrough"] == {"step_0": {"body": {}}, "step_1": {"body": {"in": 1}}}
