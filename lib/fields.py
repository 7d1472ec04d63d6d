"""Reading step fields from ``cfg`` and message bodies: each problem names the field and the fix.

Everything here runs before any request, so bad input never half-submits anything. Reading is
strict: a text field takes text only (never a number, array or object), digits are ASCII digits
(``str.isdigit`` and regex ``\\d`` also accept ``０``, ``²``, ``٣``), every value has a length or
range bound, and a checkbox takes exactly the forms the platform sends (``flag``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import cache
from typing import Any

from mws_component.lib.mws.errors import ConfigurationError, kind_of
from mws_component.lib.mws.regions import marketplaces

ORDER_ID = re.compile(r"[0-9]{3}-[0-9]{7}-[0-9]{7}", re.ASCII)
SUBMISSION_ID_DIGITS = 20  # Amazon's FeedSubmissionIds have 11-15 digits
SUBMISSION_ID = re.compile(rf"[0-9]{{1,{SUBMISSION_ID_DIGITS}}}", re.ASCII)
WHOLE = re.compile(r"[0-9]{1,9}", re.ASCII)
ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                      r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?",
                      re.ASCII)
ISO_HELP = "an ISO 8601 date or time such as 2024-01-31 or 2024-01-31T10:00:00Z (no zone means UTC)"
EARLIEST = datetime(2006, 1, 1, tzinfo=timezone.utc)  # no Amazon MWS order is older
TEXT_LIMIT = 1000  # characters in one text field
LIST_LIMIT = 50  # values in one list field (MWS takes at most 50 MarketplaceIds)

FLAG_FORMS = {"on": True, "true": True, "false": False, "": False}
FLAG_HELP = 'true or "on" (ticked), or false, "false", "" or nothing (not ticked)'

# Every FeedType MWS documented (mws.md §4.5); the component sends the first six (``lib.feeds.KINDS``).
OTHER_FEED_TYPES = (
    "_POST_ORDER_ACKNOWLEDGEMENT_DATA_", "_POST_PAYMENT_ADJUSTMENT_DATA_", "_POST_ORDER_FULFILLMENT_DATA_",
    "_POST_INVOICE_CONFIRMATION_DATA_", "_POST_EXPECTED_SHIP_DATE_SOD_", "_POST_FULFILLMENT_ORDER_REQUEST_DATA_",
    "_POST_FULFILLMENT_ORDER_CANCELLATION_REQUEST_DATA_", "_POST_FBA_INBOUND_CARTON_CONTENTS_",
    "_RFQ_UPLOAD_FEED_", "_POST_EASYSHIP_DOCUMENTS_", "_UPLOAD_VAT_INVOICE_",
    "_POST_FLAT_FILE_INVLOADER_DATA_", "_POST_FLAT_FILE_LISTINGS_DATA_", "_POST_FLAT_FILE_BOOKLOADER_DATA_",
    "_POST_FLAT_FILE_CONVERGENCE_LISTINGS_DATA_", "_POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_",
    "_POST_UIEE_BOOKLOADER_DATA_", "_POST_STD_ACES_DATA_", "_POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA_",
    "_POST_FLAT_FILE_PAYMENT_ADJUSTMENT_DATA_", "_POST_FLAT_FILE_FULFILLMENT_DATA_",
    "_POST_EXPECTED_SHIP_DATE_SOD_FLAT_FILE_", "_POST_FLAT_FILE_FULFILLMENT_ORDER_REQUEST_DATA_",
    "_POST_FLAT_FILE_FULFILLMENT_ORDER_CANCELLATION_REQUEST_DATA_", "_POST_FLAT_FILE_FBA_CREATE_INBOUND_PLAN_",
    "_POST_FLAT_FILE_FBA_UPDATE_INBOUND_PLAN_", "_POST_FLAT_FILE_FBA_CREATE_REMOVAL_",
)


@cache
def sent_feed_types() -> tuple[str, ...]:
    """The FeedTypes the submit actions send, from ``lib.feeds.KINDS`` (imported here, on first use:
    the feed builder is not something every step should load at start-up)."""
    from mws_component.lib.feeds import KINDS

    return tuple(dict.fromkeys(k.feed_type for k in KINDS.values()))


@cache
def feed_types() -> frozenset[str]:
    """Every FeedType MWS documented: the ones the component sends and ``OTHER_FEED_TYPES``."""
    return frozenset(sent_feed_types() + OTHER_FEED_TYPES)


def __getattr__(name: str) -> Any:
    """``SENT_FEED_TYPES`` and ``FEED_TYPES`` as module constants, computed on first use."""
    if name == "SENT_FEED_TYPES":
        return sent_feed_types()
    if name == "FEED_TYPES":
        return feed_types()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def got(value: Any) -> str:
    """``a number 5``, ``text 'x'``, ``null``: what a message says it received."""
    return "null" if value is None else f"{kind_of(value)} {shown(value)}"


def shown(value: Any, limit: int = 40) -> str:
    """``repr(value)``, cut short so a 10,000-character value does not flood the message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(str(value))} characters)"


