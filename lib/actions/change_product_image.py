"""changeProductImage — Action: submits a ProductImage feed (_POST_PRODUCT_IMAGE_DATA_) for one item or many.

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("changeProductImage is not implemented yet: issue 6 delivers it")
