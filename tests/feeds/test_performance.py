"""Memory of a feed build does not grow with a tree: the guard rail that needs no clock.

Speed is judged where speed belongs, in the benchmarks (``bench/feeds.py``: 100,000 and 1,000,000
items against lxml streaming the same bytes into MD5, medians of alternated runs, ``bench/targets.py``),
not in a timed test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


MEASURE = """
import sys
sys.path.insert(0, sys.argv[1])
from bench.rss import peak_rss_mb  # VmHWM: this process's own peak (ru_maxrss would carry pytest's)
from mws_component.lib.feeds import build_feed
items = [{"sku": f"SKU-{i:06d}", "quantity": i % 50} for i in range(int(sys.argv[2]))]
build_feed("inventory", items[:10], merchant_id="M")
before = peak_rss_mb()
feed = build_feed("inventory", items, merchant_id="M")
after = peak_rss_mb()
print(int((after - before) * 1024), feed.size)
"""


def test_peak_memory_is_the_output_not_a_tree():
    """50,000 messages: a whole lxml tree costs ~90 MB; the spool (4 MiB in memory, then a temporary
    file) keeps the growth under the size of the output itself."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(REPO), "50000"], capture_output=True, text=True,
                          timeout=120, check=True)
    grown_kb, output_bytes = map(int, done.stdout.split())
    assert output_bytes > 7_000_000
    assert grown_kb * 1024 < output_bytes, f"peak grew {grown_kb} KB for {output_bytes} output bytes"
