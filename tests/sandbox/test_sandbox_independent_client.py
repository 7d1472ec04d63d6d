"""An independent MWS client (python-amazon-mws 0.8.15 from PyPI) works against the sandbox unchanged
but for signing the plain-http loopback host, and gets SignatureDoesNotMatch with a wrong secret."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mws_sandbox import Sandbox, serve

SCRIPT = Path(__file__).with_name("amazon_mws_client.py")


@pytest.fixture
def live():
    sandbox = Sandbox(seed=21, orders=12)  # real time: the client stamps requests with its own clock
    with serve(sandbox) as server:
        yield sandbox, server


def run_client(creds: dict, sku: str) -> dict:
    proc = subprocess.run([sys.executable, str(SCRIPT)], input=json.dumps({"credentials": creds, "sku": sku}),
                          capture_output=True, text=True, timeout=60, cwd="/")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_python_amazon_mws_calls_every_required_operation(live):
    sandbox, server = live
    creds = sandbox.credentials(server.url)
    sku = next(iter(sandbox.catalogue()))
    out = run_client(creds, sku)

    assert creds["marketplaceId"] in out["marketplaces"] and "A6W85IYQ5WB1C" in out["marketplaces"]
    us_orders = sorted((o["lastUpdateDate"], o["amazonOrderId"]) for o in sandbox.orders_truth()
                       if sandbox.backend.orders.orders[o["amazonOrderId"]].marketplace_id == creds["marketplaceId"])
    assert len(us_orders) > 5  # so the client had to follow a NextToken
    assert out["orders"] == [order_id for _, order_id in us_orders][:10]
    assert out["lastUpdatedBefore"].endswith("Z")
    first = sandbox.backend.orders.orders[out["orders"][0]]
    assert out["items"] == [i.sku for i in first.items][:20]
    assert out["feed"]["status"] == "_SUBMITTED_"
    assert out["feedList"] == [[out["feed"]["id"], "_DONE_"]]
    assert out["report"] == "1"
    assert sandbox.catalogue()[sku]["quantity"] == 17
    assert out["wrongSecret"]["status"] == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in out["wrongSecret"]["body"]
    calls = sandbox.stats()["operations"]
    for name in ("ListMarketplaceParticipations", "ListOrders", "ListOrderItems", "SubmitFeed",
                 "GetFeedSubmissionList", "GetFeedSubmissionResult"):
        assert calls[name]["requests"] >= 1, name
