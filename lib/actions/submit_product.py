"""submitProduct: one _POST_PRODUCT_DATA_ feed per message for the category chosen in the step's fields.

Fields: ``operation`` (Upsert -> Update, Delete, PartialUpdate), ``category`` (one of the 30 display
names), ``dryRun``. The in-metadata is generated for the chosen category (``getMetaModel``), so the
mapper shows that category's fields, arrays and enumerations.
With SP-API credentials: a full listing of the category's product type (Upsert -> UPDATE,
PartialUpdate -> PARTIAL_UPDATE, Delete -> DELETE), checked against its schema first.
"""

from __future__ import annotations

import json
from pathlib import Path

from mws_component.lib import fields, submission
from mws_component.lib.connection import api_of, connect
from mws_component.lib.feeds import category_schema, resolve_category
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.spapi import listings_send
from mws_component.lib.steps import action

OUT = Path(__file__).resolve().parents[2] / "schemas" / "feed_submission.out.json"


def _category(cfg) -> str:
    name = fields.text(cfg, "category")
    if not name:
        raise ConfigurationError("field 'category' is required: choose the product category", field="category")
    resolve_category(name)  # an unknown name fails here, listing the valid ones
    return name


@action
def process(msg, cfg, snapshot, context):
    operation, category = fields.operation(cfg), _category(cfg)
    return submission.submit(connect(cfg), "product", msg.body, cfg, operation=operation, category=category,
                             logger=context.logger)


def getMetaModel(cfg):  # the platform calls it by this name
    """One product of the chosen category, or several under ``items``; on SP-API the attributes come
    from the current schema of the category's product type (Product Type Definitions API)."""
    out = json.loads(OUT.read_text(encoding="utf-8"))
    if api_of(cfg) == "sp-api":
        return {"in": submission.input_schema(listings_send.product_item_schema(connect(cfg), _category(cfg))),
                "out": out}
    return {"in": submission.input_schema(category_schema(_category(cfg))), "out": out}
