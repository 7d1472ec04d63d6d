"""Bunyan-shaped JSON lines, and redaction done by the logger itself."""

from __future__ import annotations

import io
import json
import logging as stdlib_logging
import os
import socket

import pytest
from eiosdk import logging as sdk_logging
from eiosdk.logging import BunyanHandler, get_logger, is_secret_key, redact, register_secret, serialize_error


def test_line_has_the_bunyan_shape(log_lines):
    get_logger("component", stepId="listOrders", threadId="t-1").info("polled %d orders", 3, page=2)
    (line,) = log_lines()
    assert line["name"] == "component" and line["hostname"] == socket.gethostname() and line["pid"] == os.getpid()
    assert (line["level"], line["msg"], line["v"]) == (30, "polled 3 orders", 0)
    assert (line["stepId"], line["threadId"], line["page"]) == ("listOrders", "t-1", 2)
    assert line["time"].endswith("Z") and "T" in line["time"]


def test_levels_are_bunyan_numbers_and_the_threshold_applies(log_lines, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "debug")
    logger = get_logger("sailor")
    logger.trace("hidden")
    for name in ("debug", "info", "warn", "error", "fatal"):
        getattr(logger, name)(name)
    assert [line["level"] for line in log_lines()] == [20, 30, 40, 50, 60]
    monkeypatch.setenv("LOG_LEVEL", "error")
    logger.warn("hidden too")
    logger.error("shown")
    assert [line["msg"] for line in log_lines()] == ["shown"]


@pytest.mark.parametrize("key", ["secretKey", "mwsAuthToken", "password", "apiKey", "cryptoPassword",
                                 "ELASTICIO_MESSAGE_CRYPTO_PASSWORD", "ELASTICIO_API_KEY", "client_secret",
                                 "refresh_token", "Authorization"])
def test_secret_named_fields_are_masked_at_any_depth(log_lines, key):
    value = f"value-of-{key}-0001"
    get_logger("component").info("cfg", cfg={"outer": [{key: value}]}, **{key: value})
    (line,) = log_lines()
    raw = json.dumps(line)
    assert value not in raw
    assert line[key] == "***" and line["cfg"]["outer"][0][key] == "***"


@pytest.mark.parametrize("key", ["accessKeyId", "sellerId", "nextToken", "marketplaceId", "keyword"])
def test_ordinary_fields_are_not_masked(key):
    assert not is_secret_key(key)
    assert redact({key: "visible"}) == {key: "visible"}


def test_registered_secret_is_cut_out_of_messages_fields_and_stacks(log_lines):
    secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    register_secret(secret)
    logger = get_logger("component")
    logger.info("signing with %s", secret, url=f"https://x/?Signature=1&key={secret}")
    try:
        raise RuntimeError(f"request failed for {secret}")
    except RuntimeError as exc:
        logger.error("failed", err=exc)
    raw = "\n".join(json.dumps(line) for line in log_lines())
    assert secret not in raw
    assert raw.count("***") >= 4  # message, url, err.message, err.stack


def test_register_ignores_empty_and_handles_secretstr(log_lines):
    from pydantic import SecretStr

    register_secret("")
    register_secret(None)
    register_secret("abc")  # too short to mask without shredding every line
    assert sdk_logging.redact_text("abc") == "abc"
    register_secret(SecretStr("pydantic-secret-value-77"))
    get_logger("component").info("a normal line with pydantic-secret-value-77")
    (line,) = log_lines()
    assert line["msg"] == "a normal line with ***"


def test_overlapping_secrets_are_masked_completely():
    register_secret("abcdef-overlap-secret")
    register_secret("overlap-secret-xyz")
    assert sdk_logging.redact_text("abcdef-overlap-secret-xyz") in ("***", "***-xyz", "abcdef-***")
    assert "secret" not in sdk_logging.redact_text("abcdef-overlap-secret-xyz")


def test_serialize_error_is_redacted():
    register_secret("serialize-secret-4242")
    try:
        try:
            raise KeyError("inner serialize-secret-4242")
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError as exc:
        payload = serialize_error(exc)
    assert payload["name"] == "ValueError" and payload["message"] == "outer"
    assert "serialize-secret-4242" not in payload["stack"] and "inner ***" in payload["stack"]


def test_stdlib_records_are_bridged_and_redacted():
    stream = io.StringIO()
    sdk_logging.configure(stream=stream)
    register_secret("bridge-secret-5150")
    std = stdlib_logging.getLogger("lib.mws.test_bridge")
    std.propagate = False
    std.addHandler(BunyanHandler())
    std.setLevel(stdlib_logging.INFO)
    try:
        std.warning("retrying with %s", "bridge-secret-5150")
    finally:
        std.handlers.clear()
        sdk_logging.configure(stream=None)
    line = json.loads(stream.getvalue())
    assert (line["level"], line["msg"], line["logger"]) == (40, "retrying with ***", "lib.mws.test_bridge")


def test_child_logger_adds_context(log_lines):
    get_logger("component", stepId="a").child(messageId="m-1").info("x")
    (line,) = log_lines()
    assert (line["stepId"], line["messageId"]) == ("a", "m-1")
