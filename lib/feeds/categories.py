"""Product categories: the platform's 30 display names and the 54 ProductData elements behind them.

The display-name table is the generator's (from shared/reference/xsd.md section 6), checked there
against the ProductData choice of Product.xsd, so a name here always has a schema behind it.
"""

from __future__ import annotations

from .naming import json_name
from .problems import FeedValidationError, Problem
from .rules import rules


def categories() -> dict[str, list[str]]:
    """Display name -> ProductData element names (the first is the main one), in page order."""
    return {name: list(elements) for name, elements in rules().data["displayCategories"].items()}


def category_elements() -> list[str]:
    """All 54 ProductData elements of the schema, in schema order."""
    return list(rules().data["categoryElements"])


def resolve_category(name: str) -> tuple[str, list[str]]:
    """``(label, elements)`` for a display name, a ProductData element name or its JSON key.

    Matching ignores case and repeated spaces, so ``"camera & photo"`` and ``"CameraPhoto"`` both work.
    """
    wanted = " ".join(str(name).split()).lower()
    for display, elements in categories().items():
        if display.lower() == wanted:
            return display, elements
    for element in category_elements():
        if wanted in (element.lower(), json_name(element).lower()):
            return element, [element]
    listed = "; ".join(categories())
    raise FeedValidationError(
        [Problem(None, "category", "unknownCategory", f"unknown category {name!r}; use one of: {listed}")],
        what="feed settings",
    )
