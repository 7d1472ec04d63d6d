"""changeProductImage: one _POST_PRODUCT_IMAGE_DATA_ feed per message with the image locations of one SKU or of ``items``.

Fields: ``operation`` (Upsert or Update sets an image, Delete removes it; empty = Update), ``dryRun``.
The in-metadata follows the operation (``getMetaModel``): Delete asks only for ``sku`` and
``imageType``, all the XSD needs to name the image to remove. Every item is validated against
Amazon's schema rules before anything is sent; ``dryRun`` builds and validates only. Output:
``{feedSubmissionId, feedType, feedProcessingStatus, submittedDate, messageCount}``. See
``lib.submission`` for how a lost SubmitFeed answer is handled.
With SP-API credentials: the ``*_product_image_locator`` attributes (Delete: a delete patch),
one SKU directly, several as one JSON_LISTINGS_FEED.
"""

from __future__ import annotations

import json
from pathlib import Path

from mws_component.lib import fields, submission
from mws_component.lib.connection import connect
from mws_component.lib.steps import action

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
OPERATIONS = ("Upsert", "Update", "Delete")  # PartialUpdate exists for Product feeds only


@action
def process(msg, cfg, snapshot, context):
    operation = fields.operation(cfg, choices=OPERATIONS)
    return submission.submit(connect(cfg), "image", msg.body, cfg, operation=operation, logger=context.logger)


def getMetaModel(cfg):  # the platform calls it by this name
    """The image fields for the chosen operation (``schemas/change_product_image[.delete].in.json``)."""
    suffix = ".delete" if fields.operation(cfg, choices=OPERATIONS) == "Delete" else ""
    return {"in": _schema(f"change_product_image{suffix}.in.json"), "out": _schema("feed_submission.out.json")}


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
