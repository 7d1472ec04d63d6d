"""Bad input to every step is refused before any request: the right error class, naming the field.

Each case runs a real step against the sandbox (over loopback HTTP) and checks three things: the
error's class, that its message and ``.field`` name the field, and that the sandbox saw no request at
all (its per-operation counters are unchanged and no feed arrived). Feed *content* (item fields) has
its own corpus in ``tests/feeds/test_bad_inputs.py``; this one covers step fields, message bodies,
ids, snapshots and credentials.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime, timezone
from pathlib import Path

import pytest
from eiosdk.message import MessageShapeError

from mws_component.lib import fields
from mws_component.lib.connection import override
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.orders import state as st

ROOT = Path(__file__).resolve().parents[2]
ORDER = "058-1233752-8214740"
INVENTORY = {"sku": "A-1", "quantity": 1}
PRICE = {"sku": "A-1", "standardPrice": {"value": "1.00", "currency": "USD"}}
IMAGE = {"sku": "A-1", "imageType": "Main", "imageLocation": "https://example.com/a.jpg"}
RELATION = {"parentSku": "A-1", "relation": [{"sku": "B-1", "type": "Variation"}]}
PRODUCT = {"sku": "B-1", "descriptionData": {"title": "Lipstick"},
           "productData": {"beauty": {"productType": {"beautyMisc": {}}}}}
BEAUTY = {"category": "Beauty"}
GOOD_STATE = st.initial("", "2025-12-01T00:00:00Z")
WINDOW = {"end": "2025-12-01T01:00:00Z", "done": "", "atEnd": "", "count": 0, "token": None,
          "complete": False, "overflow": False}


def case(kind, step, field, *, cfg=None, body=None, snapshot=None, error=ConfigurationError):
    return pytest.param(step, field, cfg or {}, body, snapshot, error, id=kind)


def shape(kind, step, body):
    return case(kind, step, "body", body=body, error=MessageShapeError)


STEP_CASES = [
    # listOrders: startTime
    case("start-1970", "listOrders", "startTime", cfg={"startTime": "1970-01-01"}),
    case("start-year-1", "listOrders", "startTime", cfg={"startTime": "0001-01-01T00:00:00Z"}),
    case("start-2005", "listOrders", "startTime", cfg={"startTime": "2005-12-31T23:59:59Z"}),
    case("start-not-in-utc", "listOrders", "startTime", cfg={"startTime": "9999-12-31T23:59:59-05:00"}),
    case("start-fullwidth-digits", "listOrders", "startTime", cfg={"startTime": "２０２４-01-01"}),
    case("start-week-date", "listOrders", "startTime", cfg={"startTime": "2024-W01-1"}),
    case("start-nanoseconds", "listOrders", "startTime", cfg={"startTime": "2024-01-01T00:00:00.123456789Z"}),
    case("start-number", "listOrders", "startTime", cfg={"startTime": 20240101}),
    case("start-words", "listOrders", "startTime", cfg={"startTime": "yesterday"}),
    # listOrders: endTime and dateKind
    case("end-words", "listOrders", "endTime", cfg={"endTime": "tomorrow"}),
    case("end-2005", "listOrders", "endTime", cfg={"endTime": "2005-12-31T23:59:59Z"}),
    case("end-number", "listOrders", "endTime", cfg={"endTime": 20240101}),
    case("end-before-start", "listOrders", "endTime",
         cfg={"startTime": "2025-12-01T00:00:00Z", "endTime": "2025-11-30T00:00:00Z"}),
    case("end-at-start", "listOrders", "endTime",
         cfg={"startTime": "2025-12-01T00:00:00Z", "endTime": "2025-12-01T01:00:00+01:00"}),
    case("date-kind-unknown", "listOrders", "dateKind", cfg={"dateKind": "purchased"}),
    case("date-kind-capitalised", "listOrders", "dateKind", cfg={"dateKind": "Created"}),
    case("date-kind-array", "listOrders", "dateKind", cfg={"dateKind": ["created"]}),
    case("snapshot-date-kind-number", "listOrders", "snapshot", snapshot={**GOOD_STATE, "dateKind": 5}),
    # listOrders: other fields
    case("channel-number", "listOrders", "fulfillmentChannel", cfg={"fulfillmentChannel": 5}),
    case("channel-array", "listOrders", "fulfillmentChannel", cfg={"fulfillmentChannel": ["AFN"]}),
    case("channel-unknown", "listOrders", "fulfillmentChannel", cfg={"fulfillmentChannel": "FBA"}),
    case("status-number", "listOrders", "orderStatus", cfg={"orderStatus": 5}),
    case("status-object", "listOrders", "orderStatus", cfg={"orderStatus": {"s": "Shipped"}}),
    case("status-number-in-list", "listOrders", "orderStatus", cfg={"orderStatus": ["Shipped", 5]}),
    case("status-unknown", "listOrders", "orderStatus", cfg={"orderStatus": ["Shiped"]}),
    case("markets-number", "listOrders", "marketplaceIds", cfg={"marketplaceIds": 5}),
    case("markets-object-in-list", "listOrders", "marketplaceIds", cfg={"marketplaceIds": [{"id": "x"}]}),
    case("markets-unknown", "listOrders", "marketplaceIds", cfg={"marketplaceIds": "XYZ"}),
    case("markets-too-many", "listOrders", "marketplaceIds", cfg={"marketplaceIds": ",".join(["XYZ"] * 51)}),
    case("page-size-fraction", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": 1.5}),
    case("page-size-boolean", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": True}),
    case("page-size-fullwidth", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": "１０"}),
    case("page-size-underscore", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": "1_0"}),
    case("page-size-array", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": [10]}),
    case("page-size-too-big", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": "500"}),
    case("page-size-zero", "listOrders", "maxResultsPerPage", cfg={"maxResultsPerPage": 0}),
    # listOrders: corrupt snapshots
    case("snapshot-text", "listOrders", "snapshot", snapshot="corrupt"),
    case("snapshot-array", "listOrders", "snapshot", snapshot=[1, 2]),
    case("snapshot-negative-window", "listOrders", "snapshot", snapshot={**GOOD_STATE, "windowSeconds": -5}),
    case("snapshot-boolean-window", "listOrders", "snapshot", snapshot={**GOOD_STATE, "windowSeconds": True}),
    case("snapshot-cursor-number", "listOrders", "snapshot", snapshot={**GOOD_STATE, "cursor": 5}),
    case("snapshot-cursor-year-1", "listOrders", "snapshot", snapshot={**GOOD_STATE, "cursor": "0001-01-01T00:00:00Z"}),
    case("snapshot-cursor-far-future", "listOrders", "snapshot",
         snapshot={**GOOD_STATE, "cursor": "9999-01-01T00:00:00Z"}),
    case("snapshot-cursor-no-zone", "listOrders", "snapshot", snapshot={**GOOD_STATE, "cursor": "2025-12-01T00:00:00"}),
    case("snapshot-at-cursor-garbage", "listOrders", "snapshot", snapshot={**GOOD_STATE, "atCursor": "abc"}),
    case("snapshot-at-cursor-list", "listOrders", "snapshot", snapshot={**GOOD_STATE, "atCursor": ["abcdefgh"]}),
    case("snapshot-window-text", "listOrders", "snapshot", snapshot={**GOOD_STATE, "window": "x"}),
    case("snapshot-window-count-text", "listOrders", "snapshot",
         snapshot={**GOOD_STATE, "window": {**WINDOW, "count": "3"}}),
    case("snapshot-window-token-number", "listOrders", "snapshot",
         snapshot={**GOOD_STATE, "window": {**WINDOW, "token": 5}}),
    case("snapshot-window-missing-end", "listOrders", "snapshot",
         snapshot={**GOOD_STATE, "window": {k: v for k, v in WINDOW.items() if k != "end"}}),
    case("snapshot-no-version", "listOrders", "snapshot", snapshot={k: v for k, v in GOOD_STATE.items() if k != "v"}),
    # listOrderItems
    case("order-id-fullwidth", "listOrderItems", "amazonOrderId", body={"amazonOrderId": "０５８-1233752-8214740"}),
    case("order-id-arabic-digits", "listOrderItems", "amazonOrderId", body={"amazonOrderId": "٠٥٨-١٢٣٣٧٥٢-٨٢١٤٧٤٠"}),
    case("order-id-number", "listOrderItems", "amazonOrderId", body={"amazonOrderId": 58}),
    case("order-id-object", "listOrderItems", "amazonOrderId", body={"amazonOrderId": {"id": ORDER}}),
    case("order-id-array", "listOrderItems", "amazonOrderId", body={"amazonOrderId": [ORDER]}),
    case("order-id-missing", "listOrderItems", "amazonOrderId", body={"orderId": ORDER}),
    case("order-id-too-long", "listOrderItems", "amazonOrderId", body={"amazonOrderId": ORDER + "-1"}),
    case("order-id-spaces", "listOrderItems", "amazonOrderId", body={"amazonOrderId": ORDER.replace("-", " ")}),
    shape("order-items-body-array", "listOrderItems", [{"amazonOrderId": ORDER}]),
    # getFeedSubmissionStatus / getFeedSubmissionResult
    case("feed-id-fullwidth", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": "５０００１"}),
    case("feed-id-superscripts", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": "²³"}),
    case("feed-id-10000-digits", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": "9" * 10000}),
    case("feed-id-array", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": ["50001"]}),
    case("feed-id-negative", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": -5}),
    case("feed-id-fraction", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": 1.5}),
    case("feed-id-boolean", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedSubmissionId": True}),
    case("feed-id-missing", "getFeedSubmissionStatus", "feedSubmissionId", body={"feedType": "_POST_PRODUCT_DATA_"}),
    case("feed-type-bogus", "getFeedSubmissionStatus", "feedType", body={"feedSubmissionId": "50001", "feedType": "_BOGUS_"}),
    case("feed-type-lowercase", "getFeedSubmissionStatus", "feedType",
         body={"feedSubmissionId": "50001", "feedType": "_post_product_data_"}),
    case("feed-type-number", "getFeedSubmissionStatus", "feedType", body={"feedSubmissionId": "50001", "feedType": 5}),
    shape("feed-status-body-text", "getFeedSubmissionStatus", "50001"),
    case("result-id-arabic-digits", "getFeedSubmissionResult", "feedSubmissionId", body={"feedSubmissionId": "٥٠٠٠١"}),
    case("result-id-object", "getFeedSubmissionResult", "feedSubmissionId", body={"feedSubmissionId": {"id": 1}}),
    case("result-id-two-ids", "getFeedSubmissionResult", "feedSubmissionId", body={"feedSubmissionId": "50001 50002"}),
    shape("feed-result-body-array", "getFeedSubmissionResult", [50001]),
    # feed actions: dryRun, operation, category, body shape
    case("dry-run-upper-case", "submitInventory", "dryRun", cfg={"dryRun": "TRUE"}, body=INVENTORY),
    case("dry-run-yes", "submitInventory", "dryRun", cfg={"dryRun": "yes"}, body=INVENTORY),
    case("dry-run-on-space", "changeProductPrice", "dryRun", cfg={"dryRun": "on "}, body=PRICE),
    case("dry-run-one", "changeProductImage", "dryRun", cfg={"dryRun": 1}, body=IMAGE),
    case("dry-run-text-one", "establishProductRelationships", "dryRun", cfg={"dryRun": "1"}, body=RELATION),
    case("dry-run-array", "submitProduct", "dryRun", cfg={**BEAUTY, "dryRun": ["on"]}, body=PRODUCT),
    case("dry-run-python-true", "submitProductFromPayload", "dryRun", cfg={"dryRun": "True"}, body=PRODUCT),
    case("dry-run-off", "submitInventory", "dryRun", cfg={"dryRun": "off"}, body=INVENTORY),
    case("operation-number", "submitProduct", "operation", cfg={**BEAUTY, "operation": 5}, body=PRODUCT),
    case("operation-unknown", "submitProduct", "operation", cfg={**BEAUTY, "operation": "Replace"}, body=PRODUCT),
    case("operation-lower-case", "submitProduct", "operation", cfg={**BEAUTY, "operation": "delete"}, body=PRODUCT),
    case("operation-object", "submitProductFromPayload", "operation", cfg={"operation": {"op": "Upsert"}}, body=PRODUCT),
    case("category-number", "submitProduct", "category", cfg={"category": 5}, body=PRODUCT),
    case("category-array", "submitProduct", "category", cfg={"category": ["Beauty"]}, body=PRODUCT),
    case("category-missing", "submitProduct", "category", body=PRODUCT),
    case("body-category-number", "submitProductFromPayload", "category", body={"category": 5, "items": [PRODUCT]}),
    case("item-category-array", "submitProductFromPayload", "items[0].category",
         body={"items": [{**PRODUCT, "category": ["Beauty"]}]}),
    case("items-not-array", "submitInventory", "items", body={"items": "A-1"}),
    case("body-empty", "changeProductPrice", "items", body={}),
    shape("inventory-body-array", "submitInventory", [INVENTORY]),
    shape("relationship-body-text", "establishProductRelationships", "A-1"),
]


@pytest.mark.parametrize(("step_id", "field", "cfg", "body", "snapshot", "error"), STEP_CASES)
def test_bad_input_is_refused_naming_the_field_before_any_request(world, step_id, field, cfg, body, snapshot, error):
    before = world.sandbox.stats()
    run = world.run(step_id, {**world.cfg, **cfg}, snapshot=snapshot, body=body)
    assert len(run.errors) == 1, run.errors
    (err,) = run.errors
    assert type(err) is error, f"{type(err).__name__}: {err}"
    assert err.field == field and f"'{field}'" in str(err), str(err)
    assert "pydantic" not in str(err) and len(str(err)) < 1200, str(err)
    assert run.bodies == [] and run.snapshots == []
    assert world.sandbox.stats() == before and world.sandbox.feeds() == []


@pytest.mark.parametrize("start", ["9999-01-01T00:00:00Z", "2026-01-01T01:00:00Z"])
def test_a_start_time_in_amazons_future_is_refused_on_amazons_clock_with_nothing_listed(world, start):
    """Whether a start time is in the future is Amazon's call: one clock probe (it carries nothing of the
    input), then the error naming the field; no listing is sent. The world's Amazon time is 2026-01-01."""
    before = world.sandbox.stats()
    run = world.run("listOrders", {**world.cfg, "startTime": start})
    (err,) = run.errors
    assert type(err) is ConfigurationError and err.field == "startTime" and "in the future" in str(err)
    after = world.sandbox.stats()
    assert after["requests"] - before["requests"] <= 1 and "ListOrders" not in after["operations"]
    assert run.bodies == [] and run.snapshots == []


