"""The Reports API 2021-06-30 operations for the merchant listings report: createReport, getReport,
getReportDocument, and the presigned download of the document.

They share the MWS side's report requests (``models.reports``): the reportId is the request id,
processingStatus maps ``_SUBMITTED_`` to IN_QUEUE, ``_IN_PROGRESS_`` to IN_PROGRESS, ``_DONE_`` to
DONE and ``_DONE_NO_DATA_`` to CANCELLED (Amazon cancels a report that has no data). The document is
GZIP-compressed (``compressionAlgorithm: GZIP``) text in the marketplace's charset, downloaded from a
URL presigned like the feed documents' (five minutes of sandbox time, GET only), whose Content-Type
names no charset: the reader goes by the marketplace.
"""

from __future__ import annotations

import gzip
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..http import Response
from ..models.reports import DONE, DONE_NO_DATA, IN_PROGRESS, SUBMITTED, ReportRequest
from ..timefmt import iso_z
from ..wire import WireRequest
from . import presign
from .body import json_object, marketplaces
from .call import SpAnswer, SpCall
from .errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from ..app import Sandbox
    from ..models.backend import Backend

REPORT_TYPES = {"GET_MERCHANT_LISTINGS_ALL_DATA": "_GET_MERCHANT_LISTINGS_ALL_DATA_"}
STATUSES = {SUBMITTED: "IN_QUEUE", IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", DONE_NO_DATA: "CANCELLED"}
DOCUMENT_PREFIX = "amzn1.spdoc.1.4.na."
REPORT_ID = re.compile(r"^\d{1,20}$")


def _settled(call: SpCall, request: ReportRequest) -> ReportRequest:
    return call.backend.reports.settle(request, call.backend.catalogues[call.seller_id], call.now)


def create_report(call: SpCall) -> SpAnswer:
    spec = json_object(call, "reportType and marketplaceIds")
    report_type = spec.get("reportType")
    if report_type not in REPORT_TYPES:
        raise InvalidInput("Invalid input", details=f"reportType {report_type} is not served; the sandbox serves "
                           f"{', '.join(REPORT_TYPES)}.")
    ids = marketplaces(call, spec.get("marketplaceIds"))
    request = call.backend.reports.request(call.seller_id, REPORT_TYPES[report_type], ids[0], call.now)
    return SpAnswer({"reportId": request.request_id}, status=202)


def get_report(call: SpCall) -> SpAnswer:
    report_id = call.args["reportId"]
    request = call.backend.reports.get(call.seller_id, report_id) if REPORT_ID.match(report_id) else None
    if request is None:
        raise NotFound(f"Report {report_id} was not found for this seller.")
    return SpAnswer(_report_json(_settled(call, request), call.now))


def _report_json(request: ReportRequest, now: float) -> dict:
    status = request.status(now)
    body = {"reportId": request.request_id, "reportType": _sp_type(request.report_type),
            "marketplaceIds": [request.marketplace_id], "createdTime": iso_z(request.submitted),
            "processingStatus": STATUSES[status]}
    times = {"processingStartTime": request.started() if now >= request.started() else None,
             "processingEndTime": request.completed}
    body |= {k: iso_z(v) for k, v in times.items() if v is not None}
    if status == DONE:
        body["reportDocumentId"] = DOCUMENT_PREFIX + str(request.report_id)
    return body


def _sp_type(mws_type: str) -> str:
    return next((k for k, v in REPORT_TYPES.items() if v == mws_type), mws_type.strip("_"))


def _document(backend: Backend, seller_id: str | None, document_id: str) -> ReportRequest | None:
    """The report behind a document id (of ``seller_id``, or of anyone for a presigned URL), once it has content."""
    if not document_id.startswith(DOCUMENT_PREFIX):
        return None
    request = backend.reports.by_report.get(document_id[len(DOCUMENT_PREFIX):])
    if request is None or request.content is None or seller_id not in (None, request.seller_id):
        return None
    return request


def get_report_document(call: SpCall) -> SpAnswer:
    document_id = call.args["reportDocumentId"]
    if _document(call.backend, call.seller_id, document_id) is None:
        raise NotFound(f"Report document {document_id} was not found for this seller.")
    assert call.feeds is not None, "the dispatcher always passes the feed store (its secret signs the URLs)"
    url = presign.document_url(call.host, call.feeds.secret, "GET", document_id, call.now)
    url = url.replace(presign.DOCUMENTS, REPORT_FILES, 1)
    return SpAnswer({"reportDocumentId": document_id, "url": url, "compressionAlgorithm": "GZIP"})


REPORT_FILES = presign.PREFIX + "report-documents/"


def download(sandbox: Sandbox, wire: WireRequest, now: float, headers: dict[str, str]) -> Response | str:
    """The presigned GET of a report document (its GZIP bytes), or the S3 error code to answer."""
    document_id = unquote(wire.path[len(REPORT_FILES):])
    if wire.method != "GET":
        return "MethodNotAllowed"
    problem = presign.check(sandbox.sp_feeds.secret, "GET", document_id, wire.params, now)
    request = None if problem else _document(sandbox.backend, None, document_id)
    if request is None:
        return problem or "NoSuchKey"
    if request.compressed is None:
        request.compressed = gzip.compress(request.content, compresslevel=6, mtime=0)
    return Response.of(200, headers | {"Content-Type": "application/octet-stream"}, request.compressed)
