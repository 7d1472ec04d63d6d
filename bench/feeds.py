"""feed_build_100k: our validating feed builder against building the same XML with plain lxml.

Each side runs in a fresh process (``python -m bench.feeds ours|lxml N``), so each reports its own
peak RSS; both get the same 100,000 inventory items (SKU, Quantity, RestockDate on every tenth,
FulfillmentLatency) made in that process before the clock starts. Ours is ``build_feed`` (every
field checked against the XSD rules, streamed through ``etree.xmlfile``, Content-MD5 included);
the baseline builds the whole tree with ``SubElement``, ``tostring`` and MD5, no checks. The
baseline writes the same whitespace, so both must produce the same bytes: the MD5s are compared.
Sides alternate over ``repeats`` runs and the fastest of each counts (timeit's rule: the minimum
is the run least disturbed by the machine).
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from .rss import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
MERCHANT = "A1B2C3D4E5F6G7"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CHILD_TIMEOUT = 600.0


def make_items(n: int) -> list[dict]:
    """``n`` valid inventory items, the same for both sides."""
    items = []
    for i in range(n):
        item = {"sku": f"BENCH-SKU-{i:07d}", "quantity": i % 250}
        if i % 10 == 0:
            item["restockDate"] = f"2026-02-{i % 28 + 1:02d}"
        item["fulfillmentLatency"] = 1 + i % 5
        items.append(item)
    return items


def build_ours(items: list[dict]) -> tuple[bytes, str]:
    from mws_component.lib.feeds import build_feed

    feed = build_feed("inventory", items, merchant_id=MERCHANT, operation="Update")
    return feed.xml, feed.content_md5


def build_lxml(items: list[dict]) -> tuple[bytes, str]:
    """The same envelope with lxml's tree API and nothing else: no checks, whole tree in memory."""
    from lxml import etree

    root = etree.Element("AmazonEnvelope", {f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"},
                         nsmap={"xsi": XSI})
    root.text = "\n"
    header = etree.SubElement(root, "Header")
    etree.SubElement(header, "DocumentVersion").text = "1.01"
    etree.SubElement(header, "MerchantIdentifier").text = MERCHANT
    header.tail = "\n"
    kind = etree.SubElement(root, "MessageType")
    kind.text, kind.tail = "Inventory", "\n"
    for index, item in enumerate(items, start=1):
        message = etree.SubElement(root, "Message")
        message.tail = "\n"
        etree.SubElement(message, "MessageID").text = str(index)
        etree.SubElement(message, "OperationType").text = "Update"
        inventory = etree.SubElement(message, "Inventory")
        for key, tag in (("sku", "SKU"), ("quantity", "Quantity"), ("restockDate", "RestockDate"),
                         ("fulfillmentLatency", "FulfillmentLatency")):
            if key in item:
                etree.SubElement(inventory, tag).text = str(item[key])
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return xml, base64.b64encode(hashlib.md5(xml).digest()).decode("ascii")


BUILDERS = {"ours": build_ours, "lxml": build_lxml}



def measure(side: str, n: int) -> dict:
    """In this process: make the items, then time one build (imports done beforehand)."""
    build = BUILDERS[side]
    build(make_items(1))  # import and load rules before timing
    items = make_items(n)
    before = peak_rss_mb()
    began = time.perf_counter()
    xml, md5 = build(items)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "bytes": len(xml), "md5": md5, "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}


def _child(side: str, n: int) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.feeds", side, str(n)], stdout=subprocess.PIPE, text=True,
                          cwd=ROOT, timeout=CHILD_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {side} feed build process exited with {done.returncode}; its stderr is above")
    return json.loads(done.stdout)


def run(items: int, repeats: int) -> dict:
    """Both sides ``repeats`` times each, alternating; the fastest run of each and the largest peak."""
    from .world import progress

    progress(f"feed_build_100k: {items} inventory items, ours vs plain lxml, {repeats} run(s) each")
    runs: dict[str, list[dict]] = {"ours": [], "lxml": []}
    for _ in range(repeats):
        for side in runs:
            runs[side].append(_child(side, items))
    ours, base = (min(r["seconds"] for r in runs[s]) for s in ("ours", "lxml"))
    md5s = {r["md5"] for side in runs.values() for r in side}
    result = {
        "items": items, "repeats": repeats, "seconds": round(ours, 3), "lxml_baseline_seconds": round(base, 3),
        "ratio": round(ours / base, 2), "feed_bytes": runs["ours"][0]["bytes"], "same_bytes": len(md5s) == 1,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs["ours"]),
        "lxml_baseline_peak_rss_mb": max(r["peak_rss_mb"] for r in runs["lxml"]),
        "rss_before_build_mb": max(r["rss_before_mb"] for r in runs["ours"]),
    }
    progress(f"feed_build_100k: ours {result['seconds']}s vs lxml {result['lxml_baseline_seconds']}s "
             f"(ratio {result['ratio']}), peak RSS {result['peak_rss_mb']} vs {result['lxml_baseline_peak_rss_mb']} MB")
    return result


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in BUILDERS or not sys.argv[2].isdigit():
        sys.exit(f"usage: python -m bench.feeds {{{'|'.join(BUILDERS)}}} ITEMS")
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
