"""The platform API client against a loopback fake: Basic auth, retries on 5xx, 409 on startup data."""

from __future__ import annotations

import pytest
from eiosdk.sailor.platform_api import PlatformApi, PlatformApiError


def api(platform, **kw) -> PlatformApi:
    return PlatformApi(platform.url, platform.username, platform.key, sleep=lambda s: None, **kw)


def test_step_data_with_basic_auth(platform):
    platform.steps[("flow-1", "step_2")] = {"config": {"a": 1}, "snapshot": {"n": 2}}
    assert api(platform).step_data("flow-1", "step_2") == {"config": {"a": 1}, "snapshot": {"n": 2}}
    [req] = platform.requests
    assert req.path == "/v1/tasks/flow-1/steps/step_2" and req.auth == (platform.username, platform.key)


def test_server_errors_are_retried(platform):
    platform.steps[("f", "s")] = {"config": {}}
    platform.fail_next = 2
    assert api(platform, attempts=3).step_data("f", "s") == {"config": {}}
    assert len(platform.requests) == 3


def test_retries_run_out_with_a_clear_error(platform):
    platform.fail_next = 5
    with pytest.raises(PlatformApiError, match="HTTP 500") as err:
        api(platform, attempts=2).step_data("f", "s")
    assert platform.key not in str(err.value)


def test_client_errors_are_not_retried_and_say_why(platform):
    with pytest.raises(PlatformApiError, match="404 no such step") as err:
        api(platform).step_data("f", "missing")
    assert err.value.status == 404 and len(platform.requests) == 1


def test_wrong_key_is_401_without_echoing_the_key(platform):
    bad = PlatformApi(platform.url, platform.username, "wrong-key-000", sleep=lambda s: None)
    with pytest.raises(PlatformApiError, match="401") as err:
        bad.step_data("f", "s")
    assert "wrong-key-000" not in str(err.value)


def test_unreachable_api_is_a_platform_error():
    dead = PlatformApi("http://127.0.0.1:9", "u", "k", attempts=2, sleep=lambda s: None, timeout=1)
    with pytest.raises(PlatformApiError, match="ConnectionError"):
        dead.step_data("f", "s")


def test_startup_data_conflict_is_replaced(platform):
    client = api(platform)
    client.create_startup_data("flow-1", {"v": 1})
    client.create_startup_data("flow-1", {"v": 2})
    assert platform.startup["flow-1"] == {"v": 2}
    assert [r.method for r in platform.seen("POST", "/sailor-support")] == ["POST", "POST", "POST"]
    assert client.startup_data("flow-1") == {"v": 2}
    client.delete_startup_data("flow-1")
    assert "flow-1" not in platform.startup


def test_update_account_keys(platform):
    api(platform).update_account_keys("acc-1", {"oauth": {"access_token": "t"}})
    [req] = platform.seen("PUT", "/v1/accounts/acc-1")
    assert req.body == {"keys": {"oauth": {"access_token": "t"}}}
    with pytest.raises(PlatformApiError, match="cfg._account"):
        api(platform).update_account_keys("", {})
