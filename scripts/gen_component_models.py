"""Writes what component.json and schemas/ derive from tables kept elsewhere.

- The marketplace and region select models, from lib/mws/data/marketplaces.json: a SelectView in
  credentials must carry an inline object model (the platform cannot call code to fill it), yet the
  marketplace table must live in one place.
- The feed actions' in-metadata (schemas/*.in.json), from the rules lib/feeds generates from Amazon's
  XSDs, so the mapper shows exactly the fields, enumerations and arrays the validator accepts; for
  Delete (``*.delete.in.json``) only the fields the XSD requires, all Amazon needs to name what to remove.
- ``docsUrl`` and each step's ``help.link``, from ``DOCS_URL`` and the README heading documenting the
  step (``HELP_SECTIONS``), as a GitHub heading anchor.
- Each field's ``order`` (the platform renders higher first), from the order fields are written in.

Run after changing either; ``--check`` exits 1 when anything is out of date (tests check the same).

    python scripts/gen_component_models.py [--check] [--component PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "lib" / "mws" / "data" / "marketplaces.json"
# There is no public address for this component's documentation: it is the README at the root of the
# component's own repository (next to component.json), so links are relative to it. Set a full URL
# here (e.g. the repository's README page) once one exists, and run this script.
DOCS_URL = "README.md"
HELP_SECTIONS = {  # step id -> the README heading documenting it
    "listOrders": "List Orders (`listOrders`, polling)",
    "listOrderItems": "List Order Items (`listOrderItems`)",
    "submitProduct": "Feed actions: common behaviour",
    "submitProductFromPayload": "Feed actions: common behaviour",
    "submitInventory": "Feed actions: common behaviour",
    "changeProductImage": "Feed actions: common behaviour",
    "changeProductPrice": "Feed actions: common behaviour",
    "establishProductRelationships": "Feed actions: common behaviour",
    "getFeedSubmissionStatus": "Get Feed Submission Status (`getFeedSubmissionStatus`)",
    "getFeedSubmissionResult": "Get Feed Submission Result (`getFeedSubmissionResult`)",
    "getOrder": "Get Order (`getOrder`)",
    "listFinancialEvents": "List Financial Events (`listFinancialEvents`, polling)",
    "listProducts": "List Products (`listProducts`, polling)",
    "confirmShipment": "Confirm Shipment (`confirmShipment`)",
    "acknowledgeOrder": "Acknowledge Order (`acknowledgeOrder`)",
}


def _table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def marketplace_model(table: dict | None = None) -> dict[str, str]:
    """``{"ATVPDKIKX0DER": "Amazon.com (US)", ...}`` in table order."""
    table = table or _table()
    return {m["id"]: f"{m['name']} ({m['country']})" for m in table["marketplaces"]}


def region_model(table: dict | None = None) -> dict[str, str]:
    """``{"NA": "North America (NA)", ...}`` in table order."""
    table = table or _table()
    return {key: f"{region['title']} ({key})" for key, region in table["regions"].items()}


def with_models(manifest: dict) -> dict:
    """A copy of ``manifest`` whose marketplaceId and region fields carry the current models."""
    updated = json.loads(json.dumps(manifest))
    fields = updated["credentials"]["fields"]
    fields["marketplaceId"]["model"] = marketplace_model()
    fields["region"]["model"] = region_model()
    return updated


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lowercase, punctuation dropped, spaces to ``-``."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def derived(manifest: dict) -> dict:
    """A copy of ``manifest`` with every generated part current: models, docs links, field order."""
    updated = with_models(manifest)
    updated["docsUrl"] = DOCS_URL
    for group in ("credentials", "triggers", "actions"):
        steps = {"": updated[group]} if group == "credentials" else updated.get(group, {})
        for step_id, step in steps.items():
            if step_id:
                help_ = step.setdefault("help", {})
                help_.setdefault("description", step.get("description", ""))
                help_["link"] = f"{DOCS_URL}#{github_anchor(HELP_SECTIONS[step_id])}"
            fields = step.get("fields", {})
            for index, field in enumerate(fields.values()):
                field["order"] = len(fields) - index
    return updated


FEED_INPUTS = {
    "submit_inventory.in.json": "inventory",
    "change_product_price.in.json": "price",
    "change_product_image.in.json": "image",
    "establish_product_relationships.in.json": "relationship",
}
DELETE_INPUTS = {  # Delete names what to remove: only the elements the XSD requires
    "change_product_image.delete.in.json": "image",
    "establish_product_relationships.delete.in.json": "relationship",
}


def feed_inputs() -> dict[str, dict]:
    """``{schema file name: in-metadata}`` for the feed actions whose fields are known statically."""
    sys.path.insert(0, str(ROOT))
    from mws_component.lib.feeds import item_schema
    from mws_component.lib.submission import input_schema

    inputs = {name: input_schema(item_schema(kind)) for name, kind in FEED_INPUTS.items()}
    for name, kind in DELETE_INPUTS.items():
        item = required_only(item_schema(kind))
        item["title"] = f"{item['title']} (Delete)"
        inputs[name] = input_schema(item)
    return inputs


def required_only(schema: dict) -> dict:
    """``schema`` with only its required properties, at every level (arrays' items included)."""
    pruned = dict(schema)
    if "properties" in schema:
        pruned["properties"] = {k: required_only(v) for k, v in schema["properties"].items() if v.get("required")}
    if isinstance(schema.get("items"), dict):
        pruned["items"] = required_only(schema["items"])
    return pruned


def render(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if component.json is out of date")
    parser.add_argument("--component", type=Path, default=ROOT / "component.json")
    args = parser.parse_args(argv)
    current = args.component.read_text(encoding="utf-8")
    targets = {args.component: render(derived(json.loads(current)))}
    targets |= {args.component.parent / "schemas" / name: render(schema) for name, schema in feed_inputs().items()}
    stale = [path for path, text in targets.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if not stale:
        print("component.json models and feed schemas are up to date")
        return 0
    if args.check:
        print(f"out of date: {', '.join(p.name for p in stale)}; run {Path(__file__).name}", file=sys.stderr)
        return 1
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(targets[path], encoding="utf-8")
        print(f"{path}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
