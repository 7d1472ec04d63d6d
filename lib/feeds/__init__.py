"""Amazon MWS XML feeds: build and validate them from JSON, and read processing reports.

Public API (see each function's docstring)::

    build_feed(kind, items, *, merchant_id, operation="Update", category=None) -> Feed
        # items: one, a list or a generator; Feed: bytes spooled to a temp file (.xml, .open(), .close())
    item_schema(kind) -> dict                  # in-metadata JSON schema of one item
    categories() -> dict[str, list[str]]       # 30 display names -> ProductData elements
    category_schema(display_name) -> dict      # product item schema for one category
    parse_processing_report(body) -> dict      # GetFeedSubmissionResult body -> results
    validate_message(message_type, element) -> list[str]   # the sandbox's feed_validator

Errors: FeedValidationError (a ConfigurationError, with ``.problems``), ProcessingReportError.
The rules come from ``data/rules.json``, written by ``scripts/gen_feed_rules.py`` from the XSDs, plus
the checks Amazon makes on XSD-valid values when it processes a feed (``processing.RULES``: prices
above 0, periods that end after they start, http(s) image URLs), which ``build_feed`` applies too.

The names are imported on first use (``__getattr__``): a step that only needs ``lib.feeds.naming`` or
``lib.feeds.simple`` (listOrderItems via ``lib.fields``) does not pay for the builder, lxml and the
rule tables at start-up.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .builder import KINDS, Feed, Kind, build_feed, feed_kind
    from .categories import categories, resolve_category
    from .problems import FeedValidationError, Problem
    from .report import ProcessingReportError, parse_processing_report
    from .schema import category_schema, item_schema
    from .xml_check import validate_message

_HOMES = {
    "KINDS": "builder", "Feed": "builder", "Kind": "builder", "build_feed": "builder", "feed_kind": "builder",
    "categories": "categories", "resolve_category": "categories",
    "FeedValidationError": "problems", "Problem": "problems",
    "ProcessingReportError": "report", "parse_processing_report": "report",
    "category_schema": "schema", "item_schema": "schema",
    "validate_message": "xml_check",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(types.ModuleType):
    """``lib.feeds.categories`` is the function, as it always was: importing the submodule of the same
    name (the builder does) must not replace it with the module (which stays in ``sys.modules``)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "categories" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "KINDS",
    "Feed",
    "FeedValidationError",
    "Kind",
    "Problem",
    "ProcessingReportError",
    "build_feed",
    "categories",
    "category_schema",
    "feed_kind",
    "item_schema",
    "parse_processing_report",
    "resolve_category",
    "validate_message",
]
