"""Settings follow sailor-nodejs settings.js: names, defaults, parseInt/boolean rules, clear errors."""

from __future__ import annotations

import math

import pytest
from eiosdk.sailor.settings import (
    REQUIRED_ALWAYS,
    REQUIRED_FOR_MESSAGES,
    SettingsError,
    load_settings,
    parse_int,
)

BASE = {f"ELASTICIO_{name}": f"value-{name.lower()}" for name in REQUIRED_ALWAYS + REQUIRED_FOR_MESSAGES}
BASE["ELASTICIO_MESSAGE_CRYPTO_IV"] = "iv=any16_symbols"


def test_required_values_are_read_into_fields():
    s = load_settings(BASE)
    assert (s.flow_id, s.step_id, s.function) == ("value-flow_id", "value-step_id", "value-function")
    assert s.listen_messages_on == "value-listen_messages_on"
    assert s.publish_messages_to == "value-publish_messages_to"


@pytest.mark.parametrize("name", REQUIRED_ALWAYS + REQUIRED_FOR_MESSAGES)
def test_each_missing_required_variable_is_named(name):
    env = {k: v for k, v in BASE.items() if k != f"ELASTICIO_{name}"}
    with pytest.raises(SettingsError) as err:
        load_settings(env)
    assert str(err.value).startswith(f"ELASTICIO_{name} is missing")


def test_empty_required_value_counts_as_missing():
    with pytest.raises(SettingsError, match="^ELASTICIO_API_KEY is missing"):
        load_settings({**BASE, "ELASTICIO_API_KEY": ""})


def test_shutdown_hook_mode_needs_no_amqp_variables():
    env = {f"ELASTICIO_{n}": "x" for n in REQUIRED_ALWAYS}
    s = load_settings({**env, "ELASTICIO_HOOK_SHUTDOWN": "true"})
    assert s.hook_shutdown is True
    assert s.amqp_uri == ""


def test_defaults_match_the_node_sailor():
    s = load_settings(BASE)
    assert s.rabbitmq_prefetch_sailor == 1
    assert s.rebound_initial_expiration == 15000
    assert s.rebound_limit == 20
    assert s.outgoing_message_size_limit == 10485760
    assert s.protocol_version == 1
    assert (s.data_rate_limit, s.error_rate_limit, s.snapshot_rate_limit, s.rate_interval) == (10, 2, 2, 100)
    assert s.amqp_publish_retry_attempts == math.inf
    assert s.startup_required is False and s.amqp_persistent_messages is False
    assert s.input_format == "default"


@pytest.mark.parametrize("raw, expected", [("5", 5), ("12abc", 12), (" 7", 7), ("0", 3), ("abc", 3),
                                           ("", 3), (None, 3), ("-2", -2)])
def test_numbers_parse_like_parseint_with_fallback(raw, expected):
    assert parse_int(raw, 3) == expected


@pytest.mark.parametrize("raw, expected", [("true", True), ("1", True), ("yes", True), ("false", False),
                                           ("", False)])
def test_booleans_are_false_only_for_empty_and_false(raw, expected):
    assert load_settings({**BASE, "ELASTICIO_STARTUP_REQUIRED": raw}).startup_required is expected


def test_optional_numbers_from_environment():
    s = load_settings({**BASE, "ELASTICIO_RABBITMQ_PREFETCH_SAILOR": "4", "ELASTICIO_PROTOCOL_VERSION": "2",
                       "ELASTICIO_NO_SELF_PASSTRHOUGH": "true"})
    assert (s.rabbitmq_prefetch_sailor, s.protocol_version, s.no_self_passthrough) == (4, 2, True)


def test_additional_vars_for_headers_strip_the_prefix():
    env = {**BASE, "ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS": " ELASTICIO_TENANT_ID, MY_VAR ,UNSET",
           "ELASTICIO_TENANT_ID": "t-1", "MY_VAR": "m"}
    assert dict(load_settings(env).additional_vars) == {"TENANT_ID": "t-1", "MY_VAR": "m"}


def test_iv_of_wrong_length_is_refused_without_echoing_it():
    with pytest.raises(SettingsError) as err:
        load_settings({**BASE, "ELASTICIO_MESSAGE_CRYPTO_IV": "short-iv-value"})
    assert "ELASTICIO_MESSAGE_CRYPTO_IV must be exactly 16 bytes" in str(err.value)
    assert "short-iv-value" not in str(err.value)


def test_secrets_lists_api_key_and_crypto_password():
    s = load_settings(BASE)
    assert set(s.secrets) == {"value-api_key", "value-message_crypto_password"}


def test_amqp_password_is_a_secret_too():
    s = load_settings({**BASE, "ELASTICIO_AMQP_URI": "amqp://user:broker-pass-77@rabbit:5672/vhost"})
    assert "broker-pass-77" in s.secrets
