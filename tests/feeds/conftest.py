"""Shared fixtures: Amazon's real XSDs (compiled once per session) to validate every built feed."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SHARED, XSD_DIR, require_shared

SAMPLES_DIR = SHARED / "mws-samples"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def xsd_dir() -> Path:
    return require_shared(XSD_DIR, "Amazon's MWS XSDs")


@pytest.fixture(scope="session")
def envelope_schema(xsd_dir: Path) -> etree.XMLSchema:
    """amzn-envelope.xsd compiled from disk (relative includes resolve against its path), ~0.7 s."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(xsd_dir / "amzn-envelope.xsd"), parser))


@pytest.fixture(scope="session")
def assert_xsd_valid(envelope_schema: etree.XMLSchema):
    """Check a feed's exact bytes against the real XSDs, showing libxml2's errors on failure."""

    def check(xml: bytes) -> None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        document = etree.fromstring(xml, parser)
        if not envelope_schema.validate(document):
            errors = "\n".join(f"line {e.line}: {e.message}" for e in envelope_schema.error_log)
            raise AssertionError(f"feed is not valid against amzn-envelope.xsd:\n{errors}\n{xml[:3000]!r}")

    return check


@pytest.fixture(scope="session")
def xsd_accepts(envelope_schema: etree.XMLSchema):
    def accepts(xml: bytes) -> bool:
        return envelope_schema.validate(etree.fromstring(xml))

    return accepts


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return require_shared(SAMPLES_DIR, "recorded MWS responses")
