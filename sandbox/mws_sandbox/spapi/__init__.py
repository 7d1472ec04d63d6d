"""The Selling Partner API (SP-API) side of the sandbox, over the same seller's world as MWS.

Like moto serving several AWS services from one app: the orders, sellers, clock, faults and
scenario API are the sandbox's own; this package adds only what SP-API has and MWS had not.
``identity`` (state: LWA apps, access and restricted data tokens), ``plans`` (the usage-plan table)
and ``quota`` (its token buckets) are models; ``render``/``render_orders`` are the JSON wire format;
``searchquery`` reads searchOrders' parameters; ``handlers`` are the operations, ``routes`` the
table, ``lwa`` the token endpoint and ``dispatch`` the pipeline ``app.Sandbox.respond`` hands to.

The listings write side: ``feedstore`` and ``issues`` (state), ``producttypes`` (the project's product
type schemas in ``product_types/`` and Amazon's keywords), ``submissions`` (one listing change, shared by
feeds and Listings Items), ``attributes`` (attributes <-> catalogue fields), ``feedschema`` and
``listingsfeed`` (checking and processing JSON_LISTINGS_FEED), ``feedwork`` (processing on the clock),
``presign``/``files`` (the S3 stand-in) and ``handlers_feeds``/``handlers_listings``/``handlers_definitions``.
"""

from __future__ import annotations

from .routes import serves

__all__ = ["serves"]
