"""The message model: one shape, body-vs-message normalisation, JSON-clean values."""

from __future__ import annotations

import datetime as dt
import decimal
import threading

import pytest
from eiosdk.message import Message


def test_body_dict_becomes_a_new_message():
    message = Message.of({"amazonOrderId": "1", "body": "a string body field"})
    assert message.body == {"amazonOrderId": "1", "body": "a string body field"}
    assert message.id and message.headers == {} and message.attachments == {} and message.metadata == {}


def test_full_message_dict_is_kept():
    message = Message.of({"id": "m1", "body": {"a": 1}, "headers": {"h": "v"}, "passthrough": {"s1": {"body": {}}}})
    assert message.to_dict() == {"id": "m1", "body": {"a": 1}, "headers": {"h": "v"}, "attachments": {},
                                 "metadata": {}, "passthrough": {"s1": {"body": {}}}}


def test_dict_with_body_and_other_keys_is_a_body():
    assert Message.of({"body": {"a": 1}, "sku": "X"}).body == {"body": {"a": 1}, "sku": "X"}


def test_values_become_json_clean():
    message = Message.of({"when": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
                          "amount": decimal.Decimal("19.99")})
    assert message.body == {"when": "2024-01-02T03:04:05Z", "amount": "19.99"}


@pytest.mark.parametrize("payload", [[1, 2], "text", 3, None])
def test_non_dict_payloads_are_refused(payload):
    with pytest.raises(TypeError, match="data payload must be a dict"):
        Message.of(payload)


def test_unserialisable_body_is_refused():
    with pytest.raises(TypeError, match="cannot be turned into JSON"):
        Message.of({"lock": threading.Lock()})


def test_incoming_message_tolerates_missing_parts_and_keeps_webhook_fields():
    message = Message.incoming({"body": None, "headers": None, "method": "POST", "url": "/hook"})
    assert (message.body, message.headers) == ({}, {})
    assert message.to_dict()["method"] == "POST" and message["url"] == "/hook"


def test_node_style_access():
    message = Message.incoming({"body": {"a": 1}})
    assert message["body"] == {"a": 1} and message.get("headers") == {} and message.get("nope", 5) == 5
    assert "body" in message and "passthrough" not in message
    with pytest.raises(KeyError):
        message["nope"]
