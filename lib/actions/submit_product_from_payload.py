"""submitProductFromPayload: a product feed whose category comes from the message itself.

Each item names its category by its ``productData`` key (``{"productData": {"beauty": {...}}}``);
a ``category`` display name on the body (or on every item alike) restricts items to that category.
Field ``operation`` (Upsert -> Update, Delete, PartialUpdate) and ``dryRun`` as for submitProduct.
"""

from __future__ import annotations

from lib import submission
from lib.connection import connect
from lib.mws.errors import ConfigurationError


def split_category(body):
    """The body without ``category`` keys, and the one category they name (or None)."""
    items = submission.items_from(body)
    many = isinstance(items, list)
    named = {str(body["category"]).strip()} if body.get("category") and many else set()
    cleaned = []
    for item in items if many else [items]:
        if isinstance(item, dict) and "category" in item:
            named.add(str(item["category"]).strip())
            item = {k: v for k, v in item.items() if k != "category"}
        cleaned.append(item)
    if len(named) > 1:
        raise ConfigurationError(f"the items name different categories ({', '.join(sorted(named))}); send one "
                                 "category per message, or leave 'category' out and let productData name it",
                                 field="category")
    return ({"items": cleaned} if many else cleaned[0]), (named.pop() if named else None)


def process(msg, cfg, snapshot, context):
    body, category = split_category(msg.body)
    return submission.submit(connect(cfg), "product", body, cfg, operation=cfg.get("operation") or "Update",
                             category=category, logger=context.logger)
