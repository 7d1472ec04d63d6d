"""Cheap validation for simple kinds: time close to plain lxml, and memory that does not grow with a tree.

The full benchmark (100,000 and 1,000,000 items) lives with the benchmark suite (``bench/feeds.py``);
these are the guard rails: a ratio at most 3 against building the same document with bare lxml (we
measure about 0.5 since messages are written as checked text), and a peak memory far below what
holding the whole tree would take.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

from mws_component.lib.feeds import build_feed

REPO = Path(__file__).resolve().parents[2]
COUNT = 20_000


def _items(count: int) -> list[dict]:
    return [{"sku": f"SKU-{i:06d}", "quantity": i % 50, "fulfillmentLatency": 2} for i in range(count)]


def _plain_lxml(items: list[dict]) -> bytes:
    """The same envelope with no validation at all: the baseline."""
    root = etree.Element("AmazonEnvelope")
    header = etree.SubElement(root, "Header")
    etree.SubElement(header, "DocumentVersion").text = "1.01"
    etree.SubElement(header, "MerchantIdentifier").text = "M"
    etree.SubElement(root, "MessageType").text = "Inventory"
    for number, item in enumerate(items, 1):
        message = etree.SubElement(root, "Message")
        etree.SubElement(message, "MessageID").text = str(number)
        etree.SubElement(message, "OperationType").text = "Update"
        inventory = etree.SubElement(message, "Inventory")
        etree.SubElement(inventory, "SKU").text = item["sku"]
        etree.SubElement(inventory, "Quantity").text = str(item["quantity"])
        etree.SubElement(inventory, "FulfillmentLatency").text = str(item["fulfillmentLatency"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_inventory_build_is_within_three_times_plain_lxml():
    items = _items(COUNT)
    build_feed("inventory", items[:10], merchant_id="M")  # rules compiled outside the timing
    ours = _best_of(3, lambda: build_feed("inventory", items, merchant_id="M"))
    plain = _best_of(3, lambda: _plain_lxml(items))
    assert ours / plain <= 3.0, f"validated build {ours:.3f}s vs plain lxml {plain:.3f}s"


MEASURE = """
import resource, sys
sys.path.insert(0, sys.argv[1])
from mws_component.lib.feeds import build_feed
items = [{"sku": f"SKU-{i:06d}", "quantity": i % 50} for i in range(int(sys.argv[2]))]
build_feed("inventory", items[:10], merchant_id="M")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
feed = build_feed("inventory", items, merchant_id="M")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(after - before, len(feed.xml))
"""


def test_peak_memory_is_the_output_not_a_tree():
    """50,000 messages: a whole lxml tree costs ~90 MB; streaming keeps the peak near the output size."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(REPO), "50000"], capture_output=True, text=True,
                          timeout=120, check=True)
    grown_kb, output_bytes = map(int, done.stdout.split())
    assert output_bytes > 7_000_000
    assert grown_kb * 1024 < 4 * output_bytes, f"peak grew {grown_kb} KB for {output_bytes} output bytes"
