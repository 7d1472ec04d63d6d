"""Service mode posts {status, data} to ELASTICIO_POST_RESULT_URL, credentials moved to Basic auth."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from eiosdk.logging import configure
from eiosdk.sailor.service_mode import run_service, split_userinfo

from .conftest import FIXTURE_COMPONENT


def service_env(platform, **extra) -> dict[str, str]:
    parts = urlsplit(platform.url)
    env = {
        "ELASTICIO_POST_RESULT_URL": f"http://poster:p%40ss@{parts.netloc}/results",
        "ELASTICIO_CFG": json.dumps({"apiKey": "good", "account": "acc"}),
        "ELASTICIO_API_URI": platform.url, "ELASTICIO_API_USERNAME": platform.username,
        "ELASTICIO_API_KEY": platform.key,
    }
    env.update({f"ELASTICIO_{k}": v for k, v in extra.items()})
    return env


@pytest.fixture
def captured_logs():
    stream = io.StringIO()
    configure(stream=stream)
    yield stream
    configure(stream=None)


def test_split_userinfo():
    assert split_userinfo("https://u:p%3Aw@host:8443/x?y=1") == ("https://host:8443/x?y=1", ("u", "p:w"))
    assert split_userinfo("http://host/x") == ("http://host/x", None)


def test_verify_credentials_success_posted_with_basic_auth(platform, captured_logs):
    assert run_service("verifyCredentials", service_env(platform), FIXTURE_COMPONENT) == 0
    assert platform.results == [{"status": "success", "data": {"verified": True}}]
    [req] = platform.seen("POST", "/results")
    assert req.auth == ("poster", "p@ss")


def test_refused_credentials_are_success_with_verified_false(platform, captured_logs):
    env = service_env(platform, CFG=json.dumps({"apiKey": "bad-key-4711"}))
    assert run_service("verifyCredentials", env, FIXTURE_COMPONENT) == 0
    assert platform.results == [{"status": "success",
                                 "data": {"verified": False, "reason": "the API key was refused"}}]
    assert "bad-key-4711" not in captured_logs.getvalue()


def test_get_meta_model(platform, captured_logs):
    assert run_service("getMetaModel", service_env(platform, ACTION_OR_TRIGGER="models"), FIXTURE_COMPONENT) == 0
    [result] = platform.results
    assert result["status"] == "success" and result["data"]["in"]["properties"]["sku"]["required"] is True


def test_select_model(platform, captured_logs):
    env = service_env(platform, ACTION_OR_TRIGGER="models", GET_MODEL_METHOD="regions")
    assert run_service("selectModel", env, FIXTURE_COMPONENT) == 0
    assert platform.results == [{"status": "success", "data": {"eu": "Europe", "na": "North America"}}]


@pytest.mark.parametrize("method, drop, message", [
    ("verifyCredentials", "ELASTICIO_CFG", "ELASTICIO_CFG is not provided"),
    ("getMetaModel", "ELASTICIO_ACTION_OR_TRIGGER", "ELASTICIO_ACTION_OR_TRIGGER is not provided"),
    ("selectModel", "ELASTICIO_GET_MODEL_METHOD", "ELASTICIO_GET_MODEL_METHOD is not provided"),
])
def test_missing_input_is_posted_as_an_error(platform, captured_logs, method, drop, message):
    env = service_env(platform, ACTION_OR_TRIGGER="models", GET_MODEL_METHOD="regions")
    env.pop(drop)
    assert run_service(method, env, FIXTURE_COMPONENT) == 0
    assert platform.results == [{"status": "error", "data": {"message": message}}]


def test_unknown_select_model_is_an_error(platform, captured_logs):
    env = service_env(platform, ACTION_OR_TRIGGER="models", GET_MODEL_METHOD="nope")
    run_service("selectModel", env, FIXTURE_COMPONENT)
    [result] = platform.results
    assert result["status"] == "error" and "nope" in result["data"]["message"]


def test_unparsable_cfg(platform, captured_logs):
    run_service("verifyCredentials", service_env(platform, CFG="{not json"), FIXTURE_COMPONENT)
    assert platform.results[0]["data"]["message"].startswith("Unable to parse CFG")


def test_no_result_url_posts_nothing_and_fails(platform, captured_logs):
    env = service_env(platform)
    env.pop("ELASTICIO_POST_RESULT_URL")
    assert run_service("verifyCredentials", env, FIXTURE_COMPONENT) == 1
    assert platform.requests == []
    assert "ELASTICIO_POST_RESULT_URL is not provided" in captured_logs.getvalue()


def test_refused_post_fails_the_process(platform, captured_logs):
    platform.result_status = 403
    assert run_service("verifyCredentials", service_env(platform), FIXTURE_COMPONENT) == 1
    assert "p@ss" not in captured_logs.getvalue()


def test_server_error_on_post_is_retried(platform, captured_logs):
    platform.fail_next = 1
    assert run_service("verifyCredentials", service_env(platform, API_REQUEST_RETRY_DELAY="1"),
                       FIXTURE_COMPONENT) == 0
    assert len(platform.seen("POST", "/results")) == 2


def test_cli_serve_entry_point_as_a_process(platform):
    env = {**os.environ, **service_env(platform, CFG=json.dumps({"apiKey": "bad-key-xyz"}))}
    proc = subprocess.run([sys.executable, "-m", "mws_component.cli", "serve", "verifyCredentials",
                           "--component-root", str(FIXTURE_COMPONENT)], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert platform.results == [{"status": "success",
                                 "data": {"verified": False, "reason": "the API key was refused"}}]
    assert "bad-key-xyz" not in proc.stdout + proc.stderr
    assert "p@ss" not in proc.stdout + proc.stderr
