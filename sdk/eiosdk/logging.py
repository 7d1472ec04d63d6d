"""Bunyan-style JSON log lines with redaction done by the logger itself.

Each line is one JSON object shaped like sailor-nodejs' logs (elasticio.md §3.9): ``name``,
``hostname``, ``pid``, ``level`` (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal), the
logger's context fields, the call's fields, ``msg``, ``time`` (ISO 8601, UTC, ms) and ``v`` (0).

Why redaction lives here and not at call sites: a step author who logs ``cfg`` or an exception that
quotes a signed URL must not leak the secret key. Three rules apply to every record, recursively:

* values under keys named like a secret (``secretKey``, ``mwsAuthToken``, ``password``, ``apiKey``,
  ``cryptoPassword``, ``ELASTICIO_MESSAGE_CRYPTO_PASSWORD``, ... see ``is_secret_key``) become ``"***"``;
* every value registered with ``register_secret`` is replaced by ``"***"`` wherever it appears inside a
  string (messages, fields, stack traces), also in its URL-encoded spellings;
* values that no one can register in advance are cut out by their shape (``redact_text``): the value of
  any secret-named query or form parameter (``Signature=``, ``MWSAuthToken=``, ``AWSAccessKeyId=``,
  ``X-Amz-Signature=``, ``SecretKey=``, ..., URL-encoded once or twice or not), of a secret-named key
  in a dict repr or JSON text (``'Signature': '...'``), and of ``Authorization``,
  ``Proxy-Authorization``, ``x-amz-access-token`` and ``x-amz-security-token`` header lines. A
  request's Signature is new for every request, so only its shape can catch it, e.g. in urllib3's
  debug line ``"POST /Feeds/2009-01-01?AWSAccessKeyId=...&Signature=... HTTP/1.1" 200`` or in a
  chained exception that quotes a signed URL.

The executor registers the secret fields of each ``cfg`` it runs, so secrets are known before a step
can log them. ``redact`` and ``redact_text`` are public for code that prints outside a logger (the
local runner's stderr lines, error messages).

Output goes to ``sys.stdout`` (the platform reads logs there) unless ``configure(stream=...)`` says
otherwise; the level threshold comes from ``LOG_LEVEL`` (name or number, default ``info``).
"""

from __future__ import annotations

import json
import logging as _stdlib_logging
import os
import re
import socket
import sys
import threading
import traceback
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, TextIO
from urllib.parse import quote, quote_plus

LEVELS = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "fatal": 60}
MASK = "***"

# Normalised (lowercase, letters and digits only) names that are secret as a whole ...
_SECRET_NAMES = frozenset({
    "secretkey", "mwsauthtoken", "password", "apikey", "cryptopassword",
    "elasticiomessagecryptopassword", "secret", "token", "authorization",
    # signed-request parameters: the signature and the key id it was made with (AWS SigV2 and SigV4)
    "signature", "awsaccesskeyid", "xamzcredential",
})
# ... and endings that make a longer name secret (``ELASTICIO_API_KEY``, ``clientSecret``, ``refresh_token``,
# ``X-Amz-Signature``, ``x-amz-security-token``).
_SECRET_SUFFIXES = ("password", "secretkey", "apikey", "authtoken", "accesstoken", "refreshtoken",
                    "clientsecret", "secret", "signature", "secretaccesskey", "securitytoken", "sessiontoken",
                    "authorization")
# Every secret name above contains one of these, also when written with ``_`` or ``-`` (``api_key``).
_NAME_HINTS = ("key", "token", "secret", "passw", "signature", "authoriz", "credential")
_HINT = re.compile("|".join(_NAME_HINTS))

# The shapes in which a secret travels in request text, each with a ``name`` and a ``value`` group.
# ``name=value`` in a query string or form body (also ``name%3Dvalue`` inside an encoded URL, ``%26name``
# after an encoded ``&``); the value ends at the next parameter, ``=``, space, quote or bracket. It is
# only looked ahead at, so a parameter nested in another's value (an encoded URL in a query) is found too.
_PARAM = re.compile(
    r"(?:(?<![\w.-])|(?<=%26)|(?<=%3f))(?P<name>[a-z][\w.-]*)(?:=|%3d|%253d)"
    r"(?=(?P<value>(?:(?!%26|%2526|%20|%22|%27)[^\s&=\"'<>#;,\\])+))", re.IGNORECASE)
# ``'name': 'value'`` / ``"name": "value"``: a dict's repr or JSON text inside a message.
_QUOTED = re.compile(r"""(?P<q>['"])(?P<name>[\w.-]+)(?P=q)\s*:\s*(?P<vq>['"])"""
                     r"(?P<value>(?:\\.|(?!(?P=vq))[^\\])+)(?P=vq)")
