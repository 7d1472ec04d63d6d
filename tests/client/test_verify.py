"""verifyCredentials against the sandbox over loopback HTTP: each mistake gets a reason a person can act on."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from mws_sandbox import Sandbox, serve

from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("verifyCredentials", ROOT / "verifyCredentials.py")
verify_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verify_module)


@pytest.fixture(scope="module")
def sandbox_url():
    clock = ManualClock(1_767_225_600.0)
    sandbox = Sandbox(clock=clock, seed=3)
    with serve(sandbox) as server, override(clock=clock):
        yield sandbox, server.url


def verify(creds):
    return verify_module.verify(creds)


def test_good_credentials_verify(sandbox_url):
    sandbox, url = sandbox_url
    assert verify(sandbox.credentials(url)) == {"verified": True}


@pytest.mark.parametrize(("change", "expect"), [
    ({"secretKey": "wrong-secret-wrong-secret-wrong-secret-00"}, "Secret Key"),
    ({"accessKeyId": "AKIAWRONGWRONGWRONG0"}, "Access Key ID"),
    ({"sellerId": "A1WRONGSELLER1"}, "Seller ID"),
    ({"mwsAuthToken": ""}, "MWS Auth Token"),
    ({"marketplaceId": "A1PA6795UKMFR9"}, "does not sell in marketplace A1PA6795UKMFR9"),
    ({"marketplaceId": "NOPE"}, "not an Amazon marketplace id"),
    ({"secretKey": ""}, "'secretKey' is required"),
])
def test_each_mistake_is_not_verified_with_an_actionable_reason(sandbox_url, change, expect):
    sandbox, url = sandbox_url
    creds = {**sandbox.credentials(url), **change}
    result = verify(creds)
    assert result["verified"] is False
    assert expect in result["reason"], result["reason"]
    good = sandbox.credentials(url)
    assert good["secretKey"] not in result["reason"] and good["mwsAuthToken"] not in result["reason"]


def test_wrong_marketplace_reason_lists_the_sellers_marketplaces(sandbox_url):
    sandbox, url = sandbox_url
    result = verify({**sandbox.credentials(url), "marketplaceId": "A1PA6795UKMFR9"})
    assert "ATVPDKIKX0DER (Amazon.com)" in result["reason"]


def test_cli_verify_exit_codes(sandbox_url, tmp_path):
    sandbox, url = sandbox_url
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(sandbox.credentials(url)))
    bad.write_text(json.dumps({**sandbox.credentials(url), "secretKey": "x" * 40}))
    ok = subprocess.run([sys.executable, "-m", "mws_component.cli", "verify", "--credentials", str(good)],
                        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"verified": True}
    no = subprocess.run([sys.executable, "-m", "mws_component.cli", "verify", "--credentials", str(bad)],
                        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert no.returncode == 1 and json.loads(no.stdout)["verified"] is False
    assert "x" * 40 not in no.stdout + no.stderr
