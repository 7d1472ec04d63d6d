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

The registered secrets and the pattern built from them belong to a ``Redactor``; every ``Logger``
cleans its records with one (``REDACTOR``, the process's, unless given its own).

Output goes to ``sys.stdout`` (the platform reads logs there) unless ``configure(stream=...)`` says
otherwise; the level threshold comes from ``LOG_LEVEL`` (name or number, default ``info``). The format
is bunyan JSON unless ``configure(format="text")`` asks for lines a person reads
(``12:03:04 INFO  listOrders  waiting 58 s for ListOrders quota (6 burst used)``, see ``text_line``),
as the local commands do on a terminal; a text line is made from the same redacted record as the
JSON line, and redacted once more as text. ``logger.progress(...)`` reports progress: a line like any
other, which a ``Sink`` such as ``eiosdk.progress.LiveProgress`` also turns into a live display.
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
from typing import Any, Protocol, TextIO
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

_config: dict[str, Any] = {"stream": None, "level": None, "format": "json", "sink": None}
_write_lock = threading.RLock()  # reentrant: a signal handler (SIGTERM) may log while a line is written


def _normalise_key(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def is_secret_key(key: object) -> bool:
    """Whether a mapping key names a secret (case, ``_`` and ``-`` do not matter)."""
    if not isinstance(key, str):
        return False
    name = _normalise_key(key)
    return name in _SECRET_NAMES or name.endswith(_SECRET_SUFFIXES)


MIN_SECRET_LENGTH = 4


class Redactor:
    """The secrets one process must never print, and the one pattern that cuts them out of text.

    The pattern is rebuilt when a secret is added, under a lock, and replaced as a whole, so a
    concurrent ``text`` sees either the old pattern or the new one. Loggers share ``REDACTOR`` unless
    given their own (tests give their own to see exactly what one registration masks).
    """

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None
        self._json_escaped = False  # a secret holds a character JSON text escapes (quote, backslash, control)
        self._spellings: tuple[str, ...] = ()  # the secrets as a tuple, replaced whole like the pattern

    def register(self, value: object) -> None:
        """Never let ``value`` appear in a line this redactor cleans (see ``register_secret``)."""
        text = _secret_text(value)
        if not text:
            return
        spellings = {text, quote(text, safe=""), quote_plus(text, safe="")}  # as it appears in a signed URL too
        with self._lock:
            if spellings <= self._secrets:
                return
            self._secrets.update(spellings)
            self._json_escaped = self._json_escaped or any(c in '"\\' or c < " " for c in text)
            ordered = sorted(self._secrets, key=len, reverse=True)  # longest first: overlapping secrets mask fully
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
            self._spellings = tuple(ordered)

    def register_in(self, data: object) -> None:
        """Register the values of every secret-named key inside ``data`` (e.g. a step's ``cfg``)."""
        if isinstance(data, Mapping):
            for key, value in data.items():
                if is_secret_key(key) and not isinstance(value, (Mapping, list, tuple)):
                    self.register(value)
                else:
                    self.register_in(value)
        elif isinstance(data, (list, tuple)):
            for item in data:
                self.register_in(item)

    def text(self, text: str) -> str:
        """``text`` with registered secrets and secret-shaped values masked (see ``redact_text``)."""
        if not text:
            return text
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(MASK, text)
        return _mask_shapes(text)

    def may_change_strings_in(self, json_text: str) -> bool:
        """Whether ``text`` might change a string inside the value ``json_text`` is the JSON of
        (``json.dumps(value, ensure_ascii=False)``); ``False`` means it changes none of them.

        A string ``text`` changes holds a registered secret or a secret's name (``_may_name_a_secret``),
        and both show in the JSON text unescaped (unless a secret holds a character JSON escapes: then
        this answers ``True``). Substring searches of the whole text instead of one ``text`` per string.
        """
        if self._json_escaped or any(s in json_text for s in self._spellings):
            return True
        lowered = json_text.lower()
        return any(hint in lowered for hint in _NAME_HINTS)


REDACTOR = Redactor()  # the process's secrets: the executor, the runner and the sailor register into it


def register_secret(value: object) -> None:
    """Never let ``value`` appear in a log line again.

    Non-strings and values shorter than ``MIN_SECRET_LENGTH`` are ignored: masking a one-letter
    "secret" would shred every line while protecting nothing (secret-named keys are still masked).
    """
    REDACTOR.register(value)


def register_secrets_in(data: object) -> None:
    """Register the values of every secret-named key inside ``data`` (e.g. a step's ``cfg``)."""
    REDACTOR.register_in(data)


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
    return REDACTOR.text(text)


def _mask_shapes(text: str) -> str:
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


def redact(value: Any, redactor: Redactor | None = None) -> Any:
    """A copy of ``value`` safe to print: secret-named keys masked, registered secrets cut out of strings."""
    redactor = redactor or REDACTOR
    if isinstance(value, str):
        return redactor.text(value)
    if isinstance(value, Mapping):
        return {k: (MASK if is_secret_key(k) and value[k] not in (None, "") else redact(value[k], redactor))
                for k in value}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [redact(v, redactor) for v in value]
    if isinstance(value, BaseException):
        return serialize_error(value, redactor)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return redactor.text(str(value))


def serialize_error(exc: BaseException, redactor: Redactor | None = None) -> dict[str, str]:
    """``{name, message, stack}`` of an exception (the shape sailor-nodejs logs and publishes), redacted.

    Use this to put an error on the wire: the stack includes chained causes, which may quote secrets.
    """
    clean = (redactor or REDACTOR).text
    name = getattr(exc, "name", None) or type(exc).__name__
    stack = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return {"name": clean(str(name)), "message": clean(str(exc)), "stack": clean(stack)}


# -- output: bunyan JSON (the platform) or text lines (a person at a terminal) --------------------
FORMATS = ("auto", "text", "json")


class Sink(Protocol):
    """Where records go instead of a stream, e.g. a terminal's live progress display (``eiosdk.progress``).

    ``write`` gets every record that passes the level threshold (``shown``), and every ``progress``
    record whatever its level (``shown`` False), so a display can update without printing a line.
    """

    def write(self, record: dict[str, Any], *, shown: bool) -> None: ...


def resolve_format(name: str | None, stream: TextIO | None) -> str:
    """``text`` or ``json``: ``auto`` (or nothing) is text when ``stream`` is a terminal, else json."""
    if name in ("text", "json"):
        return name
    if name not in (None, "auto"):
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, not {name!r}")
    isatty = getattr(stream, "isatty", None)
    return "text" if callable(isatty) and isatty() else "json"


def configure(*, stream: TextIO | None = None, level: str | int | None = None, format: str = "json",
              sink: Sink | None = None) -> None:
    """Where lines go and how they look; every call sets stream, format and sink anew (level if given).

    ``stream``: ``None`` is ``sys.stdout`` at write time. ``format``: ``json`` (bunyan, the platform's)
    or ``text`` (``12:03:04 INFO  listOrders  polled 3 orders``); ``auto`` follows ``resolve_format``.
    ``sink``: an object that takes the records instead (``Sink``), e.g. a live progress display.
    """
    _config.update(stream=stream, format=resolve_format(format, stream or sys.stdout), sink=sink)
    if level is not None:
        _config["level"] = level


def configured_level() -> str | int | None:
    """The level ``configure`` set (``None``: ``LOG_LEVEL`` rules), e.g. to set it back with ``set_level``."""
    return _config["level"]


def set_level(level: str | int | None) -> None:
    """Set the threshold; ``None`` leaves it to ``LOG_LEVEL`` again."""
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
    """A named logger with fixed context fields; ``child(**more)`` adds fields (e.g. a message id).

    ``redactor`` is what cleans its records (default: the process's ``REDACTOR``).
    """

    def __init__(self, name: str, context: Mapping[str, Any] | None = None, *,
                 redactor: Redactor | None = None) -> None:
        self.name = name
        self.context = dict(context or {})
        self.redactor = redactor or REDACTOR

    def child(self, **context: Any) -> Logger:
        return Logger(self.name, {**self.context, **context}, redactor=self.redactor)

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
        _write(self.record(level, msg, args, fields), shown=True)

    def progress(self, msg: str, *, level: str | int = "info", **state: Any) -> None:
        """Report progress: a line like ``log`` (with ``state`` as its ``progress`` field), and on a terminal
        an update of the live display, which takes every report whatever its level."""
        number = level_number(level)
        shown = number >= _threshold()
        if shown or _config["sink"] is not None:
            _write(self.record(number, msg, (), {"progress": state}), shown=shown)

    def record(self, level: int, msg: object, args: Iterable[Any] = (), fields: Mapping[str, Any] | None = None
               ) -> dict[str, Any]:
        """The redacted record that ``log`` would write (exposed for bridges and tests)."""
        text = _format(msg, tuple(args))
        extra = dict(fields or {})
        if isinstance(extra.get("err"), BaseException):
            extra["err"] = serialize_error(extra["err"], self.redactor)
        record = {"name": self.name, "hostname": _HOSTNAME, "pid": os.getpid(), "level": level,
                  **self.context, **extra, "msg": text, "time": _now(), "v": 0}
        return redact(record, self.redactor)


def _format(msg: object, args: tuple) -> str:
    if isinstance(msg, BaseException):
        msg = str(msg)
    if not args:
        return str(msg)
    try:
        return str(msg) % args
    except (TypeError, ValueError):
        return " ".join(str(x) for x in (msg, *args))


def _write(record: dict[str, Any], *, shown: bool) -> None:
    sink = _config["sink"]
    if sink is not None:
        sink.write(record, shown=shown)
        return
    line = text_line(record) if _config["format"] == "text" else json_line(record)
    stream = _config["stream"] or sys.stdout
    with _write_lock:
        stream.write(line + "\n")
        stream.flush()


def json_line(record: Mapping[str, Any]) -> str:
    """The bunyan line of a (redacted) record."""
    return json.dumps(record, ensure_ascii=False, default=str)


LEVEL_NAMES = {number: name.upper() for name, number in LEVELS.items()}
_BUNYAN_KEYS = frozenset({"name", "hostname", "pid", "level", "msg", "time", "v", "progress"})


def text_line(record: Mapping[str, Any], *, stack: bool | None = None) -> str:
    """A (redacted) record as one line for a person: ``12:03:04 INFO  listOrders  msg  key=value``.

    The time is local; the label is the step (``stepId``), else the stdlib logger's last name, else
    the logger's name; other fields follow as ``key=value`` (JSON values); an error adds ``Name:
    message``, and its stack on the next lines when the threshold is debug or lower (or ``stack``).
    The line is redacted once more as text: formatting must not make a secret's shape.
    """
    label = record.get("stepId") or str(record.get("logger") or "").rpartition(".")[2] or record.get("name", "")
    level = record.get("level", LEVELS["info"])
    parts = [f"{_clock_time(record.get('time'))} {LEVEL_NAMES.get(level, str(level)):<5} {label}  {record.get('msg', '')}"]
    hidden = _BUNYAN_KEYS | {"stepId", "logger", "err"} | ({"function"} if record.get("function") == label else set())
    parts += [f"{key}={_field_text(value)}" for key, value in record.items() if key not in hidden]
    err = record.get("err")
    if isinstance(err, Mapping):
        parts.append(f"{err.get('name', 'Error')}: {err.get('message', '')}")
    line = "  ".join(parts)
    if isinstance(err, Mapping) and err.get("stack") and (stack if stack is not None else _threshold() <= LEVELS["debug"]):
        line += "\n" + "\n".join("    " + row for row in str(err["stack"]).rstrip().splitlines())
    return redact_text(line)


def _clock_time(iso: Any) -> str:
    try:
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00")).astimezone().strftime("%H:%M:%S")
    except ValueError:
        return "--:--:--"


def _field_text(value: Any) -> str:
    return value if isinstance(value, str) and value and " " not in value else json.dumps(value, ensure_ascii=False,
                                                                                         default=str)


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

    The local runner calls this so ``lib.mws``'s retries and pacing show up as redacted lines next
    to the step's own logs, at the threshold ``LOG_LEVEL`` sets (also when the bridge was installed
    before, under another threshold).
    """
    root = _stdlib_logging.getLogger()
    root.setLevel(_stdlib_logging.DEBUG if _threshold() <= LEVELS["debug"] else _stdlib_logging.INFO)
    for handler in root.handlers:
        if isinstance(handler, BunyanHandler):
            return handler
    handler = BunyanHandler()
    root.addHandler(handler)
    return handler
