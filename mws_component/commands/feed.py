"""``mws-component feed``: build and validate a feed from JSON items, without sending anything.

``feed build KIND --input FILE`` (one item, an array of items, or ``{"items": [...]}``) prints the feed XML to stdout (a one-line summary with the
ContentMD5Value goes to stderr), or every problem and exit status 1. ``feed schema KIND`` prints the
item schema the mapper shows; ``feed categories`` lists the product categories.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HELP = "build and validate a feed (XML) from JSON items without sending it"
EXAMPLE_MERCHANT = "EXAMPLE_SELLER_ID"
UNREADABLE = object()  # --input could not be read or parsed (already said why on stderr)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="action", required=True, metavar="{build,schema,categories}")
    build = commands.add_parser("build", help="print the feed XML built from JSON items")
    build.add_argument("kind", help="inventory | price | image | relationship | product | override")
    build.add_argument("--input", required=True, metavar="FILE",
                       help='JSON file (\'-\' = stdin): one item, an array of items, or {"items": [...]} as '
                            "for `run --body`")
    build.add_argument("--category", help="product category display name, e.g. 'Camera & Photo' (product only)")
    build.add_argument("--operation", default="Update", help="Update (default) | Delete | PartialUpdate")
    build.add_argument(
        "--merchant", default=EXAMPLE_MERCHANT, help=f"seller id for MerchantIdentifier (default {EXAMPLE_MERCHANT})"
    )
    schema = commands.add_parser("schema", help="print the JSON schema of one item of a feed kind")
    schema.add_argument("kind", help="inventory | price | image | relationship | product | override")
    schema.add_argument("--category", help="for product: only this category's productData")
    commands.add_parser("categories", help="list the product category display names and their XSD elements")


def run(args: argparse.Namespace) -> int:
    from mws_component.lib.feeds import FeedValidationError

    try:
        if args.action == "build":
            return _build(args)
        if args.action == "schema":
            return _schema(args)
        return _categories()
    except FeedValidationError as error:
        print(f"mws-component feed: {error.describe(nothing_sent=False)}", file=sys.stderr)  # builds only
        return 1
    except BrokenPipeError:  # `mws-component feed schema product | head`
        sys.stderr.close()
        return 0


def _build(args: argparse.Namespace) -> int:
    from mws_component.lib.feeds import build_feed

    items = _items_of(_read_items(args.input), args.input)
    if items is UNREADABLE:
        return 1
    with build_feed(args.kind, items, merchant_id=args.merchant, operation=args.operation,
                    category=args.category) as feed:
        shutil.copyfileobj(feed.open(), sys.stdout.buffer)  # from the spool: a big feed is never held whole
        sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        print(f"{feed.feed_type}: {feed.message_count} message(s), {feed.size:,} bytes, "
              f"ContentMD5Value {feed.content_md5}", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from mws_component.lib.feeds import category_schema, feed_kind, item_schema

    product = feed_kind(args.kind).name == "product"
    schema = category_schema(args.category) if args.category and product else item_schema(args.kind)
    if args.category and not product:
        print(f"mws-component feed: --category applies to product only; ignored for {args.kind}", file=sys.stderr)
    print(json.dumps(schema, indent=2))
    return 0


def _categories() -> int:
    from mws_component.lib.feeds import categories

    for name, elements in categories().items():
        print(f"{name}\t{', '.join(elements)}")
    return 0


def _items_of(document: object, source: str) -> object:
    """The items of ``document``: a ``{"items": [...]}`` body (as ``run --body`` takes), else as is."""
    if document is not UNREADABLE and isinstance(document, dict) and "items" in document:
        if not isinstance(document["items"], list):
            kind = type(document["items"]).__name__
            print(f"mws-component feed: --input {source}: 'items' must be an array of items, got {kind}",
                  file=sys.stderr)
            return UNREADABLE
        return document["items"]
    return document


def _read_items(source: str) -> object:
    """The parsed JSON of ``source``; ``UNREADABLE`` (after saying why on stderr) if it cannot be read."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        return json.loads(text)
    except OSError as error:
        print(f"mws-component feed: cannot read --input {source}: {error.strerror or error}", file=sys.stderr)
    except UnicodeDecodeError:
        print(f"mws-component feed: --input {source} is not UTF-8 text", file=sys.stderr)
    except json.JSONDecodeError as error:
        print(
            f"mws-component feed: --input {source} is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
            file=sys.stderr,
        )
    return UNREADABLE
