"""Finances v0 listFinancialEvents over the same ledger as MWS: Amazon's model shape, its date rules,
NextToken pages with the same arguments, its usage plan (burst 30, then 0.5 a second)."""

from __future__ import annotations

from mws_sandbox.timefmt import iso_z

from .conftest import validate

PATH = "/finances/v0/financialEvents"


def window(sandbox, **extra) -> dict:
    now = sandbox.clock.now()
    return {"PostedAfter": iso_z(now - 40 * 86400), "PostedBefore": iso_z(now - 300), **extra}


def test_pages_follow_the_model_and_cover_the_ledger(sp, sandbox):
    params = window(sandbox, MaxResultsPerPage="10")
    answer = sp.get(PATH, params)
    assert answer.status == 200
    validate("listFinancialEvents", 200, answer.json)
    listed = sum(len(v) for v in answer.json["payload"]["FinancialEvents"].values())
    token = answer.json["payload"].get("NextToken")
    while token:
        page = sp.get(PATH, {**params, "NextToken": token})
        validate("listFinancialEvents", 200, page.json)
        listed += sum(len(v) for v in page.json["payload"]["FinancialEvents"].values())
        token = page.json["payload"].get("NextToken")
    seller = sandbox.backend.primary.seller_id
    now = sandbox.clock.now()
    assert listed == len(sandbox.backend.ledger.between(seller, now - 40 * 86400, now - 300)) > 10


def test_dates_must_be_two_minutes_old_and_in_order_and_tokens_known(sp, sandbox):
    now = sandbox.clock.now()
    late = sp.get(PATH, {"PostedAfter": iso_z(now - 3600), "PostedBefore": iso_z(now - 60)})
    backwards = sp.get(PATH, {"PostedAfter": iso_z(now - 3600), "PostedBefore": iso_z(now - 7200)})
    missing = sp.get(PATH, {})
    unknown = sp.get(PATH, {**window(sandbox), "NextToken": "nope"})
    for answer in (late, backwards, missing, unknown):
        assert (answer.status, answer.code) == (400, "InvalidInput")
        validate("listFinancialEvents", 400, answer.json)


def test_burst_of_thirty_then_one_every_two_seconds(sp, sandbox):
    params = window(sandbox, MaxResultsPerPage="1")
    assert [sp.get(PATH, params).status for _ in range(30)] == [200] * 30
    assert sp.get(PATH, params).status == 429
    sandbox.clock.advance(2)
    assert sp.get(PATH, params).status == 200
