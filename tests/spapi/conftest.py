"""Fixtures for the SP-API client tests: Amazon's models from the shared folder, and a fake seller world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.transport import FunctionTransport
from mws_component.lib.spapi.client import SpApiClient
from tests.conftest import SHARED, require_shared

from .fakes import CREDS, FakeSpApi

MODELS = SHARED / "sp-api" / "models"


@pytest.fixture(scope="session")
def models_dir() -> Path:
    return require_shared(MODELS, "Amazon's SP-API models")


def load_model(models_dir: Path, name: str) -> dict:
    return json.loads((models_dir / name).read_text(encoding="utf-8"))


@pytest.fixture
def amazon() -> FakeSpApi:
    return FakeSpApi()


@pytest.fixture
def client(amazon: FakeSpApi) -> SpApiClient:
    return make_client(amazon)


def make_client(amazon: FakeSpApi, **options) -> SpApiClient:
    """A client on the fake's clock with a pacer of its own (tests never share buckets)."""
    return SpApiClient(CREDS, transport=FunctionTransport(amazon), clock=amazon.clock,
                       pacer=Pacer(amazon.clock), random=lambda: 0.5, **options)
