"""What confirmShipment and acknowledgeOrder share: reading their input, and building the one-message
order feed checked against Amazon's XSD rules with every problem named by the *input* field.

``build_feed`` names problems by the feed's own JSON paths (``items[0].fulfillmentData.carrierCode``);
``build`` renames them to the step's fields (``carrierCode``) through a small table, so a carrier code
missing from Amazon's CarrierCode enumeration or a 60-character tracking number is refused before
anything is sent, with Amazon's list or limit in the message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mws_component.lib import fields
from mws_component.lib.feeds import Feed, FeedValidationError, Problem, build_feed
from mws_component.lib.mws.errors import ConfigurationError

ITEM_CODE = re.compile(r"[0-9]{14}", re.ASCII)  # AmazonOrderItemCode (amzn-base.xsd)
MAX_ITEMS = 1000  # lines in one order confirmation; Amazon's orders have far fewer


def body_of(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping) or not body:
        raise ConfigurationError("the message body is empty: map amazonOrderId and the other input fields",
                                 field="amazonOrderId")
    return body


def lines(body: Mapping[str, Any], field: str = "items") -> list[Mapping[str, Any]]:
    """The optional array ``items`` (absent, null or empty: none), each an object."""
    raw = body.get(field)
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
        raise ConfigurationError(f"input field '{field}' must be an array of objects, got {fields.got(raw)}",
                                 field=field)
    if len(raw) > MAX_ITEMS:
        raise ConfigurationError(f"input field '{field}' has {len(raw)} lines; at most {MAX_ITEMS}", field=field)
    return raw


def item_code(line: Mapping[str, Any], field: str, where: str) -> str:
    """An order item id: 14 digits, as text or a whole JSON number."""
    raw = line.get(field)
    value = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
    if not isinstance(value, str) or not ITEM_CODE.fullmatch(value.strip()):
        raise ConfigurationError(f"input field '{where}' must be an Amazon order item id of 14 digits (0-9), "
                                 f"e.g. 68828574383266, got {fields.got(raw)}", field=where)
    return value.strip()


def positive(line: Mapping[str, Any], field: str, where: str) -> int | None:
    """An optional positive whole number (a JSON integer, or its digits as text)."""
    raw = line.get(field)
    if raw is None or raw == "":
        return None
    value = int(raw) if isinstance(raw, str) and fields.WHOLE.fullmatch(raw.strip()) else raw
    if type(value) is not int or value < 1:
        raise ConfigurationError(f"input field '{where}' must be a positive whole number, got {fields.got(raw)}",
                                 field=where)
    return value


def line_text(line: Mapping[str, Any], field: str, where: str) -> str:
    """An optional text field of one line, named ``items[n].field`` when it is wrong."""
    name = f"{where}.{field}"
    return fields.text({name: line.get(field)}, name, label="input field")


def unique(codes: list[str], where: str) -> None:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            raise ConfigurationError(f"input field '{where}[{index}]' names order item {code} a second time; "
                                     "give each item once", field=f"{where}[{index}]")
        seen.add(code)


def build(kind: str, item: dict, merchant_id: str, renames: dict[str, str]) -> Feed:
    """The one-message feed for ``item``; problems renamed by ``renames`` (feed path prefix -> input field)."""
    try:
        return build_feed(kind, [item], merchant_id=merchant_id)
    except FeedValidationError as error:
        problems = [Problem(None, _renamed(p.path, renames), p.rule, p.message) for p in error.problems]
        raise FeedValidationError(problems, what="input", nothing_sent=True) from None


def _renamed(path: str, renames: dict[str, str]) -> str:
    inner = path.removeprefix("items[0].")
    for prefix, name in sorted(renames.items(), key=lambda r: -len(r[0])):
        if inner == prefix or inner.startswith(prefix + ".") or inner.startswith(prefix + "["):
            return name + inner[len(prefix):]
    return inner
