"""feed_build_100k and feed_build_1m: our validating feed builder against streaming plain lxml into MD5.

Each side runs in a fresh process (``python -m bench.feeds ours|lxml N``), so each reports its own
peak RSS. Both get the same inventory items (SKU, Quantity, RestockDate on every tenth,
FulfillmentLatency): for 100,000 a list made in that process before the clock starts, for
1,000,000 a generator (``--generator``) that makes each item as it is read, so neither side ever
holds them all. Ours is ``build_feed`` (every field checked against the XSD rules and processing
rules, the text spooled to a temporary file and hashed as it is written, Content-MD5 included).
The baseline is the fair minimum for the same job: the same envelope written element by element
with ``lxml.etree.xmlfile`` (no checks) into a writer that feeds MD5 and counts bytes without
keeping them. Both must produce the same bytes: same MD5 and same length, asserted
(``same_bytes``); a mismatch stops the benchmark. Sides alternate (``stats.alternate``) and every
figure is the median of its runs with its spread.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .rss import peak_rss_mb
from .stats import MIN_REPEATS, alternate, figure, ratio

ROOT = Path(__file__).resolve().parents[1]
MERCHANT = "A1B2C3D4E5F6G7"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CHILD_TIMEOUT = 600.0


def make_item(i: int) -> dict:
    """Inventory item ``i``, the same for both sides."""
    item: dict = {"sku": f"BENCH-SKU-{i:07d}", "quantity": i % 250}
    if i % 10 == 0:
        item["restockDate"] = f"2026-02-{i % 28 + 1:02d}"
    item["fulfillmentLatency"] = 1 + i % 5
    return item


def make_items(n: int) -> list[dict]:
    """``n`` valid inventory items, made up front."""
    return [make_item(i) for i in range(n)]


def generate_items(n: int) -> Iterator[dict]:
    """``n`` valid inventory items, each made when it is read."""
    return (make_item(i) for i in range(n))


def build_ours(items: Iterable[dict]) -> tuple[int, str]:
    """``build_feed``: (bytes, Content-MD5); the spooled feed is deleted on the way out."""
    from mws_component.lib.feeds import build_feed

    with build_feed("inventory", items, merchant_id=MERCHANT, operation="Update") as feed:
        return feed.size, feed.content_md5


class Md5Writer:
    """A file-like sink for ``xmlfile``: hashes and counts what it is given, keeps nothing."""

    def __init__(self) -> None:
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0

    def write(self, data: bytes) -> None:
        self.md5.update(data)
        self.size += len(data)


FIELDS = (("sku", "SKU"), ("quantity", "Quantity"), ("restockDate", "RestockDate"),
          ("fulfillmentLatency", "FulfillmentLatency"))


def build_lxml(items: Iterable[dict]) -> tuple[int, str]:
    """The same envelope streamed with ``lxml.etree.xmlfile`` element by element: no checks, no tree."""
    from lxml import etree

    out = Md5Writer()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("AmazonEnvelope", {f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"},
                        nsmap={"xsi": XSI}):
            xf.write("\n")
            with xf.element("Header"):
                with xf.element("DocumentVersion"):
                    xf.write("1.01")
                with xf.element("MerchantIdentifier"):
                    xf.write(MERCHANT)
            xf.write("\n")
            with xf.element("MessageType"):
                xf.write("Inventory")
            xf.write("\n")
            for index, item in enumerate(items, start=1):
                with xf.element("Message"):
                    with xf.element("MessageID"):
                        xf.write(str(index))
                    with xf.element("OperationType"):
                        xf.write("Update")
                    with xf.element("Inventory"):
                        for key, tag in FIELDS:
                            if key in item:
                                with xf.element(tag):
                                    xf.write(str(item[key]))
                xf.write("\n")
    return out.size, base64.b64encode(out.md5.digest()).decode("ascii")


BUILDERS = {"ours": build_ours, "lxml": build_lxml}


def measure(side: str, n: int, generator: bool = False) -> dict:
    """In this process: make the items (or their generator), then time one build (imports done before)."""
    build = BUILDERS[side]
    build(make_items(1))  # import and load rules before timing
    items = generate_items(n) if generator else make_items(n)
    before = peak_rss_mb()
    began = time.perf_counter()
    size, md5 = build(items)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "bytes": size, "md5": md5, "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}


def _child(side: str, n: int, generator: bool = False) -> dict:
    command = [sys.executable, "-m", "bench.feeds", side, str(n), *(["--generator"] if generator else [])]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=ROOT, timeout=CHILD_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {side} feed build process exited with {done.returncode}; its stderr is above")
    return json.loads(done.stdout)


def same_bytes(ours: list[dict], base: list[dict]) -> bool:
    """Every run of both sides wrote the same bytes (MD5 and length); raise if not: the race is void."""
    seen = {(r["md5"], r["bytes"]) for r in (*ours, *base)}
    if len(seen) != 1:
        raise AssertionError(f"the feed builds differ (MD5, bytes): {sorted(seen)}; the comparison is void")
    return True


def _compared(items: int, repeats: int, ours: list[dict], base: list[dict]) -> dict:
    """What both feed benchmarks report of the two sides' runs: medians, the same bytes, their spread."""
    return {
        "items": items, "repeats": repeats,
        "seconds": figure(ours, "seconds")["median"],
        "lxml_baseline_seconds": figure(base, "seconds")["median"],
        "ratio": ratio(ours, base, "seconds")["median"],
        "feed_bytes": ours[0]["bytes"], "same_bytes": same_bytes(ours, base),
        "spread": {"seconds": figure(ours, "seconds"), "peak_rss_mb": figure(ours, "peak_rss_mb", 1)},
    }


