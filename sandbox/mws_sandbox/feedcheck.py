"""Processing a submitted feed into a report: parsing, envelope and message structure.

The feed is untrusted input, so it is parsed with defusedxml only. What is checked, in order:
well-formed XML (else one 6001 result for MessageID 0, as Amazon reported it); the envelope
(AmazonEnvelope, Header with DocumentVersion and MerchantIdentifier, a MessageType that matches
the FeedType, at least one Message); then each Message: a MessageID that is a positive integer
and unique in the feed, a known OperationType, exactly one payload element named after the
MessageType, Amazon's XSDs (or the sandbox's structural checks, ``schemas``) through the
pluggable ``feed_validator``, and last ``feedrules``: the checks Amazon makes on XSD-valid values (prices above 0, sale dates in order,
http(s) image URLs; the sandbox's own code, not the project's) and the business rules (unknown SKU,
unknown order...), which also apply accepted changes. Result codes are listed in ``feedrules.CODES``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only for the Element type and ParseError; parsing is defusedxml's
from collections.abc import Callable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from . import feedrules, flatfeeds
from .feedrules import CODES, FeedContext
from .feedtypes import XML_FEEDS
from .models.feeds import FeedReport, FeedSubmission, Result

FeedValidator = Callable[[str, ET.Element], list[str]]
OPERATIONS = ("Update", "Delete", "PartialUpdate")
ENVELOPE_CHILDREN = ("Header", "MessageType", "MarketplaceName", "PurgeAndReplace", "EffectiveDate", "Message")


def process(feed: FeedSubmission, ctx: FeedContext, validator: FeedValidator | None = None) -> FeedReport:
    expected = XML_FEEDS.get(feed.feed_type)
    if expected is None:
        return flatfeeds.process(feed, ctx)
    try:
        root = fromstring(feed.content)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (1, 1))
        return _fatal(f"XML Parsing Fatal Error at Line {line}, Column {column}: {_reason(exc)}")
    except DefusedXmlException as exc:
        return _fatal(f"XML Parsing Fatal Error: {type(exc).__name__}: DTDs with entities are not accepted.")
    problems = envelope_problems(root, expected, feed.feed_type)
    if problems:
        report = FeedReport("Complete", processed=0)
        for problem in problems:
            report.add(Result(0, "Error", CODES["structure"], problem))
        return report
    return _messages(root.findall("Message"), expected, ctx, validator)


def _reason(exc: ET.ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(exc))


def _fatal(description: str) -> FeedReport:
    report = FeedReport("Complete", processed=0)
    report.add(Result(0, "Error", CODES["fatal"], description))
    return report


def envelope_problems(root: ET.Element, expected: str, feed_type: str) -> list[str]:
    """What is wrong with the envelope as a whole; any problem stops processing of every message."""
    if root.tag != "AmazonEnvelope":
        return [f"The root element is {root.tag}; a feed must be an AmazonEnvelope with no namespace."]
    unknown = [c.tag for c in root if c.tag not in ENVELOPE_CHILDREN]
    problems = [f"Element {tag} is not allowed in AmazonEnvelope." for tag in unknown]
    header = root.find("Header")
    if header is None:
        problems.append("The envelope has no Header; add Header/DocumentVersion and Header/MerchantIdentifier.")
    else:
        if not re.fullmatch(r"\d{1,2}\.\d{1,2}", (header.findtext("DocumentVersion") or "").strip()):
            problems.append("Header/DocumentVersion must look like 1.01.")
        if not (header.findtext("MerchantIdentifier") or "").strip():
            problems.append("Header/MerchantIdentifier is empty; send your Merchant Token.")
    message_type = (root.findtext("MessageType") or "").strip()
    if message_type != expected:
        problems.append(f"MessageType '{message_type}' does not match FeedType {feed_type}, which expects "
                        f"MessageType {expected}.")
    if root.find("Message") is None:
        problems.append("The envelope holds no Message.")
    return problems


def _messages(messages: list[ET.Element], expected: str, ctx: FeedContext,
              validator: FeedValidator | None) -> FeedReport:
    report = FeedReport("Complete", processed=len(messages))
    seen: set[int] = set()
    for message in messages:
        message_id, problems = _structure(message, expected, seen)
        if not problems and validator is not None:
            problems = list(validator(expected, message))
        if problems:
            for problem in problems:
                report.add(Result(message_id, "Error", CODES["structure"], problem))
            continue
        for result in feedrules.apply(expected, message_id, message, ctx):
            report.add(result)
    return report


def _structure(message: ET.Element, expected: str, seen: set[int]) -> tuple[int, list[str]]:
    """The message's id (0 when unusable) and what is wrong with its structure."""
    raw_id = (message.findtext("MessageID") or "").strip()
    if not re.fullmatch(r"\d{1,20}", raw_id) or int(raw_id) == 0:
        return 0, [f"MessageID '{raw_id}' is not valid; each Message needs a MessageID from 1 up."]
    message_id = int(raw_id)
    if message_id in seen:
        return message_id, [f"MessageID {message_id} is used by more than one Message; each Message needs "
                            "its own MessageID."]
    seen.add(message_id)
    problems = []
    operation = (message.findtext("OperationType") or "Update").strip()
    if operation not in OPERATIONS:
        problems.append(f"OperationType '{operation}' is not valid; use {', '.join(OPERATIONS)}.")
    elif operation == "PartialUpdate" and expected != "Product":
        problems.append("OperationType PartialUpdate is only valid in Product feeds.")
    payload = [c for c in message if c.tag not in ("MessageID", "OperationType")]
    if len(payload) != 1 or payload[0].tag != expected:
        found = ", ".join(c.tag for c in payload) or "nothing"
        problems.append(f"Message {message_id} must hold exactly one {expected} element; found {found}.")
    return message_id, problems