# HTTP header lines (also inside a ``b'...\r\n...'`` repr): the value runs to the end of the line.
_HEADER = re.compile(r"(?:(?<![\w-])|(?<=\\[nrt]))(?P<name>authorization|proxy-authorization|x-amz-access-token|"
                     r"x-amz-security-token)[ \t]*:[ \t]*(?P<value>[^\r\n\"'\\]+)", re.IGNORECASE)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_pattern: re.Pattern[str] | None = None

_config: dict[str, Any] = {"stream": None, "level": None}
_write_lock = threading.Lock()


def _normalise_key(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def is_secret_key(key: object) -> bool:
    """Whether a mapping key names a secret (case, ``_`` and ``-`` do not matter)."""
    if not isinstance(key, str):
        return False
    name = _normalise_key(key)
    return name in _SECRET_NAMES or name.endswith(_SECRET_SUFFIXES)


MIN_SECRET_LENGTH = 4


def register_secret(value: object) -> None:
    """Never let ``value`` appear in a log line again.

    Non-strings and values shorter than ``MIN_SECRET_LENGTH`` are ignored: masking a one-letter
    "secret" would shred every line while protecting nothing (secret-named keys are still masked).
    """
    global _pattern
    text = _secret_text(value)
    if not text:
        return
    spellings = {text, quote(text, safe=""), quote_plus(text, safe="")}  # as it appears in a signed URL too
    with _secrets_lock:
        if spellings <= _secrets:
            return
        _secrets.update(spellings)
        ordered = sorted(_secrets, key=len, reverse=True)  # longest first: overlapping secrets mask fully
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))


def register_secrets_in(data: object) -> None:
    """Register the values of every secret-named key inside ``data`` (e.g. a step's ``cfg``)."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if is_secret_key(key) and not isinstance(value, (Mapping, list, tuple)):
                register_secret(value)
            else:
                register_secrets_in(value)
    elif isinstance(data, (list, tuple)):
        for item in data:
            register_secrets_in(item)


def _secret_text(value: object) -> str:
    getter = getattr(value, "get_secret_value", None)  # pydantic SecretStr
    if callable(getter):
        value = getter()
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value if len(value.strip()) >= MIN_SECRET_LENGTH else ""
    return ""


def redact_text(text: str) -> str:
    """``text`` with every registered secret, and every value in a secret's shape, replaced by ``***``.

    The shapes (query/form parameters, quoted keys, header lines) apply to secret-named keys only
    (``is_secret_key``), so ``SignatureMethod=HmacSHA256`` or ``NextToken=...`` stay readable.
    """
    if not text:
        return text
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    if not _may_name_a_secret(text):
        return text
    if "=" in text or "%3" in text:
        text = _mask_values(_PARAM, text)
    if ":" in text:
        text = _mask_values(_HEADER, _mask_values(_QUOTED, text))
    return text


def _mask_values(shape: re.Pattern[str], text: str) -> str:
    """``text`` with the value of every secret-named ``shape`` match replaced by ``***``."""
    pieces, done = [], 0
    for match in shape.finditer(text):
        start, end = match.span("value")
        if start < done or match["value"] == MASK or not _names_a_secret(match):
            continue
        pieces += [text[done:start], MASK]
        done = end
    return "".join(pieces) + text[done:] if pieces else text


def _names_a_secret(match: re.Match[str]) -> bool:
    """``is_secret_key`` of the matched name; in a repr's ``\\nSignature`` the name is ``Signature``."""
    name = match["name"]
    if is_secret_key(name):
        return True
    start = match.start("name")
    escaped = start > 0 and match.string[start - 1] == "\\" and name[0] in "nrt"
    return escaped and is_secret_key(name[1:])


def _may_name_a_secret(text: str) -> bool:
    """A cheap test before the shape patterns (which cost ~100 µs per KB): a separator and a secret's name?

    Emitted data goes through ``redact_text`` string by string, so this must stay well under a microsecond.
    """
    if "=" not in text and ":" not in text and "%3" not in text:
        return False
    return _HINT.search(text.lower()) is not None


