"""Processing one JSON_LISTINGS_FEED document into Amazon's processing report (schema v2).

The document is untrusted: not UTF-8 JSON, or wrong at feed level (header, message list, another
seller's id) makes the feed FATAL, with a report whose issues carry no messageId. Otherwise each
message is checked against the message schema (``feedschema``); a sound one goes through the same
``submissions.submit`` as the Listings Items API, in message order, so later messages see earlier
changes. The report counts processed, accepted and invalid messages, and lists items when the
header asks for ``report.includedData``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models.catalogue import Catalogue
from .feedschema import FeedSchemas, Findings
from .issues import FEED_FORMAT, Issue
from .submissions import Submission, submit

ItemView = Callable[[str, tuple[str, ...]], dict | None]  # (sku, includedData) -> listings item or None


@dataclass
class Report:
    seller_id: str
    feed_id: str
    issues: list[dict] = field(default_factory=list)
    processed: int = 0
    accepted: int = 0
    skus: list[str] = field(default_factory=list)

    def add(self, issue: Issue, message_id: object = None, sku: object = None) -> None:
        entry: dict = {}
        if isinstance(message_id, int) and not isinstance(message_id, bool) and message_id >= 1:
            entry["messageId"] = message_id
        if isinstance(sku, str) and sku:
            entry["sku"] = sku
        entry |= {"code": issue.code, "severity": issue.severity, "message": issue.message}
        if issue.attribute_names:
            entry["attributeName"] = issue.attribute_names[0]
        self.issues.append(entry)

    def body(self, included: tuple[str, ...] = (), view: ItemView | None = None) -> dict:
        header: dict = {"sellerId": self.seller_id, "version": "2.0", "feedId": self.feed_id}
        errors = sum(1 for i in self.issues if i["severity"] == "ERROR")
        summary = {"errors": errors, "warnings": sum(1 for i in self.issues if i["severity"] == "WARNING"),
                   "messagesProcessed": self.processed, "messagesAccepted": self.accepted,
                   "messagesInvalid": self.processed - self.accepted}
        body = {"header": header, "issues": self.issues, "summary": summary}
        if included and view is not None:
            header["report"] = {"includedData": list(included), "apiVersion": "2021-08-01"}
            items = [item for item in (view(sku, included) for sku in self.skus) if item]
            summary["itemSummary"] = {"items": len(items), "errors": 0, "warnings": 0}
            body["items"] = items
        return body


def process(content: bytes | None, catalogue: Catalogue, seller_id: str, feed_id: str, schemas: FeedSchemas,
            view: ItemView | None = None) -> tuple[dict, bool]:
    """The report body and whether the feed is FATAL."""
    report = Report(seller_id, feed_id)
    document, problem = _parse(content)
    findings = Findings(feed=[problem]) if problem else schemas.check(document)
    if not findings.feed and document["header"]["sellerId"] != seller_id:
        findings.feed.append(f"header/sellerId '{document['header']['sellerId']}' is not the seller who submitted "
                             f"the feed ({seller_id}).")
    if findings.feed:
        for text in findings.feed:
            report.add(Issue(FEED_FORMAT, text))
        return report.body(), True
    for index, message in enumerate(document["messages"]):
        _message(report, index, message, findings, catalogue)
    return report.body(_included(document), view), False


def _parse(content: bytes | None) -> tuple[object, str | None]:
    if content is None:
        return None, "The feed document was never uploaded; PUT its content to the URL from createFeedDocument."
    try:
        return json.loads(content.decode("utf-8")), None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"The feed document is not valid UTF-8 JSON: {exc}."


def _included(document: dict) -> tuple[str, ...]:
    return tuple(document["header"].get("report", {}).get("includedData", ()))


def _message(report: Report, index: int, message: dict, findings: Findings, catalogue: Catalogue) -> None:
    report.processed += 1
    message_id, sku = message.get("messageId"), message.get("sku")
    problems = findings.messages.get(index, [])
    for text in problems:
        report.add(Issue(FEED_FORMAT, text), message_id, sku)
    if problems:
        return
    sub = Submission(sku, message["operationType"], message.get("productType"),
                     message.get("requirements", "LISTING"), message.get("attributes", {}),
                     tuple(message.get("patches", ())))
    outcome = submit(catalogue, report.seller_id, sub)
    for issue in outcome.issues:
        report.add(issue, message_id, sku)
    if outcome.status == "ACCEPTED":
        report.accepted += 1
        if sub.operation != "DELETE":
            report.skus.append(sku)
