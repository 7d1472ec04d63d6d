"""changeProductPrice — Action: submits a Price feed (_POST_PRODUCT_PRICING_DATA_) for one item or many.

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("changeProductPrice is not implemented yet: issue 6 delivers it")
