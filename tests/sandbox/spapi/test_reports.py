"""Reports 2021-06-30 for the merchant listings report: createReport, getReport's lifecycle in the model's
shape, getReportDocument's presigned GZIP download (five minutes, GET only), the usage plans."""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

from mws_sandbox.models.reports import READY_SECONDS

from .conftest import validate

REPORTS = "/reports/2021-06-30"
US = "ATVPDKIKX0DER"


def create(sp, **body):
    return sp.post(REPORTS + "/reports", {"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": [US],
                                          **body})


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_report_is_created_done_and_downloaded_gzipped(sp, sandbox):
    created = create(sp)
    assert created.status == 202
    validate("createReport", 202, created.json)
    report_id = created.json["reportId"]
    first = sp.get(f"{REPORTS}/reports/{report_id}")
    validate("getReport", 200, first.json)
    assert first.json["processingStatus"] == "IN_QUEUE" and "reportDocumentId" not in first.json
    sandbox.clock.advance(READY_SECONDS)
    done = sp.get(f"{REPORTS}/reports/{report_id}").json
    assert done["processingStatus"] == "DONE" and done["processingEndTime"]
    document = sp.get(f"{REPORTS}/documents/{done['reportDocumentId']}")
    validate("getReportDocument", 200, document.json)
    assert document.json["compressionAlgorithm"] == "GZIP"
    download = sp.send("GET", local(document.json["url"]), {}, b"")
    assert download.status == 200
    lines = gzip.decompress(download.body).decode("cp1252").splitlines()
    assert lines[0].startswith("item-name\t") and len(lines) == 1 + len(sandbox.catalogue())


def test_a_document_url_expires_after_five_minutes_and_unknown_ids_are_404(sp, sandbox):
    report_id = create(sp).json["reportId"]
    sandbox.clock.advance(READY_SECONDS)
    document_id = sp.get(f"{REPORTS}/reports/{report_id}").json["reportDocumentId"]
    url = local(sp.get(f"{REPORTS}/documents/{document_id}").json["url"])
    sandbox.clock.advance(301)
    assert sp.send("GET", url, {}, b"").status == 403
    assert sp.send("GET", url.replace("Signature=", "Signature=0"), {}, b"").status == 403
    assert sp.get(f"{REPORTS}/reports/999").code == "NotFound"
    assert sp.get(f"{REPORTS}/documents/amzn1.spdoc.1.4.na.1").code == "NotFound"


def test_bad_report_requests_are_invalid_input(sp):
    assert create(sp, reportType="GET_FLAT_FILE_OPEN_LISTINGS_DATA").code == "InvalidInput"
    assert create(sp, marketplaceIds=["A1VC38T7YXB528"]).code == "InvalidInput"


def test_create_report_follows_its_usage_plan(sp):
    answers = [create(sp) for _ in range(16)]
    assert [a.status for a in answers[:15]] == [202] * 15 and answers[15].status == 429
    assert {k.lower(): v for k, v in answers[0].headers.items()}["x-amzn-ratelimit-limit"] == "0.0167"
