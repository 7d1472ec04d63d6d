"""``eiosdk.light_http.Session``: the platform API client of ``mws-component sailor`` behaves as with
requests (auth, retries on 5xx, reasons on 4xx, requests' errors when the API is unreachable)."""

from __future__ import annotations

import pytest
from eiosdk.light_http import Session, _proxied
from eiosdk.sailor.platform_api import PlatformApi, PlatformApiError


def api(platform, **kw) -> PlatformApi:
    return PlatformApi(platform.url, platform.username, platform.key, sleep=lambda s: None, session=Session(), **kw)


def test_step_data_with_basic_auth(platform):
    platform.steps[("flow-1", "step_2")] = {"config": {"a": 1}, "snapshot": {"n": 2}}
    assert api(platform).step_data("flow-1", "step_2") == {"config": {"a": 1}, "snapshot": {"n": 2}}
    [req] = platform.requests
    assert req.path == "/v1/tasks/flow-1/steps/step_2" and req.auth == (platform.username, platform.key)


def test_server_errors_are_retried_and_client_errors_say_why(platform):
    platform.steps[("f", "s")] = {"config": {}}
    platform.fail_next = 2
    assert api(platform, attempts=3).step_data("f", "s") == {"config": {}}
    with pytest.raises(PlatformApiError, match="404 no such step") as err:
        api(platform).step_data("f", "missing")
    assert err.value.status == 404


def test_json_bodies_and_the_startup_data_conflict(platform):
    client = api(platform)
    client.create_startup_data("flow-1", {"v": 1})
    client.create_startup_data("flow-1", {"v": 2})
    assert platform.startup["flow-1"] == {"v": 2}
    assert client.startup_data("flow-1") == {"v": 2}
    client.update_account_keys("acc-1", {"access_token": "t"})
    assert platform.seen("PUT", "/v1/accounts/acc-1")[0].body == {"keys": {"access_token": "t"}}


def test_unreachable_api_is_requests_connection_error_then_a_platform_error():
    dead = PlatformApi("http://127.0.0.1:9", "u", "k", attempts=2, sleep=lambda s: None, timeout=1, session=Session())
    with pytest.raises(PlatformApiError, match="ConnectionError"):
        dead.step_data("f", "s")


def test_a_configured_proxy_leaves_the_call_to_requests(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert not _proxied("http://127.0.0.1:1/x")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    assert _proxied("http://127.0.0.1:1/x")


def test_an_answer_past_the_size_cap_is_refused_not_held(platform, monkeypatch):
    from eiosdk import light_http

    platform.steps[("f", "big")] = {"config": {"blob": "x" * 4096}}
    monkeypatch.setattr(light_http, "MAX_BODY", 1024)
    with pytest.raises(ValueError, match="more than 1024 bytes"):
        Session().request("GET", f"{platform.url}/v1/tasks/f/steps/big", auth=(platform.username, platform.key),
                          timeout=(5, 5))