def redact(value: Any) -> Any:
    """A copy of ``value`` safe to print: secret-named keys masked, registered secrets cut out of strings."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: (MASK if is_secret_key(k) and value[k] not in (None, "") else redact(value[k]))
                for k in value}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [redact(v) for v in value]
    if isinstance(value, BaseException):
        return redact(serialize_error(value))
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return redact_text(str(value))


def serialize_error(exc: BaseException) -> dict[str, str]:
    """``{name, message, stack}`` of an exception (the shape sailor-nodejs logs and publishes), redacted.

    Use this to put an error on the wire: the stack includes chained causes, which may quote secrets.
    """
    name = getattr(exc, "name", None) or type(exc).__name__
    stack = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"name": redact_text(str(name)), "message": redact_text(str(exc)), "stack": redact_text(stack)}


def configure(*, stream: TextIO | None = None, level: str | int | None = None) -> None:
    """Send lines to ``stream`` (``None``: ``sys.stdout`` at write time) and/or set the level threshold."""
    _config["stream"] = stream
    if level is not None:
        _config["level"] = level


def level_number(level: str | int | None) -> int:
    """``"info"`` / ``"30"`` / ``30`` -> 30; unknown or empty -> info, so a typo never silences errors."""
    if isinstance(level, int):
        return level
    text = (level or "").strip().lower()
    if text.isdigit():
        return int(text)
    return LEVELS.get("warn" if text == "warning" else text, LEVELS["info"])


def _threshold() -> int:
    chosen = _config["level"]
    return level_number(chosen if chosen is not None else os.environ.get("LOG_LEVEL"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Logger:
    """A named logger with fixed context fields; ``child(**more)`` adds fields (e.g. a message id)."""

    def __init__(self, name: str, context: Mapping[str, Any] | None = None) -> None:
        self.name = name
        self.context = dict(context or {})

    def child(self, **context: Any) -> Logger:
        return Logger(self.name, {**self.context, **context})

    def trace(self, msg: object, *args: Any, **fields: Any) -> None:
        self.log(LEVELS["trace"], msg, *args, **fields)

    def debug(self, msg: object, *args: Any, **fields: Any) -> None:
        self.log(LEVELS["debug"], msg, *args, **fields)

    def info(self, msg: object, *args: Any, **fields: Any) -> None:
        self.log(LEVELS["info"], msg, *args, **fields)

    def warn(self, msg: object, *args: Any, **fields: Any) -> None:
        self.log(LEVELS["warn"], msg, *args, **fields)

    warning = warn

    def error(self, msg: object, *args: Any, **fields: Any) -> None:
        self.log(LEVELS["error"], msg, *args, **fields)

    def fatal(self, msg: object, *args: Any, **fields: Any) -> None:
        self.log(LEVELS["fatal"], msg, *args, **fields)

    def log(self, level: int, msg: object, *args: Any, **fields: Any) -> None:
        """Write one line if ``level`` passes the threshold; ``msg % args`` like the stdlib."""
        if level < _threshold():
            return
        _write(self.record(level, msg, args, fields))

    def record(self, level: int, msg: object, args: Iterable[Any] = (), fields: Mapping[str, Any] | None = None
               ) -> dict[str, Any]:
        """The redacted record that ``log`` would write (exposed for bridges and tests)."""
        text = _format(msg, tuple(args))
        extra = dict(fields or {})
        if isinstance(extra.get("err"), BaseException):
            extra["err"] = serialize_error(extra["err"])
        record = {"name": self.name, "hostname": _HOSTNAME, "pid": os.getpid(), "level": level,
                  **self.context, **extra, "msg": text, "time": _now(), "v": 0}
        return redact(record)


def _format(msg: object, args: tuple) -> str:
    if isinstance(msg, BaseException):
        msg = str(msg)
    if not args:
        return str(msg)
    try:
        return str(msg) % args
    except (TypeError, ValueError):
        return " ".join(str(x) for x in (msg, *args))


def _write(record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False, default=str)
    stream = _config["stream"] or sys.stdout
    with _write_lock:
        stream.write(line + "\n")
        stream.flush()


_HOSTNAME = socket.gethostname()


def get_logger(name: str = "component", **context: Any) -> Logger:
    """A bunyan-style logger named ``name`` (sailor uses ``sailor``, steps ``component``)."""
    return Logger(name, context)


class BunyanHandler(_stdlib_logging.Handler):
    """Routes stdlib ``logging`` records (e.g. from ``lib.mws``) into the same redacted JSON lines."""

    # (lowest stdlib level, bunyan level), highest first: below DEBUG (e.g. a library's TRACE 5) is trace.
    _LEVELS = ((_stdlib_logging.CRITICAL, 60), (_stdlib_logging.ERROR, 50), (_stdlib_logging.WARNING, 40),
               (_stdlib_logging.INFO, 30), (_stdlib_logging.DEBUG, 20), (0, 10))

    def __init__(self, logger: Logger | None = None) -> None:
        super().__init__()
        self.logger = logger or get_logger("component")

    def emit(self, record: _stdlib_logging.LogRecord) -> None:
        level = next(bunyan for lowest, bunyan in self._LEVELS if record.levelno >= lowest)
        fields: dict[str, Any] = {"logger": record.name}
        if record.exc_info and record.exc_info[1] is not None:
            fields["err"] = record.exc_info[1]
        self.logger.log(level, record.getMessage(), **fields)


def install_stdlib_bridge() -> BunyanHandler:
    """Send stdlib ``logging`` records (root logger) through ``BunyanHandler``; idempotent.

    The local runner calls this so ``lib.mws``'s retries and pacing show up as redacted JSON lines
    next to the step's own logs, at the threshold ``LOG_LEVEL`` sets.
    """
    root = _stdlib_logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, BunyanHandler):
            return handler
    handler = BunyanHandler()
    root.addHandler(handler)
    root.setLevel(_stdlib_logging.DEBUG if _threshold() <= LEVELS["debug"] else _stdlib_logging.INFO)
    return handler
