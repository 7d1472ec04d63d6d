"""GetFeedSubmissionResult bodies (ProcessingReport envelopes) -> one plain dict per report.

Why a parser of our own: no peer turns a processing report into per-message results, and the body
comes from outside, so it is parsed with defusedxml (no DTDs, no entities) and read by local name
(namespace-agnostic), in any child order, with single-vs-list results normalised. A body that is
empty, not XML, hostile, or XML of another kind gets a :class:`ProcessingReportError` saying which;
an MWS ``ErrorResponse`` is raised as the matching :mod:`lib.mws.errors` class (for example
``FeedProcessingResultNotReady`` -> ``NotReadyError``).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from mws_component.lib.mws.errors import MwsError, error_for

from .naming import json_name

SUMMARY = ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError", "MessagesWithWarning")
RESULT_FIELDS = ("MessageID", "ResultCode", "ResultMessageCode", "ResultDescription")
_INTEGERS = {"MessageID", "ResultMessageCode"}


class ProcessingReportError(MwsError):
    """The downloaded body is not a processing report this parser can read."""

    default_hint = "GetFeedSubmissionResult should return an AmazonEnvelope holding a ProcessingReport"


def parse_processing_report(body: bytes | str) -> dict:
    """``{feedSubmissionId, statusCode, summary, results}`` from a processing report body.

    ``summary`` is ``None`` when the report has no ProcessingSummary (it is optional, for example
    while Amazon is still processing); ``statusCode`` is ``None`` when the report omits it (seen in
    the wild, though the schema requires it). Each result is ``{messageId, resultCode,
    resultMessageCode, resultDescription}`` plus its AdditionalInfo fields in lowerCamelCase
    (``sku``, ``amazonOrderId``, ...).
    """
    root = _parse(body.encode("utf-8") if isinstance(body, str) else body)
    if _local(root.tag) == "ErrorResponse":
        _raise_error_response(root)
    report = next((e for e in root.iter() if _local(e.tag) == "ProcessingReport"), None)
    if report is None:
        raise ProcessingReportError(
            f"the body is a <{_local(root.tag)}> document, not a processing report", code="NotAProcessingReport"
        )
    parts = _children(report)
    transaction = _text(parts.get("DocumentTransactionID"))
    if not transaction:
        raise ProcessingReportError("the processing report has no DocumentTransactionID", code="NotAProcessingReport")
    return {
        "feedSubmissionId": transaction,
        "statusCode": _text(parts.get("StatusCode")),
        "summary": _summary(parts.get("ProcessingSummary")),
        "results": [_result(e) for e in report if _local(e.tag) == "Result"],
    }


def _parse(body: bytes) -> Element:
    if not body or not body.strip():
        raise ProcessingReportError("the body is empty; there is no processing report to read", code="EmptyProcessingReport")
    try:
        return fromstring(_decodable(body), forbid_dtd=True)
    except DefusedXmlException as error:
        raise ProcessingReportError(
            f"refused to parse the body: it declares a DTD or entities ({type(error).__name__}); "
            "a processing report never does, so it is not read",
            code="UnsafeXml",
            hint="",
        ) from None
    except ParseError as error:
        start = body[:40].decode("latin-1").replace("\n", " ")
        raise ProcessingReportError(
            f"the body is not XML ({error}); it starts with {start!r}",
            code="NotAProcessingReport",
            hint="flat-file feeds return a tab-separated report instead of XML",
        ) from None


def _decodable(body: bytes) -> bytes:
    """Bodies sent as ISO-8859-1 without saying so are re-encoded (python-amazon-mws#209)."""
    if b"encoding=" in body[:100]:
        return body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1").encode("utf-8")
    return body


def _raise_error_response(root: Element) -> None:
    error = next((e for e in root.iter() if _local(e.tag) == "Error"), root)
    parts = _children(error)
    code = _text(parts.get("Code"))
    request_id = next((_text(e) for e in root.iter() if _local(e.tag) == "RequestId"), None)
    raise error_for(code, None)(_text(parts.get("Message")) or "MWS returned an error", code=code, request_id=request_id)


def _summary(node: Element | None) -> dict | None:
    if node is None:
        return None
    parts = _children(node)
    return {json_name(name): _integer(parts.get(name), f"ProcessingSummary/{name}") for name in SUMMARY}


def _result(node: Element) -> dict:
    result: dict = {}
    for child in node:
        name = _local(child.tag)
        if name == "AdditionalInfo":
            result.update({json_name(_local(e.tag)): _text(e) for e in child})
        elif name in _INTEGERS:
            result[json_name(name)] = _integer(child, f"Result/{name}")
        else:
            result[json_name(name)] = _text(child)
    ordered = {json_name(name): result.pop(json_name(name), None) for name in RESULT_FIELDS}
    return {**ordered, **result}


def _children(node: Element) -> dict[str, Element]:
    """First child per local name (namespaces dropped)."""
    found: dict[str, Element] = {}
    for child in node:
        found.setdefault(_local(child.tag), child)
    return found


def _integer(node: Element | None, where: str) -> int | None:
    text = _text(node)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise ProcessingReportError(f"{where} is {text!r}, not a number", code="NotAProcessingReport") from None


def _text(node: Element | None) -> str | None:
    if node is None:
        return None
    return (node.text or "").strip()


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
