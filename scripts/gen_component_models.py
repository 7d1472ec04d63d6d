"""Writes what component.json and schemas/ derive from tables kept elsewhere.

- The marketplace and region select models, from lib/mws/data/marketplaces.json: a SelectView in
  credentials must carry an inline object model (the platform cannot call code to fill it), yet the
  marketplace table must live in one place.
- The feed actions' in-metadata (schemas/*.in.json), from the rules lib/feeds generates from Amazon's
  XSDs, so the mapper shows exactly the fields, enumerations and arrays the validator accepts.

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


FEED_INPUTS = {
    "submit_inventory.in.json": "inventory",
    "change_product_price.in.json": "price",
    "change_product_image.in.json": "image",
    "establish_product_relationships.in.json": "relationship",
}


def feed_inputs() -> dict[str, dict]:
    """``{schema file name: in-metadata}`` for the feed actions whose fields are known statically."""
    sys.path.insert(0, str(ROOT))
    from lib.feeds import item_schema
    from lib.submission import input_schema

    return {name: input_schema(item_schema(kind)) for name, kind in FEED_INPUTS.items()}


def render(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if component.json is out of date")
    parser.add_argument("--component", type=Path, default=ROOT / "component.json")
    args = parser.parse_args(argv)
    current = args.component.read_text(encoding="utf-8")
    targets = {args.component: render(with_models(json.loads(current)))}
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
