"""Reading the merchant listings report for listProducts: request it, wait for it, emit what changed.

``poll`` is a generator of ``Page``s (messages to emit, then the snapshot to save, as the orders
and finances triggers do). The report comes from a ``ReportSource``: MWS's RequestReport,
GetReportRequestList and GetReport here (``MwsReports``), SP-API's createReport, getReport and
getReportDocument in ``lib.spapi.reports``. See ``state`` for the change detection within 5 KB and
``listings`` for the streamed, charset-aware reading.

A report Amazon has not finished is waited for, checking every ``CHECK_SECONDS``, as long as the
poll's wait budget allows; past it the poll ends (``Tally.waiting``) and the next one checks the same
report (its id is in the snapshot). Pacing, throttling and retries are the client's job.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import Clock
from mws_component.lib.mws.errors import ResponseIntegrityError
from mws_component.lib.mws.parsing import as_list, text

from . import listings as ls
from . import state as st

CHECK_SECONDS = 20.0  # between status checks: GetReportRequestList restores one request per 45 s, burst 10
CHUNK_ROWS = 500  # report rows per saved snapshot while emitting: at most this many come again after a kill
WAITING, DONE, EMPTY, FAILED = "waiting", "done", "empty", "failed"


@dataclass(frozen=True)
class Report:
    """A finished report's bytes and how to read them."""

    body: bytes
    content_type: str | None = None
    compressed: bool = False

    def open(self) -> io.BytesIO:
        return io.BytesIO(self.body)


@dataclass(frozen=True)
class Status:
    state: str  # WAITING, DONE, EMPTY (done, no listings) or FAILED (cancelled or fatal: request anew)
    document: str | None = None  # what ``download`` takes when DONE
    detail: str = ""


class ReportSource(Protocol):
    """One API's listings report (``MwsReports`` here; ``lib.spapi.reports.SpApiReports``)."""

    def request(self, marketplace: str) -> str:
        """Ask for a new report; its id."""
        ...

    def status(self, report_id: str) -> Status: ...

    def download(self, document: str) -> Report: ...


@dataclass
class Page:
    messages: list[dict]  # emit these, then persist ``state``
    state: dict


@dataclass
class Tally:
    """What one poll did, for the flow's log."""

    report_id: str | None = None
    rows: int = 0
    emitted: int = 0
    changed_buckets: int = 0
    waiting: bool = False
    failed: str = ""


class MwsReports:
    """RequestReport, GetReportRequestList and GetReport (its raw body) for the listings report."""

    def __init__(self, client: MwsClient) -> None:
        self.client = client

    def request(self, marketplace: str) -> str:
        result = self.client.call("RequestReport", {"ReportType": ls.MWS_REPORT_TYPE,
                                                    "MarketplaceIdList": [marketplace]}).result
        info = (as_list(result.get("ReportRequestInfo")) or [{}])[0]
        report_id = text(info.get("ReportRequestId"))
        if not report_id:
            raise ResponseIntegrityError("RequestReport answered without a ReportRequestId", operation="RequestReport")
        return report_id

    def status(self, report_id: str) -> Status:
        result = self.client.call("GetReportRequestList", {"ReportRequestIdList": [report_id]}).result
        infos = [i for i in as_list(result.get("ReportRequestInfo")) if text(i.get("ReportRequestId")) == report_id]
        if not infos:
            return Status(FAILED, detail=f"Amazon no longer lists report request {report_id}")
        status = text(infos[0].get("ReportProcessingStatus")) or ""
        if status == "_DONE_":
            return Status(DONE, text(infos[0].get("GeneratedReportId")))
        if status == "_DONE_NO_DATA_":
            return Status(EMPTY)
        if status in ("_SUBMITTED_", "_IN_PROGRESS_"):
            return Status(WAITING, detail=status)
        return Status(FAILED, detail=f"report request {report_id} is {status}")

    def download(self, document: str) -> Report:
        response = self.client.call("GetReport", {"ReportId": document})
        return Report(response.body, response.headers.get("content-type"))


def poll(source: ReportSource, state: dict, clock: Clock, wait_seconds: float, country: str | None,
         tally: Tally | None = None) -> Iterator[Page]:
    """The pages of one poll: request (or find) the report, wait for it, then emit what changed."""
    tally = tally or Tally()
    if "report" not in state:
        state = st.requested(state, source.request(state["marketplace"]))
        yield Page([], state)
    tally.report_id = state["report"]["id"]
    status = _wait(source, tally.report_id, clock, wait_seconds)
    if status.state == WAITING:
        tally.waiting = True
        return
    if status.state == FAILED:
        tally.failed = status.detail
        yield Page([], st.abandoned(state))
        return
    report = source.download(status.document) if status.state == DONE else Report(b"")
    yield from _emit(report, state, country, tally)


def _wait(source: ReportSource, report_id: str, clock: Clock, budget: float) -> Status:
    until = clock.now() + budget
    while True:
        status = source.status(report_id)
        if status.state != WAITING or clock.now() + CHECK_SECONDS > until:
            return status
        clock.sleep(CHECK_SECONDS)


def _emit(report: Report, state: dict, country: str | None, tally: Tally) -> Iterator[Page]:
    charset = ls.charset_for(country, report.content_type)
    sums = st.Sums()
    for row in ls.rows(report.open, charset, report.compressed):  # pass 1: this report's bucket sums
        sums.add(row.sku, row.content())
    changed = st.changed_buckets(state, sums)
    tally.rows, tally.changed_buckets = sums.rows, len(changed)
    start, messages = state["report"]["row"], []
    for row in ls.rows(report.open, charset, report.compressed):  # pass 2: the listings of changed buckets
        if row.number >= start and st.bucket(row.sku) in changed:
            messages.append(row.message())
        if row.number >= start and (row.number + 1) % CHUNK_ROWS == 0:
            state = st.progressed(state, row.number + 1)
            tally.emitted += len(messages)
            yield Page(messages, state)
            messages = []
    tally.emitted += len(messages)
    yield Page(messages, st.finished(state, sums))
