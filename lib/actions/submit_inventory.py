"""submitInventory — Action: submits an Inventory feed (_POST_INVENTORY_AVAILABILITY_DATA_) for one item or many.

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("submitInventory is not implemented yet: issue 6 delivers it")
