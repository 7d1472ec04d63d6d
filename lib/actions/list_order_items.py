"""listOrderItems — Action: all items of one order (every NextToken page) as {amazonOrderId, orderItems: [...]}.

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 5
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("listOrderItems is not implemented yet: issue 5 delivers it")
