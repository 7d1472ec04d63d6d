"""component.json is complete for the flow builder: help links into the README, field order, logo,
the seller's own marketplaces as a select, and Delete for images and relationships end to end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from eiosdk.service import get_meta_model, select_model
from PIL import Image

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.triggers.list_orders import query_from
from tests.actions.test_feed_actions import skus, submit_and_follow
from tests.conftest import COMPONENT

REPO = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((REPO / "component.json").read_text(encoding="utf-8"))
STEPS = {**MANIFEST["triggers"], **MANIFEST["actions"]}
US_NEIGHBOURS = {"A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC"}  # the sandbox seller's other marketplaces


def github_anchors(markdown: str) -> set[str]:
    """Anchors GitHub makes for the headings: lowercase, punctuation dropped, each space a hyphen."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_docs_url_is_this_components_readme_not_amazons_guide():
    assert MANIFEST["docsUrl"] == "README.md" and (REPO / "README.md").is_file()


@pytest.mark.parametrize("step_id", list(STEPS))
def test_every_step_has_help_linking_to_a_readme_heading(step_id):
    help_ = STEPS[step_id]["help"]
    assert set(help_) == {"description", "link"} and help_["description"].strip()
    page, _, anchor = help_["link"].partition("#")
    assert page == MANIFEST["docsUrl"] and anchor
    assert anchor in github_anchors((REPO / page).read_text(encoding="utf-8")), f"no README heading for #{anchor}"


def test_anchor_rule_matches_githubs():
    assert github_anchors("### List Orders (`listOrders`, polling)\n## Feed actions: common behaviour\n") == {
        "list-orders-listorders-polling", "feed-actions-common-behaviour"}


def test_fields_render_in_the_order_they_are_written():
    groups = {"credentials": MANIFEST["credentials"]["fields"]} | {k: s.get("fields", {}) for k, s in STEPS.items()}
    for name, fields in groups.items():
        orders = [f["order"] for f in fields.values()]
        assert all(isinstance(o, int) for o in orders), name
        assert orders == sorted(orders, reverse=True) and len(set(orders)) == len(orders), name


def test_logo_is_a_square_png_of_a_sensible_size():
    path = REPO / "logo.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size < 100_000
    with Image.open(path) as logo:
        logo.verify()
    with Image.open(path) as logo:
        assert logo.format == "PNG" and logo.size[0] == logo.size[1] >= 128


# -- the seller's own marketplaces --------------------------------------------------------------
def test_marketplace_ids_is_a_multiselect_filled_by_get_marketplaces():
    field = MANIFEST["triggers"]["listOrders"]["fields"]["marketplaceIds"]
    assert (field["viewClass"], field["model"]) == ("MultiSelectView", "getMarketplaces")


def test_get_marketplaces_lists_the_sellers_other_retail_marketplaces(world):
    model = select_model(COMPONENT, "listOrders", "getMarketplaces", world.cfg)
    assert set(model) == US_NEIGHBOURS  # not the credential's own (ATVPDKIKX0DER), not the non-retail IBA
    assert model["A2EUQ1WTGCTBG2"] == "Amazon.ca (A2EUQ1WTGCTBG2)"
    cfg = {**world.cfg, "marketplaceIds": list(model)}  # what the multi-select sends
    assert query_from(cfg).marketplace_ids[1:] == list(model)


def test_get_marketplaces_through_the_cli_service_call(world, tmp_path):
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps(world.cfg), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mws_component.cli", "exec", "getMarketplaces", "listOrders",
                           "--credentials", str(creds)], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == "success" and set(answer["data"]) == US_NEIGHBOURS


@pytest.mark.parametrize("value", ["A2EUQ1WTGCTBG2, A1AM78C64UM0Y8", ["A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"]])
def test_existing_comma_separated_and_new_list_forms_both_work(world, value):
    query = query_from({**world.cfg, "marketplaceIds": value})
    assert query.marketplace_ids == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"]


# -- Delete for images and relationships --------------------------------------------------------
@pytest.mark.parametrize(("step_id", "update", "delete"), [
    ("changeProductImage", {"sku", "imageType", "imageLocation"}, {"sku", "imageType"}),
    ("establishProductRelationships", {"parentSku", "relation"}, {"parentSku", "relation"}),
])
def test_metadata_follows_the_operation(step_id, update, delete):
    assert MANIFEST["actions"][step_id]["dynamicMetadata"] is True
    assert list(MANIFEST["actions"][step_id]["fields"]["operation"]["model"]) == ["Upsert", "Delete"]
    for operation, wanted in (("", update), ("Upsert", update), ("Update", update), ("Delete", delete)):
        meta = get_meta_model(COMPONENT, step_id, {"operation": operation})
        props = meta["in"]["properties"]
        assert set(props) - {"items"} >= wanted and set(props["items"]["items"]["properties"]) >= wanted
        if operation == "Delete":
            assert set(props) - {"items"} == wanted
        assert meta["out"]["properties"]["feedSubmissionId"]
    relation = get_meta_model(COMPONENT, "establishProductRelationships", {"operation": "Delete"})["in"]
    assert set(relation["properties"]["relation"]["items"]["properties"]) == {"sku", "type"}


@pytest.mark.parametrize("step_id", ["changeProductImage", "establishProductRelationships"])
def test_partial_update_is_refused_for_these_feeds(world, step_id):
    run = world.run(step_id, {**world.cfg, "operation": "PartialUpdate"}, body={"sku": "A"})
    assert len(run.errors) == 1 and isinstance(run.errors[0], ConfigurationError)
    assert "operation" in str(run.errors[0]) and world.sandbox.feeds() == []


def test_image_delete_goes_through_and_removes_the_image(world):
    (a,) = skus(world, 1)
    submit_and_follow(world, "changeProductImage",
                      {"sku": a, "imageType": "PT1", "imageLocation": "https://example.com/a-pt1.jpg"})
    assert "PT1" in world.sandbox.catalogue()[a]["images"]
    out, report = submit_and_follow(world, "changeProductImage", {"sku": a, "imageType": "PT1"},
                                    {"operation": "Delete"})
    assert out["feedType"] == "_POST_PRODUCT_IMAGE_DATA_" and report["summary"]["messagesSuccessful"] == 1
    assert report["results"] == [] and "PT1" not in world.sandbox.catalogue()[a]["images"]
    (feed,) = [f for f in world.sandbox.feeds() if f["feedSubmissionId"] == out["feedSubmissionId"]]
    assert "<OperationType>Delete</OperationType>" in feed["content"]


def test_relationship_delete_goes_through_and_unlinks_the_child(world):
    a, b, c = skus(world, 3)
    submit_and_follow(world, "establishProductRelationships",
                      {"parentSku": a, "relation": [{"sku": b, "type": "Variation"}, {"sku": c, "type": "Variation"}]})
    out, report = submit_and_follow(world, "establishProductRelationships",
                                    {"parentSku": a, "relation": [{"sku": b, "type": "Variation"}]},
                                    {"operation": "Delete"})
    assert report["summary"]["messagesSuccessful"] == 1 and report["results"] == []
    children = world.sandbox.catalogue()[a]["children"]
    assert b not in children and c in children
