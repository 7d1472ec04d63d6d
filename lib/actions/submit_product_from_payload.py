"""submitProductFromPayload: a product feed whose category comes from the message itself.

Each item names its category by its ``productData`` key (``{"productData": {"beauty": {...}}}``);
a ``category`` display name on the body (or on every item alike) restricts items to that category.
Field ``operation`` (Upsert -> Update, Delete, PartialUpdate) and ``dryRun`` as for submitProduct.
With SP-API credentials: as submitProduct, the product type following ``productData``'s category.
"""

from __future__ import annotations

from mws_component.lib import fields, submission
from mws_component.lib.connection import connect
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.steps import action


def _named(data, where: str) -> str:
    """The ``category`` an object names ("" for none); it must be a display name, as text."""
    raw = data.get("category")
    if raw is None or isinstance(raw, str):
        return (raw or "").strip()
    raise ConfigurationError(f"input field '{where}' must be a category name such as Beauty, got {fields.got(raw)}",
                             field=where)


def split_category(body):
    """The body without ``category`` keys, and the one category they name (or None)."""
    items = submission.items_from(body)
    many = isinstance(items, list)
    named = {_named(body, "category")} if many else set()
    cleaned = []
    for index, item in enumerate(items if many else [items]):
        if isinstance(item, dict) and "category" in item:
            named.add(_named(item, f"items[{index}].category" if many else "category"))
            item = {k: v for k, v in item.items() if k != "category"}
        cleaned.append(item)
    named.discard("")
    if len(named) > 1:
        raise ConfigurationError(f"the items name different categories ({', '.join(sorted(named))}); send one "
                                 "category per message, or leave 'category' out and let productData name it",
                                 field="category")
    return ({"items": cleaned} if many else cleaned[0]), (named.pop() if named else None)


@action
def process(msg, cfg, snapshot, context):
    operation = fields.operation(cfg)
    body, category = split_category(msg.body)
    return submission.submit(connect(cfg), "product", body, cfg, operation=operation, category=category,
                             logger=context.logger)
