"""A ListFinancialEvents page (as ``lib.mws.parsing`` reads it) to the messages listFinancialEvents emits.

``read(result)`` lists the page's events in Amazon's order as ``Event`` (its list, e.g.
``ShipmentEventList``, the raw dict, and a content key for telling events apart). ``messages``
groups them: one message per order (``kind`` ``order``) holding every event of that order on the
page, whatever its list (shipments, refunds, guarantee claims, chargebacks, service fees with an
order id, ...); an event without an order id (a subscription or storage fee, an adjustment, a loan
payment) is a message of its own, ``kind`` named after its list (``serviceFee``, ``adjustment``,
``debtRecovery``...).

A message::

    {"kind": "order", "amazonOrderId": "...", "postedAfter": "...", "postedBefore": "...",
     "events": {"shipmentEventList": [{...Amazon's event in lowerCamelCase...}], "refundEventList": [...]},
     "lines": [{"event": "shipment", "postedDate", "orderItemId", "sellerSku", "category": "charge",
                "type": "Principal", "currencyCode": "USD", "amount": "10.00"}, ...],
     "totals": [{"currencyCode": "USD", "amount": "7.12"}]}

``lines`` flattens every typed amount: charges (``chargeType``), fees (``feeType``), promotions
(``promotionType``), direct payments and adjustments, withheld taxes included (their charge
components); ``totals`` is their sum per currency. Amounts stay exact decimal text: Amazon's own
text in ``events`` and ``lines``, ``Decimal`` sums in ``totals``; never floats.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mws_component.lib.feeds.naming import json_name
from mws_component.lib.mws.parsing import as_list, text

log = logging.getLogger("mws_component.finances")

INTEGERS = frozenset({"QuantityShipped", "Quantity", "OrderItemCount", "NumberOfUnits"})
WRAPPERS = frozenset({"TaxesWithheld"})  # lists whose name does not end in "List"
SINGLE = frozenset({"PromotionId"})  # one value in Finances, but a list to the parser (Orders repeats it)
EVENT_LIST_SUFFIX = "EventList"


@dataclass(frozen=True)
class Event:
    list_name: str  # e.g. ShipmentEventList
    raw: dict
    order_id: str | None

    @property
    def kind(self) -> str:
        """``order`` for an order's event, else the list's name: ``serviceFee``, ``adjustment``..."""
        return "order" if self.order_id else json_name(self.list_name.removesuffix(EVENT_LIST_SUFFIX))

    def content(self) -> str:
        """The event's whole content as one canonical text (Amazon gives events no id)."""
        return self.list_name + json.dumps(self.raw, sort_keys=True, ensure_ascii=False)


def read(result: dict) -> list[Event]:
    """Every event of a ListFinancialEvents(+ByNextToken) result, list by list, in Amazon's order."""
    found = []
    for list_name, container in (result.get("FinancialEvents") or {}).items():
        if not isinstance(container, dict) or list_name.startswith("@"):
            continue  # an empty list is "" or None
        for events in container.values():
            for raw in as_list(events):
                if isinstance(raw, dict):
                    found.append(Event(list_name, raw, text(raw.get("AmazonOrderId")) or None))
    return found


def to_json(value: Any, name: str = "") -> Any:
    """Amazon's event (dicts, lists, text) in lowerCamelCase; lists unwrapped, money as {currencyCode, amount}."""
    if isinstance(value, list):
        if name in SINGLE and len(value) == 1:
            return to_json(value[0], name)
        return [to_json(v, name) for v in value]
    if isinstance(value, dict):
        children = {k: v for k, v in value.items() if not k.startswith(("@", "#"))}
        if "#text" in value and not children:  # a leaf with attributes; stray text between elements is dropped
            return _leaf(name, value["#text"])
        if name.endswith("List") or name in WRAPPERS:
            return [to_json(v, k) for k, inner in children.items() for v in as_list(inner)]
        if "CurrencyAmount" in children:
            return {"currencyCode": text(children.get("CurrencyCode")), "amount": text(children["CurrencyAmount"])}
        return {json_name(k): to_json(v, k) for k, v in children.items()}
    if value is None:
        return [] if name.endswith("List") else None
    return _leaf(name, value)


def _leaf(name: str, value: str) -> Any:
    if name in INTEGERS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


def lines(event_json: dict, event_kind: str) -> list[dict]:
    """Every typed amount in an event, with the item it belongs to."""
    found: list[dict] = []
    posted = event_json.get("postedDate")  # some events (service fees) carry no date
    base = {"event": event_kind, **({"postedDate": posted} if isinstance(posted, str) else {})}
    _walk(event_json, base, found)
    return found


def _walk(value: Any, context: dict, found: list[dict]) -> None:
    if isinstance(value, list):
        for v in value:
            _walk(v, context, found)
        return
    if not isinstance(value, dict):
        return
    item = {k: value[k] for k in ("orderItemId", "sellerSku") if isinstance(value.get(k), str)}
    context = {**context, **item}
    line = _line(value)
    if line is not None:
        found.append({**context, **line})
    for v in value.values():
        _walk(v, context, found)


def _line(value: dict) -> dict | None:
    types = [k for k in value if k.endswith("Type") and isinstance(value[k], str)]
    amounts = [k for k in value if k.endswith("Amount") and isinstance(value[k], dict) and "amount" in value[k]]
    if len(types) != 1 or len(amounts) != 1:
        return None
    money = value[amounts[0]]
    return {"category": types[0].removesuffix("Type"), "type": value[types[0]],
            "currencyCode": money.get("currencyCode"), "amount": money.get("amount")}


def totals(all_lines: Iterable[dict]) -> list[dict]:
    """Sum per currency, exact; an amount that is not a decimal is left out (and logged)."""
    sums: dict[str, Decimal] = {}
    for line in all_lines:
        try:
            amount = Decimal(str(line["amount"]).strip())
        except (InvalidOperation, ValueError):
            log.warning("leaving the unreadable amount %r (%s) out of the totals", line["amount"], line["type"])
            continue
        currency = line.get("currencyCode") or ""
        sums[currency] = sums.get(currency, Decimal("0")) + amount
    return [{"currencyCode": c, "amount": str(a)} for c, a in sums.items()]


def messages(events: Iterable[Event], posted_after: str, posted_before: str) -> list[dict]:
    """One message per order (its events on this page), one per event without an order, in first-seen order."""
    grouped: dict[tuple[str, str | int], list[Event]] = {}
    for n, event in enumerate(events):
        key = ("order", event.order_id) if event.order_id else (event.kind, n)
        grouped.setdefault(key, []).append(event)
    return [_message(group, posted_after, posted_before) for group in grouped.values()]


def _message(group: list[Event], posted_after: str, posted_before: str) -> dict:
    first = group[0]
    listed: dict[str, list[dict]] = {}
    found: list[dict] = []
    for event in group:
        converted = to_json(event.raw, "Event")
        listed.setdefault(json_name(event.list_name), []).append(converted)
        found += lines(converted, json_name(event.list_name.removesuffix(EVENT_LIST_SUFFIX)))
    head = {"kind": first.kind, **({"amazonOrderId": first.order_id} if first.order_id else {})}
    return {**head, "postedAfter": posted_after, "postedBefore": posted_before, "events": listed,
            "lines": found, "totals": totals(found)}
