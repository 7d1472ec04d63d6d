"""The ERP steps through ``mws-component run``, as a person tries them from the README: run in this
process (so the client shares the sandbox's simulated clock), one JSON line per message on stdout."""

from __future__ import annotations

import json

import pytest
from mws_sandbox import Sandbox, serve

from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

from .inprocess import run_step


def run(step: str, creds, *extra: str) -> tuple[int, list[dict], str]:
    code, out, err = run_step(step, creds, "--log-format", "json", *extra)
    return code, [json.loads(line) for line in out.splitlines()], err


@pytest.fixture(params=["mws", "sp-api"])
def seller(request, tmp_path):
    clock = ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=clock, seed=7, orders=40)
    with serve(sandbox) as server, override(clock=clock):
        creds = sandbox.sp_api_credentials(server.url) if request.param == "sp-api" else sandbox.credentials(server.url)
        path = tmp_path / "creds.json"
        path.write_text(json.dumps(creds), encoding="utf-8")
        yield sandbox, path, clock


def test_the_erp_round_trip_from_the_command_line(seller, tmp_path):
    sandbox, creds, clock = seller
    order_id = next(o["amazonOrderId"] for o in sandbox.orders_truth() if o["orderStatus"] == "Unshipped")

    code, got, err = run("getOrder", creds, "--body", json.dumps({"amazonOrderIds": [order_id]}))
    assert code == 0, err
    assert [o["amazonOrderId"] for o in got] == [order_id] and got[0]["orderStatus"] == "Unshipped"

    shipment = {"amazonOrderId": order_id, "carrierCode": "UPS", "trackingNumber": "1Z999AA10123456784",
                "shipDate": "2025-12-31T20:00:00Z"}
    code, got, err = run("confirmShipment", creds, "--body", json.dumps(shipment))
    assert code == 0 and len(got) == 1, err
    feed_id = got[0].get("feedSubmissionId")
    if feed_id:  # MWS: a feed, processed by Amazon within a minute or two
        clock.advance(90)
        code, status, err = run("getFeedSubmissionStatus", creds, "--body", json.dumps({"feedSubmissionId": feed_id}))
        assert code == 0 and status[0]["feedProcessingStatus"] == "_DONE_", (status, err)
    clock.advance(300)
    code, got, err = run("getOrder", creds, "--body", json.dumps({"amazonOrderId": order_id}))
    assert code == 0 and got[0]["orderStatus"] == "Shipped", (got, err)

    code, got, err = run("acknowledgeOrder", creds, "--body", json.dumps({"amazonOrderId": order_id,
                                                                           "merchantOrderId": "ERP-1001"}))
    assert code == 0 and got[0]["feedSubmissionId"], err

    code, fees, err = run("listFinancialEvents", creds, "--cfg", '{"settleHours": 0}',
                          "--snapshot", str(tmp_path / "fees.json"))
    assert code == 0, err
    assert any(m.get("amazonOrderId") == order_id for m in fees)

    code, listings, err = run("listProducts", creds, "--snapshot", str(tmp_path / "products.json"))
    assert code == 0, err
    assert listings and all(item["sellerSku"] for item in listings)
    assert len({item["sellerSku"] for item in listings}) == len(listings) == len(sandbox.catalogue())