def _refuse(label: str, field: str, wanted: str, raw: Any) -> ConfigurationError:
    return ConfigurationError(f"{label} '{field}' must be {wanted}, got {got(raw)}", field=field)


def text(data: Mapping[str, Any], field: str, *, label: str = "field", limit: int = TEXT_LIMIT) -> str:
    """An optional text value, stripped; ``""`` when absent, null or blank. Anything but text is refused."""
    raw = data.get(field) if isinstance(data, Mapping) else None
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise _refuse(label, field, "text", raw)
    value = raw.strip()
    if len(value) > limit:
        raise ConfigurationError(f"{label} '{field}' is {len(value)} characters long; at most {limit} are accepted",
                                 field=field)
    return value


def choice(data: Mapping[str, Any], field: str, choices: tuple[str, ...], *, label: str = "field",
           default: str | None = None) -> str | None:
    """A text value that must be exactly one of ``choices``; ``default`` when empty."""
    value = text(data, field, label=label)
    if not value:
        return default
    if value not in choices:
        raise ConfigurationError(f"{label} '{field}' must be one of {', '.join(choices)}, got {shown(value)}",
                                 field=field)
    return value


def flag(cfg: Mapping[str, Any], field: str) -> bool:
    """A checkbox (CheckBoxView): ticked sends ``"on"`` (or JSON true), unticked sends nothing.

    Accepted exactly: ``true``, ``"true"``, ``"on"`` (ticked); ``false``, ``"false"``, ``""``, null or
    absent (not ticked). Anything else (``"TRUE"``, ``"yes"``, ``"on "``, ``1``) is refused, so a
    mistyped ``dryRun`` can never fall through to a real submission.
    """
    raw = cfg.get(field)
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, str) and raw in FLAG_FORMS:
        return FLAG_FORMS[raw]
    raise ConfigurationError(f"field '{field}' is a checkbox: it takes {FLAG_HELP}; got {got(raw)}. "
                             "Tick or untick it, or map exactly true or false", field=field)


def as_items(value: Any, field: str, limit: int = LIST_LIMIT) -> list[str]:
    """A field that accepts one value, a list of text values, or a comma-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list | tuple):
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            raise _refuse("field", field, "a list of text values", bad[0])
        items = [v.strip() for v in value if v.strip()]
    else:
        raise _refuse("field", field, "a list or a comma-separated text", value)
    if len(items) > limit:
        raise ConfigurationError(f"field '{field}' has {len(items)} values; at most {limit} are accepted", field=field)
    return items


def integer(cfg: Mapping[str, Any], field: str, default: int, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``: a JSON integer or ASCII digits as text."""
    raw = cfg.get(field)
    if raw is None or raw == "":
        return default
    wanted = f"a whole number from {low} to {high}"
    if isinstance(raw, str) and WHOLE.fullmatch(raw.strip()):
        value = int(raw.strip())
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        raise _refuse("field", field, wanted, raw)
    if not low <= value <= high:
        raise ConfigurationError(f"field '{field}' must be from {low} to {high}, got {value}", field=field)
    return value