def run(items: int, repeats: int) -> dict:
    """Both sides ``repeats`` times each (at least 3 for a full run), alternating; medians and spread."""
    from .world import progress

    progress(f"feed_build_100k: {items} inventory items, ours vs streaming lxml, {repeats} run(s) each")
    runs = alternate({"ours": lambda: _child("ours", items), "lxml": lambda: _child("lxml", items)}, repeats)
    ours, base = runs["ours"], runs["lxml"]
    result = {
        **_compared(items, repeats, ours, base),
        "peak_rss_mb": figure(ours, "peak_rss_mb", 1)["median"],
        "lxml_baseline_peak_rss_mb": figure(base, "peak_rss_mb", 1)["median"],
        "rss_before_build_mb": figure(ours, "rss_before_mb", 1)["median"],
    }
    result["spread"] |= {"lxml_baseline_seconds": figure(base, "seconds"), "ratio": ratio(ours, base, "seconds")}
    if repeats < MIN_REPEATS:
        result["note"] = f"{repeats} run(s) per side: fewer than {MIN_REPEATS}, the spread says little"
    progress(f"feed_build_100k: ours {result['seconds']}s vs lxml {result['lxml_baseline_seconds']}s "
             f"(ratio {result['ratio']}), peak RSS {result['peak_rss_mb']} vs {result['lxml_baseline_peak_rss_mb']} MB")
    return result


def run_million(items: int = 1_000_000, repeats: int = 1) -> dict:
    """A feed too big for memory: ``items`` made by a generator in a fresh child; peak RSS (VmHWM) of it.

    The streaming-lxml baseline runs on the same generator, in its own child, for ``same_bytes``
    and a ratio at this size.
    """
    from .world import progress

    progress(f"feed_build_1m: {items} inventory items from a generator, ours vs streaming lxml, {repeats} run(s)")
    runs = alternate({"ours": lambda: _child("ours", items, generator=True),
                      "lxml": lambda: _child("lxml", items, generator=True)}, repeats)
    ours, base = runs["ours"], runs["lxml"]
    result = {
        **_compared(items, repeats, ours, base),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in ours),  # the worst run: this figure is a ceiling
        "lxml_baseline_peak_rss_mb": max(r["peak_rss_mb"] for r in base),
    }
    progress(f"feed_build_1m: ours {result['seconds']}s, peak RSS {result['peak_rss_mb']} MB "
             f"({result['feed_bytes']} bytes); streaming lxml {result['lxml_baseline_seconds']}s")
    return result


if __name__ == "__main__":
    args = sys.argv[1:]
    lazy = "--generator" in args
    args = [a for a in args if a != "--generator"]
    if len(args) != 2 or args[0] not in BUILDERS or not args[1].isdigit():
        sys.exit(f"usage: python -m bench.feeds {{{'|'.join(BUILDERS)}}} ITEMS [--generator]")
    print(json.dumps(measure(args[0], int(args[1]), lazy)))
