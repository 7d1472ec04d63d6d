"""Checking a JSON_LISTINGS_FEED document, and the processing reports the sandbox writes.

With a directory of Amazon's feed schemas (``Sandbox(feed_schema_dir=...)`` or ``$SP_API_FEED_SCHEMA_DIR``,
holding ``listings-feed-schema-v2.json``, its message schema and the processing report schema),
documents are validated against Amazon's own schemas and every report against Amazon's report schema.
Without one, the sandbox's structural checks below apply (the same rules, in its own words) and reports
are not checked. Either way problems come in two kinds: feed-level (header, message list: the feed
is FATAL) and per message (that message is invalid, the others go on).
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError

FEED_SCHEMA = "listings-feed-schema-v2.json"
MESSAGE_SCHEMA = "listings-feed-message-schema-v2.json"
REPORT_SCHEMA = "listings-feed-processing-report-schema-v2.json"
ENV_VAR = "SP_API_FEED_SCHEMA_DIR"
MAX_MESSAGES = 25_000
OPERATIONS = ("UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE")
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
RULES = {  # operationType -> (required, not allowed), as the feed schema's oneOf says
    "UPDATE": (("productType", "attributes"), ("patches",)),
    "PARTIAL_UPDATE": (("productType", "attributes"), ("requirements", "patches")),
    "PATCH": (("productType", "patches"), ("requirements", "attributes")),
    "DELETE": ((), ("requirements", "attributes", "productType", "patches")),
}


@dataclass
class Findings:
    """What is wrong with a document: feed-level problems, and problems per message index."""

    feed: list[str] = field(default_factory=list)
    messages: dict[int, list[str]] = field(default_factory=dict)

    def message(self, index: int, problem: str) -> None:
        self.messages.setdefault(index, []).append(problem)


@cache
def _load(directory: Path, name: str) -> dict:
    return json.loads((directory / name).read_text(encoding="utf-8"))


class FeedSchemas:
    """Amazon's schemas from ``directory``, or the sandbox's own checks when it is None."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = Path(directory).resolve() if directory else None
        if self.directory and not (self.directory / FEED_SCHEMA).is_file():
            raise ValueError(f"{self.directory} holds no {FEED_SCHEMA}; point feed_schema_dir (or {ENV_VAR}) at "
                             "Amazon's feed schemas (selling-partner-api-models/schemas/feeds)")

    @classmethod
    def default(cls, directory: str | os.PathLike | None = None) -> FeedSchemas:
        ambient = os.environ.get(ENV_VAR)
        if not directory and ambient and (Path(ambient) / FEED_SCHEMA).is_file():
            directory = ambient
        return cls(directory)

    def check(self, document: Any) -> Findings:
        findings = Findings()
        if self.directory is None:
            _structure(document, findings)
        else:
            self._amazon(document, findings)
        _unique_ids(document, findings)
        return findings

    def report_problems(self, report: dict) -> list[str]:
        if self.directory is None:
            return []
        validator = Draft7Validator(_load(self.directory, REPORT_SCHEMA))
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(report)]

    def _amazon(self, document: Any, findings: Findings) -> None:
        envelope = copy.deepcopy(_load(self.directory, FEED_SCHEMA))
        envelope["properties"]["messages"].pop("items", None)
        findings.feed += [_where(e) for e in Draft7Validator(envelope).iter_errors(document)]
        if findings.feed:
            return
        validator = Draft7Validator(_load(self.directory, MESSAGE_SCHEMA))
        for index, message in enumerate(document["messages"]):
            for error in validator.iter_errors(message):
                findings.message(index, _explain(error, message))


def _where(error: ValidationError) -> str:
    path = "/".join(map(str, error.absolute_path))
    return f"{path or 'the document'}: {error.message}"


def _explain(error: ValidationError, message: Any) -> str:
    """A oneOf failure names the rule of the message's own operationType, not all four branches."""
    if error.validator != "oneOf" or not isinstance(message, dict):
        return _where(error)
    operation = message.get("operationType")
    if operation in RULES:
        required, banned = RULES[operation]
        return (f"{operation} messages need {', '.join(required) or 'nothing more'}"
                + (f" and may not carry {', '.join(banned)}" if banned else "") + ".")
    return _where(error)


def _structure(document: Any, findings: Findings) -> None:
    if not isinstance(document, dict):
        findings.feed.append("the document must be a JSON object with header and messages")
        return
    header = document.get("header")
    if not isinstance(header, dict) or not isinstance(header.get("sellerId"), str):
        findings.feed.append("header: sellerId is required (a string)")
    elif header.get("version") != "2.0":
        findings.feed.append("header/version: must be \"2.0\"")
    messages = document.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        findings.feed.append(f"messages: must be a list of 1 to {MAX_MESSAGES} messages")
        return
    for index, message in enumerate(messages):
        for problem in _message_problems(message):
            findings.message(index, problem)


def _message_problems(message: Any) -> list[str]:
    if not isinstance(message, dict):
        return ["a message must be a JSON object"]
    problems = []
    message_id, sku, operation = message.get("messageId"), message.get("sku"), message.get("operationType")
    if isinstance(message_id, bool) or not isinstance(message_id, int) or message_id < 1:
        problems.append("messageId: must be a whole number from 1 up")
    if not isinstance(sku, str) or not sku:
        problems.append("sku: must be a non-empty string")
    if operation not in OPERATIONS:
        return [*problems, f"operationType: must be one of {', '.join(OPERATIONS)}"]
    required, banned = RULES[operation]
    problems += [f"{name}: is required for {operation}" for name in required if name not in message]
    problems += [f"{name}: is not allowed for {operation}" for name in banned if name in message]
    return problems + _value_problems(message)


def _value_problems(message: dict) -> list[str]:
    problems = []
    if "productType" in message and (not isinstance(message["productType"], str) or not message["productType"]):
        problems.append("productType: must be a non-empty string")
    if "requirements" in message and message["requirements"] not in REQUIREMENTS:
        problems.append(f"requirements: must be one of {', '.join(REQUIREMENTS)}")
    if "attributes" in message and (not isinstance(message["attributes"], dict) or not message["attributes"]):
        problems.append("attributes: must be an object with at least one attribute")
    patches = message.get("patches", [{"op": "add", "path": "/"}])
    if not isinstance(patches, list) or not patches or not all(_patch_ok(p) for p in patches):
        problems.append("patches: must be a list of {op: add|replace|merge|delete, path, value: [objects]}")
    return problems


def _patch_ok(patch: Any) -> bool:
    return (isinstance(patch, dict) and patch.get("op") in ("add", "replace", "merge", "delete")
            and isinstance(patch.get("path"), str)
            and isinstance(patch.get("value", []), list) and all(isinstance(v, dict) for v in patch.get("value", [])))


def _unique_ids(document: Any, findings: Findings) -> None:
    """Amazon correlates report issues by messageId, so each must be unique within the feed."""
    if findings.feed or not isinstance(document, dict) or not isinstance(document.get("messages"), list):
        return
    seen: set[int] = set()
    for index, message in enumerate(document["messages"]):
        message_id = message.get("messageId") if isinstance(message, dict) else None
        if isinstance(message_id, int) and message_id in seen:
            findings.message(index, f"messageId: {message_id} is used by more than one message")
        seen.add(message_id)
