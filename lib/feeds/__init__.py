"""Amazon MWS XML feeds: build and validate them from JSON, and read processing reports.

Public API (see each function's docstring)::

    build_feed(kind, items, *, merchant_id, operation="Update", category=None) -> Feed
    item_schema(kind) -> dict                  # in-metadata JSON schema of one item
    categories() -> dict[str, list[str]]       # 30 display names -> ProductData elements
    category_schema(display_name) -> dict      # product item schema for one category
    parse_processing_report(body) -> dict      # GetFeedSubmissionResult body -> results
    validate_message(message_type, element) -> list[str]   # the sandbox's feed_validator

Errors: FeedValidationError (a ConfigurationError, with ``.problems``), ProcessingReportError.
The rules come from ``data/rules.json``, written by ``scripts/gen_feed_rules.py`` from the XSDs, plus
the checks Amazon makes on XSD-valid values when it processes a feed (``processing.RULES``: prices
above 0, periods that end after they start, http(s) image URLs), which ``build_feed`` applies too.
"""

from .builder import KINDS, Feed, Kind, build_feed, feed_kind
from .categories import categories, resolve_category
from .problems import FeedValidationError, Problem
from .report import ProcessingReportError, parse_processing_report
from .schema import category_schema, item_schema
from .xml_check import validate_message

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
