"""establishProductRelationships — Action: submits a Relationship feed (_POST_PRODUCT_RELATIONSHIP_DATA_) for one item or many.

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("establishProductRelationships is not implemented yet: issue 6 delivers it")
