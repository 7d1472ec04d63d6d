"""Reports 2009-01-01 as Amazon documents them, for the merchant listings report: RequestReport, the
lifecycle _SUBMITTED_ -> _IN_PROGRESS_ -> _DONE_ on the sandbox clock, GetReportRequestList's filters,
GetReport's raw tab-separated body in the marketplace's charset with Content-MD5, the quotas."""

from __future__ import annotations

import requests
from mws_sandbox.models.catalogue import Catalogue
from mws_sandbox.models.reports import COLUMNS, READY_SECONDS, START_SECONDS, charset, render_listings

from mws_component.lib.mws.signing import content_md5

from .conftest import REPORTS

LISTINGS = "_GET_MERCHANT_LISTINGS_ALL_DATA_"


def request(raw, **params):
    return raw.call(REPORTS, "RequestReport", {"ReportType": LISTINGS, **params}, seller_param="Merchant")


def status_of(raw, request_id: str):
    resp = raw.call(REPORTS, "GetReportRequestList", {"ReportRequestIdList.Id.1": request_id})
    return resp.text(".//ReportRequestInfo/ReportProcessingStatus"), resp.text(".//ReportRequestInfo/GeneratedReportId")


def test_a_report_goes_submitted_in_progress_done_and_downloads_with_its_charset_and_md5(raw, sandbox, clock):
    sent = request(raw, **{"MarketplaceIdList.Id.1": "ATVPDKIKX0DER"})
    assert sent.status == 200 and sent.text(".//ReportRequestInfo/ReportProcessingStatus") == "_SUBMITTED_"
    request_id = sent.text(".//ReportRequestInfo/ReportRequestId")
    assert status_of(raw, request_id) == ("_SUBMITTED_", None)
    clock.advance(START_SECONDS)
    assert status_of(raw, request_id) == ("_IN_PROGRESS_", None)
    sandbox.update_listing(next(iter(sandbox.catalogue())), title="Crème brûlée, 5 €")  # before it is done
    clock.advance(READY_SECONDS)
    status, report_id = status_of(raw, request_id)
    assert status == "_DONE_" and report_id
    report = raw.call(REPORTS, "GetReport", {"ReportId": report_id})
    headers = {k.lower(): v for k, v in report.headers.items()}
    assert report.status == 200 and headers["content-type"] == "text/plain;charset=Cp1252"
    assert headers["content-md5"] == content_md5(report.body)
    lines = report.body.decode("cp1252").splitlines()
    assert lines[0].split("\t") == list(COLUMNS) and len(lines) == 1 + len(sandbox.catalogue())
    assert "Crème brûlée, 5 €" in report.body.decode("cp1252")


def test_the_listing_list_filters_and_bad_input_is_refused(raw, clock):
    ids = [request(raw).text(".//ReportRequestId") for _ in range(3)]
    listed = raw.call(REPORTS, "GetReportRequestList", {"ReportTypeList.Type.1": LISTINGS, "MaxCount": "2"})
    assert [e.text for e in listed.all(".//ReportRequestInfo/ReportRequestId")] == ids[::-1][:2]
    clock.advance(READY_SECONDS)
    done = raw.call(REPORTS, "GetReportRequestList", {"ReportProcessingStatusList.Status.1": "_DONE_"})
    assert len(done.all(".//ReportRequestInfo")) == 3
    assert request(raw, ReportType="_GET_NOTHING_").code == "InvalidParameterValue"
    assert request(raw, **{"MarketplaceIdList.Id.1": "A1PA6795UKMFR9"}).code == "InvalidParameterValue"
    assert raw.call(REPORTS, "GetReport", {"ReportId": "12345"}).code == "InvalidReportId"


def test_request_report_is_throttled_after_its_burst_of_15(raw):
    codes = [request(raw).status for _ in range(16)]
    assert codes[:15] == [200] * 15 and codes[15] == 503


def test_reports_are_written_in_the_marketplaces_charset():
    assert charset("ATVPDKIKX0DER") == ("Cp1252", "cp1252") and charset("A1PA6795UKMFR9")[1] == "cp1252"
    assert charset("A1VC38T7YXB528") == ("UTF-8", "utf-8")  # not in the sandbox's table: UTF-8
    empty = render_listings(Catalogue(), "cp932")
    assert empty.decode("ascii").startswith("item-name\titem-description")


def test_a_large_catalogue_can_be_seeded_and_updated(sandbox):
    size = sandbox.seed_listings(1000)
    assert size == len(sandbox.catalogue()) >= 1000
    assert sandbox.update_listing("BULK-0000003", price="2.50", quantity=7)["price"] == "2.50"


def test_the_scenario_api_seeds_and_updates_listings(server, sandbox):
    seeded = requests.post(f"{server.url}/_sandbox/catalogue/seed", json={"count": 100}, timeout=5)
    assert seeded.status_code == 200 and seeded.json()["listings"] == len(sandbox.catalogue())
    updated = requests.post(f"{server.url}/_sandbox/catalogue/update",
                            json={"sku": "BULK-0000001", "changes": {"quantity": 5}}, timeout=5)
    assert updated.status_code == 200 and updated.json()["quantity"] == 5
    bad = requests.post(f"{server.url}/_sandbox/catalogue/update", json={"sku": "NOPE"}, timeout=5)
    assert bad.status_code == 400 and "NOPE" in bad.json()["error"]
    assert requests.post(f"{server.url}/_sandbox/catalogue/seed", json={"count": -1}, timeout=5).status_code == 400
