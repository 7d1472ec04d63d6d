"""The sailor's configuration, read from the ``ELASTICIO_*`` environment exactly as sailor-nodejs 2.7.x reads it.

The platform configures a step container only through environment variables, so names, defaults and
parsing rules must match the Node sailor's ``lib/settings.js``:

* required variables that are missing or empty fail with ``"ELASTICIO_<NAME> is missing"`` (all of
  them in one message: ``"ELASTICIO_A, ELASTICIO_B are missing"``, so one start shows every fix);
* numbers are parsed like ``parseInt`` and fall back to the default when unparsable or 0;
* booleans keep their default when unset, are false for ``''`` and ``'false'`` and true otherwise;
* ``ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS`` lists variables copied into every outgoing header set.

Each field carries its variable name (without the prefix) in its metadata, so the table is the code.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PREFIX = "ELASTICIO_"

REQUIRED_ALWAYS = (
    "FLOW_ID", "EXEC_ID", "STEP_ID", "CONTAINER_ID", "WORKSPACE_ID", "USER_ID", "COMP_ID", "FUNCTION",
    "API_URI", "API_USERNAME", "API_KEY",
)
REQUIRED_FOR_MESSAGES = (
    "AMQP_URI", "LISTEN_MESSAGES_ON", "PUBLISH_MESSAGES_TO", "DATA_ROUTING_KEY", "ERROR_ROUTING_KEY",
    "REBOUND_ROUTING_KEY", "SNAPSHOT_ROUTING_KEY", "MESSAGE_CRYPTO_IV", "MESSAGE_CRYPTO_PASSWORD",
)
# Only written into log records (sailor-nodejs logging.js), never required.
LOG_CONTEXT = (
    "COMP_NAME", "CONTRACT_ID", "EXEC_TYPE", "EXECUTION_RESULT_ID", "FLOW_VERSION", "TASK_USER_EMAIL",
    "TENANT_ID",
)


class SettingsError(ValueError):
    """The environment does not describe a runnable step; the message names the variable and the fix."""


def env(name: str, default=None):
    """A dataclass field bound to ``ELASTICIO_<name>``; no default means required."""
    if default is None:
        return field(default="", metadata={"env": name})
    return field(default=default, metadata={"env": name, "optional": True})


@dataclass(frozen=True)
class Settings:
    flow_id: str = env("FLOW_ID")
    exec_id: str = env("EXEC_ID")
    step_id: str = env("STEP_ID")
    container_id: str = env("CONTAINER_ID")
    workspace_id: str = env("WORKSPACE_ID")
    user_id: str = env("USER_ID")
    comp_id: str = env("COMP_ID")
    function: str = env("FUNCTION")
    api_uri: str = env("API_URI")
    api_username: str = env("API_USERNAME")
    api_key: str = env("API_KEY")

    amqp_uri: str = env("AMQP_URI")
    listen_messages_on: str = env("LISTEN_MESSAGES_ON")
    publish_messages_to: str = env("PUBLISH_MESSAGES_TO")
    data_routing_key: str = env("DATA_ROUTING_KEY")
    error_routing_key: str = env("ERROR_ROUTING_KEY")
    rebound_routing_key: str = env("REBOUND_ROUTING_KEY")
    snapshot_routing_key: str = env("SNAPSHOT_ROUTING_KEY")
    message_crypto_iv: str = env("MESSAGE_CRYPTO_IV")
    message_crypto_password: str = env("MESSAGE_CRYPTO_PASSWORD")

    component_path: str = env("COMPONENT_PATH", "")
    rabbitmq_prefetch_sailor: int = env("RABBITMQ_PREFETCH_SAILOR", 1)
    startup_required: bool = env("STARTUP_REQUIRED", False)
    hook_shutdown: bool = env("HOOK_SHUTDOWN", False)
    rebound_initial_expiration: int = env("REBOUND_INITIAL_EXPIRATION", 15000)
    rebound_limit: int = env("REBOUND_LIMIT", 20)
    api_request_retry_attempts: int = env("API_REQUEST_RETRY_ATTEMPTS", 3)
    api_request_retry_delay: int = env("API_REQUEST_RETRY_DELAY", 100)
    data_rate_limit: int = env("DATA_RATE_LIMIT", 10)
    error_rate_limit: int = env("ERROR_RATE_LIMIT", 2)
    snapshot_rate_limit: int = env("SNAPSHOT_RATE_LIMIT", 2)
    rate_interval: int = env("RATE_INTERVAL", 100)
    amqp_publish_retry_delay: int = env("AMQP_PUBLISH_RETRY_DELAY", 100)
    amqp_publish_retry_attempts: float = env("AMQP_PUBLISH_RETRY_ATTEMPTS", math.inf)
    amqp_publish_max_retry_delay: int = env("AMQP_PUBLISH_MAX_RETRY_DELAY", 300000)
    amqp_persistent_messages: bool = env("AMQP_PERSISTENT_MESSAGES", False)
    amqp_reconnect_attempts: int = env("AMQP_RECONNECT_ATTEMPTS", 3)
    amqp_reconnect_timeout: int = env("AMQP_RECONNECT_TIMEOUT", 100)
    outgoing_message_size_limit: int = env("OUTGOING_MESSAGE_SIZE_LIMIT", 10485760)
    protocol_version: int = env("PROTOCOL_VERSION", 1)
    no_self_passthrough: bool = env("NO_SELF_PASSTRHOUGH", False)  # sic, as the platform spells it
    no_error_replies: bool = env("NO_ERROR_REPLIES", False)
    input_format: str = env("INPUT_FORMAT", "default")

    additional_vars: Mapping[str, str] = field(default_factory=dict)
    log_context: Mapping[str, str] = field(default_factory=dict)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log line, an error or a published message in clear."""
        amqp_password = urlsplit(self.amqp_uri).password if self.amqp_uri else None
        return tuple(v for v in (self.api_key, self.message_crypto_password, amqp_password) if v)


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Read and check the step's environment; raise ``SettingsError`` naming every missing variable."""
    required = REQUIRED_ALWAYS if _boolean(environ, "HOOK_SHUTDOWN", False) else (
        REQUIRED_ALWAYS + REQUIRED_FOR_MESSAGES)
    values: dict[str, object] = {}
    missing = [PREFIX + name for name in required if not environ.get(PREFIX + name)]
    if missing:
        raise SettingsError(_missing_message(missing))
    for f in dataclasses.fields(Settings):
        name = f.metadata.get("env")
        if name is None:
            continue
        if f.metadata.get("optional"):
            values[f.name] = _optional(environ, name, f.default)
        elif name in required:
            values[f.name] = environ[PREFIX + name]
        else:
            values[f.name] = environ.get(PREFIX + name, "")
    values["additional_vars"] = additional_vars(environ)
    values["log_context"] = {n: environ[PREFIX + n] for n in LOG_CONTEXT if environ.get(PREFIX + n)}
    settings = Settings(**values)
    _check_iv(settings)
    return settings


