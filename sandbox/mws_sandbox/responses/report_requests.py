"""Reports 2009-01-01 responses: RequestReport and GetReportRequestList in Amazon's shape (ReportRequestInfo)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only
from collections.abc import Sequence

from ..models.reports import ReportRequest
from ..timefmt import iso_z
from .common import envelope, finish, opt, sub


def _info(parent: ET.Element, request: ReportRequest, now: float) -> None:
    node = sub(parent, "ReportRequestInfo")
    sub(node, "ReportRequestId", request.request_id)
    sub(node, "ReportType", request.report_type)
    sub(node, "StartDate", iso_z(request.submitted))
    sub(node, "EndDate", iso_z(request.submitted))
    sub(node, "Scheduled", False)
    sub(node, "SubmittedDate", iso_z(request.submitted))
    sub(node, "ReportProcessingStatus", request.status(now))
    opt(node, "GeneratedReportId", request.report_id)
    if now >= request.started():
        sub(node, "StartedProcessingDate", iso_z(request.started()))
    if request.completed is not None:
        sub(node, "CompletedDate", iso_z(request.completed))


def render_request(namespace: str, request_id: str, request: ReportRequest, now: float) -> bytes:
    root, result = envelope("RequestReport", namespace)
    _info(result, request, now)
    return finish(root, request_id)


def render_request_list(namespace: str, request_id: str, requests: Sequence[ReportRequest], now: float) -> bytes:
    root, result = envelope("GetReportRequestList", namespace)
    sub(result, "HasNext", False)
    for request in requests:
        _info(result, request, now)
    return finish(root, request_id)
