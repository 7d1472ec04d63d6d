"""The ProcessingReport that GetFeedSubmissionResult returns raw (not wrapped), as an
AmazonEnvelope with one Message (mws.md §4.4, xsd.md §8). It validates against Amazon's
ProcessingReport.xsd: ProcessingSummary counts, then one Result per problem."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only

from ..models.feeds import FeedReport, Result
from .common import sub

XSI = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _result(parent: ET.Element, result: Result) -> None:
    node = sub(parent, "Result")
    sub(node, "MessageID", result.message_id)
    sub(node, "ResultCode", result.code)
    sub(node, "ResultMessageCode", result.message_code)
    sub(node, "ResultDescription", result.description)
    if result.sku is not None or result.order_id is not None:
        extra = sub(node, "AdditionalInfo")
        if result.sku is not None:
            sub(extra, "SKU", result.sku)
        if result.order_id is not None:
            sub(extra, "AmazonOrderID", result.order_id)


def render_report(report: FeedReport, feed_id: str, merchant: str) -> bytes:
    root = ET.Element("AmazonEnvelope", {"xmlns:xsi": XSI, "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd"})
    header = sub(root, "Header")
    sub(header, "DocumentVersion", "1.02")
    sub(header, "MerchantIdentifier", merchant)
    sub(root, "MessageType", "ProcessingReport")
    message = sub(root, "Message")
    sub(message, "MessageID", 1)
    body = sub(message, "ProcessingReport")
    sub(body, "DocumentTransactionID", feed_id)
    sub(body, "StatusCode", report.status_code)
    summary = sub(body, "ProcessingSummary")
    sub(summary, "MessagesProcessed", report.processed)
    sub(summary, "MessagesSuccessful", report.successful)
    sub(summary, "MessagesWithError", report.with_error)
    sub(summary, "MessagesWithWarning", report.with_warning)
    for result in report.results:
        _result(body, result)
    return DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")



def render_flat_report(report: FeedReport) -> bytes:
    """The tab-delimited summary Amazon returned for flat-file feeds."""
    lines = ["Feed Processing Summary:",
             f"\tNumber of records processed\t\t{report.processed}",
             f"\tNumber of records successful\t\t{report.successful}", ""]
    if report.results:
        lines.append("original-record-number\tsku\terror-code\terror-type\terror-message")
        lines += [f"{r.message_id}\t{r.sku or ''}\t{r.message_code}\t{r.code}\t{r.description}" for r in report.results]
    return ("\n".join(lines) + "\n").encode("utf-8")
