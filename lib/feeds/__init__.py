"""Amazon MWS XML feeds: build and validate them from JSON, and read processing reports.

Public API (see each function's docstring)::

    build_feed(kind, items, *, merchant_id, operation="Update", category=None) -> Feed
    item_schema(kind) -> dict                  # in-metadata JSON schema of one item
    categories() -> dict[str, list[str]]       # 30 display names -> ProductData elements
    category_schema(display_name) -> dict      # product item schema for one category
    parse_processing_report(body: bytes) -> dict
    validate_message(message_type, element) -> list[str]   # for the sandbox

Errors: FeedValidationError (a ConfigurationError; ``.problems``), ProcessingReportError.
"""

from .builder import KINDS, Feed, build_feed, feed_kind
from .categories import categories
from .problems import FeedValidationError, Problem

__all__ = [
    "KINDS",
    "Feed",
    "FeedValidationError",
    "Problem",
    "build_feed",
    "categories",
    "feed_kind",
]
