"""Reports 2009-01-01: RequestReport, GetReportRequestList, GetReport for the merchant listings report.

RequestReport takes ``ReportType`` (``_GET_MERCHANT_LISTINGS_ALL_DATA_``; any other is refused as
not served) and ``MarketplaceIdList.Id.N`` (one of the seller's marketplaces; default its home one).
GetReportRequestList filters by ``ReportRequestIdList.Id.N``, ``ReportTypeList.Type.N`` and
``ReportProcessingStatusList.Status.N``, newest first, ``MaxCount`` 1-100 (default 10; no further
pages: ``HasNext`` is false). GetReport answers the report raw, with ``Content-MD5`` and the charset
in ``Content-Type`` (``text/plain;charset=Cp1252``), as Amazon does.
"""

from __future__ import annotations

from ..call import Answer, Call
from ..errors import InvalidParameterValue, SenderError
from ..models.reports import REPORT_TYPES, ReportRequest, charset
from ..responses.report_requests import render_request, render_request_list
from ..sigv2 import content_md5

STATUSES = ("_SUBMITTED_", "_IN_PROGRESS_", "_CANCELLED_", "_DONE_", "_DONE_NO_DATA_")


class InvalidReportId(SenderError):
    code = "InvalidReportId"
    message = "Invalid ReportId."


def _settled(call: Call, request: ReportRequest) -> ReportRequest:
    return call.backend.reports.settle(request, call.backend.catalogues[call.seller_id], call.now)


def request_report(call: Call) -> Answer:
    report_type = call.params.required("ReportType", "e.g. _GET_MERCHANT_LISTINGS_ALL_DATA_")
    if report_type not in REPORT_TYPES:
        raise InvalidParameterValue(f"Invalid ReportType: {report_type}; the sandbox serves "
                                    f"{', '.join(REPORT_TYPES)}.")
    marketplaces = call.params.members("MarketplaceIdList.Id") or [call.seller.home_marketplace]
    for marketplace_id in marketplaces:
        call.seller.retail_marketplace(marketplace_id, "MarketplaceIdList")
    request = call.backend.reports.request(call.seller_id, report_type, marketplaces[0], call.now)
    return Answer(render_request(call.namespace, call.request_id, request, call.now))


def get_report_request_list(call: Call) -> Answer:
    p = call.params
    ids, types = set(p.members("ReportRequestIdList.Id")), set(p.choices("ReportTypeList.Type", REPORT_TYPES))
    statuses, size = set(p.choices("ReportProcessingStatusList.Status", STATUSES)), p.integer("MaxCount", 1, 100, 10)
    found = [_settled(call, r) for r in call.backend.reports.of_seller(call.seller_id)
             if (not ids or r.request_id in ids) and (not types or r.report_type in types)]
    found = [r for r in found if not statuses or r.status(call.now) in statuses]
    return Answer(render_request_list(call.namespace, call.request_id, found[:size], call.now))


def get_report(call: Call) -> Answer:
    report_id = call.params.required("ReportId")
    request = call.backend.reports.report(call.seller_id, report_id)
    if request is None or request.content is None:
        raise InvalidReportId(f"Invalid ReportId: {report_id}")
    name = charset(request.marketplace_id)[0]
    return Answer(request.content, f"text/plain;charset={name}",
                  {"Content-MD5": content_md5(request.content), "x-amz-request-id": call.request_id})
