"""list_products_100k: memory and speed of listProducts' report reading over a 100,000-listing report.

The report is rendered once by the sandbox's own model (``_GET_MERCHANT_LISTINGS_ALL_DATA_``, Cp1252,
about 160 bytes a listing), plain as MWS's GetReport answers it and GZIP-compressed as SP-API's
document is. What is measured is the component's side alone: both passes of ``lib.reports.sync``
(bucket sums, then the messages of the changed buckets) under ``tracemalloc``, with the report's
bytes allocated before tracing starts (they are what the transport hands over). ``peak_alloc_mib``
is the most the reading ever allocated on top of those bytes: flat means the same at a tenth of the
size. The first poll (every listing emitted, each message dropped once counted, as the platform
would send it on) and a poll after 100 changes (emitting only the changed buckets) are both timed.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc

from mws_sandbox.models.catalogue import Catalogue
from mws_sandbox.models.reports import add_bulk_listings, render_listings, update_listing

from mws_component.lib.reports import state as st
from mws_component.lib.reports.sync import Report, _emit

MIB = 1024 * 1024
CHANGES = 100


def _catalogue(n: int) -> Catalogue:
    catalogue = Catalogue()
    add_bulk_listings(catalogue, n, "USD")
    return catalogue


def _poll(report: Report, state: dict, traced: bool = False) -> tuple[dict, int, float, float | None]:
    """One poll's reading of ``report`` (the report's bytes exist before, like the transport's body):
    (state after, messages, seconds, peak MiB allocated when ``traced``, which slows it several times)."""
    if traced:
        tracemalloc.start()
    began, emitted = time.perf_counter(), 0
    for page in _emit(report, {**state, "report": {"id": "bench", "row": 0}}, "US", _Tally()):
        emitted += len(page.messages)
        state = page.state
    seconds = time.perf_counter() - began
    peak = round(tracemalloc.get_traced_memory()[1] / MIB, 2) if traced else None
    tracemalloc.stop()
    return state, emitted, seconds, peak


class _Tally:
    rows = emitted = changed_buckets = 0


def _measure(n: int, compressed: bool) -> dict:
    catalogue = _catalogue(n)
    body = render_listings(catalogue, "cp1252")
    size = len(body)
    if compressed:
        body = gzip.compress(body, compresslevel=6)
    report = Report(body, None, compressed)
    _, _, _, first_peak = _poll(report, st.initial("ATVPDKIKX0DER"), traced=True)
    first_state, first, first_s, _ = _poll(report, st.initial("ATVPDKIKX0DER"))
    for i in range(0, n, max(1, n // CHANGES)):
        update_listing(catalogue, f"BULK-{i:07d}", {"price": "1.00"})
    body = render_listings(catalogue, "cp1252")
    body = gzip.compress(body, compresslevel=6) if compressed else body
    _, second, second_s, second_peak = _poll(Report(body, None, compressed), first_state)
    return {"report_mib": round(size / MIB, 1), "body_mib": round(len(body) / MIB, 1), "first_emitted": first,
            "first_seconds": round(first_s, 2), "first_peak_alloc_mib": first_peak,
            "second_emitted": second, "second_seconds": round(second_s, 2), "second_peak_alloc_mib": second_peak}


def run(n: int) -> dict:
    plain, gzipped, tenth = _measure(n, False), _measure(n, True), _measure(max(1, n // 10), False)
    return {"listings": n, "changes": CHANGES, "mws_plain": plain, "sp_api_gzip": gzipped,
            "peak_alloc_mib": max(plain["first_peak_alloc_mib"], gzipped["first_peak_alloc_mib"]),
            "peak_alloc_mib_at_tenth": tenth["first_peak_alloc_mib"],
            "rows_per_s": round(n / plain["first_seconds"]) if plain["first_seconds"] else None,
            "reemitted_per_change": round((plain["second_emitted"]) / CHANGES, 1)}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000), indent=2))
