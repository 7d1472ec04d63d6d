"""Every feed submission, MWS and SP-API, in one shape for the feeds page, newest first.

MWS feeds come from ``Sandbox.feeds`` (what ``GET /_sandbox/feeds`` serves), with the report as
GetFeedSubmissionResult returns it; SP-API feeds from the sandbox's feed store, their input and
result documents decoded (result documents are stored GZIP-compressed). Report lines are
``{message, severity, code, subject, text}``; severity "error" or "warning" is what the page
highlights. Secrets are scrubbed from content, reports and descriptions.
"""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING

from ..models.feeds import FeedSubmission
from ..responses.report import render_flat_report, render_report
from ..timefmt import iso_offset
from .pretty import pretty
from .secrets import scrub

if TYPE_CHECKING:
    from ..app import Sandbox

MWS_DONE = ("_DONE_", "_CANCELLED_")
SP_API_DONE = ("DONE", "FATAL", "CANCELLED")


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("iso-8859-1")


def _mws_raw_report(feed: FeedSubmission) -> str:
    if feed.report is None:
        return ""
    if feed.report.kind == "flat":
        return render_flat_report(feed.report).decode("utf-8")
    return pretty(render_report(feed.report, feed.feed_id, feed.seller_id).decode("utf-8"))


def _mws(data: dict, feed: FeedSubmission) -> dict:
    report = data["report"]
    summary = lines = None
    if report is not None:
        summary = {"status": report["statusCode"], "processed": report["processed"],
                   "accepted": report["successful"], "errors": report["withError"], "warnings": report["withWarning"]}
        lines = [{"message": r["messageId"], "severity": r["resultCode"].lower(), "code": r["resultMessageCode"],
                  "subject": r["sku"] or r["amazonOrderId"] or "", "text": r["description"]} for r in report["results"]]
    return {"api": "MWS", "id": data["feedSubmissionId"], "type": data["feedType"], "status": data["status"],
            "submitted": data["submittedDate"], "seller": data["sellerId"], "marketplaces": data["marketplaceIds"],
            "content_type": data["contentType"], "content": pretty(data["content"]), "summary": summary,
            "lines": lines or [], "raw_report": _mws_raw_report(feed), "done": data["status"] in MWS_DONE}


def _document(store, document_id: str | None) -> str:
    document = store.documents.get(document_id) if document_id else None
    if document is None or document.content is None:
        return ""
    content = gzip.decompress(document.content) if document.compressed else document.content
    return _text(content)


def _sp_api_report(raw: str) -> tuple[dict | None, list[dict]]:
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        return None, []  # an XML ProcessingReport (order feeds): shown raw
    found = report.get("summary", {})
    summary = {"status": "", "processed": found.get("messagesProcessed", 0), "accepted": found.get("messagesAccepted", 0),
               "errors": found.get("errors", 0), "warnings": found.get("warnings", 0)}
    lines = [{"message": i.get("messageId", ""), "severity": str(i.get("severity", "")).lower(), "code": i.get("code", ""),
              "subject": i.get("sku", ""), "text": i.get("message", "")} for i in report.get("issues", [])]
    return summary, lines


def _sp_api(store, feed, now: float) -> dict:
    status, raw = feed.status(now), _document(store, feed.result_document_id)
    summary, lines = _sp_api_report(raw) if raw else (None, [])
    if summary is not None:
        summary["status"] = status
    document = store.documents.get(feed.document_id)
    return {"api": "SP-API", "id": feed.feed_id, "type": feed.feed_type, "status": status,
            "submitted": iso_offset(feed.created), "seller": feed.seller_id, "marketplaces": list(feed.marketplace_ids),
            "content_type": document.content_type if document else "", "content": pretty(_document(store, feed.document_id)),
            "summary": summary, "lines": lines, "raw_report": pretty(raw) if raw else "", "done": status in SP_API_DONE}


def _scrubbed(view: dict, secrets: tuple[str, ...]) -> dict:
    lines = [{**line, "text": scrub(str(line["text"]), secrets)} for line in view["lines"]]
    return {**view, "content": scrub(view["content"], secrets), "raw_report": scrub(view["raw_report"], secrets),
            "lines": lines}


def every_feed(sandbox: Sandbox, now: float, secrets: tuple[str, ...]) -> list[dict]:
    """Call with the sandbox lock held."""
    desk = sandbox.backend.feeds.feeds
    mws = [(f.submitted, _mws(d, f)) for d, f in ((d, desk[d["feedSubmissionId"]]) for d in sandbox.feeds())]
    store = getattr(sandbox, "sp_feeds", None)
    sp_api = [(f.created, _sp_api(store, f, now)) for f in store.feeds.values()] if store is not None else []
    ordered = sorted(mws + sp_api, key=lambda pair: pair[0], reverse=True)
    return [_scrubbed(view, secrets) for _, view in ordered]
