"""submitProduct — Action: submits a Product feed for the category chosen in the step's fields; its in-metadata is
generated per category (dynamic metadata, getMetaModel).

Placeholder that gives the step a home and a contract (component.json, schemas/); issue 6
delivers the body.
"""

from __future__ import annotations


def process(msg, cfg, snapshot):
    raise NotImplementedError("submitProduct is not implemented yet: issue 6 delivers it")


def getMetaModel(cfg):  # the platform calls it by this name
    raise NotImplementedError("submitProduct metadata is not implemented yet: issue 6 delivers it")
