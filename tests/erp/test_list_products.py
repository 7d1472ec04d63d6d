"""listProducts against the sandbox, whose catalogue is the oracle: every listing once, then only what
changed (plus the documented bucket-mates), on both APIs; charsets; kills; a report not ready yet."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.reports import listings as ls
from mws_component.lib.reports import state as st
from mws_component.lib.reports.sync import CHUNK_ROWS

BOTH_APIS = pytest.mark.parametrize("world", ["mws", "sp-api"], indirect=True)


def cfg_of(world, **extra) -> dict:
    return {**world.credentials, **extra}


def skus(run) -> list[str]:
    return [b["sellerSku"] for b in run.bodies]


def catalogue(world) -> dict[str, dict]:
    return world.sandbox.catalogue()


def bucket_mates(world, changed: set[str]) -> set[str]:
    """Every SKU that shares a bucket with one of ``changed``: what a poll may emit after those changes."""
    buckets = {st.bucket(s) for s in changed}
    return {s for s in catalogue(world) if st.bucket(s) in buckets}


@BOTH_APIS
def test_first_poll_emits_every_listing_once_in_lower_camel_case(world):
    run = world.run("listProducts", cfg_of(world))
    assert run.errors == [] and run.events[-1] == "end"
    truth = catalogue(world)
    assert sorted(skus(run)) == sorted(truth)
    body = next(b for b in run.bodies if b["sellerSku"] == next(iter(truth)))
    listing = truth[body["sellerSku"]]
    assert body["asin"] == listing["asin"] and body["itemName"] == listing["title"]
    assert body["price"] == f"{float(listing['price']):.2f}"
    assert body["fulfillmentChannel"] in ("DEFAULT", "AMAZON_NA") and body["status"] in ("Active", "Inactive")
    assert {"openDate", "listingId", "productId", "itemCondition"} <= set(body)
    if listing["fulfillmentChannel"] == "MFN":
        assert body["quantity"] == listing["quantity"]
    assert all(len(json.dumps(s)) <= st.SNAPSHOT_CHARS for s in run.snapshots)
    assert "report" not in run.snapshots[-1] and len(run.snapshots[-1]["sums"]) == st.SUMS_CHARS


@BOTH_APIS
def test_a_second_poll_without_changes_emits_nothing(world):
    first = world.run("listProducts", cfg_of(world))
    second = world.run("listProducts", cfg_of(world), first.snapshots[-1])
    assert second.errors == [] and second.bodies == []


@BOTH_APIS
def test_after_price_and_quantity_changes_only_the_changed_listings_and_their_bucket_mates_come(world):
    world.sandbox.seed_listings(2000)
    first = world.run("listProducts", cfg_of(world))
    assert len(first.bodies) == len(catalogue(world))
    mfn = next(s for s, v in catalogue(world).items() if s.startswith("BULK-00015") and v["fulfillmentChannel"] == "MFN")
    changed = {"BULK-0000007": {"price": "1.23"}, mfn: {"quantity": 999},  # an AFN quantity is not in the report
               next(iter(catalogue(world))): {"title": "Renamed"}}
    for sku, change in changed.items():
        world.sandbox.update_listing(sku, **change)
    second = world.run("listProducts", cfg_of(world), first.snapshots[-1])
    emitted = set(skus(second))
    assert set(changed) <= emitted <= bucket_mates(world, set(changed))
    assert len(skus(second)) == len(emitted)  # each once
    by_sku = {b["sellerSku"]: b for b in second.bodies}
    assert by_sku["BULK-0000007"]["price"] == "1.23" and by_sku[mfn]["quantity"] == 999
    assert len(emitted) < 40  # 3 changes among 2,030 listings in 512 buckets: about 3 x 4 bucket-mates
    third = world.run("listProducts", cfg_of(world), second.snapshots[-1])
    assert third.bodies == []


def test_a_cp1252_title_decodes_from_the_mws_report(world):
    sku = next(iter(catalogue(world)))
    world.sandbox.update_listing(sku, title="Crème brûlée set, 5 € off")
    run = world.run("listProducts", cfg_of(world))
    assert next(b for b in run.bodies if b["sellerSku"] == sku)["itemName"] == "Crème brûlée set, 5 € off"


@pytest.mark.parametrize("world", ["sp-api"], indirect=True)
def test_a_cp1252_title_decodes_from_the_gzip_sp_api_document(world):
    sku = next(iter(catalogue(world)))
    world.sandbox.update_listing(sku, title="Crème brûlée set, 5 € off")
    run = world.run("listProducts", cfg_of(world))
    assert next(b for b in run.bodies if b["sellerSku"] == sku)["itemName"] == "Crème brûlée set, 5 € off"


def _report(text: str, charset: str, compress: bool = False) -> bytes:
    data = text.replace("\n", "\r\n").encode(charset)
    return gzip.compress(data) if compress else data


@pytest.mark.parametrize("compress", [False, True])
def test_a_shift_jis_report_decodes_by_content_type_or_by_marketplace(compress):
    text = "item-name\tseller-sku\tprice\tquantity\tasin1\n抹茶 ティーセット①\tJP-1\t1200\t3\tB0TEST0001\n"
    raw = _report(text, "cp932", compress)  # Windows-31J: Shift_JIS with ① and the like
    for charset in (ls.charset_for("JP"), ls.charset_for("US", "text/plain;charset=Windows-31J")):
        rows = list(ls.rows(lambda: io.BytesIO(raw), charset, compress))
        assert [r.message() for r in rows] == [{"itemName": "抹茶 ティーセット①", "sellerSku": "JP-1", "price": "1200",
                                                 "quantity": 3, "asin": "B0TEST0001"}]


def test_charsets_follow_the_marketplace_unless_the_answer_names_one():
    assert ls.charset_for("US") == ls.charset_for("DE") == "cp1252"
    assert ls.charset_for("JP") == "cp932" == ls.charset_for("US", "text/plain; charset=Shift_JIS")
    assert ls.charset_for("IN") == "utf-8"
    assert ls.charset_for("US", "text/plain; charset=UTF-8") == "utf-8"
    assert ls.charset_for("DE", "text/plain;charset=ISO-8859-1") == "cp1252"
    assert ls.charset_for("US", "text/plain;charset=no-such-codec") == "utf-8"


def test_a_report_without_a_sku_column_is_refused():
    with pytest.raises(Exception, match="seller-sku"):
        list(ls.rows(lambda: io.BytesIO(b"a\tb\n1\t2\n"), "utf-8"))


@BOTH_APIS
def test_a_report_not_ready_ends_the_poll_and_the_next_goes_on_with_the_same_report(world):
    first = world.run("listProducts", cfg_of(world, reportWaitSeconds=0))
    assert first.errors == [] and first.bodies == []
    report_id = first.snapshots[-1]["report"]["id"]
    world.clock.advance(60)
    second = world.run("listProducts", cfg_of(world, reportWaitSeconds=0), first.snapshots[-1])
    assert sorted(skus(second)) == sorted(catalogue(world))
    assert len(world.sandbox.backend.reports.requests) == 1  # never requested twice
    assert report_id in world.sandbox.backend.reports.requests


@BOTH_APIS
def test_a_kill_mid_poll_resumes_with_the_same_report_and_loses_nothing(world):
    world.sandbox.seed_listings(3 * CHUNK_ROWS)
    killed = world.run("listProducts", cfg_of(world), crash_when=lambda s: s.get("report", {}).get("row", 0) > 0)
    assert killed.snapshots[-1]["report"]["row"] == CHUNK_ROWS
    resumed = world.run("listProducts", cfg_of(world), killed.snapshots[-1])
    assert resumed.errors == [] and "report" not in resumed.snapshots[-1]
    assert set(skus(killed)) | set(skus(resumed)) == set(catalogue(world))
    assert len(world.sandbox.backend.reports.requests) == 1
    assert len(skus(killed)) + len(skus(resumed)) == len(catalogue(world))  # killed after its snapshot: no repeat


def test_snapshot_of_another_marketplace_starts_over_and_a_corrupt_one_is_refused():
    fresh = st.ensure({"v": 1, "marketplace": "A1PA6795UKMFR9", "sums": "x"}, "ATVPDKIKX0DER")
    assert fresh == st.initial("ATVPDKIKX0DER")
    with pytest.raises(ConfigurationError, match="sums"):
        st.ensure({"v": 1, "marketplace": "ATVPDKIKX0DER", "sums": "short"}, "ATVPDKIKX0DER")
    with pytest.raises(ConfigurationError, match="report.row"):
        st.ensure({"v": 1, "marketplace": "ATVPDKIKX0DER", "report": {"id": "1", "row": -1}}, "ATVPDKIKX0DER")


def test_bucket_sums_miss_no_change_and_re_emit_about_listings_over_512_per_change():
    """Measured: 100,000 synthetic rows, 100 single-field changes: every change's bucket differs, and the
    re-emitted unchanged listings average listings/512 per change."""
    n, changes = 100_000, 100
    rows = {f"SKU-{i}": f"SKU-{i}\t{i % 977}.99\t{i % 31}" for i in range(n)}
    before = st.Sums()
    for sku, content in rows.items():
        before.add(sku, content)
    changed = {f"SKU-{i * 997}" for i in range(changes)}
    after = st.Sums()
    for sku, content in rows.items():
        after.add(sku, content + ("1" if sku in changed else ""))
    buckets = st.changed_buckets({"sums": before.packed()}, after)
    assert {st.bucket(s) for s in changed} == buckets
    emitted = sum(1 for sku in rows if st.bucket(sku) in buckets)
    assert emitted / changes < 2 * n / st.BUCKETS  # ~195 each (fewer when two changes share a bucket)
    assert len(json.dumps({"v": 1, "marketplace": "ATVPDKIKX0DER", "sums": after.packed(),
                           "report": {"id": "x" * 60, "row": 10**6}})) < st.SNAPSHOT_CHARS
