"""The listProducts snapshot as plain JSON changed by pure functions (no I/O, no clock).

Emitting a listing "only when it changed" needs to know what every listing was at the last poll, and
a digest per SKU cannot fit the platform's 5 KB snapshot for 100,000 listings. So the snapshot keeps
a fixed-size digest of digests: each SKU falls in one of ``BUCKETS`` (512) buckets by a hash of the
SKU, and a bucket's value is the sum, modulo 2**40, of a 40-bit SHA-256 digest of each of its rows
(the whole row as Amazon wrote it: price, quantity, title, status...). 512 sums of 5 bytes are 3,416
characters of base64, whatever the catalogue's size.

A poll reads the report twice: the first pass sums the buckets, the second emits every listing
whose bucket's sum differs from the saved one. Guarantees:

- A changed, added or re-listed listing changes its bucket's sum, so it is emitted; the only way
  to miss one is for the changed bucket's new sum to equal the old one: probability 2**-40 (about
  1e-12) per changed bucket and poll (a 40-bit hash collision), and never for unchanged data.
- The price of that: an unchanged listing is emitted again when it shares a bucket with a change
  (a changed, added or removed listing): on average ``listings / 512`` listings per change (about
  2 at 1,000 listings, 195 at 100,000), plus the changed ones. Removed listings are not emitted
  (they are no longer in the report; ``_ALL_DATA_`` keeps inactive ones with their status).
- The first poll (no sums saved, or another marketplace's) emits every listing once.

The report being read is kept in ``report``: its id (MWS ReportRequestId or SP-API reportId) from
the moment it is requested, so a poll that ends before it is ready, or dies, never requests it
again; and ``row``, how many report rows were handled by the emitting pass: the snapshot saved
after each chunk of rows lets a run that dies go on with the same report from there (the rows of
the chunk in flight may come again; none is lost). The old sums stay until the report is done, so
a resumed run's first pass gives the same new sums and the same changed buckets.

Loading (``ensure``): an empty snapshot, or one of another version or marketplace, starts over; a
corrupt one is a ``ConfigurationError`` on field ``snapshot`` raised before any request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from mws_component.lib.fields import got, kind_of
from mws_component.lib.mws.errors import ConfigurationError

VERSION = 1
BUCKETS = 512
SUM_BYTES = 5
MODULUS = 1 << (8 * SUM_BYTES)
SNAPSHOT_CHARS = 5120
SUMS_CHARS = len(base64.urlsafe_b64encode(bytes(BUCKETS * SUM_BYTES)))


def bucket(sku: str) -> int:
    """The bucket a SKU falls in (a hash of the SKU alone, so a listing keeps its bucket when it changes)."""
    return int.from_bytes(hashlib.sha256(b"bucket|" + sku.encode("utf-8")).digest()[:4], "big") % BUCKETS


def row_digest(content: str) -> int:
    """40 bits of SHA-256 over a row's whole content."""
    return int.from_bytes(hashlib.sha256(content.encode("utf-8")).digest()[:SUM_BYTES], "big")


class Sums:
    """Bucket sums being built over one pass of the report."""

    def __init__(self) -> None:
        self.values = [0] * BUCKETS
        self.rows = 0

    def add(self, sku: str, content: str) -> None:
        index = bucket(sku)
        self.values[index] = (self.values[index] + row_digest(content)) % MODULUS
        self.rows += 1

    def packed(self) -> str:
        raw = b"".join(v.to_bytes(SUM_BYTES, "big") for v in self.values)
        return base64.urlsafe_b64encode(raw).decode("ascii")


def unpack(packed: str) -> list[int]:
    raw = base64.urlsafe_b64decode(packed.encode("ascii"))
    return [int.from_bytes(raw[i:i + SUM_BYTES], "big") for i in range(0, len(raw), SUM_BYTES)]


def changed_buckets(state: dict[str, Any], new: Sums) -> frozenset[int]:
    """The buckets whose sum differs from the saved one: every bucket on a first poll."""
    if not state.get("sums"):
        return frozenset(range(BUCKETS))
    return frozenset(i for i, (old, now) in enumerate(zip(unpack(state["sums"]), new.values, strict=True))
                     if old != now)


# ------------------------------------------------------------------ transitions


def initial(marketplace: str) -> dict[str, Any]:
    return {"v": VERSION, "marketplace": marketplace}


def requested(state: dict[str, Any], report_id: str) -> dict[str, Any]:
    """A report was requested: saved at once, so it is never requested twice."""
    return {**state, "report": {"id": report_id, "row": 0}}


def progressed(state: dict[str, Any], row: int) -> dict[str, Any]:
    """The emitting pass handled the report's rows before ``row``."""
    return {**state, "report": {**state["report"], "row": row}}


def finished(state: dict[str, Any], new: Sums) -> dict[str, Any]:
    """The report was read to its end: its sums are the reference for the next poll."""
    return {k: v for k, v in state.items() if k != "report"} | {"sums": new.packed()}


def abandoned(state: dict[str, Any]) -> dict[str, Any]:
    """The report cannot be had (cancelled, fatal, gone): the next poll requests a new one."""
    return {k: v for k, v in state.items() if k != "report"}


# ------------------------------------------------------------------ loading


def ensure(snapshot: Any, marketplace: str) -> dict[str, Any]:
    """The snapshot to go on from; none, another version's or another marketplace's starts over."""
    if not snapshot or (isinstance(snapshot, dict) and (snapshot.get("v") != VERSION
                                                        or snapshot.get("marketplace") != marketplace)):
        return initial(marketplace)
    trouble = problem(snapshot)
    if trouble:
        raise ConfigurationError(
            f"the listProducts 'snapshot' (its saved position) is corrupt: {trouble}. Nothing was requested or "
            "emitted. Reset the step's snapshot (in the flow, or with the platform API /flows/{id}/snapshots): "
            "the next poll then emits every listing once.", field="snapshot")
    return snapshot


def problem(snapshot: Any) -> str | None:
    """What makes a snapshot unusable, or None when its shape is sound."""
    if not isinstance(snapshot, dict):
        return f"it is {kind_of(snapshot)}, not the object this trigger saves"
    sums, report = snapshot.get("sums"), snapshot.get("report")
    if sums is not None and not _sums(sums):
        return f"'sums' must be {SUMS_CHARS} characters of base64, got {got(sums)}"
    if report is None:
        return None
    if not isinstance(report, dict):
        return f"'report' must be an object or absent, got {got(report)}"
    if not isinstance(report.get("id"), str) or not 0 < len(report["id"]) <= 200:
        return f"'report.id' must be a report id, got {got(report.get('id'))}"
    row = report.get("row")
    if isinstance(row, bool) or not isinstance(row, int) or row < 0:
        return f"'report.row' must be a whole number, 0 or more, got {got(row)}"
    return None


def _sums(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != SUMS_CHARS:
        return False
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == BUCKETS * SUM_BYTES
    except (binascii.Error, UnicodeEncodeError):
        return False