CREDENTIAL_CASES = [
    pytest.param("endpoint", "http:evil.com", id="endpoint-without-slashes"),
    pytest.param("endpoint", "http://host:99999", id="endpoint-port-too-big"),
    pytest.param("endpoint", "http://127.0.0.1:0", id="endpoint-port-zero"),
    pytest.param("endpoint", "http://[::1]:8080", id="endpoint-ipv6"),
    pytest.param("endpoint", "http://mws.example.com", id="endpoint-plain-http"),
    pytest.param("endpoint", "https://mws.example.com/Orders/2013-09-01", id="endpoint-with-path"),
    pytest.param("endpoint", "https://user:password@mws.example.com", id="endpoint-with-user"),
    pytest.param("endpoint", "ftp://mws.example.com", id="endpoint-ftp"),
    pytest.param("endpoint", "https://ｍws.example.com", id="endpoint-fullwidth-host"),
    pytest.param("endpoint", "http://999.0.0.1:8080", id="endpoint-bad-ipv4"),
    pytest.param("endpoint", 8080, id="endpoint-number"),
    pytest.param("sellerId", 5, id="seller-number"),
    pytest.param("sellerId", "Ａ1B2C3", id="seller-fullwidth"),
    pytest.param("sellerId", "A1 B2", id="seller-space"),
    pytest.param("accessKeyId", ["AKIA"], id="access-key-array"),
    pytest.param("accessKeyId", "A" * 300, id="access-key-300-chars"),
    pytest.param("secretKey", {"key": "x"}, id="secret-object"),
    pytest.param("secretKey", "with a space", id="secret-space"),
    pytest.param("marketplaceId", "NOPE", id="marketplace-unknown"),
    pytest.param("marketplaceId", 5, id="marketplace-number"),
    pytest.param("region", "XX", id="region-unknown"),
    pytest.param("region", 5, id="region-number"),
    pytest.param("mwsAuthToken", 7, id="token-number"),
]


