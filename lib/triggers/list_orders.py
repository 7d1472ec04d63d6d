"""listOrders — Polling trigger: emits every order created or changed since the last poll, one data message per
order (lowerCamelCase, see schemas/list_orders.out.json), advancing the snapshot page by page.

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 5
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("listOrders is not implemented yet: issue 5 delivers it")
