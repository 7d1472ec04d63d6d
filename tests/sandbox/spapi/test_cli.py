"""``mws-component sandbox --credentials-out creds.json`` also writes creds.sp-api.json (mode 0600), and
those SP-API credentials work against the running process: LWA exchange, then the same seller's calls."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
import requests

from mws_component.commands.sandbox import sp_api_path

from ..test_sandbox_cli import ROOT, _first_line


@pytest.fixture
def running(tmp_path):
    creds_file = tmp_path / "creds.json"
    proc = subprocess.Popen([sys.executable, "-m", "mws_component.cli", "sandbox", "--port", "0", "--credentials-out",
                             str(creds_file), "--orders", "8", "--seed", "4"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = _first_line(proc)
        yield line.split()[4], creds_file, proc.stdout.readline()  # printed right after the first
    finally:
        proc.terminate()
        proc.wait(5)


def test_sp_api_path_sits_next_to_the_mws_file():
    assert sp_api_path("/tmp/x/creds.json") == "/tmp/x/creds.sp-api.json"
    assert sp_api_path("creds") == "creds.sp-api.json"


def test_writes_working_sp_api_credentials_next_to_the_mws_ones(running):
    url, creds_file, second_line = running
    sp_file = creds_file.with_name("creds.sp-api.json")
    assert str(sp_file) in second_line
    assert stat.S_IMODE(os.stat(sp_file).st_mode) == 0o600
    creds = json.loads(sp_file.read_text())
    mws = json.loads(creds_file.read_text())
    assert set(creds) == {"api", "sellerId", "marketplaceId", "lwaClientId", "lwaClientSecret", "refreshToken",
                          "endpoint", "lwaEndpoint"}
    assert (creds["api"], creds["endpoint"], creds["lwaEndpoint"]) == ("sp-api", url, url + "/auth/o2/token")
    assert (creds["sellerId"], creds["marketplaceId"]) == (mws["sellerId"], mws["marketplaceId"])
    token = requests.post(creds["lwaEndpoint"], data={
        "grant_type": "refresh_token", "refresh_token": creds["refreshToken"],
        "client_id": creds["lwaClientId"], "client_secret": creds["lwaClientSecret"]}, timeout=5).json()
    answer = requests.get(url + "/orders/2026-01-01/orders", params={"createdAfter": "2020-01-01T00:00:00Z"},
                          headers={"x-amz-access-token": token["access_token"]}, timeout=5)
    assert answer.status_code == 200 and len(answer.json()["orders"]) == 8


def test_help_mentions_the_sp_api_file():
    out = subprocess.run([sys.executable, "-m", "mws_component.cli", "sandbox", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60).stdout
    assert "sp-api.json" in " ".join(out.split())
