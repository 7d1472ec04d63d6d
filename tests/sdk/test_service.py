"""Service mode in-process: verifyCredentials rules, select models, dynamic metadata."""

from __future__ import annotations

import asyncio

import pytest
from eiosdk import service
from eiosdk.component import Component
from eiosdk.errors import ServiceError

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def verifying() -> Component:
    return Component.load(FIXTURES / "verify")


@pytest.mark.parametrize(("mode", "expected"), [
    ("dict-false", {"verified": False, "reason": "marketplace not enabled"}),
    ("dict-true", {"verified": True, "marketplaces": ["X"]}),  # a result with `verified` is used as is
    ("false", {"verified": False}),
    ("true", {"verified": True}),
    ("none", {"verified": True}),
    ("dict-without-verified", {"verified": True}),
])
def test_verify_result_rules(verifying, mode, expected):
    assert verifying.verify_credentials({"mode": mode}) == expected


def test_exception_means_not_verified_with_its_message_redacted(verifying):
    result = verifying.verify_credentials({"mode": "raise", "secretKey": "verify-secret-31337"})
    assert result == {"verified": False, "reason": "SignatureDoesNotMatch for secret ***"}


def test_async_verify():
    component = Component.load(FIXTURES / "verify_async")
    assert component.verify_credentials({"secretKey": "good"}) == {"verified": True}
    assert component.verify_credentials({"secretKey": "bad"}) == {
        "verified": False, "reason": "InvalidAccessKeyId: the access key does not exist"}


def test_missing_verify_module_is_verified_like_the_platform(styles):
    assert service.verify_credentials(styles, {}) == {"verified": True}


def test_select_model(styles):
    assert service.select_model(styles, "models", "listColors", {"prefix": "p"}) == {
        "red": "Red", "green": "Green", "prefix": "p"}


def test_select_model_unknown_function_names_the_fields_models(styles):
    with pytest.raises(ServiceError, match="no select-model function 'listShapes'; its fields name: listColors"):
        service.select_model(styles, "models", "listShapes", {})


def test_dynamic_metadata_from_async_get_meta_model_with_update_keys(styles):
    keys: list = []

    async def emit(event, payload):
        keys.append((event, payload))

    result = asyncio.run(service.aget_meta_model(styles, "models", {"color": "red"}, emit=emit))
    assert result == {"in": {"type": "object", "properties": {"red": {"type": "string"}}},
                      "out": {"type": "object", "properties": {}}}
    assert keys == [("updateKeys", {"refreshed": True})]


def test_get_meta_model_must_return_in_out(styles):
    with pytest.raises(ServiceError, match=r"must return \{'in': schema, 'out': schema\}"):
        service.get_meta_model(styles, "models", {"broken": True})


def test_get_meta_model_errors_propagate(styles):
    with pytest.raises(LookupError, match="no metadata for this configuration"):
        service.get_meta_model(styles, "models", {"fail": True})


def test_get_meta_model_on_a_static_step_is_refused(styles):
    with pytest.raises(ServiceError, match="has no getMetaModel"):
        service.get_meta_model(styles, "returnBody", {})


def test_blocking_forms_refuse_to_run_inside_a_loop(styles):
    async def inside():
        service.select_model(styles, "models", "listColors", {})

    with pytest.raises(RuntimeError, match="await the a\\*-prefixed variant"):
        asyncio.run(inside())
