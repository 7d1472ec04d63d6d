"""establishProductRelationships: one _POST_PRODUCT_RELATIONSHIP_DATA_ feed per message with the parent/child relations of one parent SKU or of ``items``.

Fields: ``operation`` (Upsert or Update links the children, Delete unlinks them; empty = Update),
``dryRun``. The in-metadata follows the operation (``getMetaModel``): Delete asks only for
``parentSku`` and each relation's ``sku`` and ``type``, all the XSD needs to name the links to
remove. Every item is validated against Amazon's schema rules before anything is sent; ``dryRun``
builds and validates only. Output: ``{feedSubmissionId, feedType, feedProcessingStatus,
submittedDate, messageCount}``. See ``lib.submission`` for how a lost SubmitFeed answer is handled.
With SP-API credentials: each child's ``child_parent_sku_relationship`` and ``parentage_level``,
the parent's ``parentage_level`` and (field ``variationTheme``) ``variation_theme``, as one feed.
"""

from __future__ import annotations

import json
from pathlib import Path

from mws_component.lib import fields, submission
from mws_component.lib.connection import api_of, connect
from mws_component.lib.steps import action

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
OPERATIONS = ("Upsert", "Update", "Delete")  # PartialUpdate exists for Product feeds only


@action
def process(msg, cfg, snapshot, context):
    operation = fields.operation(cfg, choices=OPERATIONS)
    return submission.submit(connect(cfg), "relationship", msg.body, cfg, operation=operation,
                             logger=context.logger)


def getMetaModel(cfg):  # the platform calls it by this name
    """The relationship fields for the chosen operation (``schemas/establish_product_relationships[.delete].in.json``)."""
    suffix = ".delete" if fields.operation(cfg, choices=OPERATIONS) == "Delete" else ""
    schema = _schema(f"establish_product_relationships{suffix}.in.json")
    if api_of(cfg) == "sp-api" and not suffix:
        schema = submission.with_fields(schema, submission.SP_API_FIELDS)
    return {"in": schema, "out": _schema("feed_submission.out.json")}


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