@pytest.fixture
def verify_credentials(world):
    spec = importlib.util.spec_from_file_location("verifyCredentials", ROOT / "verifyCredentials.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def verify(creds):
        with override(clock=world.clock):
            return module.verify(creds)
    return verify


@pytest.mark.parametrize(("field", "value"), CREDENTIAL_CASES)
def test_bad_credentials_are_refused_naming_the_field_before_any_request(world, verify_credentials, field, value):
    before = world.sandbox.stats()
    creds = {**world.cfg, field: value}
    run = world.run("listOrders", creds)
    (err,) = run.errors
    assert type(err) is ConfigurationError and err.field == field and f"'{field}'" in str(err), str(err)
    result = verify_credentials(creds)
    assert result["verified"] is False and f"'{field}'" in result["reason"], result
    assert world.sandbox.credentials(world.url)["secretKey"] not in result["reason"]
    assert world.sandbox.stats() == before


def test_the_cases_cover_every_step_and_at_least_sixty_kinds():
    steps = {p.values[0] for p in STEP_CASES} | {"verifyCredentials"}
    assert len(STEP_CASES) + len(CREDENTIAL_CASES) >= 60
    assert steps == {"listOrders", "listOrderItems", "submitProduct", "submitProductFromPayload", "submitInventory",
                     "changeProductImage", "changeProductPrice", "establishProductRelationships",
                     "getFeedSubmissionStatus", "getFeedSubmissionResult", "verifyCredentials"}


# --- the forms that are accepted, so strictness does not refuse the platform's own values ----------------

@pytest.mark.parametrize(("raw", "ticked"), [
    (True, True), ("on", True), ("true", True), (False, False), ("false", False), ("", False), (None, False),
])
def test_a_checkbox_takes_exactly_the_platforms_forms(raw, ticked):
    assert fields.flag({"dryRun": raw}, "dryRun") is ticked
    assert fields.flag({}, "dryRun") is False


@pytest.mark.parametrize("raw", [True, "on", "true"])
def test_every_ticked_form_is_a_dry_run(world, raw):
    before = world.sandbox.stats()
    run = world.run("submitInventory", {**world.cfg, "dryRun": raw}, body=INVENTORY)
    assert run.errors == [] and run.bodies[0]["dryRun"] is True
    assert world.sandbox.stats() == before


@pytest.mark.parametrize("raw", [False, "false", "", None])
def test_every_unticked_form_submits(world, raw):
    sku = next(iter(world.sandbox.catalogue()))
    run = world.run("submitInventory", {**world.cfg, "dryRun": raw}, body={"sku": sku, "quantity": 2})
    assert run.errors == [] and run.bodies[0]["feedSubmissionId"]
    assert len(world.sandbox.feeds()) == 1


@pytest.mark.parametrize(("raw", "moment"), [
    ("2006-01-01", datetime(2006, 1, 1, tzinfo=timezone.utc)),
    ("2006-01-01T00:00:00Z", datetime(2006, 1, 1, tzinfo=timezone.utc)),
    ("2006-01-01T01:00:00+01:00", datetime(2006, 1, 1, tzinfo=timezone.utc)),
    (" 2024-01-31 10:00 ", datetime(2024, 1, 31, 10, tzinfo=timezone.utc)),
    ("2024-01-31T10:00:00.5-02:00", datetime(2024, 1, 31, 12, 0, 0, 500000, tzinfo=timezone.utc)),
])
def test_start_time_from_2006_on_is_read_as_utc(raw, moment):
    assert fields.timestamp(raw, "startTime") == moment


def test_the_earliest_start_is_stated_in_the_error():
    with pytest.raises(ConfigurationError, match="before 2006-01-01T00:00:00Z"):
        fields.timestamp("2005-12-31T23:59:59Z", "startTime")


def test_numbers_and_ids_in_their_accepted_forms(world):
    assert fields.integer({"n": 10}, "n", 100, 1, 100) == 10 and fields.integer({"n": " 10 "}, "n", 100, 1, 100) == 10
    assert fields.integer({"n": ""}, "n", 100, 1, 100) == 100
    assert fields.digit_id({"id": 50001018063}, "id", "x") == "50001018063"
    assert fields.order_id({"amazonOrderId": f" {ORDER} "}) == ORDER
    assert fields.feed_type({"feedType": " _POST_FLAT_FILE_LISTINGS_DATA_ "}) == "_POST_FLAT_FILE_LISTINGS_DATA_"
    assert fields.feed_type({"feedType": ""}) is None
    run = world.run("listOrders", {**world.cfg, "maxResultsPerPage": 50, "orderStatus": ["Shipped"],
                                   "startTime": "2025-12-31T00:00:00Z"})
    assert run.errors == []


def test_a_feed_id_may_be_mapped_as_a_number_and_filtered_by_any_documented_feed_type(world):
    sku = next(iter(world.sandbox.catalogue()))
    out = world.run("submitInventory", world.cfg, body={"sku": sku, "quantity": 2}).bodies[0]
    status = world.run("getFeedSubmissionStatus", world.cfg,
                       body={"feedSubmissionId": int(out["feedSubmissionId"]), "feedType": out["feedType"]})
    assert status.errors == [] and status.bodies[0]["feedSubmissionId"] == out["feedSubmissionId"]


def test_the_feed_type_table_matches_the_sandboxs():
    from mws_sandbox.feedtypes import FEED_TYPES

    assert frozenset(FEED_TYPES) == fields.FEED_TYPES


@pytest.mark.parametrize("url", ["http://127.0.0.1:8123", "http://localhost:8123/", "https://mws.amazonservices.com",
                                 "mws-eu.amazonservices.com", "HTTPS://MWS.AmazonServices.com:443"])
def test_endpoints_of_the_accepted_form(url):
    from mws_component.lib.mws.regions import parse_endpoint

    endpoint = parse_endpoint(url)
    assert endpoint.scheme in ("http", "https") and endpoint.host == endpoint.host.lower()


def test_a_corrupt_snapshot_says_how_to_go_on_and_a_new_start_time_recovers(world):
    snapshot = {**GOOD_STATE, "windowSeconds": -5}
    (err,) = world.run("listOrders", world.cfg, snapshot=snapshot).errors
    assert "set Start time to 2025-12-01T00:00:00Z" in str(err) and "reset the step's snapshot" in str(err)
    run = world.run("listOrders", {**world.cfg, "startTime": "2025-12-01T00:00:00Z"}, snapshot=snapshot)
    assert run.errors == [] and run.snapshot["windowSeconds"] > 0
