"""A message whose body is not an object, through the sailor: the step's error names `body`, in plain words."""

from __future__ import annotations

import asyncio
import json

import pytest

from .test_execution import delivery, make


@pytest.mark.parametrize("body", [[1, 2], "text", 5, True])
def test_a_non_object_body_is_published_as_the_steps_error_naming_body(cipher, body):
    handler, bus = make("passthrough", cipher)
    asyncio.run(handler.handle(delivery(cipher, {"body": body})))
    [out] = bus.published
    assert out.routing_key == handler.state.settings.error_routing_key
    error = cipher.decode(json.loads(out.body)["error"])
    assert error["name"] == "MessageShapeError"
    assert "'body' must be a JSON object" in error["message"]
    assert "pydantic" not in error["message"] and "http" not in error["message"]
    assert bus.settled == [(1, False)]  # rejected like any failed message, never acked as done


def test_a_null_or_missing_body_is_still_an_empty_object(cipher):
    handler, bus = make("passthrough", cipher)
    asyncio.run(handler.handle(delivery(cipher, {"body": None})))
    [out] = bus.published
    assert out.routing_key == handler.state.settings.data_routing_key and cipher.decode(out.body)["body"] == {}