def _missing_message(missing: list[str]) -> str:
    if len(missing) == 1:
        return (f"{missing[0]} is missing: the platform sets it for every step container; "
                f"set {missing[0]} in the environment when running the sailor by hand")
    return (f"{', '.join(missing)} are missing ({len(missing)} variables): the platform sets them for every "
            "step container; set them in the environment when running the sailor by hand")


def _optional(environ: Mapping[str, str], name: str, default):
    if isinstance(default, bool):
        return _boolean(environ, name, default)
    if isinstance(default, (int, float)):
        return parse_int(environ.get(PREFIX + name), default)
    return environ.get(PREFIX + name) or default


def _boolean(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(PREFIX + name)
    if raw is None:
        return default
    return raw not in ("", "false")


def parse_int(raw: str | None, default):
    """``parseInt(raw) || default``: leading digits count, anything else (or 0) means the default."""
    match = re.match(r"\s*([+-]?\d+)", raw or "")
    number = int(match.group(1)) if match else 0
    return number or default


def additional_vars(environ: Mapping[str, str]) -> dict[str, str]:
    """``ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS``: listed variables, keyed by name minus the prefix."""
    listed = environ.get(PREFIX + "ADDITIONAL_VARS_FOR_HEADERS") or ""
    result: dict[str, str] = {}
    for name in (n.strip() for n in listed.split(",")):
        if name and environ.get(name) is not None:
            result[name[len(PREFIX):] if name.startswith(PREFIX) else name] = environ[name]
    return result


def _check_iv(settings: Settings) -> None:
    """AES-CBC needs a 16-byte IV; say so at startup rather than failing on the first message."""
    iv = settings.message_crypto_iv
    if iv and len(iv.encode("utf-8")) != 16:
        raise SettingsError(
            f"{PREFIX}MESSAGE_CRYPTO_IV must be exactly 16 bytes (got {len(iv.encode('utf-8'))}): "
            "use the IV the platform generated for this flow")
