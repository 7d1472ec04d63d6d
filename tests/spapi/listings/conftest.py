"""Fixtures for the SP-API listings write path: a scripted seller and a client on its clock."""

from __future__ import annotations

import pytest

from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.transport import FunctionTransport
from mws_component.lib.spapi.client import SpApiClient
from mws_component.lib.spapi.product_types import forget_schemas

from ..fakes import CREDS
from .fake_listings import FakeListings


@pytest.fixture(autouse=True)
def fresh_schemas():
    """Every test fetches its schemas anew (the cache is per process, keyed by endpoint and version)."""
    forget_schemas()
    yield
    forget_schemas()


@pytest.fixture
def seller() -> FakeListings:
    return FakeListings()


@pytest.fixture
def client(seller: FakeListings) -> SpApiClient:
    return listings_client(seller)


def listings_client(seller, transport=None) -> SpApiClient:
    return SpApiClient(CREDS, transport=transport or FunctionTransport(seller), clock=seller.clock,
                       pacer=Pacer(seller.clock), random=lambda: 0.5)