def timestamp(raw: Any, field: str, *, earliest: datetime = EARLIEST) -> datetime:
    """An aware UTC datetime from ISO 8601 text (``2024-01-31``, ``...T10:00:00Z``, ``...+02:00``).

    No zone means UTC. Refused: other spellings (week dates, ``20240131``, non-ASCII digits), times
    that do not exist in UTC (``9999-12-31T23:00:00-05:00``) and times before ``earliest``
    (2006-01-01T00:00:00Z by default: no Amazon MWS order is older).
    """
    if not isinstance(raw, str):
        raise _refuse("field", field, ISO_HELP, raw)
    value = raw.strip()
    if not ISO_TIME.fullmatch(value):
        raise ConfigurationError(f"field '{field}' must be {ISO_HELP}, got {shown(value)}", field=field)
    try:
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
        moment = moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):
        raise ConfigurationError(f"field '{field}' {value} is not a date and time that exists in UTC; "
                                 f"use {ISO_HELP}", field=field) from None
    if moment < earliest:
        bound = earliest.isoformat().replace("+00:00", "Z")
        raise ConfigurationError(f"field '{field}' {value} is before {bound}, earlier than any Amazon MWS order; "
                                 f"use a time from {bound} on, e.g. when you started selling", field=field)
    return moment


def marketplace_ids(values: list[str], field: str) -> list[str]:
    unknown = [v for v in values if v not in marketplaces()]
    if unknown:
        raise ConfigurationError(
            f"field '{field}' has unknown marketplace id(s) {', '.join(shown(v) for v in unknown[:5])}; valid ids: "
            + ", ".join(f"{m.id} ({m.country})" for m in marketplaces().values()), field=field)
    return values


def order_id(body: Mapping[str, Any], field: str = "amazonOrderId") -> str:
    raw = body.get(field) if isinstance(body, Mapping) else None
    if raw is None or raw == "":
        raise ConfigurationError(f"input field '{field}' is required: map the Amazon order id, "
                                 "e.g. 058-1233752-8214740", field=field)
    value = text(body, field, label="input field")
    if not ORDER_ID.fullmatch(value):
        raise ConfigurationError(f"input field '{field}' must be an Amazon order id of the form "
                                 f"3-7-7 digits (0-9) like 058-1233752-8214740, got {shown(value)}", field=field)
    return value


def digit_id(body: Mapping[str, Any], field: str, example: str) -> str:
    """A required id of 1 to 20 ASCII digits, mapped as text or as a whole JSON number."""
    raw = body.get(field) if isinstance(body, Mapping) else None
    if raw is None or raw == "":
        raise ConfigurationError(f"input field '{field}' is required: map {example}", field=field)
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        raw = str(raw)
    value = text({field: raw}, field, label="input field")
    if not SUBMISSION_ID.fullmatch(value):
        raise ConfigurationError(f"input field '{field}' must be 1 to {SUBMISSION_ID_DIGITS} digits (0-9) "
                                 f"({example}), got {shown(value)}", field=field)
    return value


def feed_type(body: Mapping[str, Any], field: str = "feedType") -> str | None:
    """An optional MWS FeedType (``_POST_INVENTORY_AVAILABILITY_DATA_``); None when empty."""
    value = text(body, field, label="input field")
    if not value:
        return None
    if value not in feed_types():
        hint = f"did you mean {value.upper()}? " if value.upper() in feed_types() else ""
        raise ConfigurationError(
            f"input field '{field}' {shown(value)} is not an MWS feed type; {hint}use the feedType a submit action "
            f"returned ({', '.join(sent_feed_types())}) or another documented one such as _POST_FLAT_FILE_LISTINGS_DATA_, "
            "or leave it empty", field=field)
    return value


OPERATIONS = ("Upsert", "Update", "Delete", "PartialUpdate")  # Upsert is Amazon's Update


def operation(cfg: Mapping[str, Any], field: str = "operation", choices: tuple[str, ...] = OPERATIONS) -> str:
    """A feed's operation, exactly as the select offers it (one of ``choices``); empty means Update (Upsert)."""
    return choice(cfg, field, choices, default="Update") or "Update"
