"""submitProductFromPayload — Action: submits a Product feed whose category comes from the message (productData key or category).

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("submitProductFromPayload is not implemented yet: issue 6 delivers it")
