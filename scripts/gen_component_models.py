"""Writes the marketplace and region select models of component.json from lib/mws/data/marketplaces.json.

Why generated: a SelectView in credentials must carry an inline object model (the platform cannot
call code to fill it), yet the marketplace table must live in one place. Run after changing the
table; ``--check`` exits 1 when component.json is out of date (tests/sdk check the same thing).

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


def render(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if component.json is out of date")
    parser.add_argument("--component", type=Path, default=ROOT / "component.json")
    args = parser.parse_args(argv)
    current = args.component.read_text(encoding="utf-8")
    wanted = render(with_models(json.loads(current)))
    if current == wanted:
        print(f"{args.component}: models up to date")
        return 0
    if args.check:
        print(f"{args.component}: marketplace/region models are out of date; run {Path(__file__).name}",
              file=sys.stderr)
        return 1
    args.component.write_text(wanted, encoding="utf-8")
    print(f"{args.component}: models written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
