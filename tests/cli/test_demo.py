"""The README's first command: ``mws-component demo`` against the embedded sandbox, no network."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_runs_end_to_end_and_tells_what_happened():
    done = subprocess.run([sys.executable, "-m", "mws_component.cli", "demo", "--orders", "25", "--seed", "5"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "verified: True" in out
    first = int(re.search(r"first poll.*?: (\d+) order", out).group(1))
    assert first > 0
    assert re.search(r"next poll.*?: [1-9]\d* order", out)  # the changes made between polls came through
    assert re.search(r"\d{3}-\d{7}-\d{7}  \d+ x ", out)  # order items printed
    assert "nothing was sent" in out and "quantity" in out  # the bad item was refused locally
    assert re.search(r"sent feed \d+ \(_POST_INVENTORY_AVAILABILITY_DATA_, 3 messages\)", out)
    assert "status _DONE_" in out and "3 processed, 2 successful, 1 with errors" in out
    assert "NOT-IN-CATALOGUE" in out
    assert re.search(r", 0 throttled;", out)
    assert '"level"' not in out  # logs go to stderr, the account to stdout
    assert_erp_round_trip(out)


def assert_erp_round_trip(out: str) -> None:
    """The ERP's loop: a shipment confirmed, the next poll brings the order as Shipped, then its money."""
    shipped = re.search(r"confirmShipment for (\d{3}-\d{7}-\d{7}) \(UPS", out)
    assert shipped, out
    order_id = shipped.group(1)
    assert re.search(rf"next poll \(the shipped order comes again\): [1-9]\d* order.*\n  {order_id}  Shipped", out)
    assert f"{order_id} is now Shipped" in out
    posting = out.split(f"{order_id}'s posting:")[1]
    assert re.search(r"charge +Principal +\d+\.\d\d", posting) and re.search(r"fee +Commission +-\d", posting)


def test_demo_through_sp_api_reads_the_same_world():
    args = ["demo", "--orders", "25", "--seed", "5"]
    runs = [subprocess.run([sys.executable, "-m", "mws_component.cli", *args, *extra], capture_output=True,
                           text=True, timeout=120, cwd=ROOT) for extra in ([], ["--api", "sp-api"])]
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    mws, sp = (r.stdout for r in runs)
    assert "SP-API credentials for seller" in sp and "verified: True" in sp

    def orders(out: str) -> list[tuple[str, str]]:
        return re.findall(r"^  (\d{3}-\d{7}-\d{7})  (\S+) ", out, re.M)

    assert orders(sp) and orders(sp) == orders(mws)  # same orders, same statuses, in the same order
    assert re.search(r"sent feed \d+ \(JSON_LISTINGS_FEED, 3 messages\)", sp)  # the listings feed of SP-API
    assert "status _DONE_" in sp and "3 processed, 2 successful, 1 with errors" in sp and "NOT-IN-CATALOGUE" in sp
    assert "Amazon answered Confirmed" in sp  # Orders v0 confirmShipment, not a feed
    assert_erp_round_trip(sp)
