"""The merchant listings report over SP-API (Reports 2021-06-30) for the listProducts trigger.

``SpApiReports`` is a ``lib.reports.sync.ReportSource``: createReport
(``GET_MERCHANT_LISTINGS_ALL_DATA`` for one marketplace), getReport until ``DONE`` (``CANCELLED``
and ``FATAL`` drop the report: the next poll requests a new one), then getReportDocument and the
download of its presigned URL (no SP-API headers; ``compressionAlgorithm: GZIP`` is gunzipped while
the report is read, never whole). Usage plans (from the model): createReport and getReportDocument
0.0167 requests per second, burst 15; getReport 2, burst 15; paced by the client.
"""

from __future__ import annotations

from mws_component.lib.mws.errors import ConfigurationError, ResponseIntegrityError
from mws_component.lib.reports import listings as ls
from mws_component.lib.reports.sync import DONE, FAILED, WAITING, Report, Status

from .client import SpApiClient

DOWNLOAD = "downloadReportDocument"


class SpApiReports:
    def __init__(self, client: SpApiClient) -> None:
        self.client = client

    def request(self, marketplace: str) -> str:
        data = self.client.call("createReport", body={"reportType": ls.SP_API_REPORT_TYPE,
                                                      "marketplaceIds": [marketplace]}).data
        if not isinstance(data.get("reportId"), str) or not data["reportId"]:
            raise ResponseIntegrityError("createReport answered without a reportId", operation="createReport")
        return data["reportId"]

    def status(self, report_id: str) -> Status:
        data = self.client.call("getReport", {"reportId": report_id}).data
        status = str(data.get("processingStatus") or "")
        if status == "DONE" and isinstance(data.get("reportDocumentId"), str):
            return Status(DONE, data["reportDocumentId"])
        if status in ("IN_QUEUE", "IN_PROGRESS"):
            return Status(WAITING, detail=status)
        return Status(FAILED, detail=f"report {report_id} is {status or 'without a status'}")

    def download(self, document: str) -> Report:
        doc = self.client.call("getReportDocument", {"reportDocumentId": document}).data
        if not doc.get("url"):
            raise ResponseIntegrityError(f"getReportDocument {document} answered without a url",
                                         operation="getReportDocument")
        algorithm = doc.get("compressionAlgorithm") or None
        if algorithm not in (None, "GZIP"):
            raise ConfigurationError(f"report document {document} is compressed with {algorithm!r}; only GZIP "
                                     "is known")
        response = self.client.transfer("GET", str(doc["url"]), operation=DOWNLOAD)
        return Report(response.body, response.headers.get("content-type"), compressed=algorithm == "GZIP")
